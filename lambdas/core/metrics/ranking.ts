/**
 * ROC AUC, the ranking metric shared by the binary and multiclass evaluations.
 */
import { checkAligned, type NumericArray } from './numeric';

/**
 * Area under the ROC curve of `scores` for the class `positive`, as
 * `sklearn.metrics.roc_auc_score` computes it: tied scores form one step of the curve,
 * so each tied (positive, negative) pair counts one half. Equals the Mann-Whitney U
 * statistic over `nPos * nNeg`. O(n log n): both classes' scores are sorted and merged.
 *
 * The count of pairs is exact in float64 up to 2^53, so the result is the exact ratio
 * rounded once.
 *
 * @param yTrue labels; a row is positive when its label equals `positive`
 * @param scores higher means more likely positive; must be finite
 * @param positive the positive label. @default 1
 * @returns the AUC in [0, 1], or `NaN` when `yTrue` holds only one class (scikit-learn
 *   raises "Only one class present in y_true" there) or a score is NaN
 */
export function rocAuc(yTrue: NumericArray, scores: NumericArray, positive = 1): number {
  const n = checkAligned({ yTrue, scores });
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) return Number.NaN;
    if (yTrue[i] === positive) pos[ip++] = s;
    else neg[ineg++] = s;
  }
  pos.sort();
  neg.sort();
  // For each positive: the negatives strictly below it count 1, the tied ones 1/2.
  // Counted in half-units so the sum stays an exact integer.
  let halfUnits = 0;
  let below = 0; // negatives with score < current
  let tiedEnd = 0; // negatives with score <= current
  for (let i = 0; i < nPos; i++) {
    const s = pos[i]!;
    while (below < nNeg && neg[below]! < s) below++;
    if (tiedEnd < below) tiedEnd = below;
    while (tiedEnd < nNeg && neg[tiedEnd]! === s) tiedEnd++;
    halfUnits += 2 * below + (tiedEnd - below);
  }
  return halfUnits / 2 / (nPos * nNeg);
}
