/**
 * The schema of one model's configuration. Every optional field has its default
 * applied, so the parsed `ModelConfig` holds every value a consumer needs.
 */
import { z } from 'zod';
import { DRIFT_CORRECTIONS, DRIFT_DEFAULT_THRESHOLD, ESTIMATED_QUALITY_METRICS, METRIC_DIRECTION, PROBLEM_TYPES } from '../evaluation-names';
import { CaptureSchema } from './capture-schema';
import { DatasetSchema } from './dataset-schema';
import { modelIssues } from './checks';
import {
  driftMethod,
  fraction,
  isoDuration,
  metricName,
  nonEmpty,
  numberIn,
  patternString,
  positiveInt,
  s3Uri,
  scheduleExpression,
} from './fields';
import { showValue } from './messages';
import { VALIDATION_DEFAULTS } from './validation-defaults';
import { DEFAULT_FAN_OUT_BYTES, DEFAULT_MAX_CONCURRENCY, DEFAULT_SHARD_BYTES } from '../fan-out';
import { withContainerDefaults } from './container-checks';
import { TRAINING_ALGORITHMS, TRAINING_FRAMEWORKS } from './sagemaker-images';

/** Run a refinement even when other fields of the same object are invalid, so every problem is listed at once. */
export const ALWAYS = { when: () => true } as const;

/** The canary stages used when none are configured: 5, 25, 50 and 100 % with 10 minutes of bake time each. */
export const DEFAULT_CANARY_STAGES = [
  { percent: 5, bakeMinutes: 10 },
  { percent: 25, bakeMinutes: 10 },
  { percent: 50, bakeMinutes: 10 },
  { percent: 100, bakeMinutes: 10 },
] as const;

const ecrImage = () =>
  patternString(
    /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$/,
    'an ECR image URI like "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag"',
  );
const instanceType = () => patternString(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'a SageMaker instance type like "ml.m5.xlarge"');
const alarmPeriods = {
  /** Number of breaching datapoints within the evaluation periods that set the alarm. @default 2 */
  datapointsToAlarm: positiveInt(100).default(2),
  /** Number of most recent periods the alarm looks at. @default 3 */
  evaluationPeriods: positiveInt(100).default(3),
};

/** Per-feature drift settings; absent fields are taken from `triggers.drift`. */
export const FeatureDriftSchema = z.strictObject({
  /** Drift statistic for this feature. @default triggers.drift.method */
  method: driftMethod().optional(),
  /** Drift threshold for this feature. @default the method's default threshold, or triggers.drift.threshold when the method is inherited */
  threshold: numberIn({ min: 0, exclusiveMin: true }).optional(),
});

/** One input feature of the model. */
export const FeatureSchema = z.strictObject({
  /** Column name in the training data and the captured requests. */
  name: nonEmpty(),
  /** How the feature is profiled and compared. */
  type: z.enum(['numeric', 'categorical']),
  /** Drift settings for this feature. @default triggers.drift's method and threshold */
  drift: FeatureDriftSchema.optional(),
});

/** Where the model's data lives. */
export const DataSchema = z.strictObject({
  /** Training data (object or prefix). */
  training: s3Uri(),
  /** Holdout data both candidate and production are scored on (object or prefix). */
  holdout: s3Uri(),
  /** Prefix the endpoint's data capture writes to. */
  captureUri: s3Uri(),
  /** Prefix where ground-truth labels arrive. */
  groundTruthUri: s3Uri(),
  /** Where pitstop writes models, baselines, reports. @default the stack's own bucket */
  artifactsUri: s3Uri().optional(),
  /** How a retrain assembles its training set and holdout from history and labeled production traffic. @default none: data.training and data.holdout as they are */
  dataset: DatasetSchema.optional(),
});

const rangeName = () => nonEmpty().max(256);
const scaling = z.enum(['Auto', 'Linear', 'Logarithmic', 'ReverseLogarithmic']);

