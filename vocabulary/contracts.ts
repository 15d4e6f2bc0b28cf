/**
 * The input and output of every Lambda the state machines invoke.
 *
 * The state machines build each input with a `Parameters` template and route on the
 * output with `Choice` states, so these shapes are the contract between the state
 * machines and the handlers under `lambdas/<name>/handler.ts`: a handler parses its
 * event with the `...Input` schema and returns a value the `...Output` schema accepts.
 * Extra fields in an output are allowed (kept in the run record) but only the fields
 * named here are read by the state machines.
 *
 * A handler signals "the data says no" (critical data, gate failed, canary breached)
 * by returning it, never by throwing: the state machine routes on the returned flag
 * and reports it. A handler throws only for real errors (bad input, S3 unreadable);
 * those are retried when transient and otherwise end the run as `PipelineFailed`.
 */
import { z } from 'zod';
import { PrepareDatasetInput, PrepareDatasetOutput } from './dataset-contracts';

/** Fields every Lambda input carries: which model and which run. */
const RunFields = {
  /** Model name from the config (`ModelConfig.name`). */
  model: z.string(),
  /** Id of this run, unique per model: `<model>-<12 hex>`; SageMaker job names derive from it. */
  runId: z.string(),
};

const Severity = z.enum(['healthy', 'warning', 'critical']);

/**
 * The time window of a monitor run (lambdas/core/window): what the Monitor passes to
 * `validate`, `drift` and `quality`, each of which resolves the same window from it.
 * Absent (the Retrain's training-data validation, the CLI), the whole source is read.
 */
export const MonitorWindowInput = z.object({
  /** The schedule event's time; empty for a console or CLI start. */
  time: z.string().default(''),
  /** `$$.Execution.StartTime`. */
  startedAt: z.string(),
  /** A backfill's window end (ISO 8601); empty: the run's time floored to the period. */
  windowEnd: z.string().default(''),
  /** A backfill's window length (ISO 8601 duration); empty: `defaultLengthSeconds`. */
  length: z.string().default(''),
  /** The monitor schedule's period in seconds (windows end on its multiples). */
  periodSeconds: z.number().positive(),
  /** `monitor.window` in seconds. */
  defaultLengthSeconds: z.number().positive(),
  /** `monitor.captureLag` in seconds: capture partitions read past the window end. */
  captureLagSeconds: z.number().min(0),
  /** `monitor.labelDelay` in seconds: live quality joins the window shifted back by it. */
  labelDelaySeconds: z.number().min(0),
  /** `monitor.minRows`: fewer rows in the window is `insufficientData`, not a verdict. */
  minRows: z.number().int().min(0),
  /** The production variant's capture: `<captureUri>/<endpoint>/<variant>/` (SageMaker's layout). */
  capturePrefix: z.string(),
});
export type MonitorWindowInput = z.infer<typeof MonitorWindowInput>;

/** A resolved window, `[start, end)`, ISO 8601. */
export const WindowRange = z.object({ start: z.string(), end: z.string() });

/** What a windowed read saw: reported by `validate`, `drift` and `quality`. */
const WindowRead = {
  /** The window read; present when the input had one. */
  window: WindowRange.optional(),
  /** Bytes of the objects read. */
  bytesRead: z.number().optional(),
  /** Objects read. */
  objectsRead: z.number().optional(),
  /** True when the window held fewer than `minRows` rows: no verdict, no datapoint. */
  insufficientData: z.boolean().optional(),
};

/** One data check of {@link ValidateOutput}. */
export const ValidationCheck = z.object({
  /** What was checked: `missing`, `duplicates`, `outOfRange`, `unseenCategory`, `rows`, `freshness`, `labelShift`, `schema`. */
  check: z.string(),
  /** The column, when the check is per column. */
  column: z.string().optional(),
  /** Measured value (a fraction of rows, a row count, hours). */
  value: z.number(),
  /** The limit that was crossed, when the status is not healthy. */
  threshold: z.number().optional(),
  status: Severity,
  /** One line for the report. */
  message: z.string(),
});

/**
 * `validate`: checks a data set against the model's validation limits.
 * `target: 'captured'` reads the endpoint's data capture since `since` (Monitor);
 * `target: 'training'` reads the training data (Retrain).
 */
