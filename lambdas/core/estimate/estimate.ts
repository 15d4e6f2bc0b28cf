/**
 * `estimate`: the performance of a binary classifier on unlabeled data, from its scores
 * and a labeled reference (CBPE). See docs/statistics.md "Performance estimation".
 *
 * 1. Calibration on the reference: `always` fits an isotonic regression of the label on
 *    the score (isotonic.ts) and applies it to both samples' scores; `never` uses the
 *    scores as they are; `auto` calibrates when the reference's ECE (10 uniform bins, as
 *    `evaluate`) exceeds `maxEce`.
 * 2. Expected metrics of the current data from the calibrated probabilities
 *    (expected-metrics.ts); the realized metrics of the reference on its labels with the
 *    same probabilities and decision rule.
 * 3. Bands: labels drawn as independent Bernoulli(p_i) over the current rows, `draws`
 *    times with a fixed seed; each metric's 2.5th and 97.5th percentiles (numpy's linear
 *    interpolation) over the draws where it is defined.
 */
import { InputError } from '../../../vocabulary/errors';
import { expectedCalibrationError } from '../metrics/binary';
import { mulberry32 } from '../stats/random';
import { CBPE_METRICS, descendingOrder, metricsOf, type CbpeMetric, type CbpeMetrics } from './expected-metrics';
import { applyIsotonic, fitIsotonic } from './isotonic';

/** When to calibrate the scores on the reference. */
export const CALIBRATE_MODES = ['auto', 'always', 'never'] as const;
export type CalibrateMode = (typeof CALIBRATE_MODES)[number];

/** Options of {@link estimatePerformance}. */
export interface EstimateOptions {
  /** Reference labels, each 0 or 1. */
  readonly referenceLabels: ArrayLike<number>;
  /** Reference scores P(class 1), each in [0, 1]. */
  readonly referenceScores: ArrayLike<number>;
  /** Current scores, each in [0, 1]. */
  readonly currentScores: ArrayLike<number>;
  /** Hard label p >= threshold. @default 0.5 */
  readonly threshold?: number;
  /** @default 'auto' */
  readonly calibrate?: CalibrateMode;
  /** `auto` calibrates when the reference's ECE exceeds this. @default 0.05 */
  readonly maxEce?: number;
  /** Bernoulli draws for the bands. @default 1000 */
  readonly draws?: number;
  /** Seed of the draws. @default 20250101 */
  readonly seed?: number;
}

/** A 95 % band per metric (null when the metric was undefined in every draw). */
export type CbpeBands = Record<CbpeMetric, [number, number] | null>;

/** The result, in the JSON shape of `pitstop estimate --json`. */
export interface EstimateResult {
  readonly calibration: { readonly applied: boolean; readonly eceBefore: number; readonly eceAfter: number };
  readonly estimated: CbpeMetrics;
  readonly realizedReference: CbpeMetrics;
  /** Current rows. */
  readonly rows: number;
  /** 2.5th and 97.5th percentiles of each metric over the Bernoulli draws. */
  readonly bands: CbpeBands;
  /** Why a metric is null ("estimated.precision: ..."). */
  readonly notes: string[];
}

export const DEFAULT_MAX_ECE = 0.05;
export const DEFAULT_DRAWS = 1000;
export const DEFAULT_SEED = 20250101;

/**
 * Estimates the current data's metrics from its scores (see the module header).
 *
 * @throws InputError on empty or mismatched inputs, a label other than 0/1, a score outside [0, 1], or bad options
 */
export function estimatePerformance(options: EstimateOptions): EstimateResult {
  const { referenceLabels: labels, referenceScores, currentScores } = options;
  const threshold = options.threshold ?? 0.5;
  const maxEce = options.maxEce ?? DEFAULT_MAX_ECE;
  const draws = options.draws ?? DEFAULT_DRAWS;
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError(`expected a threshold in [0, 1], got ${threshold}`);
  if (!(maxEce >= 0)) throw new InputError(`expected maxEce >= 0, got ${maxEce}`);
  if (!Number.isInteger(draws) || draws < 1) throw new InputError(`expected a positive integer number of draws, got ${draws}`);
  if (labels.length !== referenceScores.length) throw new InputError(`expected as many reference labels as scores, got ${labels.length} and ${referenceScores.length}`);
  if (labels.length === 0) throw new InputError('the reference has no rows');
  if (currentScores.length === 0) throw new InputError('the current data has no rows');
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new InputError(`reference label at index ${i} is ${labels[i]}, expected 0 or 1`);
  checkProbabilities(referenceScores, 'reference');
  checkProbabilities(currentScores, 'current');

  const eceBefore = expectedCalibrationError(labels, referenceScores);
  const mode = options.calibrate ?? 'auto';
  const applied = mode === 'always' || (mode === 'auto' && eceBefore > maxEce);
  let referenceP: ArrayLike<number> = referenceScores;
  let currentP: ArrayLike<number> = currentScores;
  if (applied) {
    const fit = fitIsotonic(referenceScores, labels);
    referenceP = applyIsotonic(fit, referenceScores);
    currentP = applyIsotonic(fit, currentScores);
  }
  const eceAfter = applied ? expectedCalibrationError(labels, referenceP) : eceBefore;

  const order = descendingOrder(currentP);
  const estimated = metricsOf(currentP, currentP, threshold, order);
  const realized = metricsOf(referenceP, labels, threshold);
  return {
    calibration: { applied, eceBefore, eceAfter },
    estimated: estimated.metrics,
    realizedReference: realized.metrics,
    rows: currentP.length,
    bands: bernoulliBands(currentP, threshold, order, draws, options.seed ?? DEFAULT_SEED),
    notes: [...estimated.notes.map((n) => `estimated.${n}`), ...realized.notes.map((n) => `realizedReference.${n}`)],
  };
}

function checkProbabilities(p: ArrayLike<number>, what: string): void {
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! >= 0 && p[i]! <= 1)) throw new InputError(`${what} score at index ${i} is ${p[i]}, expected a probability in [0, 1]`);
  }
}

/** numpy.percentile (linear interpolation) of sorted values. */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * (q / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The 95 % band of each metric over `draws` label sets drawn as Bernoulli(p_i). */
function bernoulliBands(p: ArrayLike<number>, threshold: number, order: Int32Array, draws: number, seed: number): CbpeBands {
  const next = mulberry32(seed);
  const y = new Float64Array(p.length);
  const samples: Record<CbpeMetric, number[]> = { accuracy: [], precision: [], recall: [], f1: [], rocAuc: [] };
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < p.length; i++) y[i] = next() < p[i]! ? 1 : 0;
    const { metrics } = metricsOf(p, y, threshold, order);
    for (const m of CBPE_METRICS) {
      const v = metrics[m];
      if (v !== null) samples[m].push(v);
    }
  }
  const bands = {} as CbpeBands;
  for (const m of CBPE_METRICS) {
    const s = Float64Array.from(samples[m]).sort();
    bands[m] = s.length === 0 ? null : [percentileSorted(s, 2.5), percentileSorted(s, 97.5)];
  }
  return bands;
}