/** Hyperparameter tuning job settings. */
export const TuningSchema = z.strictObject({
  /** The metric the tuner optimizes, as emitted by the training container (see `training.metricDefinitions`). */
  objectiveMetric: z.strictObject({ name: nonEmpty(), type: z.enum(['Maximize', 'Minimize']) }),
  /** Total training jobs the tuner may start. @default 10 */
  maxJobs: positiveInt(750).default(10),
  /** Training jobs run at the same time. @default 2 */
  maxParallelJobs: positiveInt(100).default(2),
  /** The hyperparameters to search. At least one range is required. */
  ranges: z
    .strictObject({
      /** @default [] */
      continuous: z.array(z.strictObject({ name: rangeName(), min: z.number(), max: z.number(), scaling: scaling.default('Auto') })).default([]),
      /** @default [] */
      integer: z
        .array(
          z.strictObject({
            name: rangeName(),
            min: numberIn({ integer: true }),
            max: numberIn({ integer: true }),
            scaling: z.enum(['Auto', 'Linear', 'Logarithmic']).default('Auto'),
          }),
        )
        .default([]),
      /** @default [] */
      categorical: z.array(z.strictObject({ name: rangeName(), values: z.array(nonEmpty()).min(1) })).default([]),
    })
    .prefault({}),
});

const hyperparameterValue = z
  .union([z.string().max(2500), z.number(), z.boolean()], {
    error: (iss) => `expected a string, number or boolean, got ${showValue(iss.input)}`,
  })
  .transform((v) => String(v));

/** Training job settings. */
export const TrainingSchema = z
  .strictObject({
    /** ECR image URI of your own training container (one of image, algorithm or framework). @default none */
    image: ecrImage().optional(),
    /** ECR image URI of your own inference container; only with `image`. @default training.image */
    inferenceImage: ecrImage().optional(),
    /** A SageMaker built-in algorithm, its image resolved per region at deploy (one of image, algorithm or framework). @default none */
    algorithm: z.enum(TRAINING_ALGORITHMS).optional(),
    /** A SageMaker framework container that runs your script (script mode; one of image, algorithm or framework). @default none */
    framework: z.enum(TRAINING_FRAMEWORKS).optional(),
    /** Version of the algorithm or framework container, like "1.7-1" (XGBoost) or "1.2-1" (scikit-learn); required with either. @default none */
    version: nonEmpty().optional(),
    /** The script the framework container runs (a file of sourceDir, like "train.py"); required with `framework`. @default none */
    entryPoint: patternString(/^[\w.-]+(\/[\w.-]+)*\.py$/, 'a relative path to a Python file, like "train.py"').optional(),
    /**
     * Your script's directory: a local path (packed as sourcedir.tar.gz and uploaded as an
     * asset at deploy) or the s3:// URI of a sourcedir.tar.gz; required with `framework`. @default none
     */
    sourceDir: nonEmpty().optional(),
    /** @default 'ml.m5.xlarge' */
    instanceType: instanceType().default('ml.m5.xlarge'),
    /** @default 1 */
    instanceCount: positiveInt(100).default(1),
    /** @default 30 */
    volumeSizeGb: positiveInt(16384).default(30),
    /** Static hyperparameters passed to the container (numbers and booleans become strings). @default {} */
    hyperparameters: z.record(nonEmpty().max(256), hyperparameterValue).default({}),
    /** Metrics the container prints, with the regex that extracts them from its logs. @default [] */
    metricDefinitions: z.array(z.strictObject({ name: nonEmpty().max(255), regex: nonEmpty().max(500) })).max(40).default([]),
    /** @default 86400 (one day) */
    maxRuntimeSeconds: numberIn({ min: 1, max: 2_419_200, integer: true }).default(86_400),
    /** Train on spot capacity. @default false */
    managedSpot: z.boolean().default(false),
    /** Total time to wait for spot capacity plus training; used only with managedSpot. @default 2 × maxRuntimeSeconds */
    maxWaitSeconds: positiveInt().optional(),
    /** Instance type of the endpoint variant. @default 'ml.m5.large' */
    inferenceInstanceType: instanceType().default('ml.m5.large'),
    /** Hyperparameter tuning; when absent a single training job runs. */
    tuning: TuningSchema.optional(),
  })
  .transform((t) => ({
    ...t,
    inferenceImage: t.inferenceImage ?? t.image,
    maxWaitSeconds: t.maxWaitSeconds ?? 2 * t.maxRuntimeSeconds,
  }));

