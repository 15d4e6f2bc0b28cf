/**
 * The drift statistics of one feature, following the reference-metrics recipes:
 * numeric features are binned against the reference's quantile cut points (PSI, KL,
 * JS) and compared as samples (KS, Wasserstein-1, L-infinity); categorical features are
 * counted over the sorted union of categories (PSI, KL, JS, chi-square, L-infinity).
 */
import type { ColumnSummary } from '../columns/column-summary';
import type { ColumnType } from '../columns/column-types';
import type { DriftMethod } from '../../../vocabulary/evaluation-names';
import type { CategoricalSummary, NumericSummary } from '../profile/feature-summary';
import { compareCodePoints } from '../stats/categories';
import { chiSquareIndependence } from '../stats/chisquare';
import { cramersV } from '../stats/cramers-v';
import type { EcdfReference } from '../columns/value-counts';
import { jsDistance, klDivergence, psi } from '../stats/divergence';
import { ecdfWalk, type EcdfStatistics } from '../stats/ecdf-walk';
import { kolmogorovPValue, ksPValue } from '../stats/ks';
import { linfCategorical, linfRobust } from '../stats/linf';
import { wassersteinNormed } from '../stats/wasserstein';

/** The drift of one feature. Statistics that do not apply to its type are absent. */
export interface FeatureDrift {
  readonly name: string;
  readonly type: ColumnType;
  /** Population stability index on the bins/categories (eps 1e-4 smoothing). */
  readonly psi?: number;
  /** KL(reference || current) on the smoothed bins/categories. */
  readonly klDivergence?: number;
  /** Jensen-Shannon distance, base 2, raw proportions. */
  readonly jsDistance?: number;
  /** Numeric: two-sample KS distance D. */
  readonly ksStatistic?: number;
  /** Numeric: p-value of D as `scipy.stats.ks_2samp` (method "auto": exact up to 10,000 values per side). */
  readonly ksPValue?: number;
  /** Numeric: the Kolmogorov-limit p-value of D, Q(sqrt(nm/(n+m)) D). */
  readonly ksPValueAsymptotic?: number;
  /** Numeric: Wasserstein-1 distance. */
  readonly wasserstein?: number;
  /** Numeric: Wasserstein-1 / max(reference std, 0.001). */
  readonly wassersteinNormed?: number;
  /** L-infinity: D for numeric features, max |p_ref - p_cur| for categorical ones. */
  readonly linf?: number;
  /** max(0, linf - 1.8 sqrt((n+m)/(nm))). */
  readonly linfRobust?: number;
  /** Categorical: chi-square statistic of the 2 x k test of independence. */
  readonly chiSquareStatistic?: number;
  /** Categorical: its p-value. */
  readonly chiSquarePValue?: number;
  /** Categorical: Cramér's V of the reference-vs-current table (effect size, in [0, 1]). */
  readonly cramersV?: number;
  /** p-value methods: the p-value after the multiple-testing correction (equal to it with none). */
  readonly pValueAdjusted?: number;
  /** The method that scored this feature. */
  readonly method: DriftMethod;
  /**
   * The value the verdict used: the method's statistic, for a p-value method the adjusted
   * p-value (see drift/verdict.ts); null when it could not be computed (see `note`).
   */
  readonly score: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
  /** Present values in the reference and current data. */
  readonly nReference: number;
  readonly nCurrent: number;
  readonly missingReference: number;
  readonly missingCurrent: number;
  /** True when a sketch stood in for exact values (KS, Wasserstein, L-infinity, or bins). */
  readonly approximate?: true;
  /** Why statistics are absent (a side with no value). */
  readonly note?: string;
}

/** The statistics part of a {@link FeatureDrift}. */
export type DriftStatistics = Pick<
  FeatureDrift,
  | 'psi'
  | 'klDivergence'
  | 'jsDistance'
  | 'ksStatistic'
  | 'ksPValue'
  | 'ksPValueAsymptotic'
  | 'wasserstein'
  | 'wassersteinNormed'
  | 'linf'
  | 'linfRobust'
  | 'chiSquareStatistic'
  | 'chiSquarePValue'
  | 'cramersV'
  | 'approximate'
  | 'note'
>;

/** Note when one side has no value: no statistic is defined, the feature is not drifted. */
function emptyNote(n: number, m: number): string | undefined {
  if (n === 0 && m === 0) return 'no values in the reference or the current data';
  if (n === 0) return 'no values in the reference';
  if (m === 0) return 'no values in the current data';
  return undefined;
}

