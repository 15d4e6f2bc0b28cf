/**
 * Multiclass classification metrics from integer labels 0..K-1 and one probability
 * column per class, with scikit-learn semantics.
 */
import { InputError } from '../../../vocabulary/errors';
import { averagedScores } from './classification';
import type { MulticlassMetrics } from './metric-sets';
import { checkAligned, FLOAT64_EPS, meanOf, type NumericArray } from './numeric';
import { rocAuc } from './ranking';

/** Throws an `InputError` unless every label is an integer in `0..classes-1`. */
export function checkClassLabels(yTrue: NumericArray, classes: number): void {
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new InputError(`label at index ${i} is ${y}, expected an integer in 0..${classes - 1}`);
    }
  }
}

/**
 * The predicted class of each row: the column with the largest probability, ties going
 * to the lowest class index (like `numpy.argmax`).
 */
export function argmaxLabels(probabilities: readonly NumericArray[]): Uint32Array {
  const n = probabilities[0]?.length ?? 0;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = probabilities[0]![i]!;
    for (let k = 1; k < probabilities.length; k++) {
      const v = probabilities[k]![i]!;
      if (v > bestValue) {
        best = k;
        bestValue = v;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * Multiclass log loss as `sklearn.metrics.log_loss(y, P, labels=range(K))` computes it
 * since scikit-learn 1.5: every probability is clipped to `[eps, 1 - eps]` (eps = float64
 * machine epsilon) and the loss is the mean of `-ln P[i, y_i]`. Rows are NOT renormalised
 * to sum to 1 (scikit-learn renormalised before 1.5; since then it only warns when rows
 * do not sum to 1), so a model whose rows sum to less than 1 is not flattered.
 */
export function multiclassLogLoss(yTrue: NumericArray, probabilities: readonly NumericArray[]): number {
  const n = yTrue.length;
  return meanOf(n, (i) => {
    const q = probabilities[yTrue[i]!]![i]!;
    return -Math.log(Math.min(Math.max(q, FLOAT64_EPS), 1 - FLOAT64_EPS));
  });
}

/**
 * One-vs-rest ROC AUC, macro average: for each class k the binary AUC of `y == k` against
 * column k, then the unweighted mean (`roc_auc_score(multi_class='ovr', average='macro')`).
 *
 * @returns `NaN` when some class never occurs in `yTrue` (its AUC is undefined;
 *   scikit-learn raises there) or occurs in every row
 */
export function rocAucOvrMacro(yTrue: NumericArray, probabilities: readonly NumericArray[]): number {
  let total = 0;
  for (let k = 0; k < probabilities.length; k++) {
    const auc = rocAuc(yTrue, probabilities[k]!, k);
    if (Number.isNaN(auc)) return Number.NaN;
    total += auc;
  }
  return total / probabilities.length;
}

/**
 * Every multiclass metric: accuracy of the argmax prediction; macro and weighted
 * precision, recall and F1 over the labels present in the labels or the predictions
 * (zero_division 0); log loss; one-vs-rest macro ROC AUC.
 *
 * @param yTrue labels, each an integer in `0..K-1`
 * @param probabilities K columns, column k the probability of class k
 */
export function multiclassMetrics(yTrue: NumericArray, probabilities: readonly NumericArray[]): MulticlassMetrics {
  const classes = probabilities.length;
  if (classes < 2) throw new InputError(`multiclass evaluation needs at least 2 probability columns, got ${classes}`);
  const columns: Record<string, NumericArray> = { yTrue };
  probabilities.forEach((col, k) => (columns[`probability column ${k}`] = col));
  checkAligned(columns);
  checkClassLabels(yTrue, classes);
  return {
    ...averagedScores(yTrue, argmaxLabels(probabilities), classes),
    logLoss: multiclassLogLoss(yTrue, probabilities),
    rocAucOvrMacro: rocAucOvrMacro(yTrue, probabilities),
  };
}