/** Drift alarm settings. */
export const DriftTriggerSchema = z
  .strictObject({
    /** @default 'psi' */
    method: driftMethod().default('psi'),
    /** @default the method's default (0.2 for psi; see DRIFT_DEFAULT_THRESHOLD) */
    threshold: numberIn({ min: 0, exclusiveMin: true }).optional(),
    /** Number of drifted features that counts as a breaching datapoint. @default 1 */
    driftedFeatures: positiveInt().default(1),
    /** Multiple-testing correction of the p-value methods' p-values (ks, chiSquare) over the features. @default 'bh' */
    correction: z.enum(DRIFT_CORRECTIONS).default('bh'),
    /** A p-value method drifts only when its effect (KS distance; Cramér's V) reaches this. @default none */
    minEffect: numberIn({ min: 0, max: 1 }).optional(),
    ...alarmPeriods,
  })
  .transform((d) => ({ ...d, threshold: d.threshold ?? DRIFT_DEFAULT_THRESHOLD[d.method] }));

/** Live quality alarm settings. */
export const QualityTriggerSchema = z
  .strictObject({
    /** The live metric to watch. */
    metric: metricName(),
    /** The alarm level of the metric. */
    threshold: z.number(),
    /** Which side of the threshold is bad. @default 'lowerIsWorse' for scores, 'higherIsWorse' for losses */
    comparison: z.enum(['lowerIsWorse', 'higherIsWorse']).optional(),
    ...alarmPeriods,
  })
  .transform((q) => ({
    ...q,
    comparison: q.comparison ?? (METRIC_DIRECTION[q.metric] === 'higher' ? ('lowerIsWorse' as const) : ('higherIsWorse' as const)),
  }));

/** Estimated quality alarm settings (binary classification; CBPE without labels). */
export const EstimatedQualityTriggerSchema = z.strictObject({
  /** The estimated metric to watch. */
  metric: z.enum(ESTIMATED_QUALITY_METRICS),
  /** The alarm level: the alarm fires when the estimate is below it. */
  threshold: numberIn({ min: 0, max: 1 }),
  ...alarmPeriods,
});

/** Prediction drift as a retrain trigger (without it, its alarm is informational). */
export const PredictionDriftTriggerSchema = z.strictObject({
  /** @default `triggers.drift.method` (chiSquare becomes ks) */
  method: driftMethod().optional(),
  /** @default `triggers.drift.threshold` with the drift method, else the method's default */
  threshold: numberIn({ min: 0, exclusiveMin: true }).optional(),
  ...alarmPeriods,
});

/** What starts a retraining run. */
export const TriggersSchema = z.strictObject({
  /** How often the Monitor state machine runs. @default 'rate(1 hour)' */
  monitorSchedule: scheduleExpression().default('rate(1 hour)'),
  /** Scheduled retraining, regardless of alarms. @default ['cron(0 2 ? * SUN *)'] */
  retrainSchedules: z.array(scheduleExpression()).default(['cron(0 2 ? * SUN *)']),
  /** Drift alarm. */
  drift: DriftTriggerSchema.prefault({}),
  /** Live quality alarm; none when absent. */
  quality: QualityTriggerSchema.optional(),
  /** Estimated quality alarm (binary only); none when absent. */
  estimatedQuality: EstimatedQualityTriggerSchema.optional(),
  /** Prediction drift starts a retrain; absent: its alarm is informational. */
  predictionDrift: PredictionDriftTriggerSchema.optional(),
  /** New labeled samples that trigger a retrain. @default 10000 */
  newLabeledSamples: positiveInt().default(10_000),
  /** Minimum days between two retrains (a forced run ignores it). @default 7 */
  cooldownDays: numberIn({ min: 0 }).default(7),
  /** Retrain when the production model is older than this (checked by every monitor run; the cooldown applies). @default 30 */
  maxModelAgeDays: numberIn({ min: 0, exclusiveMin: true }).default(30),
  /**
   * Hours after a retrain that ended Rejected or Failed before the monitor re-arms a
   * retrain-trigger alarm still in ALARM (so a lasting condition starts another retrain,
   * without a storm). @default 24
   */
  retryAfterHours: numberIn({ min: 0, max: 8760 }).default(24),
});

