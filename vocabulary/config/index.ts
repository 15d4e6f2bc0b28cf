/**
 * pitstop's configuration: the zod schema of the config file, its parsed types (every
 * default applied), and functions to parse, load and query it. The pieces live in
 * this folder; the canonical metric, drift and problem-type names in vocabulary/evaluation-names.
 */
export {
  DRIFT_DEFAULT_THRESHOLD,
  DRIFT_METHODS,
  DRIFT_METHOD_SCORE,
  DRIFT_METHODS_BY_FEATURE_TYPE,
  METRIC_DIRECTION,
  EVALUATION_METRIC_NAMES,
  METRICS_BY_PROBLEM_TYPE,
  PROBLEM_TYPES,
  isMetricName,
  metricAppliesTo,
  type DriftMethod,
  type MetricDirection,
  type MetricName,
  type ProblemType,
} from '../evaluation-names';
export { DEFAULT_CANARY_STAGES, LOG_RETENTION_DAYS, MIN_COMPLIANT_LOG_RETENTION_DAYS, ModelConfigSchema, NetworkSchema } from './model-schema';
export * from './schema';
export { findModel, loadConfig, parseConfig, parseModelConfig } from './load';
export { scheduleProblem } from './schedule';
export { parseS3Uri, s3UriProblem, type S3Location } from '../s3-uri';
