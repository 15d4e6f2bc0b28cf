/**
 * In-memory summary of one reference column: what drift and validation compare the
 * current data with. Built from a finished column accumulator (raw reference) or from a
 * profile feature; the profile JSON is this summary with the values compacted to a sketch.
 */
import type { ColumnSummary } from '../columns/column-summary';
import { compareCodePoints } from '../stats/categories';
import { quantileCutPoints, sampleBinCounts } from '../stats/binning';
import { stdPopulation } from '../stats/moments';
import { ValueStore } from '../stats/value-store';
import { sketchStore, type CategoricalFeatureProfile, type FeatureProfile, type NumericFeatureProfile } from './profile-schema';

/** A numeric reference column. */
export interface NumericSummary {
  readonly name: string;
  readonly type: 'numeric';
  /** Present values. */
  readonly count: number;
  readonly missing: number;
  /** Null when the column has no value. */
  readonly mean: number | null;
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Quantile cut points of the reference, de-duplicated ascending (empty when no value). */
  readonly cutPoints: number[];
  /** Reference counts per bin, length cutPoints.length + 1. */
  readonly binCounts: number[];
  /** The reference values (exact, or a sketch). */
  readonly store: ValueStore;
  /** True when the cut points and bin counts came from a sketch. */
  readonly approximateBins: boolean;
}

/** A categorical reference column. */
export interface CategoricalSummary {
  readonly name: string;
  readonly type: 'categorical';
  readonly count: number;
  readonly missing: number;
  /** Counts per category. */
  readonly categoryCounts: ReadonlyMap<string, number>;
}

/** A reference column. */
export type FeatureSummary = NumericSummary | CategoricalSummary;

/**
 * Quantile cut points and counts per bin of the values in a store. Exact stores follow
 * the reference recipe (numpy linear quantiles, then counting every value); a sketch
 * uses its quantiles and its items' weights.
 */
export function binStore(store: ValueStore, bins: number): { cutPoints: number[]; binCounts: number[]; approximate: boolean } {
  if (store.count === 0) return { cutPoints: [], binCounts: [0], approximate: false };
  const sample = store.sample();
  let cutPoints: number[];
  if (store.exact) {
    cutPoints = quantileCutPoints(sample.values, bins);
  } else {
    const raw: number[] = [];
    for (let k = 1; k < bins; k++) raw.push(store.quantile(k / bins));
    raw.sort((a, b) => a - b);
    cutPoints = raw.filter((c, i) => i === 0 || c !== raw[i - 1]);
  }
  return { cutPoints, binCounts: sampleBinCounts(cutPoints, sample), approximate: !store.exact };
}


/**
 * Summarises an accumulated column whose type is settled (`finish()` called).
 *
 * @param bins quantile bins of a numeric column, before de-duplication
 */
export function summarizeColumn(acc: ColumnSummary, bins: number): FeatureSummary {
  const type = acc.type;
  if (type === 'categorical') {
    return { name: acc.name, type, count: acc.count, missing: acc.missing, categoryCounts: acc.categoryCounts() };
  }
  const store = acc.store ?? new ValueStore();
  const m = acc.moments;
  const empty = m.count === 0;
  const { cutPoints, binCounts, approximate } = binStore(store, bins);
  return {
    name: acc.name,
    type,
    count: acc.count,
    missing: acc.missing,
    mean: empty ? null : m.mean,
    std: empty ? null : stdPopulation(m),
    min: empty ? null : m.min,
    max: empty ? null : m.max,
    cutPoints,
    binCounts,
    store,
    approximateBins: approximate,
  };
}

/** The summary of a profile feature (its sketch restored as a `ValueStore`). */
export function summaryFromProfile(f: FeatureProfile): FeatureSummary {
  if (f.type === 'categorical') {
    return { name: f.name, type: 'categorical', count: f.count, missing: f.missing, categoryCounts: new Map(Object.entries(f.categoryCounts)) };
  }
  return {
    name: f.name,
    type: 'numeric',
    count: f.count,
    missing: f.missing,
    mean: f.mean,
    std: f.std,
    min: f.min,
    max: f.max,
    cutPoints: [...f.cutPoints],
    binCounts: [...f.binCounts],
    store: sketchStore(f.sketch),
    approximateBins: f.approximate === true,
  };
}

/** Category counts as a plain record with keys in code-point order. */
export function countsRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort((a, b) => compareCodePoints(a[0], b[0])));
}

/**
 * The profile JSON of a summary.
 *
 * @param sketchItems most items in a numeric feature's sketch (exact when the column has no more values)
 */
export function profileFeature(s: FeatureSummary, sketchItems: number): FeatureProfile {
  if (s.type === 'categorical') {
    const f: CategoricalFeatureProfile = { name: s.name, type: 'categorical', count: s.count, missing: s.missing, categoryCounts: countsRecord(s.categoryCounts) };
    return f;
  }
  const f: NumericFeatureProfile = {
    name: s.name,
    type: 'numeric',
    count: s.count,
    missing: s.missing,
    mean: s.mean,
    std: s.std,
    min: s.min,
    max: s.max,
    cutPoints: s.cutPoints,
    binCounts: s.binCounts,
    sketch: s.store.toJSON(sketchItems),
  };
  if (s.approximateBins) f.approximate = true;
  return f;
}