/** What one monitor run reads: its time window, late capture and labels, the least data worth a verdict. */
export const MonitorSchema = z.strictObject({
  /** Length of the window each run covers (ISO 8601, at most PT24H). @default the monitor schedule's period */
  window: isoDuration().optional(),
  /** Capture partitions read past the window's end (a late request lands in the next hour's). @default 'PT1H' */
  captureLag: isoDuration().default('PT1H'),
  /** How late ground truth arrives: live quality joins the window shifted back by this. @default 'PT0H' */
  labelDelay: isoDuration().default('PT0H'),
  /** Fewer captured rows (or matched labels) than this in a window is no verdict: no drift or quality datapoint. @default 100 */
  minRows: numberIn({ min: 0, integer: true }).default(100),
  /** A window of more capture bytes than this fans out over a Distributed Map of shards. @default 9_000_000_000 (vocabulary/fan-out.ts) */
  fanOutBytes: numberIn({ min: 1, integer: true }).default(DEFAULT_FAN_OUT_BYTES),
  /** Most capture bytes one fan-out child reads (larger objects are split at line ends). @default 2_700_000_000 */
  shardBytes: numberIn({ min: 1, integer: true }).default(DEFAULT_SHARD_BYTES),
  /** Fan-out children running at once (Distributed Map MaxConcurrency). @default 40 */
  maxConcurrency: numberIn({ min: 1, max: 10_000, integer: true }).default(DEFAULT_MAX_CONCURRENCY),
  /** Share of shards (percent) whose loss the run tolerates; a tolerated loss is reported. @default 0 */
  toleratedFailurePercentage: numberIn({ min: 0, max: 100 }).default(0),
});

/** Data quality limits (fractions of rows), warning and critical level each. */
export const ValidationSchema = z.strictObject({
  /** @default 0.05 */ missingWarning: fraction().default(VALIDATION_DEFAULTS.missingWarning),
  /** @default 0.10 */ missingCritical: fraction().default(VALIDATION_DEFAULTS.missingCritical),
  /** @default 0.01 */ duplicateWarning: fraction().default(VALIDATION_DEFAULTS.duplicateWarning),
  /** @default 0.05 */ duplicateCritical: fraction().default(VALIDATION_DEFAULTS.duplicateCritical),
  /** @default 0.01 */ outOfRangeWarning: fraction().default(VALIDATION_DEFAULTS.outOfRangeWarning),
  /** @default 0.05 */ outOfRangeCritical: fraction().default(VALIDATION_DEFAULTS.outOfRangeCritical),
  /** @default 0.01 */ unseenCategoryWarning: fraction().default(VALIDATION_DEFAULTS.unseenCategoryWarning),
  /** @default 0.05 */ unseenCategoryCritical: fraction().default(VALIDATION_DEFAULTS.unseenCategoryCritical),
  /** Fewer rows than this is critical. @default 100 */
  minRows: numberIn({ min: 0, integer: true }).default(VALIDATION_DEFAULTS.minRows),
  /** Newest data older than this many hours is critical. @default 24 */
  freshnessHours: numberIn({ min: 0, exclusiveMin: true }).default(VALIDATION_DEFAULTS.freshnessHours),
  /** @default 0.1 */ labelShiftWarning: fraction().default(VALIDATION_DEFAULTS.labelShiftWarning),
  /** @default 0.25 */ labelShiftCritical: fraction().default(VALIDATION_DEFAULTS.labelShiftCritical),
});

