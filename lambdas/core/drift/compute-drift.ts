/**
 * Dataset-level drift: every feature of the current data against a reference (a raw
 * table or a baseline profile), scored by a method and threshold per feature.
 */
import { accumulateTable, type AccumulateTableOptions, type ParallelScanOptions, type TableAccumulator } from '../columns/table-accumulator';
import type { ColumnType } from '../columns/column-types';
import { InputError } from '../../../vocabulary/errors';
import type { DriftCorrection, DriftMethod } from '../../../vocabulary/evaluation-names';
import { summarizeColumn, summaryFromProfile, type FeatureSummary } from '../profile/feature-summary';
import type { Profile } from '../profile/profile-schema';
import type { Table } from '../readers/types';
import { DEFAULT_BINS } from '../stats/binning';
import type { EcdfReference } from '../columns/value-counts';
import { sortAllFloat64 } from '../stats/parallel-sort';
import { DEFAULT_VALUE_BUDGET } from '../stats/value-store';
import { categoricalDriftStatistics, currentEcdf, ecdfReferenceOf, numericDriftStatistics, type FeatureDrift } from './feature-drift';
import { DEFAULT_DRIFT_METHOD, DRIFT_METHOD_TABLE, resolveMethod } from './methods';
import { decideDrift, type ScoredFeature } from './verdict';

/** A per-feature choice of method and threshold (the config's `features[].drift`). */
export interface FeatureDriftOverride {
  readonly name: string;
  readonly method: DriftMethod;
  /** @default the method's default threshold */
  readonly threshold?: number;
}

/** Options of {@link computeDrift}. */
export interface DriftOptions {
  /** The reference: a raw table (profiled on the fly) or a baseline profile. */
  readonly reference: Table | Profile;
  /** The current data; read with the reference's column types. */
  readonly current: Table;
  /** Quantile bins fitted on a raw reference (a profile brings its own cut points). @default 10 */
  readonly bins?: number;
  /** Method scoring every feature without an override (config `triggers.drift.method`). @default 'psi' */
  readonly method?: DriftMethod;
  /** Threshold of `method` (config `triggers.drift.threshold`). @default the method's default (0.2 for psi) */
  readonly threshold?: number;
  /** Per-feature methods and thresholds. @default [] */
  readonly featureOverrides?: readonly FeatureDriftOverride[];
  /** Multiple-testing correction over the p-value methods' features (config `triggers.drift.correction`). @default 'none' */
  readonly correction?: DriftCorrection;
  /** A p-value method drifts only when its effect (KS distance, Cramér's V) reaches this (config `triggers.drift.minEffect`). @default none */
  readonly minEffect?: number;
  /** The dataset has drifted when at least this many features have (config `triggers.drift.driftedFeatures`). @default 1 */
  readonly driftedFeatures?: number;
  /** The features to compare. @default every column of the reference except the label */
  readonly columns?: readonly string[];
  /** The label column, never compared. @default the profile's label; none for a raw reference */
  readonly label?: string;
  /** Known types of a raw reference's columns (e.g. the config's `features`). @default inferred */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Values kept exactly per numeric column before a sketch takes over. @default 1_000_000 */
  readonly budget?: number;
  /** Reading the current data (a local plain CSV file) on several threads; false: one thread. @default {} (see ParallelScanOptions) */
  readonly parallel?: ParallelScanOptions | false;
}

/** The drift of a dataset. */
export interface DriftResult {
  /** One entry per compared feature, in reference order. */
  readonly features: FeatureDrift[];
  /** Features whose score crossed their threshold. */
  readonly driftedCount: number;
  /** True when driftedCount >= driftedFeatures. */
  readonly drifted: boolean;
  /** The multiple-testing correction applied. */
  readonly correction: DriftCorrection;
  /** The effect-size floor of the p-value methods, when one was set. */
  readonly minEffect?: number;
}

function isProfile(reference: Table | Profile): reference is Profile {
  return 'features' in reference && 'version' in reference;
}

async function referenceSummaries(options: Omit<DriftOptions, 'current'>): Promise<{ summaries: FeatureSummary[]; source: string }> {
  const { reference, columns } = options;
  if (isProfile(reference)) {
    const label = options.label ?? reference.label?.name;
    let features = reference.features.filter((f) => f.name !== label);
    if (columns) {
      const byName = new Map(reference.features.map((f) => [f.name, f]));
      features = columns.map((c) => {
        const f = byName.get(c);
        if (!f) throw new InputError('column is not in the reference profile', { file: reference.source, column: c });
        return f;
      });
    }
    return { summaries: features.map(summaryFromProfile), source: reference.source };
  }
  const meta = new Set(reference.metaColumns ?? []);
  const names = columns ?? reference.columns.filter((c) => c !== options.label && !meta.has(c));
  const acc = await accumulateTable(reference, { columns: names, types: options.types, budget: options.budget, parallel: options.parallel });
  const bins = options.bins ?? DEFAULT_BINS;
  return {
    summaries: acc.columns.map((c) => {
      c.finish();
      return summarizeColumn(c, bins);
    }),
    source: reference.source,
  };
}