/**
 * Statistics of a numeric feature. `cur` must have been accumulated with the
 * reference's cut points and a value store. `cells`: the ECDF statistics of `cur`'s
 * values against the reference already computed (see {@link currentEcdf});
 * without, `cur`'s values are sorted.
 */
export function numericDriftStatistics(ref: NumericSummary, cur: ColumnSummary, cells?: EcdfStatistics): DriftStatistics {
  const n = ref.count;
  const m = cur.numberCount;
  const note = emptyNote(n, m);
  if (note !== undefined) return { note };
  const refCounts = ref.binCounts;
  let curCounts: readonly number[];
  let d: number;
  let w: number;
  let curExact: boolean;
  if (cells !== undefined) {
    ({ ks: d, wasserstein: w, binCounts: curCounts } = cells);
    curExact = true;
  } else {
    ({ ks: d, wasserstein: w } = ecdfWalk(ref.store.sample(), cur.store!.sample(), []));
    curCounts = cur.binCounts!;
    curExact = cur.store!.exact;
  }
  const approximate = ref.approximateBins || !ref.store.exact || !curExact;
  return {
    psi: psi(refCounts, curCounts),
    klDivergence: klDivergence(refCounts, curCounts),
    jsDistance: jsDistance(refCounts, curCounts),
    ksStatistic: d,
    ksPValue: ksPValue(d, n, m),
    ksPValueAsymptotic: kolmogorovPValue(d, n, m),
    wasserstein: w,
    wassersteinNormed: wassersteinNormed(w, ref.std ?? 0),
    linf: d,
    linfRobust: linfRobust(d, n, m),
    ...(approximate ? { approximate: true as const } : {}),
  };
}

/**
 * What the ECDF statistics of a numeric feature's current values are taken against: its
 * reference sample (in shared buffers, so that the scan's worker threads get it without a
 * copy) and cut points; undefined when the reference has no value.
 */
export function ecdfReferenceOf(ref: NumericSummary): EcdfReference | undefined {
  if (ref.count === 0) return undefined;
  const { values, weights, total } = ref.store.sample();
  return { values: shared(values), weights: weights === null ? null : shared(weights), total, cuts: ref.cutPoints };
}

/** A copy of `a` in a SharedArrayBuffer. */
function shared(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * The ECDF statistics of a current column from its decimal histogram, when it holds every
 * value (else undefined: the values are sorted instead).
 *
 * @throws InputError when the reference's sample is empty
 */
export function currentEcdf(ref: NumericSummary, cur: ColumnSummary): EcdfStatistics | undefined {
  const counts = cur.valueCounts;
  if (counts === null || cur.numberCount === 0 || ref.count === 0) return undefined;
  return counts.statistics();
}

/** Aligned counts of two categorical count maps over the sorted union of categories. */
export function alignCategories(
  ref: ReadonlyMap<string, number>,
  cur: ReadonlyMap<string, number>,
): { categories: string[]; refCounts: number[]; curCounts: number[] } {
  const union = new Set<string>(ref.keys());
  for (const k of cur.keys()) union.add(k);
  const categories = [...union].sort(compareCodePoints);
  return {
    categories,
    refCounts: categories.map((c) => ref.get(c) ?? 0),
    curCounts: categories.map((c) => cur.get(c) ?? 0),
  };
}

/** Statistics of a categorical feature. */
export function categoricalDriftStatistics(ref: CategoricalSummary, cur: ColumnSummary): DriftStatistics {
  const n = ref.count;
  const m = cur.count;
  const note = emptyNote(n, m);
  if (note !== undefined) return { note };
  const { refCounts, curCounts } = alignCategories(ref.categoryCounts, cur.categoryCounts());
  const chi = chiSquareIndependence(refCounts, curCounts);
  const linf = linfCategorical(refCounts, curCounts);
  return {
    psi: psi(refCounts, curCounts),
    klDivergence: klDivergence(refCounts, curCounts),
    jsDistance: jsDistance(refCounts, curCounts),
    linf,
    linfRobust: linfRobust(linf, n, m),
    chiSquareStatistic: chi.statistic,
    chiSquarePValue: chi.pValue,
    cramersV: cramersV(refCounts, curCounts),
  };
}
