/**
 * `quality`: live model quality from ground truth. Captured requests (eventId and the
 * endpoint's prediction) are joined with SageMaker ground-truth records by eventId,
 * and the metrics of the problem type are computed on the matched instances.
 *
 * The problem type and label are in the event; where the capture holds the prediction
 * (the `capture` attributes or preset) and the probability threshold come from the
 * `PITSTOP_MODEL_CONFIG` environment variable (see runtime/model-settings.ts); multiclass
 * predictions given as class indexes are one-hot encoded over the classes seen.
 * `newLabeledSamples` is the number of matched instances: the labeled samples that can
 * be trained on. Metrics undefined on the data (NaN) are left out.
 */
import { QualityInput, type QualityOutput } from '../../statemachines/contracts';
import { evaluate } from '../core/metrics';
import { joinByEventId, scoreColumns } from '../core/quality';
import { s3Client } from '../runtime/clients';
import { openTableOrEmpty } from '../runtime/data';
import { captureEvaluateOptions, captureReadOptions } from '../runtime/capture-settings';
import { defineHandler } from '../runtime/define-handler';
import { logger } from '../runtime/logger';
import { definedMetrics, undefinedMetrics } from '../runtime/metric-values';
import { loadModelSettings } from '../runtime/model-settings';
import { capturedPredictions } from './captured-predictions';
import { readGroundTruth } from './ground-truth-reader';

export const handler = defineHandler('quality', QualityInput, async (input): Promise<QualityOutput & { mismatched: number }> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const truth = await readGroundTruth(input.groundTruthUri, input.problemType, s3);
  const none = { metrics: [], newLabeledSamples: 0, matched: 0, mismatched: 0 };
  if (truth.size === 0) return none;
  const table = await openTableOrEmpty(input.captureUri, { s3, format: 'capture', ...captureReadOptions(settings) });
  if (table.columns.length === 0) return none;
  const captured = await capturedPredictions(table, new Set(truth.keys()));
  const joined = joinByEventId(captured, truth);
  if (joined.mismatched > 0) logger.warn('events with different instance counts in capture and ground truth', { mismatched: joined.mismatched });
  if (joined.matched === 0) return { ...none, mismatched: joined.mismatched };
  const scores = scoreColumns(input.problemType, joined.predictions, joined.labels);
  const metrics = evaluate(input.problemType, Float64Array.from(joined.labels), scores, captureEvaluateOptions(settings));
  const undefinedNames = undefinedMetrics(metrics);
  if (undefinedNames.length > 0) logger.info('metrics undefined on this data', { metrics: undefinedNames });
  return {
    metrics: Object.entries(definedMetrics(metrics)).map(([metric, value]) => ({ metric, value })),
    newLabeledSamples: joined.matched,
    matched: joined.matched,
    mismatched: joined.mismatched,
  };
});
