/**
 * Monitoring the model's output against the prediction reference recorded at
 * promotion (./prediction-reference.ts), before any label arrives:
 *
 * - estimated quality (binary): CBPE (core/estimate) calibrated on the reference's
 *   labels and scores, applied to the window's captured scores;
 * - prediction drift (binary and regression): the captured scores against the
 *   reference's, as one numeric column, with a drift method and threshold (core/drift).
 *
 * Scores are the last value of each output row (P(class 1) for binary).
 */
import { InputError } from '../../../vocabulary/errors';
import type { DriftMethod } from '../../../vocabulary/evaluation-names';
import { rowsTable } from '../dataset/rows-table';
import { computeDrift } from '../drift';
import { estimatePerformance, type CalibrateMode } from './estimate';
import { CBPE_METRICS } from './expected-metrics';
import { scoreOf, type PredictionReference } from '../quality/prediction-reference';

/** The column name prediction drift is reported under. */
export const PREDICTION_DRIFT_COLUMN = 'prediction';

/** One estimated metric (published as `EstimatedQuality`, dimension Metric). */
export interface EstimatedMetric {
  readonly metric: string;
  readonly value: number;
  /** The 95 % band from the Bernoulli draws, when defined. */
  readonly band?: readonly [number, number];
}

/** Estimated quality of the current scores. */
export interface EstimatedQuality {
  /** The defined metrics, in CBPE_METRICS order (a metric with a zero denominator is left out). */
  readonly metrics: EstimatedMetric[];
  /** Whether the scores were calibrated on the reference. */
  readonly calibrated: boolean;
  /** The reference's metrics on its own labels, for comparison. */
  readonly reference: Record<string, number>;
  readonly notes: string[];
}

/**
 * CBPE of a binary model's current scores (see core/estimate).
 *
 * @param threshold the decision threshold (p >= threshold is class 1)
 * @throws InputError when the reference is not binary or a score is not a probability
 */
export function estimateFromReference(
  reference: PredictionReference,
  current: readonly (readonly number[])[],
  options: { threshold?: number; calibrate?: CalibrateMode } = {},
): EstimatedQuality {
  if (reference.problemType !== 'binary') throw new InputError(`quality is estimated for binary classification only; the reference is ${reference.problemType}`);
  const result = estimatePerformance({
    referenceLabels: reference.labels,
    referenceScores: scoreOf(reference.predictions),
    currentScores: scoreOf(current),
    threshold: options.threshold,
    calibrate: options.calibrate,
  });
  const metrics: EstimatedMetric[] = [];
  const realized: Record<string, number> = {};
  for (const metric of CBPE_METRICS) {
    const value = result.estimated[metric];
    const band = result.bands[metric];
    if (value !== null) metrics.push({ metric, value, ...(band ? { band } : {}) });
    const ref = result.realizedReference[metric];
    if (ref !== null) realized[metric] = ref;
  }
  return { metrics, calibrated: result.calibration.applied, reference: realized, notes: result.notes };
}

/** Prediction drift of the current scores. */
export interface PredictionDrift {
  readonly method: DriftMethod;
  /** The value the verdict used (a distance, or a p-value for ks); published as `PredictionDrift`. */
  readonly score: number;
  readonly threshold: number;
  readonly drifted: boolean;
  readonly note?: string;
}

/**
 * The drift of the current scores against the reference's, as one numeric column.
 * @throws InputError on a multiclass reference (no single output column)
 */
export async function predictionDrift(
  reference: PredictionReference,
  current: readonly (readonly number[])[],
  options: { method: DriftMethod; threshold: number },
): Promise<PredictionDrift> {
  if (reference.problemType === 'multiclass') throw new InputError('prediction drift is measured on one output column; the reference is multiclass');
  const column = (rows: readonly (readonly number[])[]) => Array.from(scoreOf(rows), (x) => [x]);
  const result = await computeDrift({
    reference: rowsTable('prediction reference', [PREDICTION_DRIFT_COLUMN], column(reference.predictions)),
    current: rowsTable('captured predictions', [PREDICTION_DRIFT_COLUMN], column(current)),
    method: options.method,
    threshold: options.threshold,
    types: { [PREDICTION_DRIFT_COLUMN]: 'numeric' },
    parallel: false,
  });
  const f = result.features[0]!;
  return {
    method: f.method,
    score: f.score ?? 0,
    threshold: f.threshold,
    drifted: f.drifted,
    ...(f.note === undefined ? {} : { note: f.note }),
  };
}