export const ValidateInput = z.object({
  ...RunFields,
  target: z.enum(['captured', 'training']),
  /** S3 URI of the data (captureUri for `captured`, data.training for `training`). */
  dataUri: z.string(),
  /** S3 URI of the current baseline; empty before the first training (checks needing it are skipped). */
  baselineUri: z.string(),
  /** `captured` from the Monitor: the window to read instead of the whole `dataUri`. */
  window: MonitorWindowInput.optional(),
});
/** Overall status is the worst status of the checks. `critical` stops the run. */
export const ValidateOutput = z.object({
  status: Severity,
  checks: z.array(ValidationCheck),
  /** Rows read. */
  rows: z.number(),
  ...WindowRead,
});

/** `profile`: computes the baseline (per-feature histograms, categories, label distribution) from the training data. */
export const ProfileInput = z.object({
  ...RunFields,
  trainingUri: z.string(),
  /** S3 URI where the baseline JSON is written: `s3://<artifacts>/baselines/<model>/<runId>/baseline.json`. */
  outputUri: z.string(),
});
export const ProfileOutput = z.object({
  /** Where the baseline was written (equal to the input `outputUri`). */
  baselineUri: z.string(),
  rows: z.number(),
  /** Feature names profiled. */
  features: z.array(z.string()),
});

/** `drift`: compares captured requests with the baseline, per feature. */
export const DriftInput = z.object({
  ...RunFields,
  captureUri: z.string(),
  /** S3 URI of the current baseline; empty when no model was trained yet (then nothing drifts: `features: []`). */
  baselineUri: z.string(),
  /** The Monitor's window: only its capture is compared. @default all of `captureUri` */
  window: MonitorWindowInput.optional(),
});
/** One feature's drift. The Monitor publishes `score` as metric `Drift` with dimensions Model and Feature. */
export const FeatureDrift = z.object({
  feature: z.string(),
  method: z.string(),
  score: z.number(),
  threshold: z.number(),
  drifted: z.boolean(),
});
export const DriftOutput = z.object({
  /** One entry per feature (may be empty). */
  features: z.array(FeatureDrift),
  /** Count of features with `drifted: true`; published as `DriftedFeatures`. */
  driftedFeatures: z.number(),
  /** Captured rows compared. */
  rows: z.number(),
  ...WindowRead,
});

/** `quality`: joins captured predictions with ground truth and computes live metrics. */
export const QualityInput = z.object({
  ...RunFields,
  captureUri: z.string(),
  groundTruthUri: z.string(),
  problemType: z.enum(['binary', 'multiclass', 'regression']),
  label: z.string(),
  /** The Monitor's window: predictions of the window shifted back by the label delay. @default all of `captureUri` */
  window: MonitorWindowInput.optional(),
  /**
   * ISO 8601 time the production model's training data was taken (recorded at
   * promotion); `newLabeledSamples` counts the ground truth that arrived since. Empty:
   * every ground-truth record counts.
   */
  labelsSince: z.string().default(''),
  /**
   * The production model's prediction reference (recorded at promotion). With a window,
   * the window's captured outputs are compared with it: estimated quality (binary) and
   * prediction drift. Empty: neither. @default ''
   */
  referenceUri: z.string().default(''),
});
/** One live metric of {@link QualityOutput}; published as `LiveQuality` with dimensions Model and Metric=<metric>. */
export const LiveMetric = z.object({
  /** camelCase metric name (e.g. `f1`, `rmse`). */
  metric: z.string(),
  value: z.number(),
});
export const QualityOutput = z.object({
  /** Live metrics; empty when no labeled samples matched. */
  metrics: z.array(LiveMetric),
  /** Labeled samples that arrived since the last training; published as `NewLabeledSamples`. */
  newLabeledSamples: z.number(),
  /** Samples matched between capture and ground truth. */
  matched: z.number(),
  /** Metrics estimated without labels (CBPE, binary); published as `EstimatedQuality` with dimensions Model and Metric. Absent: none. */
  estimated: z.array(LiveMetric).optional(),
  /** Drift of the captured outputs from the reference's; `score` published as `PredictionDrift`. Absent: not measured. */
  predictionDrift: z.object({ method: z.string(), score: z.number(), threshold: z.number(), drifted: z.boolean() }).optional(),
  ...WindowRead,
});

