/**
 * Wasserstein-1 (earth mover's) distance between two 1-D empirical distributions.
 *
 * Recipe: reference-metrics README, numeric step 6 (`recipe.wasserstein`):
 * W1 = integral |ECDF_a - ECDF_b| dx (`scipy.stats.wasserstein_distance`);
 * normed form = W1 / max(std_ref(ddof=0), 0.001) (`wasserstein_normed_evidently`).
 */
import { InputError } from '../../../vocabulary/errors';
import { ecdfWalk, NO_CUTS } from './ecdf-walk';
import type { WeightedSample } from './sample';

/**
 * W1 between two (weighted) samples: one merge walk over both ({@link ecdfWalk}),
 * summing |F_a - F_b| times the gap to the next observed value. Symmetric, >= 0, in
 * the units of the data.
 *
 * @throws InputError when either sample is empty
 */
export function wasserstein1(a: WeightedSample, b: WeightedSample): number {
  return ecdfWalk(a, b, NO_CUTS).wasserstein;
}

/** Floor on the reference standard deviation in `wassersteinNormed`. */
export const MIN_NORMING_STD = 0.001;

/**
 * W1 divided by the reference's population standard deviation, floored at 0.001 so a
 * constant reference does not divide by zero.
 *
 * @throws InputError when w1 or refStd is negative or not finite
 */
export function wassersteinNormed(w1: number, refStd: number): number {
  if (!(w1 >= 0) || !Number.isFinite(w1)) throw new InputError(`expected a finite distance >= 0, got ${w1}`);
  if (!(refStd >= 0) || !Number.isFinite(refStd)) throw new InputError(`expected a finite standard deviation >= 0, got ${refStd}`);
  return w1 / Math.max(refStd, MIN_NORMING_STD);
}