/** Promotion gate rules. */
export const GateSchema = z.strictObject({
  /** The candidate's metric must lie within [min, max]. @default [] */
  absolute: z.array(z.strictObject({ metric: metricName(), min: z.number().optional(), max: z.number().optional() })).default([]),
  /** The candidate may be worse than production by at most maxDegradation. @default [] */
  relative: z.array(z.strictObject({ metric: metricName(), maxDegradation: numberIn({ min: 0 }) })).default([]),
  /** The candidate must beat production on this metric by at least minImprovement. */
  primary: z.strictObject({ metric: metricName(), minImprovement: numberIn({ min: 0 }).default(0) }).optional(),
});

/** One canary traffic stage. */
export const CanaryStageSchema = z.strictObject({
  /** Share of traffic on the candidate, 1..100. */
  percent: numberIn({ min: 1, max: 100 }),
  /** Minutes to wait before judging the stage. @default 10 */
  bakeMinutes: numberIn({ min: 0, max: 10_080, integer: true }).default(10),
});

/** Canary rollout settings. */
export const CanarySchema = z.strictObject({
  /** Traffic stages; percents strictly increasing, the last 100. @default 5, 25, 50, 100 % with 10 minutes each */
  stages: z.array(CanaryStageSchema).min(1).default(() => DEFAULT_CANARY_STAGES.map((s) => ({ ...s }))),
  /** Highest 5XX rate of the candidate variant. @default 0.01 */
  maxErrorRate: fraction().default(0.01),
  /** Highest p95 ModelLatency in milliseconds. @default 500 */
  maxLatencyP95Ms: numberIn({ min: 0, exclusiveMin: true }).default(500),
  /** Highest p99 ModelLatency in milliseconds. @default 1000 */
  maxLatencyP99Ms: numberIn({ min: 0, exclusiveMin: true }).default(1000),
  /** Candidate invocations a stage needs, counted in its own metric window, before it can pass. @default 100 */
  minRequests: positiveInt(1_000_000).default(100),
  /** Times a stage's bake is extended (by its bakeMinutes) while it has too few requests; then the rollout stops with InsufficientTraffic. @default 3 */
  maxExtensions: numberIn({ min: 0, max: 100, integer: true }).default(3),
  /** Significance of the one-sided test that the candidate's error rate is worse than production's. @default 0.05 */
  alpha: numberIn({ min: 0, max: 0.5, exclusiveMin: true }).default(0.05),
  /** Minutes SageMaker's endpoint metrics arrive late: a stage's metric window ends this long before the check. @default 3 */
  metricLagMinutes: numberIn({ min: 0, max: 60, integer: true }).default(3),
  /** A business metric the candidate must also keep within bounds. */
  customMetric: z
    .strictObject({
      namespace: nonEmpty(),
      metricName: nonEmpty(),
      /** @default {} */
      dimensions: z.record(nonEmpty(), nonEmpty()).default({}),
      /** CloudWatch statistic (Average, Sum, Minimum, Maximum, SampleCount or pNN). @default 'Average' */
      statistic: patternString(
        /^(Average|Sum|Minimum|Maximum|SampleCount|p(\d{1,2}(\.\d{1,2})?|100))$/,
        'Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99',
      ).default('Average'),
      threshold: z.number(),
      /** When the metric breaches: the CloudWatch comparison of the metric with the threshold. */
      comparison: z.enum(['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']),
    })
    .optional(),
  /** Requests sent to the candidate variant before any traffic shifts. */
  smokeTest: z
    .strictObject({
      /** @default 100 */ requests: positiveInt(10_000).default(100),
      /** @default 1000 */ p99Ms: numberIn({ min: 0, exclusiveMin: true }).default(1000),
    })
    .prefault({}),
});

/** Human approval before the canary. */
export const ApprovalSchema = z.strictObject({
  /** `manual` waits for a person; `auto` promotes as soon as the gate passes. @default 'manual' */
  mode: z.enum(['manual', 'auto']).default('manual'),
  /** Hours to wait for a decision before the run is rejected. @default 24 */
  timeoutHours: numberIn({ min: 0, max: 8760, exclusiveMin: true }).default(24),
});

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** The shortest retention Control Tower's CT.CLOUDWATCH.PR.2 accepts, and the default. */
export const MIN_COMPLIANT_LOG_RETENTION_DAYS = 365;

