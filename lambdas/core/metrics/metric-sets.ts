/**
 * The metric sets `evaluate` returns per problem type, and the types of its results.
 * Metric names, their direction and the problem types come from `vocabulary/evaluation-names`,
 * the project's single source of those lists, and are re-exported here.
 */
import { METRICS_BY_PROBLEM_TYPE, type MetricName } from '../../../vocabulary/evaluation-names';

export { METRIC_DIRECTION, EVALUATION_METRIC_NAMES, isMetricName, type MetricDirection, type MetricName, type ProblemType } from '../../../vocabulary/evaluation-names';

/**
 * The metrics `evaluate` returns for each problem type: exactly the metrics the config
 * accepts for it (one list, `METRICS_BY_PROBLEM_TYPE` in vocabulary/evaluation-names). Binary
 * evaluations also report the macro and weighted averages over both classes.
 */
export const EVALUATED_METRICS = METRICS_BY_PROBLEM_TYPE;

/** Binary metrics, by name. */
export type BinaryMetrics = { readonly [K in (typeof EVALUATED_METRICS)['binary'][number]]: number };
/** Multiclass metrics, by name. */
export type MulticlassMetrics = { readonly [K in (typeof EVALUATED_METRICS)['multiclass'][number]]: number };
/** Regression metrics, by name. */
export type RegressionMetrics = { readonly [K in (typeof EVALUATED_METRICS)['regression'][number]]: number };

/**
 * A flat set of metric values, by name. Only the names that apply to the problem are
 * present. A value is `NaN` when the metric is undefined for the data (for example ROC AUC
 * when the labels hold a single class); the gate fails any rule on such a value.
 */
export type Metrics = { readonly [K in MetricName]?: number };
