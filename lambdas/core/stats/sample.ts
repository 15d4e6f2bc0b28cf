/**
 * A sorted, optionally weighted sample: the common input of the ECDF statistics
 * (KS, Wasserstein, L-infinity). An exact sample has weights null (every weight 1);
 * a `ValueStore` sketch gives items with integer weights. The empirical CDF is
 * F(x) = (sum of weights of values <= x) / total, as in the reference-metrics recipe.
 */
import { InputError, ValueTypeError } from '../../../vocabulary/errors';
import { sortFloat64 } from './sort';

/** Values in ascending order with their weights. */
export interface WeightedSample {
  /** Ascending values. */
  readonly values: Float64Array;
  /** Weight of each value; null means every weight is 1. */
  readonly weights: Float64Array | null;
  /** Sum of the weights (= number of values represented). */
  readonly total: number;
}

/**
 * An unweighted sample from raw values; sorts a copy (the input is not modified).
 *
 * @throws ValueTypeError when a value is not a finite number
 */
export function exactSample(values: ArrayLike<number>): WeightedSample {
  const v = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new ValueTypeError(`value at index ${i} is not a finite number: ${v[i]}`);
  }
  sortFloat64(v);
  return { values: v, weights: null, total: v.length };
}

/** @throws InputError when the sample represents no values. */
export function requireNonEmpty(s: WeightedSample, what: string): void {
  if (s.values.length === 0 || !(s.total > 0)) throw new InputError(`${what} sample is empty`);
}
