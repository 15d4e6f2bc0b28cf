/**
 * Isotonic regression of a binary label on a score, fitted and applied exactly as
 * scikit-learn's `IsotonicRegression(out_of_bounds="clip")` (increasing, unit weights):
 * 1. sort the pairs by score, then by label (`np.lexsort((y, X))`);
 * 2. pool ties: consecutive scores within 1e-15 (`finfo(float64).resolution`) of the
 *    first score of their group become one point, its y the mean label, its weight the
 *    count (`_make_unique`);
 * 3. pool adjacent violators (PAVA) on the unique points, weighted, in one pass with
 *    backtracking (`_inplace_contiguous_isotonic_regression`);
 * 4. keep the first and last point and every point whose fitted value differs from its
 *    predecessor's or its successor's (`trim_duplicates`);
 * 5. predict: clip the score to [min, max] of the fitted scores, then interpolate
 *    linearly between the kept points as `scipy.interpolate.interp1d` does (through
 *    `numpy.interp`: a score equal to a threshold gets its value, else
 *    `slope (s - x_j) + y_j` with x_j the last threshold below s).
 */
import { InputError } from '../../../vocabulary/errors';

/** A fitted isotonic calibration map. */
export interface IsotonicFit {
  /** Increasing thresholds on the score (`X_thresholds_`). */
  readonly x: Float64Array;
  /** Fitted values at the thresholds, non-decreasing (`y_thresholds_`). */
  readonly y: Float64Array;
}

const RESOLUTION = 1e-15;

/**
 * Fits the calibration map of `labels` on `scores`.
 *
 * @throws InputError when the arrays differ in length, are empty, or hold a non-finite value
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicFit {
  const n = scores.length;
  if (n !== labels.length) throw new InputError(`expected as many labels as scores, got ${labels.length} and ${n}`);
  if (n === 0) throw new InputError('cannot fit a calibration on no rows');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]!) || !Number.isFinite(labels[i]!)) throw new InputError(`expected finite scores and labels, got ${scores[i]} and ${labels[i]} at index ${i}`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]! || labels[a]! - labels[b]! || a - b);
  // 2. pool ties
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let currentX = scores[order[0]!]!;
  let sumY = 0;
  let weight = 0;
  for (const i of order) {
    const x = scores[i]!;
    if (x - currentX >= RESOLUTION) {
      ux.push(currentX);
      uw.push(weight);
      uy.push(sumY / weight);
      currentX = x;
      weight = 1;
      sumY = labels[i]!;
    } else {
      weight += 1;
      sumY += labels[i]!;
    }
  }
  ux.push(currentX);
  uw.push(weight);
  uy.push(sumY / weight);
  // 3. PAVA
  const fitted = poolAdjacentViolators(uy, uw);
  // 4. trim points equal to both neighbours
  const keepX: number[] = [];
  const keepY: number[] = [];
  for (let i = 0; i < fitted.length; i++) {
    const inner = i > 0 && i < fitted.length - 1;
    if (!inner || fitted[i] !== fitted[i - 1] || fitted[i] !== fitted[i + 1]) {
      keepX.push(ux[i]!);
      keepY.push(fitted[i]!);
    }
  }
  return { x: Float64Array.from(keepX), y: Float64Array.from(keepY) };
}

/**
 * Weighted isotonic (non-decreasing) fit of `y` in one pass: a block that is not below
 * its successor is merged with it (weighted mean) and with every following block it is
 * not below, then the scan backs up one block to check the merge did not create a new
 * violation. `end[i]` is the last index of the block starting at i, and the first index
 * of the block ending at i.
 */
function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): Float64Array {
  const y = Float64Array.from(values);
  const w = Float64Array.from(weights);
  const n = y.length;
  const end = Int32Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = end[i]! + 1;
    if (k === n) break;
    if (y[i]! < y[k]!) {
      i = k;
      continue;
    }
    let sumWy = w[i]! * y[i]!;
    let sumW = w[i]!;
    for (;;) {
      const prev = y[k]!;
      sumWy += w[k]! * y[k]!;
      sumW += w[k]!;
      k = end[k]! + 1;
      if (k === n || prev < y[k]!) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        end[i] = k - 1;
        end[k - 1] = i;
        if (i > 0) i = end[i - 1]!;
        break;
      }
    }
  }
  for (let start = 0; start < n; ) {
    const next = end[start]! + 1;
    y.fill(y[start]!, start + 1, next);
    start = next;
  }
  return y;
}

/** The calibrated value of each score: clipped to the fitted range, then interpolated. */
export function applyIsotonic(fit: IsotonicFit, scores: ArrayLike<number>): Float64Array {
  const { x, y } = fit;
  const out = new Float64Array(scores.length);
  const last = x.length - 1;
  for (let i = 0; i < scores.length; i++) {
    const s = Math.min(Math.max(scores[i]!, x[0]!), x[last]!);
    if (last === 0) {
      out[i] = y[0]!;
      continue;
    }
    // j = the last threshold <= s (numpy.interp); an exact threshold gives its value
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (x[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    if (lo === last || x[lo] === s) {
      out[i] = y[lo]!;
      continue;
    }
    const slope = (y[lo + 1]! - y[lo]!) / (x[lo + 1]! - x[lo]!);
    out[i] = slope * (s - x[lo]!) + y[lo]!;
  }
  return out;
}
