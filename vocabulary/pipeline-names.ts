/**
 * Names shared by the infrastructure, the state machines, the Lambdas and local mode.
 *
 * Every name that one part of pitstop writes and another reads (a metric, a dimension,
 * an endpoint variant, an event source, an S3 prefix) is defined here once, so the
 * monitor that publishes `DriftedFeatures` and the alarm that watches it cannot drift
 * apart.
 */

/** CloudWatch namespace of every metric pitstop publishes. */
export const METRICS_NAMESPACE = 'Pitstop';

/** Metric names in {@link METRICS_NAMESPACE}. Every metric carries the {@link DIMENSIONS.model} dimension. */
export const CLOUDWATCH_METRIC_NAMES = {
  /** Drift score of one feature (extra dimension {@link DIMENSIONS.feature}); unit None. */
  drift: 'Drift',
  /** Number of features whose drift score is over their threshold; unit Count. */
  driftedFeatures: 'DriftedFeatures',
  /** Live quality measured from ground truth (extra dimension {@link DIMENSIONS.metric}); unit None. */
  liveQuality: 'LiveQuality',
  /** Quality estimated without labels (CBPE, binary; extra dimension {@link DIMENSIONS.metric}); unit None. */
  estimatedQuality: 'EstimatedQuality',
  /** Drift of the model's captured outputs from its holdout predictions (a distance, or a p-value for ks); unit None. */
  predictionDrift: 'PredictionDrift',
  /** Labeled samples that arrived since the last training; unit Count. */
  newLabeledSamples: 'NewLabeledSamples',
  /** One datapoint of value 1 per finished retrain run (extra dimension {@link DIMENSIONS.outcome}); unit Count. */
  runOutcome: 'RunOutcome',
} as const;

/** Dimension names of the pitstop metrics. */
export const DIMENSIONS = {
  /** The model name from the config (`ModelConfig.name`). */
  model: 'Model',
  /** The feature name, on {@link CLOUDWATCH_METRIC_NAMES.drift}. */
  feature: 'Feature',
  /** The quality metric name (e.g. `f1`, `rmse`), on {@link CLOUDWATCH_METRIC_NAMES.liveQuality} and {@link CLOUDWATCH_METRIC_NAMES.estimatedQuality}. */
  metric: 'Metric',
  /** The run outcome (one of {@link OUTCOMES}), on {@link CLOUDWATCH_METRIC_NAMES.runOutcome}. */
  outcome: 'Outcome',
} as const;

/** How a retrain run ended. Used as the `Outcome` dimension, in run records and in events. */
export const OUTCOMES = {
  /** The candidate passed the gate and the canary and now serves all traffic. */
  promoted: 'Promoted',
  /** The candidate failed the gate (or approval was refused or timed out). */
  rejected: 'Rejected',
  /** The canary breached a limit and traffic went back to the production variant. */
  rolledBack: 'RolledBack',
  /** Nothing to do: a run in flight, cooldown, or no reason to retrain. */
  skipped: 'Skipped',
  /** The run failed on an error. */
  failed: 'Failed',
} as const;

/** One of the {@link OUTCOMES} values. */
export type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

/**
 * Variant name of the model serving production traffic on the endpoint.
 *
 * The canary keeps exactly two variants on the endpoint while it shifts traffic,
 * and the dashboard and the canary check read SageMaker's per-variant metrics
 * (dimension `VariantName`) with these two names.
 */
export const VARIANT_PRODUCTION = 'production';

/** Variant name of the candidate model during a canary rollout. */
export const VARIANT_CANDIDATE = 'candidate';

/** The `source` of every EventBridge event pitstop puts. */
export const EVENT_SOURCE = 'pitstop';

/**
 * How an execution was started: the `trigger` field of the input the EventBridge
 * rules give the monitor and retrain state machines. Schedule inputs are
 * `{"trigger":"schedule","reason":"..."}`; alarm inputs are
 * `{"trigger":"alarm","alarmName":"...","reason":"<the alarm's state reason>"}`.
 * A manual start may pass `{}`.
 */
export const TRIGGER_KINDS = {
  /** An EventBridge schedule. */
  schedule: 'schedule',
  /** A retrain-trigger alarm went to ALARM. */
  alarm: 'alarm',
  /** Started by hand (console, CLI): the Retrain's default. */
  manual: 'manual',
  /** The monitor found the production model older than `triggers.maxModelAgeDays`. */
  maxAge: 'maxAge',
} as const;

/**
 * Names of the alarms whose change to ALARM starts a retrain (PitstopAlarms'
 * `retrainTriggers`, in that order): drifted features, live quality when configured,
 * estimated quality when configured (binary), prediction drift when configured (not
 * multiclass), new labeled samples. The monitor re-arms exactly these.
 */
export function retrainTriggerAlarmNames(model: {
  readonly name: string;
  readonly problemType?: string;
  readonly triggers: { readonly quality?: { readonly metric: string }; readonly estimatedQuality?: { readonly metric: string }; readonly predictionDrift?: object };
}): string[] {
  const { quality, estimatedQuality, predictionDrift } = model.triggers;
  return [
    resourceName(model.name, 'drifted-features'),
    ...(quality ? [resourceName(model.name, `live-quality-${quality.metric}`)] : []),
    ...(estimatedQuality && model.problemType === 'binary' ? [resourceName(model.name, `estimated-quality-${estimatedQuality.metric}`)] : []),
    ...(predictionDrift && model.problemType !== 'multiclass' ? [resourceName(model.name, 'prediction-drift')] : []),
    resourceName(model.name, 'new-labeled-samples'),
  ];
}

/** Key prefixes in the artifacts bucket (each ends with `/`). */
export const ARTIFACT_PREFIXES = {
  /** Human-readable run reports; kept, then moved to Infrequent Access. */
  reports: 'reports/',
  /** Data capture written by the endpoint when it captures into the artifacts bucket; expires. */
  capture: 'capture/',
  /** Run records (JSON), one per run. */
  runs: 'runs/',
  /** Training output (model artifacts). */
  models: 'models/',
  /** Baselines profiled from training data, used by drift detection. */
  baselines: 'baselines/',
  /** Batch transform output of the gate evaluation. */
  transforms: 'transforms/',
  /** Training sets and holdouts a retrain assembled, with their manifests. */
  datasets: 'datasets/',
  /** A fan-out's working files (shard manifest, partial summaries, Distributed Map results); expire. */
  fanOut: 'fanout/',
} as const;

/** Prefix of every physical name pitstop gives a resource (alarms, rules). */
export const NAME_PREFIX = 'pitstop';

/**
 * Physical name of a per-model resource: `pitstop-<model>-<suffix>`.
 *
 * Alarms get fixed names so the EventBridge rule and the KMS key policy can name
 * them exactly (alarm ARNs contain the alarm name).
 */
export function resourceName(model: string, suffix: string): string {
  return `${NAME_PREFIX}-${model}-${suffix}`;
}

/**
 * Output keys of a pitstop stack (infra/stack.ts): the ARN of each state machine, which
 * the CLI reads with DescribeStacks for `--stack NAME`.
 */
export const STACK_OUTPUT_KEYS = {
  monitor: 'MonitorStateMachineArn',
  retrain: 'RetrainStateMachineArn',
  canary: 'CanaryStateMachineArn',
  rollback: 'RollbackStateMachineArn',
} as const;
