/**
 * Confidence-based performance estimation (CBPE) of a binary classifier: the metrics
 * expected from calibrated probabilities p_i when no label is known, and the same
 * metrics realized on labels. With ŷ_i = 1 when p_i >= T:
 *   E[TP] = Σ_{ŷ=1} p_i, E[FP] = Σ_{ŷ=1} (1 − p_i), E[FN] = Σ_{ŷ=0} p_i, E[TN] = Σ_{ŷ=0} (1 − p_i);
 *   accuracy = (E[TP] + E[TN]) / n, precision = E[TP] / (E[TP] + E[FP]),
 *   recall = E[TP] / (E[TP] + E[FN]), f1 = 2 E[TP] / (2 E[TP] + E[FP] + E[FN]);
 *   rocAuc = the trapezoid area under the expected ROC curve through (0, 0) and, for each
 *   distinct p = s in descending order, (Σ_{p_i >= s} (1 − p_i) / Σ (1 − p_i), Σ_{p_i >= s} p_i / Σ p_i).
 * The realized metrics are the same formulas with the label y_i in place of p_i (the
 * counts of the confusion matrix, and the ROC AUC with tied scores one trapezoid, as
 * scikit-learn). A metric whose denominator is 0 is null, with a note saying why.
 */

/** The five estimated (or realized) metrics; null when undefined. */
export interface CbpeMetrics {
  readonly accuracy: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  readonly rocAuc: number | null;
}

/** The metric names, in report order. */
export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** Metrics and the notes on the ones that are null. */
export interface MetricsWithNotes {
  readonly metrics: CbpeMetrics;
  readonly notes: string[];
}

/**
 * The metrics of probabilities `p` against outcomes `y` (each in [0, 1]: a label, or the
 * probability itself for the expected metrics), hard label p_i >= threshold.
 * `order`: the indexes of p sorted by descending p (reused across calls on the same p).
 */
export function metricsOf(p: ArrayLike<number>, y: ArrayLike<number>, threshold: number, order?: Int32Array): MetricsWithNotes {
  const n = p.length;
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    if (p[i]! >= threshold) {
      tp += yi;
      fp += 1 - yi;
    } else {
      fn += yi;
      tn += 1 - yi;
    }
  }
  const notes: string[] = [];
  const ratio = (num: number, den: number, metric: CbpeMetric, why: string): number | null => {
    if (den > 0) return num / den;
    notes.push(`${metric}: ${why}`);
    return null;
  };
  const positives = tp + fn;
  const negatives = fp + tn;
  return {
    metrics: {
      accuracy: ratio(tp + tn, n, 'accuracy', 'no rows'),
      precision: ratio(tp, tp + fp, 'precision', 'no row predicted positive (TP + FP = 0)'),
      recall: ratio(tp, positives, 'recall', 'no positive expected (TP + FN = 0)'),
      f1: ratio(2 * tp, 2 * tp + fp + fn, 'f1', '2 TP + FP + FN = 0'),
      rocAuc: positives > 0 && negatives > 0 ? rocArea(p, y, order ?? descendingOrder(p), positives, negatives) : (notes.push(`rocAuc: ${positives > 0 ? 'no negative' : 'no positive'} expected`), null),
    },
    notes,
  };
}

/** Indexes of `p` by descending value. */
export function descendingOrder(p: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: p.length }, (_, i) => i);
  order.sort((a, b) => p[b]! - p[a]!);
  return order;
}

/** Trapezoids under the ROC curve, one point per distinct p (ties are one step). */
function rocArea(p: ArrayLike<number>, y: ArrayLike<number>, order: Int32Array, positives: number, negatives: number): number {
  let area = 0;
  let tpr = 0;
  let fpr = 0;
  let cumPos = 0;
  let cumNeg = 0;
  for (let k = 0; k < order.length; ) {
    const s = p[order[k]!]!;
    while (k < order.length && p[order[k]!] === s) {
      const yi = y[order[k]!]!;
      cumPos += yi;
      cumNeg += 1 - yi;
      k++;
    }
    const nextTpr = cumPos / positives;
    const nextFpr = cumNeg / negatives;
    area += ((nextFpr - fpr) * (nextTpr + tpr)) / 2;
    tpr = nextTpr;
    fpr = nextFpr;
  }
  return area;
}
