/**
 * `prepareDataset`'s work, apart from the event parsing: read the history and the
 * production window, assemble (lambdas/core/dataset), check the skew, write the
 * training channel, the recent holdout and the manifest under `outputPrefix`, and say
 * what was built.
 *
 * Layout under `outputPrefix`: `train/train.csv` (or `.parquet`), the training channel's
 * only object; `holdout/holdout.csv`, the recent holdout (CSV with a header, as
 * `prepareHoldout` reads it); `manifest.json`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { DATASET_MANIFEST_FILE, NO_DATASET_DROPS, totalDrops, type DatasetDrops, type PrepareDatasetInput, type PrepareDatasetOutput } from '../../vocabulary/dataset-contracts';
import {
  InsufficientLabelsError,
  MANIFEST_VERSION,
  assembleDataset,
  checkSkew,
  contentHash,
  type DatasetManifest,
  type ManifestObject,
  type SkewResult,
} from '../core/dataset';
import type { DriftMethod } from '../../vocabulary/evaluation-names';
import type { CaptureSettings } from '../../vocabulary/capture-presets';
import { writeS3Bytes, writeS3Json } from '../runtime/s3-objects';
import { openHistory, openProduction } from './sources';

const iso = (ms: number) => new Date(ms).toISOString();

/** Builds the data set of one run. */
export async function prepareDataset(input: PrepareDatasetInput, s3: S3Client, capture: { capture?: CaptureSettings } = {}): Promise<PrepareDatasetOutput> {
  const now = new Date(input.startedAt);
  const schema = { features: input.features, label: input.label };
  const prefix = input.outputPrefix.endsWith('/') ? input.outputPrefix : `${input.outputPrefix}/`;
  const manifestUri = `${prefix}${DATASET_MANIFEST_FILE}`;
  const cutoffMs = input.trainingCutoff === '' ? undefined : Date.parse(input.trainingCutoff);

  const history = await openHistory(s3, input.history.uri);
  const objects: ManifestObject[] = [...history.objects];
  let production;
  if (input.production.enabled) {
    const range = { start: new Date(now.getTime() - input.production.windowSeconds * 1000), end: now };
    const opened = await openProduction(s3, {
      capturePrefix: input.production.capturePrefix,
      captureLagSeconds: input.production.captureLagSeconds,
      groundTruthUri: input.production.groundTruthUri,
      problemType: input.problemType,
      range,
      now,
      read: { captureFeatureNames: input.features.map((f) => f.name), ...capture },
    });
    objects.push(...opened.objects);
    if (opened.capture.columns.length > 0 && opened.truth.size > 0) {
      production = { capture: opened.capture, truth: opened.truth, range: { start: range.start.getTime(), end: range.end.getTime() } };
    }
  }
  // The window ends now; with a recent holdout, assembleDataset ends it at the holdout's start.
  const historyTime =
    input.history.timestampColumn === ''
      ? undefined
      : {
          timestampColumn: input.history.timestampColumn,
          ...(input.history.windowSeconds > 0 ? { window: { start: now.getTime() - input.history.windowSeconds * 1000, end: now.getTime() } } : {}),
        };

  let assembled;
  try {
    assembled = await assembleDataset({
      schema,
      problemType: input.problemType,
      history: history.table,
      ...(historyTime ? { historyTime } : {}),
      ...(production ? { production } : {}),
      holdout: { kind: input.holdout.kind, fraction: input.holdout.fraction, minRows: input.holdout.minRows, ...(cutoffMs === undefined ? {} : { cutoff: cutoffMs }) },
      output: input.output,
    });
  } catch (err) {
    if (!(err instanceof InsufficientLabelsError)) throw err;
    return stopped(input, 'insufficientLabels', err.message, { productionRows: err.productionRows, holdoutRows: err.holdoutRows, dropped: err.dropped ?? NO_DATASET_DROPS });
  }

  const skew: SkewResult | undefined =
    input.skew.severity === 'off'
      ? undefined
      : await checkSkew(assembled.historyRows, assembled.productionRows, {
          schema,
          severity: input.skew.severity,
          method: input.skew.method as DriftMethod,
          threshold: input.skew.threshold,
        });

  const trainingUri = `${prefix}train/`;
  const trainingObject = `${trainingUri}train${assembled.training.extension}`;
  const holdoutObject = `${prefix}holdout/holdout.csv`;
  await writeS3Bytes(trainingObject, assembled.training.bytes, assembled.training.contentType, s3);
  if (assembled.holdout) await writeS3Bytes(holdoutObject, assembled.holdout.bytes, assembled.holdout.contentType, s3);
  const hash = contentHash(assembled.holdout ? [assembled.training.bytes, assembled.holdout.bytes] : [assembled.training.bytes]);
  const holdoutFrom = assembled.holdoutRange ? iso(assembled.holdoutRange.from) : '';
  const holdoutTo = assembled.holdoutRange ? iso(assembled.holdoutRange.to) : '';
  const manifest: DatasetManifest = {
    version: MANIFEST_VERSION,
    model: input.model,
    runId: input.runId,
    createdAt: new Date().toISOString(),
    objects,
    rows: assembled.rows,
    dropped: assembled.dropped,
    holdout: { kind: assembled.holdoutKind, from: holdoutFrom, to: holdoutTo, cutoff: input.trainingCutoff },
    training: { uri: trainingObject, rows: assembled.rows.training, contentType: assembled.training.contentType, columns: assembled.training.columns },
    ...(assembled.holdout
      ? { holdoutFile: { uri: holdoutObject, rows: assembled.rows.holdout, contentType: assembled.holdout.contentType, columns: assembled.holdout.columns } }
      : {}),
    contentHash: hash,
  };
  await writeS3Json(manifestUri, { ...manifest, problems: assembled.problems, ...(skew ? { skew } : {}) }, s3);

  const skewCritical = skew?.status === 'critical';
  return {
    status: skewCritical ? 'skewCritical' : 'ready',
    cause: skewCritical
      ? `Training/serving skew: ${skew.features.filter((f) => f.drifted).map((f) => `${f.feature} ${f.method} ${f.score.toFixed(3)} > ${f.threshold}`).join(', ')}`
      : '',
    trainingUri,
    trainingContentType: assembled.training.contentType,
    holdoutUri: assembled.holdout ? holdoutObject : input.holdout.fixedUri,
    holdoutKind: assembled.holdoutKind,
    fixedHoldoutUri: input.holdout.fixedUri,
    manifestUri,
    contentHash: hash,
    dataset: {
      historyRows: assembled.rows.history,
      productionRows: assembled.rows.production,
      droppedRows: totalDrops(assembled.dropped),
      dropped: assembled.dropped,
      trainingCutoff: input.trainingCutoff,
      holdoutRows: assembled.rows.holdout,
      holdoutFrom,
      holdoutTo,
      manifestUri,
    },
    skew: { status: skew?.status ?? 'off', features: skew?.features ?? [] },
  };
}

/** The output of a run that stops before anything is written. */
function stopped(input: PrepareDatasetInput, status: 'insufficientLabels', cause: string, counts: { productionRows: number; holdoutRows: number; dropped: DatasetDrops }): PrepareDatasetOutput {
  return {
    status,
    cause,
    trainingUri: '',
    trainingContentType: '',
    holdoutUri: '',
    holdoutKind: 'recent',
    fixedHoldoutUri: input.holdout.fixedUri,
    manifestUri: '',
    contentHash: '',
    dataset: {
      historyRows: 0,
      productionRows: counts.productionRows,
      droppedRows: totalDrops(counts.dropped),
      dropped: counts.dropped,
      trainingCutoff: input.trainingCutoff,
      holdoutRows: counts.holdoutRows,
      holdoutFrom: '',
      holdoutTo: '',
      manifestUri: '',
    },
    skew: { status: 'off', features: [] },
  };
}
