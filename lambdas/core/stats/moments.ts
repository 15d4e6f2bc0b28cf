/**
 * Mergeable running moments (count, mean, sum of squared deviations, min, max).
 *
 * Recipe: the reference standard deviation of the normed Wasserstein distance,
 * `numpy.std(reference, ddof=0)` (`reference_std_ddof0` in the reference-metrics files),
 * computed in one pass with Welford's update and merged with Chan et al.'s formula so
 * partial results from several files or workers combine exactly.
 */
import { InputError, ValueTypeError } from '../../../vocabulary/errors';

/** Running moments; `m2` is the sum of squared deviations from the mean. */
export interface Moments {
  count: number;
  mean: number;
  m2: number;
  /** +Infinity while empty. */
  min: number;
  /** -Infinity while empty. */
  max: number;
}

/** Moments of no values. */
export function emptyMoments(): Moments {
  return { count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
}

/**
 * Adds one value (Welford); mutates `m`.
 *
 * @throws ValueTypeError when x is not a finite number
 */
export function addMoment(m: Moments, x: number): void {
  if (!Number.isFinite(x)) throw new ValueTypeError(`expected a finite number, got ${x}`);
  m.count++;
  const delta = x - m.mean;
  m.mean += delta / m.count;
  m.m2 += delta * (x - m.mean);
  if (x < m.min) m.min = x;
  if (x > m.max) m.max = x;
}

/** Moments of all values of an array. */
export function momentsOf(values: ArrayLike<number>): Moments {
  const m = emptyMoments();
  for (let i = 0; i < values.length; i++) addMoment(m, values[i]!);
  return m;
}

/** Moments of the union of two value sets (Chan et al.); neither input is modified. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + ((delta * delta * a.count) / count) * b.count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/**
 * Population standard deviation (ddof 0): sqrt(m2 / count).
 *
 * @throws InputError when no value was added
 */
export function stdPopulation(m: Moments): number {
  if (m.count === 0) throw new InputError('cannot take the standard deviation of no values');
  return Math.sqrt(Math.max(0, m.m2) / m.count);
}
