/**
 * The one-sided Kolmogorov-Smirnov distribution (Smirnov): P(D+_n >= x) for a sample of
 * n values, as `scipy.special.smirnov(n, x)` computes it.
 *
 * Formula (Smirnov 1944, Birnbaum & Tingey 1951):
 *   P(D+_n >= x) = x * sum_{j=0}^{floor(n(1-x))} C(n, j) (x + j/n)^(j-1) (1 - x - j/n)^(n-j).
 * Every term is positive, so the sum is evaluated in logarithms (log C(n, j) built up
 * term by term) and added up relative to its largest term: no overflow for any n, and
 * a relative error near 1e-12 where scipy uses double-double arithmetic — far inside the
 * 1e-6 the p-values are held to. The special cases are scipy's: n = 1, x <= 1/n,
 * x >= 1 - 1/n, an underflowing tail (-2 n x^2 below the smallest exp argument) and,
 * for n above 1,000,000, the approximation exp(-(6nx + 1)^2 / (18 n)).
 */
import { InputError } from '../../../vocabulary/errors';

/** Below this, exp() underflows to 0 (cephes MINLOG = ln(2^-1022)). */
const MIN_LOG = -708.3964185322641;
/** Above this n scipy stops summing and uses the closed-form approximation. */
const MAX_SUM_N = 1_000_000;

/**
 * P(D+_n >= x), the survival function of the one-sided KS statistic.
 *
 * @throws InputError when n is not a positive integer or x is outside [0, 1]
 */
export function smirnovSurvival(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`expected a positive integer sample size, got ${n}`);
  if (!(x >= 0 && x <= 1)) throw new InputError(`expected a one-sided KS distance in [0, 1], got ${x}`);
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxFloor = Math.floor(nx);
  if (nx <= 1) {
    // x <= 1/n: the survival is 1 - x (1 + x)^(n-1).
    return clip01(1 - x * Math.pow(1 + x, n - 1));
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clip01(Math.pow(1 - x, n));
  if (n > MAX_SUM_N) {
    const logp = -Math.pow(6 * nx + 1, 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  return clip01(x * lowerSum(n, x));
}

/** sum_{j=0}^{last} C(n, j) (x + j/n)^(j-1) (1 - x - j/n)^(n-j), in logarithms. */
function lowerSum(n: number, x: number): number {
  const last = n - Math.ceil(n * x);
  const logs = new Float64Array(last + 1);
  let logBinomial = 0;
  let max = -Infinity;
  let count = 0;
  for (let j = 0; j <= last; j++) {
    const below = (n - j) / n - x; // 1 - x - j/n
    if (below > 0) {
      const t = logBinomial + (j - 1) * Math.log(x + j / n) + (n - j) * Math.log(below);
      logs[count++] = t;
      if (t > max) max = t;
    }
    logBinomial += Math.log((n - j) / (j + 1));
  }
  if (count === 0) return 0;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(logs[i]! - max);
  return Math.exp(max + Math.log(sum));
}

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
