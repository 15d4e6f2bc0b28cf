/**
 * Two-sample Kolmogorov-Smirnov statistic and its p-values.
 *
 * Recipe: reference-metrics README, numeric step 5 (`recipe.ks`): D = max |ECDF_a - ECDF_b|
 * over every observed value, with ECDF(x) = #{v <= x} / n (ties handled), as
 * `scipy.stats.ks_2samp`. Two p-values:
 * - {@link ksPValue}: what `ks_2samp(a, b)` returns with its default `method="auto"`
 *   (`ks_pvalue_auto`): the exact two-sample distribution when both samples have at most
 *   10,000 values ({@link ksExactPValue}), else the one-sample exact distribution with
 *   N = round(nm/(n+m)) (`kstwo.sf`, {@link kolmogorovSmirnovSurvival}; `ks_pvalue_asymp`);
 * - {@link kolmogorovPValue}: the Kolmogorov limit `kstwobign.sf(sqrt(nm/(n+m)) D)`
 *   (`ks_pvalue_kolmogorov_limit`), reported as `ksPValueAsymptotic`.
 */
import { InputError } from '../../../vocabulary/errors';
import { ecdfWalk, NO_CUTS } from './ecdf-walk';
import { gcd, ksExactPValue, roundHalfEven } from './ks-exact';
import { kolmogorovSmirnovSurvival } from './kstwo';
import type { WeightedSample } from './sample';

/** `ks_2samp`'s method="auto" uses the exact distribution when both samples have at most this many values. */
export const KS_EXACT_MAX_N = 10_000;

/** How {@link ksPValue} computes: scipy's `method` of `ks_2samp`. */
export type KsMethod = 'auto' | 'exact' | 'asymp';

/**
 * The two-sided p-value of a two-sample KS distance d between samples of n and m values,
 * as `scipy.stats.ks_2samp(a, b, method=method)` returns it. `exact` falls back to
 * `asymp` when the lattice is too large (lcm(n, m) beyond 2^31 - 1) or the exact sum is
 * not trustworthy, as scipy does.
 *
 * @throws InputError when d is outside [0, 1] or n, m are not positive integers
 */
export function ksPValue(d: number, n: number, m: number, method: KsMethod = 'auto'): number {
  if (!(d >= 0 && d <= 1)) throw new InputError(`expected a KS distance in [0, 1], got ${d}`);
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1) {
    throw new InputError(`expected positive integer sample sizes, got n=${n}, m=${m}`);
  }
  let exact = method === 'exact' || (method === 'auto' && Math.max(n, m) <= KS_EXACT_MAX_N);
  if (method === 'exact') {
    const g = gcd(n, m);
    if (n / g >= 2147483647 / (m / g)) exact = false;
  }
  if (exact) {
    const p = ksExactPValue(d, n, m);
    if (p !== undefined) return p;
  }
  const en = (n * m) / (n + m);
  return kolmogorovSmirnovSurvival(Math.max(1, roundHalfEven(en)), d);
}

/**
 * KS distance between two (weighted) samples: a single merge walk, O(n + m)
 * ({@link ecdfWalk}). Symmetric, in [0, 1].
 *
 * @throws InputError when either sample is empty
 */
export function ksStatistic(a: WeightedSample, b: WeightedSample): number {
  return ecdfWalk(a, b, NO_CUTS).ks;
}

/** Below this lambda the theta-function form of the Kolmogorov CDF converges fast (scipy uses 0.82 too). */
const CUTOVER = 0.82;

/**
 * Survival function of the Kolmogorov distribution, Q(l) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 l^2).
 * For l < 0.82 it is computed as 1 - sqrt(2 pi)/l sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 l^2))
 * (the same function, Jacobi form), which is exactly 1 for tiny l. Clamped to [0, 1].
 */
export function kolmogorovSurvival(l: number): number {
  if (Number.isNaN(l)) throw new InputError('expected a number for the Kolmogorov statistic, got NaN');
  if (l <= 0) return 1;
  if (l < CUTOVER) {
    const f = -(Math.PI * Math.PI) / (8 * l * l);
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const t = Math.exp((2 * k - 1) * (2 * k - 1) * f);
      sum += t;
      if (t <= 1e-17 * sum) break;
    }
    const cdf = (Math.sqrt(2 * Math.PI) / l) * sum;
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  let sum = 0;
  let sign = 1;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * l * l);
    sum += sign * t;
    if (t <= 1e-17 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Asymptotic two-sided p-value of a KS distance d between samples of sizes n and m:
 * Q(sqrt(nm/(n+m)) d). Returns 1 for d = 0 and may underflow to 0 for huge distances.
 *
 * @throws InputError when d is outside [0, 1] or n, m are not positive
 */
export function kolmogorovPValue(d: number, n: number, m: number): number {
  if (!(d >= 0 && d <= 1)) throw new InputError(`expected a KS distance in [0, 1], got ${d}`);
  if (!(n > 0) || !(m > 0) || !Number.isFinite(n) || !Number.isFinite(m)) {
    throw new InputError(`expected positive sample sizes, got n=${n}, m=${m}`);
  }
  const en = (n * m) / (n + m);
  return kolmogorovSurvival(Math.sqrt(en) * d);
}
