/**
 * The contract of `prepareDataset`: the Retrain's first data step, which assembles
 * the training set and holdout from the history and the labeled production traffic
 * (lambdas/core/dataset). Kept beside statemachines/contracts.ts, which lists it in
 * LAMBDA_CONTRACTS.
 *
 * "The data says no" is returned, never thrown: `status` is `insufficientLabels` when
 * the recent holdout would hold fewer than `holdout.minRows` rows, `skewCritical` when
 * the skew check found drift at severity `critical`; the state machine routes on it.
 */
import { z } from 'zod';

/** The manifest's object name, in the run's dataset folder (`datasets/<model>/<runId>/`). */
export const DATASET_MANIFEST_FILE = 'manifest.json';

/** Content types of the training channel's formats: the objects' `Content-Type` and the channel's `ContentType`. */
export const CHANNEL_CONTENT_TYPES = { csv: 'text/csv', parquet: 'application/x-parquet' } as const;

/** `prepareDataset`'s input: the model's `data.dataset` settings, resolved to what the handler reads and writes. */
export const PrepareDatasetInput = z.object({
  /** Model name from the config. */
  model: z.string(),
  /** Id of this run. */
  runId: z.string(),
  problemType: z.enum(['binary', 'multiclass', 'regression']),
  label: z.string(),
  /** The model's features in inference order, with their types: the training schema. */
  features: z.array(z.object({ name: z.string(), type: z.enum(['numeric', 'categorical']) })),
  /** `$$.Execution.StartTime`: the windows end here. */
  startedAt: z.string(),
  /** The production model's training cut-off (ISO 8601); empty when there is no production model. */
  trainingCutoff: z.string(),
  history: z.object({
    /** `data.training`: an object or a prefix (ending in `/`). */
    uri: z.string(),
    /** `history.window` in seconds; 0: the whole history. */
    windowSeconds: z.number().min(0),
    /** `history.timestampColumn`; empty without a window. */
    timestampColumn: z.string(),
  }),
  production: z.object({
    enabled: z.boolean(),
    /** `production.window` in seconds. */
    windowSeconds: z.number().positive(),
    /** The production variant's capture: `<captureUri>/<endpoint>/<variant>/`. */
    capturePrefix: z.string(),
    /** `monitor.captureLag` in seconds: partitions read past the window's end. */
    captureLagSeconds: z.number().min(0),
    groundTruthUri: z.string(),
  }),
  holdout: z.object({
    /** `recent`, `fixed`, or `auto` (recent when labeled production rows exist). */
    kind: z.enum(['recent', 'fixed', 'auto']),
    fraction: z.number().gt(0).max(1),
    minRows: z.number().int().min(1),
    /** `data.holdout`, used when the holdout is fixed and shown beside a recent one. */
    fixedUri: z.string(),
  }),
  output: z.object({ format: z.enum(['csv', 'parquet']), header: z.boolean() }),
  skew: z.object({
    severity: z.enum(['warning', 'critical', 'off']),
    /** `triggers.drift.method`. */
    method: z.string(),
    /** `triggers.drift.threshold`. */
    threshold: z.number(),
  }),
  /** Where the files go: `s3://<artifacts>/datasets/<model>/<runId>/`. */
  outputPrefix: z.string(),
});

/** Rows left out of a data set, by reason. */
export const DatasetDrops = z.object({
  /** Production rows of a request captured again (the same join key): the first record is kept. */
  duplicate: z.number(),
  /** Production rows of a request whose ground truth holds another number of labels than it has rows. */
  labelCount: z.number(),
  /** Production rows whose features fail the training schema. */
  schema: z.number(),
  /** Captured rows in the production window still without ground truth. */
  unlabeled: z.number(),
  /** History rows outside `history.window`. */
  historyOutsideWindow: z.number(),
  /** History rows as new as the recent holdout's oldest row, or newer (cut so that nothing trains on the holdout's time). */
  historyAtOrAfterHoldout: z.number(),
});

/** No rows left out. */
export const NO_DATASET_DROPS: DatasetDrops = { duplicate: 0, labelCount: 0, schema: 0, unlabeled: 0, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 };

/** The number of rows left out, all reasons together. */
export const totalDrops = (d: DatasetDrops): number => Object.values(d).reduce((sum, n) => sum + n, 0);

/** The summary of a data set, as the run record and the local mode's `--json` show it. */
export const DatasetSummary = z.object({
  historyRows: z.number(),
  productionRows: z.number(),
  /** Rows left out, every reason of `dropped` together. */
  droppedRows: z.number(),
  /** Rows left out, by reason. */
  dropped: DatasetDrops,
  /** The production model's training cut-off the recent holdout is newer than (ISO 8601); empty without one. */
  trainingCutoff: z.string(),
  holdoutRows: z.number(),
  /** ISO 8601 inference time of the oldest holdout row; empty for a fixed holdout. */
  holdoutFrom: z.string(),
  /** ISO 8601 inference time of the newest holdout row; empty for a fixed holdout. */
  holdoutTo: z.string(),
  manifestUri: z.string(),
});

export const PrepareDatasetOutput = z.object({
  /** `ready`, or why the run stops. */
  status: z.enum(['ready', 'insufficientLabels', 'skewCritical']),
  /** One line for the run's end when the status is not `ready`; empty otherwise. */
  cause: z.string(),
  /** The training channel's S3 prefix (the training job's `train` channel). */
  trainingUri: z.string(),
  /** The channel's content type (`text/csv` or `application/x-parquet`). */
  trainingContentType: z.string(),
  /** The holdout the gate scores on: the recent holdout written, or `data.holdout`. */
  holdoutUri: z.string(),
  holdoutKind: z.enum(['recent', 'fixed']),
  /** `data.holdout`: judged beside the recent holdout in the report. */
  fixedHoldoutUri: z.string(),
  manifestUri: z.string(),
  /** `sha256:<hex>` of the files written. */
  contentHash: z.string(),
  dataset: DatasetSummary,
  skew: z.object({
    status: z.enum(['healthy', 'warning', 'critical', 'off']),
    features: z.array(z.object({ feature: z.string(), method: z.string(), score: z.number(), threshold: z.number(), drifted: z.boolean() })),
  }),
});

export type PrepareDatasetInput = z.infer<typeof PrepareDatasetInput>;
export type PrepareDatasetOutput = z.infer<typeof PrepareDatasetOutput>;
export type DatasetSummary = z.infer<typeof DatasetSummary>;
export type DatasetDrops = z.infer<typeof DatasetDrops>;
