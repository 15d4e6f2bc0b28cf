/**
 * One entry point that computes every metric that applies to a problem type.
 */
import { InputError } from '../../../vocabulary/errors';
import { binaryMetrics } from './binary';
import { multiclassMetrics } from './multiclass';
import type { BinaryMetrics, Metrics, MulticlassMetrics, ProblemType, RegressionMetrics } from './metric-sets';
import type { NumericArray } from './numeric';
import { regressionMetrics } from './regression';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Binary only: the probability from which the hard label is 1 (accuracy, precision, recall, F1). @default 0.5 */
  readonly probabilityThreshold?: number;
}

/**
 * Computes the metrics of `problem` (the names in `EVALUATED_METRICS[problem]`, no other).
 *
 * @param problem the problem type
 * @param yTrue labels: 0/1 (binary), integers 0..K-1 (multiclass) or targets (regression)
 * @param scores the model's output columns: binary, one column P(class 1) (or two columns
 *   P(class 0), P(class 1), of which the second is used); multiclass, K columns, one
 *   probability per class; regression, one column of predictions
 * @returns a flat object of metric values; `NaN` marks a metric undefined for the data
 * @throws InputError on misaligned columns, no rows, a wrong number of score columns or
 *   labels outside the problem's label set
 */
export function evaluate(problem: 'binary', yTrue: NumericArray, scores: readonly NumericArray[], options?: EvaluateOptions): BinaryMetrics;
export function evaluate(problem: 'multiclass', yTrue: NumericArray, scores: readonly NumericArray[], options?: EvaluateOptions): MulticlassMetrics;
export function evaluate(problem: 'regression', yTrue: NumericArray, scores: readonly NumericArray[], options?: EvaluateOptions): RegressionMetrics;
export function evaluate(problem: ProblemType, yTrue: NumericArray, scores: readonly NumericArray[], options?: EvaluateOptions): Metrics;
export function evaluate(problem: ProblemType, yTrue: NumericArray, scores: readonly NumericArray[], options: EvaluateOptions = {}): Metrics {
  switch (problem) {
    case 'binary':
      if (scores.length !== 1 && scores.length !== 2) {
        throw new InputError(`binary evaluation expects 1 or 2 score columns, got ${scores.length}`);
      }
      return binaryMetrics(yTrue, scores[scores.length - 1]!, options.probabilityThreshold);
    case 'multiclass':
      return multiclassMetrics(yTrue, scores);
    case 'regression':
      if (scores.length !== 1) {
        throw new InputError(`regression evaluation expects 1 prediction column, got ${scores.length}`);
      }
      return regressionMetrics(yTrue, scores[0]!);
    default:
      throw new InputError(`unknown problem type "${String(problem)}", expected binary, multiclass or regression`);
  }
}