/**
 * `prepareHoldout`: turns the holdout into the batch transform's input, the features
 * only, as the model's `/invocations` takes them (CSV, no header, no label, the
 * features in the model's order), one line per holdout row; and writes the labels of
 * the same rows, in the same order, for `evaluate` to pair with the `.out` lines.
 */
export const PrepareHoldoutInput = z.object({
  ...RunFields,
  /** The holdout (`data.holdout`): CSV, JSON Lines or Parquet, an object or a prefix. */
  holdoutUri: z.string(),
  label: z.string(),
  /** Labels are checked against it before any transform runs. */
  problemType: z.enum(['binary', 'multiclass', 'regression']),
  /** The config's features in inference order; empty: every column but the label, in file order. */
  features: z.array(z.string()),
  /** S3 object URI of the transform input: `s3://<artifacts>/transforms/<model>/<runId>/input/holdout.csv`. */
  transformInputUri: z.string(),
  /**
   * Write the label first on each line of `transformInputUri` (a training channel for
   * SageMaker's built-in algorithms and framework containers, read from `data.training`). @default false
   */
  labelFirst: z.boolean().default(false),
  /** S3 object URI of the labels (CSV, one column named after the label): `s3://<artifacts>/transforms/<model>/<runId>/labels.csv`. */
  labelsUri: z.string(),
});
export const PrepareHoldoutOutput = z.object({
  /** Where the transform input was written (equal to the input `transformInputUri`); both transforms read it. */
  transformInputUri: z.string(),
  /** Where the labels were written (equal to the input `labelsUri`); `evaluate` reads them. */
  labelsUri: z.string(),
  /** Holdout rows: lines of the transform input, and labels. */
  rows: z.number(),
  /** The feature columns written, in order. */
  features: z.array(z.string()),
});

/** Rules of the gate, exactly `ModelConfig.gate`. */
const GateRules = z.object({
  absolute: z.array(z.object({ metric: z.string(), min: z.number().optional(), max: z.number().optional() })),
  relative: z.array(z.object({ metric: z.string(), maxDegradation: z.number() })),
  primary: z.object({ metric: z.string(), minImprovement: z.number() }).optional(),
});

/** `evaluate`: scores candidate (and production) predictions on the holdout and applies the gate. */
export const EvaluateInput = z.object({
  ...RunFields,
  problemType: z.enum(['binary', 'multiclass', 'regression']),
  label: z.string(),
  classes: z.number().optional(),
  /**
   * The holdout labels `prepareHoldout` wrote (CSV, one column named after the label), one per
   * line of the transform input, in the same order: the i-th label scores the i-th
   * prediction line.
   */
  labelsUri: z.string(),
  /** S3 prefix of the candidate's batch transform output (`<input file>.out` files). */
  candidatePredictionsUri: z.string(),
  /** S3 prefix of production's batch transform output; empty on the first run (then only absolute rules apply). */
  productionPredictionsUri: z.string(),
  gate: GateRules,
  /** S3 URI where the metrics JSON is written; it is attached to the model package as ModelQuality statistics. */
  metricsUri: z.string(),
  /**
   * S3 URI where the candidate's holdout predictions and the labels are written as a
   * prediction reference (lambdas/core/quality/prediction-reference.ts), recorded at
   * promotion for the Monitor. @default not written
   */
  referenceUri: z.string().default(''),
});
/** One gate rule's verdict. */
export const GateRuleResult = z.object({
  kind: z.enum(['absolute', 'relative', 'primary']),
  metric: z.string(),
  passed: z.boolean(),
  candidate: z.number(),
  production: z.number().optional(),
  /** The bound applied (min/max, allowed degradation or required improvement). */
  threshold: z.number(),
  message: z.string(),
});
export const EvaluateOutput = z.object({
  /** True when every rule passed (and, with no rules, always). */
  passed: z.boolean(),
  candidate: z.record(z.string(), z.number()),
  production: z.record(z.string(), z.number()).optional(),
  rules: z.array(GateRuleResult),
  /** Where the metrics JSON was written (equal to the input `metricsUri`). */
  metricsUri: z.string(),
  /** Where the prediction reference was written (the input `referenceUri`); absent when none was asked for. */
  referenceUri: z.string().optional(),
});

