/**
 * The metric sets `evaluate` returns per problem type, and the types of its results.
 * Metric names, their direction and the problem types come from `lambdas/core/names`,
 * the project's single source of those lists, and are re-exported here.
 */
import type { MetricName, ProblemType } from '../names';

export { METRIC_DIRECTION, METRIC_NAMES, isMetricName, type MetricDirection, type MetricName, type ProblemType } from '../names';

/**
 * The metrics `evaluate` returns for each problem type, in report order. Binary
 * evaluations also report the macro and weighted averages over both classes.
 */
export const EVALUATED_METRICS = {
  binary: [
    'accuracy',
    'precision',
    'recall',
    'f1',
    'precisionMacro',
    'recallMacro',
    'f1Macro',
    'precisionWeighted',
    'recallWeighted',
    'f1Weighted',
    'rocAuc',
    'logLoss',
    'brier',
    'ece',
  ],
  multiclass: [
    'accuracy',
    'precisionMacro',
    'recallMacro',
    'f1Macro',
    'precisionWeighted',
    'recallWeighted',
    'f1Weighted',
    'logLoss',
    'rocAucOvrMacro',
  ],
  regression: ['mae', 'mse', 'rmse', 'r2', 'mape'],
} as const satisfies Record<ProblemType, readonly MetricName[]>;

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
