/**
 * The output side of the `quality` Lambda: estimated quality (CBPE, binary) and
 * prediction drift (binary, regression) of the window's captured model outputs against
 * the prediction reference recorded at promotion (core/quality/prediction-reference.ts).
 * No label is needed, so the window is the run's own (not shifted by the label delay).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../vocabulary/errors';
import type { MonitorWindowInput } from '../../vocabulary/contracts';
import { estimateFromReference, predictionDrift, type EstimatedMetric, type PredictionDrift } from '../core/estimate';
import { parsePredictionReference } from '../core/quality';
import type { Table } from '../core/readers/types';
import { captureReadOptions } from '../runtime/capture-settings';
import type { ModelSettings } from '../runtime/model-settings';
import { readS3Json } from '../runtime/s3-objects';
import { openCaptureWindow, windowOf } from '../runtime/window-data';
import { predictionColumns, toNumber } from './captured-predictions';

/** What the output checks add to the quality output. */
export interface OutputChecks {
  /** Estimated metrics (binary): published as `EstimatedQuality`. */
  estimated?: EstimatedMetric[];
  /** Published as `PredictionDrift`. */
  predictionDrift?: PredictionDrift;
  /** Captured outputs in the window. */
  outputRows: number;
  /** True when fewer than `window.minRows` outputs were captured: nothing estimated or measured. */
  outputInsufficientData?: boolean;
  /** Whether the scores were calibrated on the reference. */
  calibrated?: boolean;
}

/** Every prediction row of a capture table, in capture order. */
export async function allPredictions(table: Table): Promise<number[][]> {
  const columns = predictionColumns(table.columns);
  if (columns.length === 0) throw new InputError('the capture holds no endpoint output (enable capture of responses)', { file: table.source });
  const out: number[][] = [];
  for await (const batch of table.batches()) {
    batch.rows.forEach((row, r) => out.push(columns.map((j) => toNumber(row[j], batch.file, batch.lines[r]!, table.columns[j]!))));
  }
  return out;
}

/** Estimated quality and prediction drift of the window's outputs against the reference at `referenceUri`. */
export async function outputChecks(s3: S3Client, referenceUri: string, window: MonitorWindowInput, settings: ModelSettings): Promise<OutputChecks> {
  const reference = parsePredictionReference(await readS3Json(referenceUri, s3), referenceUri);
  const opened = await openCaptureWindow(s3, window, windowOf(window), captureReadOptions(settings));
  const current = opened.table.columns.length === 0 ? [] : await allPredictions(opened.table);
  if (current.length === 0 || current.length < window.minRows) return { outputRows: current.length, outputInsufficientData: true };
  const out: OutputChecks = { outputRows: current.length, outputInsufficientData: false };
  if (reference.problemType === 'binary') {
    const estimated = estimateFromReference(reference, current, { threshold: settings.capture?.probabilityThreshold });
    out.estimated = estimated.metrics;
    out.calibrated = estimated.calibrated;
  }
  if (reference.problemType !== 'multiclass' && settings.predictionDrift) {
    out.predictionDrift = await predictionDrift(reference, current, settings.predictionDrift);
  }
  return out;
}
