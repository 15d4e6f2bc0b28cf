/**
 * Binary classification metrics from labels in {0, 1} and the probability of class 1,
 * with scikit-learn semantics.
 */
import { InputError } from '../../../vocabulary/errors';
import { averagedScores, labelScores } from './classification';
import type { BinaryMetrics } from './metric-sets';
import { checkAligned, FLOAT64_EPS, meanOf, type NumericArray } from './numeric';
import { rocAuc } from './ranking';

/** The hard-label threshold: a probability `>=` this is predicted positive. */
export const DECISION_THRESHOLD = 0.5;

/** Confusion counts of a binary classifier, positive class 1. */
export interface ConfusionCounts {
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  readonly tp: number;
}

/** ECE bins: the number of rows, mean label and mean probability in each bin. */
export interface CalibrationBins {
  readonly counts: number[];
  /** Mean label per bin (`NaN` for an empty bin). */
  readonly meanLabel: number[];
  /** Mean probability per bin (`NaN` for an empty bin). */
  readonly meanProbability: number[];
}

/** Throws an `InputError` unless every label is 0 or 1. */
export function checkBinaryLabels(yTrue: NumericArray): void {
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw new InputError(`label at index ${i} is ${y}, expected 0 or 1`);
  }
}

/** The hard predictions `p >= threshold ? 1 : 0`. @param threshold @default 0.5 */
export function hardLabels(p: NumericArray, threshold: number = DECISION_THRESHOLD): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! >= threshold ? 1 : 0;
  return out;
}

/** Confusion counts with the hard prediction `p >= threshold`. @param threshold @default 0.5 */
export function binaryConfusion(yTrue: NumericArray, p: NumericArray, threshold: number = DECISION_THRESHOLD): ConfusionCounts {
  const n = checkAligned({ yTrue, p });
  let tn = 0, fp = 0, fn = 0, tp = 0;
  for (let i = 0; i < n; i++) {
    const predicted = p[i]! >= threshold;
    if (yTrue[i] === 1) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  }
  return { tn, fp, fn, tp };
}

/**
 * Binary log loss, `sklearn.metrics.log_loss(y, p)`: both `p` and `1 - p` are clipped to
 * `[eps, 1 - eps]` with eps the float64 machine epsilon, then the mean of
 * `-(y ln p + (1 - y) ln(1 - p))`.
 */
export function binaryLogLoss(yTrue: NumericArray, p: NumericArray): number {
  const n = checkAligned({ yTrue, p });
  return meanOf(n, (i) => {
    const q = yTrue[i] === 1 ? p[i]! : 1 - p[i]!;
    return -Math.log(Math.min(Math.max(q, FLOAT64_EPS), 1 - FLOAT64_EPS));
  });
}

/** Brier score, `mean((p - y)^2)`. */
export function brierScore(yTrue: NumericArray, p: NumericArray): number {
  const n = checkAligned({ yTrue, p });
  return meanOf(n, (i) => (p[i]! - yTrue[i]!) ** 2);
}

/**
 * Uniform calibration bins as `sklearn.calibration.calibration_curve(strategy='uniform')`
 * makes them: edges `k / bins` computed as numpy's `linspace` does (`k * (1 / bins)`), bin
 * of `p` = the number of inner edges strictly below `p` (`searchsorted(side='left')`), so
 * the bins are (a, b] and the first one is [0, 1/bins]. Binned by comparing with the
 * edges, not by `ceil(p * bins)`: with ten bins 0.3 falls in (0.2, 0.3] because the edge
 * is 0.30000000000000004.
 *
 * @param bins the number of bins. @default 10
 */
export function calibrationBins(yTrue: NumericArray, p: NumericArray, bins = 10): CalibrationBins {
  const n = checkAligned({ yTrue, p });
  const step = 1 / bins;
  const inner: number[] = [];
  for (let k = 1; k < bins; k++) inner.push(k * step);
  const counts = new Array<number>(bins).fill(0);
  const sumLabel = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const q = p[i]!;
    let lo = 0;
    let hi = inner.length; // first inner edge >= q
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inner[mid]! < q) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
    sumLabel[lo]! += yTrue[i]!;
    sumP[lo]! += q;
  }
  return {
    counts,
    meanLabel: counts.map((c, b) => (c === 0 ? Number.NaN : sumLabel[b]! / c)),
    meanProbability: counts.map((c, b) => (c === 0 ? Number.NaN : sumP[b]! / c)),
  };
}

/**
 * Expected calibration error of the positive-class probability: over the non-empty
 * {@link calibrationBins}, `sum (n_b / N) * |mean(y in b) - mean(p in b)|`.
 *
 * @param bins the number of uniform bins. @default 10
 */
export function expectedCalibrationError(yTrue: NumericArray, p: NumericArray, bins = 10): number {
  const { counts, meanLabel, meanProbability } = calibrationBins(yTrue, p, bins);
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (counts[b] === 0) continue;
    ece += (counts[b]! / yTrue.length) * Math.abs(meanLabel[b]! - meanProbability[b]!);
  }
  return ece;
}

/**
 * Every binary metric. Hard label `p >= threshold` (0.5 unless given; Model Monitor's
 * ProbabilityThresholdAttribute); precision, recall and F1 of class 1 with
 * zero_division 0; macro and weighted averages over the labels present in the labels or
 * the predictions; ROC AUC `NaN` when `yTrue` holds one class.
 *
 * @param yTrue labels, each 0 or 1
 * @param p probability of class 1, each in [0, 1]
 * @param threshold the probability from which the hard label is 1 @default 0.5
 */
export function binaryMetrics(yTrue: NumericArray, p: NumericArray, threshold: number = DECISION_THRESHOLD): BinaryMetrics {
  checkAligned({ yTrue, p });
  checkBinaryLabels(yTrue);
  const { tp, fp, fn } = binaryConfusion(yTrue, p, threshold);
  const positive = labelScores({ tp, fp, fn });
  return {
    ...averagedScores(yTrue, hardLabels(p, threshold), 2),
    precision: positive.precision,
    recall: positive.recall,
    f1: positive.f1,
    rocAuc: rocAuc(yTrue, p),
    logLoss: binaryLogLoss(yTrue, p),
    brier: brierScore(yTrue, p),
    ece: expectedCalibrationError(yTrue, p),
  };
}
