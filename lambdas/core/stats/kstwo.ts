/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution for a sample of n values:
 * P(D_n >= x), as `scipy.stats.kstwo.sf(x, n)` computes it.
 *
 * Method: Simard & L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov
 * Distribution" (J. Stat. Software 39(11)), with scipy's choice of algorithm per region:
 * - n x <= 1 and n x >= n - 1: Ruben & Gambino's closed forms;
 * - x >= 0.5: exactly twice the one-sided tail ({@link smirnovSurvival});
 * - n <= 140: Durbin's matrix (Marsaglia, Tsang & Wang) for n x^2 <= 0.754693,
 *   Pomeranz's recursion for n x^2 <= 4, beyond that twice the one-sided tail;
 * - n > 140: 0 for n x^2 >= 370, twice the one-sided tail for n x^2 >= 2.2, otherwise
 *   1 - CDF with the CDF from Durbin's matrix when n <= 100,000 and n x^1.5 <= 1.4, else
 *   from Pelz & Good's asymptotic series.
 * Intermediate results are rescaled by powers of 2^128 with the exponent kept aside,
 * as scipy does. Results are clipped to [0, 1].
 */
import { InputError } from '../../../vocabulary/errors';
import { smirnovSurvival } from './smirnov';

const SCALE_EXP = 128;
const BIG = 2 ** SCALE_EXP;
const SMALL = 2 ** -SCALE_EXP;

/**
 * P(D_n >= x) for the two-sided one-sample KS statistic D_n.
 *
 * @throws InputError when n is not a positive integer or x is NaN
 */
export function kolmogorovSmirnovSurvival(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`expected a positive integer sample size, got ${n}`);
  if (Number.isNaN(x)) throw new InputError('expected a KS distance, got NaN');
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    return clip01(1 - nFactorialOverNPowN(n, 2 * t - 1));
  }
  if (t >= n - 1) return clip01(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip01(2 * smirnovSurvival(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip01(1 - clip01(durbinCdf(n, x)));
    if (nxSquared <= 4) return clip01(1 - clip01(pomeranzCdf(n, x)));
    return clip01(2 * smirnovSurvival(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip01(2 * smirnovSurvival(n, x));
  const cdf = n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}

/** (n! / n^n) * base^n: a product for n <= 140, Stirling's series beyond. */
function nFactorialOverNPowN(n: number, base: number): number {
  if (n <= 140) {
    let p = 1;
    for (let i = 1; i <= n; i++) p *= (i / n) * base;
    return p;
  }
  return Math.exp(logNFactorialOverNPowN(n) + n * Math.log(base));
}

/** Stirling coefficients B_2j / (2j (2j - 1)), j = 8 down to 1. */
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/** log(n! / n^n) = log(n)/2 - n + log(2 pi)/2 + sum_j B_2j / (2j (2j-1) n^(2j-1)). */
function logNFactorialOverNPowN(n: number): number {
  const rn = 1 / n;
  const z = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * z + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

/** x * 2^e without intermediate overflow or underflow of 2^e. */
function ldexp(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) { r *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { r *= 2 ** -1000; k += 1000; }
  return r * 2 ** k;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      const row = l * m;
      const o = i * m;
      for (let j = 0; j < m; j++) out[o + j]! += ail * b[row + j]!;
    }
  }
  return out;
}

/**
 * P(D_n <= d) by Durbin's matrix: with d = (k - h)/n, 0 <= h < 1, the k-th diagonal
 * element of H^n (H of size 2k - 1) times n!/n^n. O(k^3 log n).
 */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  // v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1 / j!
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) H[row * m + col] = w[row - col + 1]!;
  }
  for (let row = 0; row < m; row++) H[row * m] = v[row]!;
  for (let col = 0; col < m; col++) H[(m - 1) * m + col] = v[m - 1 - col]!;

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = matmul(power, H, m);
      exponent += hExponent;
    }
    H = matmul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > BIG) {
      for (let i = 0; i < H.length; i++) H[i]! /= BIG;
      hExponent += SCALE_EXP;
    }
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exponent -= SCALE_EXP;
    }
  }
  return clip01(exponent === 0 ? p : ldexp(p, exponent));
}

/** Column range [j1, j2] of row i of Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * P(D_n <= x) by Pomeranz's recursion (1974): 2n + 1 rows, each the convolution of the
 * previous one with (almost) Poisson probabilities, only a band of each row non-zero;
 * the answer is n! times the last entry.
 */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  // (g/n)^k / k!, (2g/n)^k / k!, ((1 - 2g)/n)^k / k!
  const gPow = new Float64Array(size);
  const twoGPow = new Float64Array(size);
  const oneMinusTwoGPow = new Float64Array(size);
  gPow[0] = twoGPow[0] = oneMinusTwoGPow[0] = 1;
  for (let k = 1; k < size; k++) {
    gPow[k] = (gPow[k - 1]! * (g / n)) / k;
    twoGPow[k] = (twoGPow[k - 1]! * ((2 * g) / n)) / k;
    oneMinusTwoGPow[k] = (oneMinusTwoGPow[k - 1]! * ((1 - 2 * g) / n)) / k;
  }
  let prev = new Float64Array(size);
  let cur = new Float64Array(size);
  cur[0] = 1;
  let prevStart = 0;
  let curStart = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzRange(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
    cur.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinusTwoGPow;
    const span = j2 - k1 + 1;
    if (span > 0) {
      const from = k1 - prevStart;
      const aLen = Math.max(0, Math.min(size, from + span) - from);
      const bLen = Math.min(size, span);
      const outStart = j1 - k1;
      const outLen = j2 - j1 + 1;
      let max = 0;
      for (let o = 0; o < outLen; o++) {
        // full convolution of prev[from..from+aLen) with powers[0..bLen), entry outStart + o
        const idx = outStart + o;
        let s = 0;
        const lo = Math.max(0, idx - bLen + 1);
        const hi = Math.min(aLen - 1, idx);
        for (let a = lo; a <= hi; a++) s += prev[from + a]! * powers[idx - a]!;
        cur[o] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < SMALL) {
        for (let o = 0; o < size; o++) cur[o]! *= BIG;
        exponent -= SCALE_EXP;
      }
      curStart = prevStart + j1 - k1;
    }
  }
  let ans = cur[n - curStart]!;
  for (let k = 1; k <= n; k++) {
    if (Math.abs(ans) > BIG) {
      ans *= SMALL;
      exponent += SCALE_EXP;
    }
    ans *= k;
  }
  return clip01(exponent === 0 ? ans : ldexp(ans, exponent));
}

/**
 * Pelz & Good's (1976) approximation of P(D_n <= x): the Li-Chien / Korolyuk expansion
 * K0 + K1/sqrt(n) + K2/n + K3/n^1.5 with each K rewritten by the Jacobi theta identity.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + coeffs[i]!;
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * sqrt2pi) / denominators[i]!;
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qk = Math.pow(q, k2);
    k2extra += k2 * qk;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2] = K[2]! + (k2extra * pi2 * sqrt2pi) / (-36 * z3);
  K[3] = K[3]! + (k3extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / Math.pow(n, i / 2);
  return sum;
}

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
