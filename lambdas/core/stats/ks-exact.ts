/**
 * The exact null distribution of the two-sample KS statistic: P(D_{n,m} >= d) when the
 * two samples come from one continuous distribution, as `scipy.stats.ks_2samp(...,
 * method="exact")` computes it (two-sided).
 *
 * Under the null hypothesis every interleaving of the two samples is equally likely, so
 * the probability is a count of lattice paths from (0, 0) to (m, n) (one step right per
 * value of the first sample, one step up per value of the second) that leave the band
 * |x/m - y/n| < d. With L = lcm(n, m) and g = gcd(n, m) the distance is the integer
 * h = round(d L) on the lattice (d is always a multiple of 1/L).
 * - n = m: the reflection formula 2 sum_k (-1)^(k-1) C(2n, n - kh) / C(2n, n), evaluated
 *   by a Horner scheme over ratios of binomials (no cancellation, no overflow).
 * - n != m: Hodges' (1958) inside method, one lattice column at a time over a sliding
 *   window of rows, in Viehmann's (2021) form that carries the probability of having
 *   left the band (1 - the inside proportion) instead of counts: every value stays in
 *   [0, 1], so nothing overflows. O(m * window), the window about 2 d n + 1 rows.
 * Ties: the statistic is computed with ties as they are (ECDF(x) = #{v <= x} / n) and the
 * same no-tie distribution is applied, as scipy does.
 */
import { InputError } from '../../../vocabulary/errors';

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Rounds half to even, as numpy's `round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Two-sided exact p-value P(D_{n,m} >= d).
 *
 * @returns the p-value, or undefined when the computation is not trustworthy (a result
 *   outside [0, 1] or not finite; scipy then falls back to its asymptotic method)
 * @throws InputError when n or m is not a positive integer or d is outside [0, 1]
 */
export function ksExactPValue(d: number, n: number, m: number): number | undefined {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1) {
    throw new InputError(`expected positive integer sample sizes, got n=${n}, m=${m}`);
  }
  if (!(d >= 0 && d <= 1)) throw new InputError(`expected a KS distance in [0, 1], got ${d}`);
  const g = gcd(n, m);
  const lcm = (n / g) * m;
  const h = roundHalfEven(d * lcm);
  if (h === 0) return 1;
  const p = n === m ? outsideSquare(n, h) : outsideBand(n, m, g, h);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : undefined;
}

/**
 * n = m: P(D_{n,n} >= h/n) = 2 (A1 - A1 A2 + A1 A2 A3 - ...) with
 * A_k = C(2n, n - kh) / C(2n, n - (k-1)h), evaluated from the innermost term outwards.
 */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * n != m: the proportion of lattice paths from (0, 0) to (big, small) that touch or cross
 * |x/big - y/small| >= h / lcm. Column i holds, for the rows j inside the band, the
 * probability that a uniformly random path to (i, j) has already left the band; cells
 * outside the band count as 1 (left), the start column's cells inside as 0. A cell's
 * value is the average of its left and lower neighbours weighted by the number of paths
 * through each: (A(i-1, j) i + A(i, j-1) j) / (i + j), with 1/(i + j) from a table (one
 * rounding more than a division, about 1e-16 relative per step).
 */
/**
 * Cells below this are set to 0: every cell is a convex combination of its neighbours, so
 * this changes the result by at most about 2 * FLUSH in absolute terms (p-values above
 * 1e-270 keep 1e-6 relative precision), and it keeps the arithmetic out of subnormal
 * numbers, which are many times slower.
 */
const FLUSH = 1e-280;

function outsideBand(n: number, m: number, g: number, h: number): number {
  const big = Math.max(n, m);
  const small = Math.min(n, m);
  const bigG = big / g;
  const smallG = small / g;
  let lo = 0;
  let hi = Math.min(Math.ceil(h / bigG), small + 1);
  let len = hi - lo;
  const a = new Float64Array(Math.min(2 * hi + 2, small + 1)).fill(1);
  a.fill(0, lo, hi);
  const reciprocal = new Float64Array(big + small + 1);
  for (let k = 1; k < reciprocal.length; k++) reciprocal[k] = 1 / k;
  // [zeroStart, zeroEnd): positions of the buffer known to hold exact zeros (the cells deep
  // inside the band, which the flush keeps at 0): skipped, as 0 * i + 0 * j stays 0.
  let zeroStart = 0;
  let zeroEnd = hi;
  for (let i = 1; i <= big; i++) {
    const prevLo = lo;
    const prevLen = len;
    lo = Math.min(Math.max(Math.floor((smallG * i - h) / bigG) + 1, 0), small);
    hi = Math.min(Math.ceil((smallG * i + h) / bigG), small + 1);
    if (hi <= lo) return 1;
    len = hi - lo;
    let below = lo === 0 ? 0 : 1;
    const shift = lo - prevLo;
    let streak = -1;
    let bestStart = 0;
    let bestEnd = 0;
    for (let jj = 0; jj < len; ) {
      if (below === 0 && jj + shift >= zeroStart && jj + shift < zeroEnd) {
        // every cell up to the end of the zero run is 0: write the few not already 0
        const end = Math.min(zeroEnd - shift, len);
        if (jj < zeroStart) a.fill(0, jj, Math.min(zeroStart, end));
        if (streak < 0) streak = jj;
        jj = end;
        continue;
      }
      below = (a[jj + shift]! * i + below * (lo + jj)) * reciprocal[i + lo + jj]!;
      if (below < FLUSH) below = 0;
      a[jj] = below;
      if (below === 0) {
        if (streak < 0) streak = jj;
      } else if (streak >= 0) {
        if (jj - streak > bestEnd - bestStart) [bestStart, bestEnd] = [streak, jj];
        streak = -1;
      }
      jj++;
    }
    if (streak >= 0 && len - streak > bestEnd - bestStart) [bestStart, bestEnd] = [streak, len];
    zeroStart = bestStart;
    zeroEnd = bestEnd;
    if (prevLen > len) a.fill(1, len, prevLen);
  }
  return a[hi - lo - 1]!;
}
