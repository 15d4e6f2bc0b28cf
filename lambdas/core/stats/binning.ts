/**
 * Quantile binning of a numeric column.
 *
 * Recipe: reference-metrics README, numeric step 1 (`recipe.binning` of
 * 01_numeric_no_drift.json): cut points are `numpy.quantile(reference, k/bins)`
 * (method 'linear') for k = 1..bins-1, de-duplicated ascending, so tied data gives
 * fewer bins. Bins are left-closed with open outer ends: bin(x) = number of cut
 * points <= x (`numpy.searchsorted(cuts, x, side='right')`). Nothing is dropped:
 * current values outside the reference range land in the first or last bin.
 *
 * Numeric inputs must be finite; NaN and +-Infinity throw `ValueTypeError`.
 */
import type { WeightedSample } from './sample';
import { InputError, ValueTypeError } from '../../../vocabulary/errors';

/** Number of quantile bins when none is given. */
export const DEFAULT_BINS = 10;

/** numpy's `_lerp`: a + (b-a)t, computed from the nearer end for t >= 0.5. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Quantile of a non-empty ascending array, q already validated. */
function quantileUnchecked(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1]!;
  if (virtual <= 0) return sorted[0]!;
  const lo = Math.floor(virtual);
  return lerp(sorted[lo]!, sorted[lo + 1]!, virtual - lo);
}

/**
 * The q-quantile of an ascending array, numpy's default 'linear' method:
 * position h = (n-1)q, interpolated between the neighbours of h.
 *
 * @param sorted values in ascending order (not checked here; see `quantileCutPoints`)
 * @param q in [0, 1]
 * @throws InputError when `sorted` is empty or q is outside [0, 1]
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new InputError('cannot take a quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new InputError(`expected a quantile q in [0, 1], got ${q}`);
  return quantileUnchecked(sorted, q);
}

/**
 * Cut points of `bins` quantile bins fitted on a sorted reference:
 * quantile(k/bins) for k = 1..bins-1, de-duplicated and ascending.
 * A constant reference gives one cut point (two bins: below it, and at or above it).
 *
 * @param sorted the reference in ascending order, finite values (checked, O(n))
 * @param bins number of bins before de-duplication, an integer >= 1. @default 10
 * @throws InputError when the reference is empty, not ascending, or bins is invalid
 * @throws ValueTypeError when the reference holds a non-finite value
 */
export function quantileCutPoints(sorted: ArrayLike<number>, bins: number = DEFAULT_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new InputError(`expected bins to be an integer >= 1, got ${bins}`);
  const n = sorted.length;
  if (n === 0) throw new InputError('cannot fit bins on an empty reference');
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!;
    if (!Number.isFinite(x)) throw new ValueTypeError(`reference value at index ${i} is not a finite number: ${x}`);
    if (x < prev) throw new InputError(`reference must be sorted ascending; index ${i} (${x}) is below index ${i - 1} (${prev})`);
    prev = x;
  }
  const raw: number[] = [];
  for (let k = 1; k < bins; k++) raw.push(quantileUnchecked(sorted, k / bins));
  raw.sort((a, b) => a - b);
  const cuts: number[] = [];
  for (const c of raw) if (cuts.length === 0 || c !== cuts[cuts.length - 1]) cuts.push(c);
  return cuts;
}

/**
 * Index of the bin holding x: the number of cut points <= x (binary search).
 * Bin 0 is (-inf, cuts[0]), bin i is [cuts[i-1], cuts[i]), the last is [cuts[last], +inf).
 *
 * @param cuts ascending cut points
 */
export function binIndex(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts per bin, an array of length cuts.length + 1.
 *
 * @param cuts ascending cut points (from `quantileCutPoints`)
 * @param values any iterable; arrays and typed arrays take an indexed fast path
 * @throws ValueTypeError on a non-finite value
 */
export function binCounts(cuts: readonly number[], values: Iterable<number> | ArrayLike<number>): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  if (Array.isArray(values) || ArrayBuffer.isView(values)) {
    const arr = values as ArrayLike<number>;
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i]!;
      if (!Number.isFinite(x)) throw new ValueTypeError(`value at index ${i} is not a finite number: ${x}`);
      counts[binIndex(cuts, x)]!++;
    }
    return counts;
  }
  let i = 0;
  for (const x of values as Iterable<number>) {
    if (!Number.isFinite(x)) throw new ValueTypeError(`value at index ${i} is not a finite number: ${x}`);
    counts[binIndex(cuts, x)]!++;
    i++;
  }
  return counts;
}

/**
 * Counts per bin of a sorted sample (each value counts its weight), length
 * cuts.length + 1: an unweighted sample by bisection at each cut point, a weighted one
 * value by value.
 */
export function sampleBinCounts(cuts: readonly number[], sample: WeightedSample): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  const { values, weights } = sample;
  if (weights !== null) {
    for (let i = 0; i < values.length; i++) counts[binIndex(cuts, values[i]!)]! += weights[i]!;
    return counts;
  }
  // Ascending values: bin i holds those in [cuts[i-1], cuts[i]).
  let start = 0;
  for (let i = 0; i < cuts.length; i++) {
    const end = lowerBound(values, cuts[i]!, start);
    counts[i] = end - start;
    start = end;
  }
  counts[cuts.length] = values.length - start;
  return counts;
}

/** First index >= from whose value is >= x (values ascending): the values below x end there. */
function lowerBound(values: Float64Array, x: number, from: number): number {
  let lo = from;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
