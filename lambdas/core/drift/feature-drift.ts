/**
 * The drift statistics of one feature, following the reference-metrics recipes:
 * numeric features are binned against the reference's quantile cut points (PSI, KL,
 * JS) and compared as samples (KS, Wasserstein-1, L-infinity); categorical features are
 * counted over the sorted union of categories (PSI, KL, JS, chi-square, L-infinity).
 */
import type { ColumnAccumulator } from '../columns/column-accumulator';
import type { ColumnType } from '../columns/column-types';
import type { DriftMethod } from '../names';
import type { CategoricalSummary, NumericSummary } from '../profile/feature-summary';
import { compareCodePoints } from '../stats/categories';
import { chiSquareIndependence } from '../stats/chisquare';
import { referencePoints, type EcdfCellStatistics, type ReferencePoints } from '../stats/ecdf-cells';
import { jsDistance, klDivergence, psi } from '../stats/divergence';
import { kolmogorovPValue, ksStatistic } from '../stats/ks';
import { linfCategorical, linfRobust } from '../stats/linf';
import { wasserstein1, wassersteinNormed } from '../stats/wasserstein';

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
  /** Numeric: Kolmogorov-limit p-value of D. */
  readonly ksPValue?: number;
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
  /** The method that scored this feature. */
  readonly method: DriftMethod;
  /** The method's statistic; null when it could not be computed (see `note`). */
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
  | 'wasserstein'
  | 'wassersteinNormed'
  | 'linf'
  | 'linfRobust'
  | 'chiSquareStatistic'
  | 'chiSquarePValue'
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
 * exact values against the reference already computed (see {@link currentCellStatistics});
 * without, `cur`'s values are sorted.
 */
export function numericDriftStatistics(ref: NumericSummary, cur: ColumnAccumulator, cells?: EcdfCellStatistics): DriftStatistics {
  const n = ref.count;
  const m = cur.numberCount;
  const note = emptyNote(n, m);
  if (note !== undefined) return { note };
  const refCounts = ref.binCounts;
  let curCounts: number[];
  let d: number;
  let w: number;
  let curExact: boolean;
  if (cells !== undefined) {
    ({ ks: d, wasserstein: w, binCounts: curCounts } = cells);
    curExact = true;
  } else {
    const a = ref.store.sample();
    const b = cur.store!.sample();
    d = ksStatistic(a, b);
    w = wasserstein1(a, b);
    curCounts = cur.binCounts!;
    curExact = cur.store!.exact;
  }
  const approximate = ref.approximateBins || !ref.store.exact || !curExact;
  return {
    psi: psi(refCounts, curCounts),
    klDivergence: klDivergence(refCounts, curCounts),
    jsDistance: jsDistance(refCounts, curCounts),
    ksStatistic: d,
    ksPValue: kolmogorovPValue(d, n, m),
    wasserstein: w,
    wassersteinNormed: wassersteinNormed(w, ref.std ?? 0),
    linf: d,
    linfRobust: linfRobust(d, n, m),
    ...(approximate ? { approximate: true as const } : {}),
  };
}

/**
 * The cell points of a numeric reference feature (its sample's distinct values and its
 * cut points), for counting the current values into cells as they are read; undefined
 * when the reference has no value.
 */
export function cellPointsOf(ref: NumericSummary): ReferencePoints | undefined {
  if (ref.count === 0 || ref.store.count === 0) return undefined;
  const sample = ref.store.sample();
  return referencePoints(sample.values, sample.weights, sample.total, ref.cutPoints);
}

/**
 * The ECDF statistics of a current column counted into the cells of `points`, when its
 * values are still exact (else undefined: the values are sorted instead).
 */
export function currentCellStatistics(points: ReferencePoints | undefined, cur: ColumnAccumulator): EcdfCellStatistics | undefined {
  const values = cur.exactValues();
  if (points === undefined || cur.cells === null || values === null || values.length === 0) return undefined;
  return cur.cells.statistics(points, values);
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
export function categoricalDriftStatistics(ref: CategoricalSummary, cur: ColumnAccumulator): DriftStatistics {
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
  };
}
