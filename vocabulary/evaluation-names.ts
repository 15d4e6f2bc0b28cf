/**
 * Canonical names shared by the config schema, the metrics, the drift statistics and
 * the gate: problem types, evaluation metric names and their direction, drift methods.
 *
 * This file is the single source of these lists; everything else imports them.
 */

/** The kinds of model pitstop can evaluate. */
export const PROBLEM_TYPES = ['binary', 'multiclass', 'regression'] as const;
/** A problem type: `binary`, `multiclass` or `regression`. */
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** The binary classification metrics (class 1 positive, scored by the probability of class 1). */
const BINARY_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'f1Macro',
  'f1Weighted',
  'precisionMacro',
  'recallMacro',
  'precisionWeighted',
  'recallWeighted',
  'rocAuc',
  'logLoss',
  'brier',
  'ece',
] as const;
/** The regression metrics. */
const REGRESSION_METRICS = ['mae', 'mse', 'rmse', 'r2', 'mape'] as const;

/** Every evaluation metric pitstop knows, by its camelCase name: the binary ones, the one multiclass-only one, the regression ones. */
export const EVALUATION_METRIC_NAMES = [...BINARY_METRICS, 'rocAucOvrMacro', ...REGRESSION_METRICS] as const;
/** An evaluation metric name. */
export type MetricName = (typeof EVALUATION_METRIC_NAMES)[number];

/** Whether a larger (`higher`) or a smaller (`lower`) value of a metric is better. */
export type MetricDirection = 'higher' | 'lower';

/**
 * Which way each metric improves. Losses and errors (logLoss, brier, ece, mae, mse,
 * rmse, mape) are better when lower; every score is better when higher.
 */
export const METRIC_DIRECTION = {
  accuracy: 'higher',
  precision: 'higher',
  recall: 'higher',
  f1: 'higher',
  f1Macro: 'higher',
  f1Weighted: 'higher',
  precisionMacro: 'higher',
  recallMacro: 'higher',
  precisionWeighted: 'higher',
  recallWeighted: 'higher',
  rocAuc: 'higher',
  logLoss: 'lower',
  brier: 'lower',
  ece: 'lower',
  rocAucOvrMacro: 'higher',
  mae: 'lower',
  mse: 'lower',
  rmse: 'lower',
  r2: 'higher',
  mape: 'lower',
} as const satisfies Record<MetricName, MetricDirection>;

/**
 * The metrics that apply to each problem type. Binary metrics treat class 1 as the
 * positive class and use the probability of class 1; multiclass metrics are averaged
 * over classes (macro or weighted) or computed one-vs-rest; regression metrics compare
 * numbers.
 */
export const METRICS_BY_PROBLEM_TYPE = {
  binary: BINARY_METRICS,
  multiclass: [
    'accuracy',
    'f1Macro',
    'f1Weighted',
    'precisionMacro',
    'recallMacro',
    'precisionWeighted',
    'recallWeighted',
    'rocAucOvrMacro',
    'logLoss',
  ],
  regression: REGRESSION_METRICS,
} as const satisfies Record<ProblemType, readonly MetricName[]>;

/** True when `name` is one of {@link EVALUATION_METRIC_NAMES}. */
export function isMetricName(name: unknown): name is MetricName {
  return typeof name === 'string' && (EVALUATION_METRIC_NAMES as readonly string[]).includes(name);
}

/** True when `metric` can be computed for a model of `problemType`. */
export function metricAppliesTo(metric: MetricName, problemType: ProblemType): boolean {
  return (METRICS_BY_PROBLEM_TYPE[problemType] as readonly MetricName[]).includes(metric);
}

/** The drift statistics pitstop can compute per feature. */
export const DRIFT_METHODS = ['psi', 'kl', 'js', 'ks', 'wasserstein', 'linf', 'linfRobust', 'chiSquare'] as const;
/** A drift method name. */
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/**
 * What a drift method's threshold is compared with:
 * - `distance`: the statistic itself (PSI, KL, JS distance, normed Wasserstein-1,
 *   L-infinity); the feature has drifted when it is greater than the threshold.
 * - `pValue`: the test's p-value (KS, chi-square); the feature has drifted when the
 *   p-value is less than the threshold.
 */
export const DRIFT_METHOD_SCORE = {
  psi: 'distance',
  kl: 'distance',
  js: 'distance',
  ks: 'pValue',
  wasserstein: 'distance',
  linf: 'distance',
  linfRobust: 'distance',
  chiSquare: 'pValue',
} as const satisfies Record<DriftMethod, 'distance' | 'pValue'>;

/**
 * The threshold used when a drift method is chosen without one: the customary PSI
 * alarm level 0.2, a 5 % significance level for the tests, 0.1 for the other distances
 * (for Wasserstein, 0.1 reference standard deviations).
 */
export const DRIFT_DEFAULT_THRESHOLD = {
  psi: 0.2,
  kl: 0.1,
  js: 0.1,
  ks: 0.05,
  wasserstein: 0.1,
  linf: 0.1,
  linfRobust: 0.1,
  chiSquare: 0.05,
} as const satisfies Record<DriftMethod, number>;

/**
 * Multiple-testing corrections of the drift p-values (over the features scored by a
 * p-value method): none, Bonferroni, Holm's step-down, Benjamini-Hochberg.
 */
export const DRIFT_CORRECTIONS = ['none', 'bonferroni', 'holm', 'bh'] as const;
/** A multiple-testing correction name. */
export type DriftCorrection = (typeof DRIFT_CORRECTIONS)[number];

/** The drift methods that apply to a numeric feature and to a categorical one. */
export const DRIFT_METHODS_BY_FEATURE_TYPE = {
  numeric: ['psi', 'kl', 'js', 'ks', 'wasserstein', 'linf', 'linfRobust'],
  categorical: ['psi', 'kl', 'js', 'linf', 'chiSquare'],
} as const satisfies Record<'numeric' | 'categorical', readonly DriftMethod[]>;