/** `smokeTest`: sends requests to one variant (TargetVariant) and checks each answer and the latency. */
export const SmokeTestInput = z.object({
  ...RunFields,
  endpointName: z.string(),
  /** Always the candidate variant name. */
  targetVariant: z.string(),
  /** Holdout data to draw request rows from (label column dropped). */
  holdoutUri: z.string(),
  label: z.string(),
  /** The model's features in inference order; empty: every column but the label, in file order. @default [] */
  features: z.array(z.string()).default([]),
  requests: z.number(),
  /** Highest acceptable p99 latency in milliseconds. */
  p99Ms: z.number(),
});
export const SmokeTestOutput = z.object({
  passed: z.boolean(),
  requests: z.number(),
  /** Requests that errored or returned an invalid prediction. */
  failures: z.number(),
  p99Ms: z.number(),
  /** Why it failed, one line; present when `passed` is false. */
  reason: z.string().optional(),
});

/** `canaryCheck`: reads per-variant CloudWatch metrics (dimension VariantName) over the bake window and judges the candidate. */
export const CanaryCheckInput = z.object({
  ...RunFields,
  endpointName: z.string(),
  variants: z.object({ production: z.string(), candidate: z.string() }),
  /**
   * The stage just baked. Its metric window starts at `startedAt` (ISO 8601: when its
   * weights were in service, rounded up to the minute) and ends `evidence.metricLagMinutes`
   * before now (rounded down); `extensions` is how many times its bake was extended.
   */
  stage: z.object({
    index: z.number(),
    percent: z.number(),
    bakeMinutes: z.number(),
    /** ISO 8601, or epoch milliseconds (as an AWS SDK integration may give a timestamp). */
    startedAt: z.union([z.string(), z.number()]),
    extensions: z.number().int().min(0).default(0),
  }),
  /** What a stage needs to pass (the config's `canary.minRequests`, `alpha`, `metricLagMinutes`). */
  evidence: z.object({ minRequests: z.number().int().min(1), alpha: z.number().gt(0).lt(1), metricLagMinutes: z.number().min(0) }),
  /** The limits of `ModelConfig.canary`. */
  limits: z.object({
    maxErrorRate: z.number(),
    maxLatencyP95Ms: z.number(),
    maxLatencyP99Ms: z.number(),
    customMetric: z
      .object({
        namespace: z.string(),
        metricName: z.string(),
        dimensions: z.record(z.string(), z.string()),
        statistic: z.string(),
        threshold: z.number(),
        comparison: z.string(),
      })
      .optional(),
  }),
});
export const CanaryCheckOutput = z.object({
  /** pass, fail, or inconclusive (too few candidate requests: the bake is extended). */
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  /** The rule that decided: minRequests, absoluteLimits, noErrors, zTest, fisher or noProductionTraffic. */
  rule: z.string(),
  /** One-sided p-value of the comparison with production, when one was made. */
  pValue: z.number().optional(),
  /** The metric window read (ISO 8601), and the bake extensions so far. */
  window: z.object({ start: z.string(), end: z.string() }),
  extensions: z.number(),
  /** Whether the stage failed (verdict `fail`). */
  breached: z.boolean(),
  /** Which limit was breached, one line; present when `breached` is true. */
  reason: z.string().optional(),
  /** Values read for the candidate (and production, for comparison): errorRate, latencyP95Ms, latencyP99Ms, invocations, custom. */
  metrics: z.object({
    candidate: z.record(z.string(), z.number()),
    production: z.record(z.string(), z.number()).optional(),
  }),
});

