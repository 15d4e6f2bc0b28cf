/**
 * Small numeric helpers shared by the metric modules.
 */
import { InputError } from '../../../vocabulary/errors';

/** A read-only array of numbers: a typed array or a plain array. */
export type NumericArray = ArrayLike<number>;

/** float64 machine epsilon, `numpy.finfo(float64).eps`. */
export const FLOAT64_EPS = 2.220446049250313e-16;

/**
 * Compensated (Neumaier) summation of `count` terms produced by `term(i)`, so long sums
 * stay within a few ulps of the exact value whatever the order of the terms.
 */
export function sumOf(count: number, term: (i: number) => number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < count; i++) {
    const x = term(i);
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) compensation += sum - t + x;
    else compensation += x - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** The mean of `term(i)` over `i < count` (compensated sum divided by count). */
export function meanOf(count: number, term: (i: number) => number): number {
  return sumOf(count, term) / count;
}

/**
 * Throws an `InputError` unless every array has the same, non-zero length.
 * @returns the common length
 */
export function checkAligned(arrays: Readonly<Record<string, NumericArray>>): number {
  const entries = Object.entries(arrays);
  const n = entries[0]?.[1].length ?? 0;
  for (const [name, values] of entries) {
    if (values.length !== n) {
      throw new InputError(`${name} has ${values.length} values, expected ${n} like ${entries[0]![0]}`);
    }
  }
  if (n === 0) throw new InputError('no rows to evaluate');
  return n;
}
