/**
 * L-infinity distances, SageMaker Model Monitor's drift measure.
 *
 * Recipe: reference-metrics README, numeric step 7 and "Categorical columns"
 * (`recipe.sagemaker_deequ_linf`, and `recipe.linf` of 05_categorical_drift.json):
 * numeric L-infinity is the KS distance D (use `ksStatistic`); robust form
 * max(0, D - 1.8 sqrt((n+m)/(nm))) (Deequ's defaultCAlpha 1.8); categorical
 * L-infinity = max_c |p_ref_c - p_cur_c|, and its robust form is the same
 * `linfRobust` applied to it with n, m the two count totals.
 */
import { InputError } from '../../../vocabulary/errors';
import { proportions } from './divergence';

/** Deequ's constant c(alpha) in the robust L-infinity. */
export const LINF_C_ALPHA = 1.8;

/**
 * max(0, d - 1.8 sqrt((n+m)/(nm))): the distance minus its sampling noise level.
 *
 * @throws InputError when n or m is not positive or d is not finite
 */
export function linfRobust(d: number, n: number, m: number): number {
  if (!Number.isFinite(d)) throw new InputError(`expected a finite distance, got ${d}`);
  if (!(n > 0) || !(m > 0) || !Number.isFinite(n) || !Number.isFinite(m)) {
    throw new InputError(`expected positive sample sizes, got n=${n}, m=${m}`);
  }
  return Math.max(0, d - LINF_C_ALPHA * Math.sqrt((n + m) / (n * m)));
}

/**
 * max |p_ref - p_cur| over categories (raw proportions of two aligned count vectors).
 *
 * @throws InputError on mismatched lengths or a zero total
 */
export function linfCategorical(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  if (refCounts.length !== curCounts.length || refCounts.length === 0) {
    throw new InputError(`expected non-empty count vectors of the same length, got ${refCounts.length} and ${curCounts.length}`);
  }
  const p = proportions(refCounts);
  const q = proportions(curCounts);
  let d = 0;
  for (let i = 0; i < p.length; i++) d = Math.max(d, Math.abs(p[i]! - q[i]!));
  return d;
}