/** `report`: writes the run record (JSON) and the human report (Markdown) to S3 and returns a summary line. */
export const ReportInput = z.object({
  ...RunFields,
  kind: z.enum(['monitor', 'retrain', 'canary', 'rollback']),
  /** Execution ARN. */
  executionId: z.string(),
  /** ISO 8601 start of the execution. */
  startedAt: z.string(),
  /**
   * Retrain: one of Promoted, Rejected, RolledBack, Skipped, Failed (vocabulary/pipeline-names OUTCOMES).
   * Monitor: `Completed` or `Failed`. Rollback: `RolledBack` or `Failed`.
   */
  outcome: z.string(),
  /** The named error that ended the run (e.g. `GateRejected`, see statemachines/errors.ts); empty when none. */
  error: z.string(),
  /** Why: the error's cause, or the reason of a skip; may be empty. */
  cause: z.string(),
  /** Days the next retrain must wait after a promotion (retrain only). */
  cooldownDays: z.number().optional(),
  /** `triggers.maxModelAgeDays` (retrain only): gives `maxAgeAt`. */
  maxModelAgeDays: z.number().optional(),
  /** `triggers.retryAfterHours` (retrain only): gives `retryAfterAt`. */
  retryAfterHours: z.number().optional(),
  /** Every result gathered by the run (the state machine's whole state), kept in the record as is. */
  details: z.record(z.string(), z.unknown()),
  /** S3 URI of the run record JSON: `s3://<artifacts>/runs/<model>/<runId>.json`; the Markdown goes to `reports/<model>/<runId>.md`. */
  recordUri: z.string(),
  reportUri: z.string(),
});
export const ReportOutput = z.object({
  recordUri: z.string(),
  reportUri: z.string(),
  /** One line for the notification subject/body, e.g. `churn: Promoted (f1 0.81 → 0.84)`. */
  summary: z.string(),
  /** ISO 8601 time the record was written. */
  finishedAt: z.string(),
  /** ISO 8601: finishedAt + cooldownDays; present when `cooldownDays` was given. The retrain stores it as the cooldown end. */
  nextEligibleAt: z.string().optional(),
  /** ISO 8601: finishedAt + maxModelAgeDays; the retrain records it at a promotion. */
  maxAgeAt: z.string().optional(),
  /** ISO 8601: finishedAt + retryAfterHours; the retrain records it when it ends without promoting. */
  retryAfterAt: z.string().optional(),
});

export type ValidateInput = z.infer<typeof ValidateInput>;
export type ValidateOutput = z.infer<typeof ValidateOutput>;
export type ProfileInput = z.infer<typeof ProfileInput>;
export type ProfileOutput = z.infer<typeof ProfileOutput>;
export type DriftInput = z.infer<typeof DriftInput>;
export type DriftOutput = z.infer<typeof DriftOutput>;
export type QualityInput = z.infer<typeof QualityInput>;
export type QualityOutput = z.infer<typeof QualityOutput>;
export type LiveMetric = z.infer<typeof LiveMetric>;
export type PrepareHoldoutInput = z.infer<typeof PrepareHoldoutInput>;
export type PrepareHoldoutOutput = z.infer<typeof PrepareHoldoutOutput>;
export type EvaluateInput = z.infer<typeof EvaluateInput>;
export type EvaluateOutput = z.infer<typeof EvaluateOutput>;
export type SmokeTestInput = z.infer<typeof SmokeTestInput>;
export type SmokeTestOutput = z.infer<typeof SmokeTestOutput>;
export type CanaryCheckInput = z.infer<typeof CanaryCheckInput>;
export type CanaryCheckOutput = z.infer<typeof CanaryCheckOutput>;
export type ReportInput = z.infer<typeof ReportInput>;
export type ReportOutput = z.infer<typeof ReportOutput>;

/** Input and output schema of each Lambda, by its key in `PitstopFunctions`. */
export const LAMBDA_CONTRACTS = {
  validate: { input: ValidateInput, output: ValidateOutput },
  profile: { input: ProfileInput, output: ProfileOutput },
  drift: { input: DriftInput, output: DriftOutput },
  quality: { input: QualityInput, output: QualityOutput },
  prepareDataset: { input: PrepareDatasetInput, output: PrepareDatasetOutput },
  prepareHoldout: { input: PrepareHoldoutInput, output: PrepareHoldoutOutput },
  evaluate: { input: EvaluateInput, output: EvaluateOutput },
  smokeTest: { input: SmokeTestInput, output: SmokeTestOutput },
  canaryCheck: { input: CanaryCheckInput, output: CanaryCheckOutput },
  report: { input: ReportInput, output: ReportOutput },
} as const;
