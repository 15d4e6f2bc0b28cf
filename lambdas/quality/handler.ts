/**
 * `quality`: live model quality from ground truth. Captured requests (join key and the
 * endpoint's prediction) are joined with SageMaker ground-truth records, and the
 * metrics of the problem type are computed on the matched instances. The join key is
 * the caller's inferenceId when the capture record has one, else its eventId
 * (./captured-predictions).
 *
 * With a `window` (the Monitor), the predictions are those of the window shifted back
 * by the label delay (labels come late), joined with the ground truth that arrived
 * from the shifted window's start up to the run's time; fewer matched instances than
 * `window.minRows` gives `insufficientData: true` and no metric.
 *
 * `newLabeledSamples` counts the labeled instances that arrived since `labelsSince`
 * (the production model's training cut-off, recorded at promotion), so the
 * new-labels alarm resets once a retrain has taken them; without a window, the matched
 * instances (as before windows existed).
 *
 * Multiclass predictions given as class indexes are one-hot encoded over the classes
 * seen. Metrics undefined on the data (NaN) are left out.
 *
 * With a `referenceUri` and a window, the window's own captured outputs (not shifted:
 * no label is needed) are compared with the prediction reference recorded at
 * promotion: `estimated` metrics (CBPE, binary) and `predictionDrift` (./output-checks).
 *
 * Where the capture holds the prediction (the `capture` attributes or preset) and the
 * probability threshold come from the `PITSTOP_MODEL_CONFIG` environment variable (see
 * runtime/model-settings.ts).
 */
import { QualityInput, type QualityOutput } from '../../vocabulary/contracts';
import { evaluate } from '../core/metrics';
import { joinByEventId, scoreColumns } from '../core/quality';
import { s3File } from '../core/readers';
import { splitS3Uri } from '../../vocabulary/s3-uri';
import type { WindowObjects } from '../core/readers/window-objects';
import { labelWindow, windowJson } from '../core/window';
import { s3Client } from '../runtime/clients';
import { openTableOrEmpty } from '../runtime/data';
import { captureEvaluateOptions, captureReadOptions } from '../runtime/capture-settings';
import { defineHandler } from '../runtime/define-handler';
import { logger } from '../runtime/logger';
import { definedMetrics, undefinedMetrics } from '../runtime/metric-values';
import { groundTruthSince, groundTruthWindowObjects, openCaptureWindow, windowOf } from '../runtime/window-data';
import { loadModelSettings, type ModelSettings } from '../runtime/model-settings';
import { capturedPredictions } from './captured-predictions';
import { outputChecks, type OutputChecks } from './output-checks';
import { countGroundTruthLabels, readGroundTruth, readGroundTruthFiles } from './ground-truth-reader';

type Output = QualityOutput & { mismatched: number; labelBytesRead?: number } & Partial<Omit<OutputChecks, 'estimated' | 'predictionDrift'>>;

const filesOf = (s3: ReturnType<typeof s3Client>, listed: WindowObjects) =>
  listed.objects.map((o) => {
    const loc = splitS3Uri(o.uri);
    return s3File(s3, loc.bucket, loc.key, o.size);
  });

export const handler = defineHandler('quality', QualityInput, async (input): Promise<Output> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  if (!input.window) {
    const truth = await readGroundTruth(input.groundTruthUri, input.problemType, s3);
    const none = { metrics: [], newLabeledSamples: 0, matched: 0, mismatched: 0 };
    if (truth.size === 0) return none;
    const table = await openTableOrEmpty(input.captureUri, { s3, format: 'capture', ...captureReadOptions(settings) });
    if (table.columns.length === 0) return none;
    const scored = score(input, settings, await capturedPredictions(table, new Set(truth.keys())), truth);
    return { ...scored, newLabeledSamples: scored.matched };
  }

  const window = windowOf(input.window);
  const labelRange = labelWindow(window, input.window.labelDelaySeconds);
  const arrived = await groundTruthSince(s3, input.groundTruthUri, input.labelsSince);
  const newLabeledSamples = await countGroundTruthLabels(filesOf(s3, arrived), input.problemType);
  const truthObjects = await groundTruthWindowObjects(s3, input.groundTruthUri, labelRange.start, window.now);
  const truth = await readGroundTruthFiles(filesOf(s3, truthObjects), input.problemType);
  const opened = await openCaptureWindow(s3, input.window, labelRange, captureReadOptions(settings));
  const read = {
    window: windowJson(labelRange),
    bytesRead: opened.listed.bytes,
    objectsRead: opened.listed.objects.length,
    labelBytesRead: arrived.bytes + truthObjects.bytes,
  };
  const captured = truth.size === 0 || opened.table.columns.length === 0 ? new Map<string, number[][]>() : await capturedPredictions(opened.table, new Set(truth.keys()));
  const scored = score(input, settings, captured, truth);
  const output = input.referenceUri === '' ? {} : await outputChecks(s3, input.referenceUri, input.window, settings);
  if (scored.matched < input.window.minRows) {
    return { metrics: [], newLabeledSamples, matched: scored.matched, mismatched: scored.mismatched, ...read, insufficientData: true, ...output };
  }
  return { ...scored, newLabeledSamples, ...read, insufficientData: false, ...output };
});

/** Joins and scores; no metric when nothing matched. */
function score(
  input: QualityInput,
  settings: ModelSettings,
  captured: Map<string, number[][]>,
  truth: Map<string, number[]>,
): Omit<Output, 'newLabeledSamples'> {
  const joined = joinByEventId(captured, truth);
  if (joined.mismatched > 0) logger.warn('events with different instance counts in capture and ground truth', { mismatched: joined.mismatched });
  if (joined.matched === 0) return { metrics: [], matched: 0, mismatched: joined.mismatched };
  const scores = scoreColumns(input.problemType, joined.predictions, joined.labels);
  const metrics = evaluate(input.problemType, Float64Array.from(joined.labels), scores, captureEvaluateOptions(settings));
  const undefinedNames = undefinedMetrics(metrics);
  if (undefinedNames.length > 0) logger.info('metrics undefined on this data', { metrics: undefinedNames });
  return {
    metrics: Object.entries(definedMetrics(metrics)).map(([metric, value]) => ({ metric, value })),
    matched: joined.matched,
    mismatched: joined.mismatched,
  };
}