/**
 * The VPC the model's Lambdas run in: subnets and security groups by id, given as
 * they are (nothing is looked up, so synth stays offline). The subnets need routes
 * (VPC endpoints or a NAT) to the services the Lambdas call; see docs/operations.md.
 */
export const NetworkSchema = z.strictObject({
  /** Private subnets of one VPC, ideally in two or more Availability Zones (1..16). */
  subnetIds: z.array(patternString(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id like "subnet-0123456789abcdef0"')).min(1).max(16),
  /** Security groups of the same VPC that allow HTTPS egress to the endpoints (1..5). */
  securityGroupIds: z.array(patternString(/^sg-[0-9a-f]{8,17}$/, 'a security group id like "sg-0123456789abcdef0"')).min(1).max(5),
});

/** Who hears about runs. */
export const NotificationsSchema = z.strictObject({
  /** Email addresses subscribed to the model's SNS topic. @default [] */
  emails: z.array(z.email()).default([]),
});

/** One model's configuration. */
export const ModelConfigSchema = z
  .strictObject({
    /** Lowercase letters, digits and dashes, 1..32 characters, starting with a letter. */
    name: patternString(/^[a-z][a-z0-9-]{0,31}$/, 'a lowercase name of 1 to 32 letters, digits and dashes starting with a letter'),
    /** The SageMaker endpoint that serves the model. */
    endpointName: patternString(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'a SageMaker endpoint name (letters, digits and dashes, up to 63)'),
    problemType: z.enum(PROBLEM_TYPES),
    /** Name of the label column. */
    label: nonEmpty(),
    /** Number of classes (multiclass only, >= 3; 2 classes is a binary problem). */
    classes: numberIn({ min: 2, max: 10_000, integer: true }).optional(),
    /** Input features; inferred from the baseline when absent. */
    features: z.array(FeatureSchema).min(1).optional(),
    data: DataSchema,
    /** Where the data capture holds features and prediction (attributes or a preset). @default none: unambiguous payloads only */
    capture: CaptureSchema.optional(),
    training: TrainingSchema,
    triggers: TriggersSchema.prefault({}),
    monitor: MonitorSchema.prefault({}),
    validation: ValidationSchema.prefault({}),
    gate: GateSchema.prefault({}),
    canary: CanarySchema.prefault({}),
    approval: ApprovalSchema.prefault({}),
    notifications: NotificationsSchema.prefault({}),
    /** Days the pipeline's log groups (Lambdas, state machines) keep their logs; under 365 fails CT.CLOUDWATCH.PR.2. @default 365 */
    logRetentionDays: z
      .number()
      .check((ctx) => {
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(ctx.value)) {
          ctx.issues.push({ code: 'custom', message: `expected one of CloudWatch Logs' retention periods (${LOG_RETENTION_DAYS.join(', ')}), got ${showValue(ctx.value)}`, input: ctx.value, continue: true });
        }
      })
      .default(MIN_COMPLIANT_LOG_RETENTION_DAYS),
    /** The VPC the Lambdas run in; required when the config's `compliance` is `control-tower`. @default outside any VPC */
    network: NetworkSchema.optional(),
  })
  .superRefine((model, ctx) => {
    for (const issue of modelIssues(model)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: issue.input });
    }
  }, ALWAYS)
  .transform((m) => ({
    ...m,
    training: { ...m.training, hyperparameters: withContainerDefaults(m.training, m.problemType, m.classes) },
    features: m.features?.map((f) => ({
      name: f.name,
      type: f.type,
      drift: {
        method: f.drift?.method ?? m.triggers.drift.method,
        threshold:
          f.drift?.threshold ?? (f.drift?.method ? DRIFT_DEFAULT_THRESHOLD[f.drift.method] : m.triggers.drift.threshold),
      },
    })),
  }));
