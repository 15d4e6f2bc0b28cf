/**
 * KS distance, Wasserstein-1 and the second sample's counts per bin in one merge walk
 * over two sorted (weighted) samples (recipes: reference-metrics README, numeric steps 5
 * and 6; see ./ks and ./wasserstein). {@link ksStatistic} and {@link wasserstein1} are
 * this walk; drift takes all three at once.
 */
import { requireNonEmpty, type WeightedSample } from './sample';

/** No cut points: a walk for KS and Wasserstein-1 only. */
export const NO_CUTS: readonly number[] = Object.freeze([]);

/** The statistics of {@link ecdfWalk}. */
export interface EcdfStatistics {
  /** max |F_a - F_b| over every observed value (as {@link ksStatistic}). */
  readonly ks: number;
  /** Integral of |F_a - F_b| (as {@link wasserstein1}). */
  readonly wasserstein: number;
  /** b's weight per bin of `cuts` (bin = number of cut points <= x), length cuts.length + 1. */
  readonly binCounts: number[];
}

/**
 * The statistics of samples `a` (reference) and `b` (current) and the ascending cut
 * points `cuts`.
 *
 * @throws InputError when either sample is empty
 */
export function ecdfWalk(a: WeightedSample, b: WeightedSample, cuts: readonly number[]): EcdfStatistics {
  requireNonEmpty(a, 'first');
  requireNonEmpty(b, 'second');
  const av = a.values;
  const bv = b.values;
  const aw = a.weights;
  const bw = b.weights;
  const na = av.length;
  const nb = bv.length;
  const nc = cuts.length;
  const binCounts = new Array<number>(nc + 1).fill(0);
  let bin = 0;
  let i = 0;
  let j = 0;
  let ca = 0;
  let cb = 0;
  // The ECDFs after the last point (each division redone only when its count moved) and
  // their gap: the height of the step up to the next point, for Wasserstein-1.
  let fa = 0;
  let fb = 0;
  let gap = 0;
  let d = 0;
  let sum = 0;
  let prev = 0;
  let started = false;
  while (i < na || j < nb) {
    const both = i < na && j < nb;
    const x = j >= nb || (i < na && av[i]! <= bv[j]!) ? av[i]! : bv[j]!;
    if (started) sum += gap * (x - prev);
    if (i < na && av[i] === x) {
      while (i < na && av[i] === x) {
        ca += aw === null ? 1 : aw[i]!;
        i++;
      }
      fa = ca / a.total;
    }
    if (j < nb && bv[j] === x) {
      while (bin < nc && cuts[bin]! <= x) bin++;
      let w = 0;
      while (j < nb && bv[j] === x) {
        const wj = bw === null ? 1 : bw[j]!;
        cb += wj;
        w += wj;
        j++;
      }
      binCounts[bin]! += w;
      fb = cb / b.total;
    }
    gap = Math.abs(fa - fb);
    if (both && gap > d) d = gap;
    prev = x;
    started = true;
  }
  return { ks: d, wasserstein: sum, binCounts };
}
