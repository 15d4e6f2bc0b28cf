/**
 * Label-based classification metrics (accuracy, precision, recall, F1) over hard
 * predictions, shared by the binary and multiclass evaluations.
 */
import type { NumericArray } from './numeric';

/** Per-label counts of one class. */
export interface LabelCounts {
  /** The class label. */
  readonly label: number;
  /** Rows of this class predicted as this class. */
  readonly tp: number;
  /** Rows of another class predicted as this class. */
  readonly fp: number;
  /** Rows of this class predicted as another class. */
  readonly fn: number;
  /** Rows of this class in `yTrue` (the support). */
  readonly support: number;
}

/** Precision, recall and F1 of one class, with zero_division = 0. */
export interface LabelScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Macro and weighted averages of precision, recall and F1, plus accuracy. */
export interface AveragedScores {
  readonly accuracy: number;
  readonly precisionMacro: number;
  readonly recallMacro: number;
  readonly f1Macro: number;
  readonly precisionWeighted: number;
  readonly recallWeighted: number;
  readonly f1Weighted: number;
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/**
 * Precision tp/(tp+fp), recall tp/(tp+fn) and F1 2tp/(2tp+fp+fn) of one class; each is
 * 0 when its denominator is 0 (scikit-learn's `zero_division` default).
 */
export function labelScores(c: Pick<LabelCounts, 'tp' | 'fp' | 'fn'>): LabelScores {
  return {
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/**
 * Counts per class over the labels that occur in `yTrue` or `yPred`, in ascending label
 * order: the label set scikit-learn uses when `labels=None`.
 *
 * @param yTrue integer labels in `0..classes-1`
 * @param yPred integer predictions in `0..classes-1`
 * @param classes the number of classes
 */
export function labelCounts(yTrue: NumericArray, yPred: NumericArray, classes: number): LabelCounts[] {
  const tp = new Float64Array(classes);
  const predicted = new Float64Array(classes);
  const support = new Float64Array(classes);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    support[t]!++;
    predicted[p]!++;
    if (t === p) tp[t]!++;
  }
  const out: LabelCounts[] = [];
  for (let k = 0; k < classes; k++) {
    if (support[k] === 0 && predicted[k] === 0) continue;
    out.push({ label: k, tp: tp[k]!, fp: predicted[k]! - tp[k]!, fn: support[k]! - tp[k]!, support: support[k]! });
  }
  return out;
}

/**
 * Accuracy and the macro (unweighted mean over labels) and weighted (mean weighted by
 * support in `yTrue`) averages of precision, recall and F1, with scikit-learn semantics:
 * the labels averaged over are those present in `yTrue` or `yPred`; macro F1 is the mean
 * of per-label F1, not the F1 of macro precision and recall.
 */
export function averagedScores(yTrue: NumericArray, yPred: NumericArray, classes: number): AveragedScores {
  const counts = labelCounts(yTrue, yPred, classes);
  const n = yTrue.length;
  let correct = 0;
  let pMacro = 0, rMacro = 0, fMacro = 0, pW = 0, rW = 0, fW = 0;
  for (const c of counts) {
    const s = labelScores(c);
    correct += c.tp;
    pMacro += s.precision;
    rMacro += s.recall;
    fMacro += s.f1;
    pW += s.precision * c.support;
    rW += s.recall * c.support;
    fW += s.f1 * c.support;
  }
  const m = counts.length;
  return {
    accuracy: correct / n,
    precisionMacro: pMacro / m,
    recallMacro: rMacro / m,
    f1Macro: fMacro / m,
    precisionWeighted: pW / n,
    recallWeighted: rW / n,
    f1Weighted: fW / n,
  };
}
