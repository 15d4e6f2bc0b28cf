/**
 * Is the candidate's error rate worse than production's over the same minutes? A
 * one-sided test of two proportions (H0: p_candidate <= p_production; H1: greater).
 *
 * - Two-proportion z-test with the pooled proportion:
 *   p = (x1 + x2) / (n1 + n2), z = (x1/n1 - x2/n2) / sqrt(p (1 - p) (1/n1 + 1/n2)),
 *   p-value = P(Z >= z) = erfc(z / sqrt 2) / 2.
 * - Fisher's exact test when fewer than 5 errors are expected on either side
 *   (expected errors of a side = its requests x the pooled rate), where the normal
 *   approximation fails: given the margins, the candidate's errors X1 follow a
 *   hypergeometric law (N = n1 + n2 requests, K = x1 + x2 errors, n1 drawn) and the
 *   p-value is P(X1 >= x1) — scipy.stats.fisher_exact(alternative='greater') on
 *   [[x1, n1 - x1], [x2, n2 - x2]].
 * - No error on either side: nothing to compare, the candidate passes (p-value 1).
 */
import erfc from '@stdlib/math-base-special-erfc';
import gammaln from '@stdlib/math-base-special-gammaln';
import { InputError } from '../../../vocabulary/errors';

/** Errors and requests of one side. */
export interface ErrorCounts {
  readonly errors: number;
  readonly requests: number;
}

/** Which test decided. */
export type ErrorRateTest = 'noErrors' | 'zTest' | 'fisher';

/** Result of {@link compareErrorRates}. */
export interface ErrorRateComparison {
  readonly test: ErrorRateTest;
  /** One-sided p-value of "the candidate's rate is higher". */
  readonly pValue: number;
  /** The z statistic (z-test only). */
  readonly z?: number;
  /** Fewest errors expected on a side under H0 (pooled rate x requests). */
  readonly minExpectedErrors: number;
}

/** Expected errors under which Fisher's exact test replaces the z-test. */
export const MIN_EXPECTED_FOR_Z = 5;

function check(side: string, c: ErrorCounts): void {
  const ok = Number.isInteger(c.errors) && Number.isInteger(c.requests) && c.errors >= 0 && c.requests > 0 && c.errors <= c.requests;
  if (!ok) throw new InputError(`${side}: expected 0 <= errors <= requests and requests > 0 (integers), got ${c.errors} errors of ${c.requests}`);
}

/** ln C(n, k). */
function lnChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/** One-sided z-test p-value P(Z >= z) of the pooled two-proportion statistic. */
export function twoProportionZ(candidate: ErrorCounts, production: ErrorCounts): { z: number; pValue: number } {
  const { errors: x1, requests: n1 } = candidate;
  const { errors: x2, requests: n2 } = production;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 }; // both sides all errors or all fine: no difference
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: erfc(z / Math.SQRT2) / 2 };
}

/** One-sided Fisher exact p-value P(X1 >= x1) under the hypergeometric law given the margins. */
export function fisherGreater(candidate: ErrorCounts, production: ErrorCounts): number {
  const { errors: x1, requests: n1 } = candidate;
  const { errors: x2, requests: n2 } = production;
  const total = n1 + n2;
  const errors = x1 + x2;
  const lnDenominator = lnChoose(total, n1);
  const high = Math.min(n1, errors);
  let p = 0;
  for (let k = x1; k <= high; k++) p += Math.exp(lnChoose(errors, k) + lnChoose(total - errors, n1 - k) - lnDenominator);
  return Math.min(1, p);
}

/**
 * Compares the candidate's error rate with production's (see the module comment).
 * @throws InputError on counts that are not integers with 0 <= errors <= requests, requests > 0
 */
export function compareErrorRates(candidate: ErrorCounts, production: ErrorCounts): ErrorRateComparison {
  check('candidate', candidate);
  check('production', production);
  const errors = candidate.errors + production.errors;
  const pooled = errors / (candidate.requests + production.requests);
  const minExpectedErrors = Math.min(candidate.requests, production.requests) * pooled;
  if (errors === 0) return { test: 'noErrors', pValue: 1, minExpectedErrors };
  if (minExpectedErrors < MIN_EXPECTED_FOR_Z) return { test: 'fisher', pValue: fisherGreater(candidate, production), minExpectedErrors };
  const { z, pValue } = twoProportionZ(candidate, production);
  return { test: 'zTest', pValue, z, minExpectedErrors };
}
