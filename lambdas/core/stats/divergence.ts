/**
 * Divergences between two count vectors over the same bins or categories.
 *
 * Recipe: reference-metrics README, numeric steps 2-4 (`recipe.proportions`,
 * `recipe.smoothing`, `recipe.psi`, `recipe.kl`, `recipe.js`):
 * raw proportions p = count / total; smoothing p' = max(p, eps) per vector with no
 * renormalisation (PSI and KL only); PSI = sum (p'cur - p'ref) ln(p'cur / p'ref);
 * KL(ref||cur) = sum p'ref ln(p'ref / p'cur); Jensen-Shannon distance
 * (`scipy.spatial.distance.jensenshannon`) on the raw proportions, base 2 by default.
 *
 * Counts must be finite and >= 0 with a positive total; otherwise `InputError`
 * (a zero total has no proportions, and NaN is never returned).
 */
import { InputError } from '../../../vocabulary/errors';

/** Smoothing floor when none is given. */
export const DEFAULT_EPS = 1e-4;

function checkCounts(counts: ArrayLike<number>, what: string): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (!(c >= 0) || c === Infinity) throw new InputError(`${what}[${i}] must be a finite count >= 0, got ${c}`);
    total += c;
  }
  if (!(total > 0)) throw new InputError(`${what} must have a positive total, got ${total}`);
  return total;
}

function checkPair(ref: ArrayLike<number>, cur: ArrayLike<number>): void {
  if (ref.length !== cur.length) {
    throw new InputError(`expected reference and current counts of the same length, got ${ref.length} and ${cur.length}`);
  }
  if (ref.length === 0) throw new InputError('expected at least one bin, got none');
}

/**
 * Raw proportions count_i / sum(counts).
 *
 * @throws InputError on a negative or non-finite count, or a zero total
 */
export function proportions(counts: ArrayLike<number>): number[] {
  const total = checkCounts(counts, 'counts');
  const p = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) p[i] = counts[i]! / total;
  return p;
}

/**
 * Floors each proportion at eps, without renormalising.
 *
 * @param eps the floor. @default 1e-4
 */
export function smoothProportions(p: ArrayLike<number>, eps: number = DEFAULT_EPS): number[] {
  if (!(eps > 0)) throw new InputError(`expected eps > 0, got ${eps}`);
  const out = new Array<number>(p.length);
  for (let i = 0; i < p.length; i++) out[i] = Math.max(p[i]!, eps);
  return out;
}

function smoothedPair(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>, eps: number): [number[], number[]] {
  checkPair(refCounts, curCounts);
  return [smoothProportions(proportions(refCounts), eps), smoothProportions(proportions(curCounts), eps)];
}

/**
 * Population stability index on smoothed proportions (natural log); always >= 0.
 *
 * @param eps smoothing floor. @default 1e-4
 */
export function psi(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>, eps: number = DEFAULT_EPS): number {
  const [r, c] = smoothedPair(refCounts, curCounts, eps);
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += (c[i]! - r[i]!) * Math.log(c[i]! / r[i]!);
  return sum;
}

/**
 * KL(ref||cur) = sum p'ref ln(p'ref / p'cur) on smoothed proportions (natural log).
 * Swap the arguments for KL(cur||ref). psi = KL(ref||cur) + KL(cur||ref).
 * Without renormalisation this can be slightly negative when smoothing applied.
 *
 * @param eps smoothing floor. @default 1e-4
 */
export function klDivergence(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>, eps: number = DEFAULT_EPS): number {
  const [r, c] = smoothedPair(refCounts, curCounts, eps);
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += r[i]! * Math.log(r[i]! / c[i]!);
  return sum;
}

/**
 * Jensen-Shannon distance, the square root of the JS divergence, on raw proportions
 * (0 ln 0 = 0). In [0, 1] for base 2.
 *
 * @param base logarithm base. @default 2
 */
export function jsDistance(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>, base: number = 2): number {
  checkPair(refCounts, curCounts);
  if (!(base > 0) || base === 1) throw new InputError(`expected a logarithm base > 0 and != 1, got ${base}`);
  const p = proportions(refCounts);
  const q = proportions(curCounts);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) left += p[i]! * Math.log(p[i]! / m);
    if (q[i]! > 0) right += q[i]! * Math.log(q[i]! / m);
  }
  const js = (left + right) / Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}