/** What a drift comparison settles from its reference before reading the current data. */
export interface DriftPlan {
  readonly summaries: readonly FeatureSummary[];
  readonly source: string;
  readonly overrides: ReadonlyMap<string, FeatureDriftOverride>;
  /** How the current data is accumulated (the same for one pass and for each part of a fan-out). */
  readonly accumulate: AccumulateTableOptions;
}

/**
 * Settles the reference side of a comparison: its feature summaries, the overrides,
 * and the accumulation options of the current data (types, cuts, ECDF references).
 *
 * @throws InputError when a column is not in the reference, an override names a column
 *   that is not, or minEffect is outside [0, 1]
 */
export async function planDrift(options: Omit<DriftOptions, 'current'>): Promise<DriftPlan> {
  if (options.minEffect !== undefined && !(options.minEffect >= 0 && options.minEffect <= 1)) {
    throw new InputError(`expected minEffect in [0, 1], got ${options.minEffect}`);
  }
  const { summaries, source } = await referenceSummaries(options);
  const overrides = new Map<string, FeatureDriftOverride>();
  const referenceNames = new Set(summaries.map((s) => s.name));
  for (const o of options.featureOverrides ?? []) {
    if (!referenceNames.has(o.name) && !(isProfile(options.reference) ? options.reference.features.some((f) => f.name === o.name) : false)) {
      throw new InputError('drift override names a column that is not in the reference', { file: source, column: o.name });
    }
    overrides.set(o.name, o);
  }
  const types: Record<string, ColumnType> = {};
  const cuts: Record<string, readonly number[]> = {};
  const ecdfReferences: Record<string, EcdfReference> = {};
  summaries.forEach((s) => {
    types[s.name] = s.type;
    if (s.type !== 'numeric') return;
    cuts[s.name] = s.cutPoints;
    const r = ecdfReferenceOf(s);
    if (r !== undefined) ecdfReferences[s.name] = r;
  });
  return {
    summaries,
    source,
    overrides,
    accumulate: {
      columns: summaries.map((s) => s.name),
      types,
      cuts,
      ecdfReferences,
      histogram: true,
      budget: options.budget ?? DEFAULT_VALUE_BUDGET,
      parallel: options.parallel,
    },
  };
}

/**
 * Compares the current data with the reference, feature by feature.
 *
 * @throws InputError when a reference feature is absent from the current data, a column
 *   is not in the reference, an override's method does not apply to its feature, or
 *   minEffect is outside [0, 1]
 * @throws ValueTypeError on a non-number in a numeric column of the current data (or NaN/Infinity)
 */
export async function computeDrift(options: DriftOptions): Promise<DriftResult> {
  const { current } = options;
  const plan = await planDrift(options);
  const present = new Set(current.columns);
  for (const s of plan.summaries) {
    if (!present.has(s.name)) throw new InputError('column of the reference is absent from the current data', { file: current.source, column: s.name });
  }
  return scoreDrift(plan, await accumulateTable(current, plan.accumulate), options);
}

/**
 * Scores the accumulated current data (one pass, or merged parts) against the plan's
 * reference. Finishes the accumulators: call once.
 *
 * @throws InputError when an override's method does not apply to its feature
 */
export async function scoreDrift(
  plan: DriftPlan,
  acc: TableAccumulator,
  options: Pick<DriftOptions, 'method' | 'threshold' | 'correction' | 'minEffect' | 'driftedFeatures'>,
): Promise<DriftResult> {
  const { summaries, overrides } = plan;
  // ECDF statistics from the decimal histograms that hold every value: no sort. The other
  // columns' values are sorted up front, on two threads where there are two.
  const cells = summaries.map((s, i) => (s.type === 'numeric' ? currentEcdf(s, acc.columns[i]!) : undefined));
  await sortAllFloat64(acc.columns.flatMap((c, i) => (cells[i] === undefined ? (c.store?.unsortedValues() ?? []) : [])));

  const method = options.method ?? DEFAULT_DRIFT_METHOD;
  const scored = summaries.map((ref, i): ScoredFeature => {
    const cur = acc.columns[i]!;
    cur.finish();
    const stats = ref.type === 'numeric' ? numericDriftStatistics(ref, cur, cells[i]) : categoricalDriftStatistics(ref, cur);
    const chosen = resolveMethod(ref.name, ref.type, method, options.threshold, overrides.get(ref.name));
    const value = stats[DRIFT_METHOD_TABLE[chosen.method].field];
    const score = value === undefined ? null : value;
    return {
      name: ref.name,
      type: ref.type,
      ...stats,
      method: chosen.method,
      score,
      threshold: chosen.threshold,
      nReference: ref.count,
      nCurrent: cur.count,
      missingReference: ref.missing,
      missingCurrent: cur.missing,
    };
  });
  const correction = options.correction ?? 'none';
  const features: FeatureDrift[] = decideDrift(scored, { correction, minEffect: options.minEffect });
  const driftedCount = features.filter((f) => f.drifted).length;
  return {
    features,
    driftedCount,
    drifted: driftedCount >= (options.driftedFeatures ?? 1),
    correction,
    ...(options.minEffect === undefined ? {} : { minEffect: options.minEffect }),
  };
}
