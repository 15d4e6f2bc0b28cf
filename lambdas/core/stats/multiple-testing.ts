/**
 * Adjusted p-values for m simultaneous tests (one per feature scored by a p-value
 * method), so that the family of drift verdicts keeps its error rate:
 * - `bonferroni`: min(1, m p) — family-wise error rate;
 * - `holm`: Holm's step-down — with p sorted ascending, p_(1) <= ... <= p_(m),
 *   adj_(i) = max_{k <= i} min(1, (m - k + 1) p_(k)) — family-wise error rate, never
 *   larger than Bonferroni's;
 * - `bh`: Benjamini-Hochberg — adj_(i) = min_{j >= i} min(1, m p_(j) / j) — false
 *   discovery rate;
 * - `none`: the p-values as they are.
 * Every adjustment is monotone in p (a smaller p never gets a larger adjusted value),
 * never below p and at most 1; ties get equal adjusted values. The result is in the
 * input's order. Same definitions as statsmodels' `multipletests` (bonferroni, holm,
 * fdr_bh) and R's `p.adjust`.
 */
import { InputError } from '../../../vocabulary/errors';
import type { DriftCorrection } from '../../../vocabulary/evaluation-names';

/**
 * The adjusted p-values of `pValues` under `correction`.
 *
 * @throws InputError when a p-value is not in [0, 1]
 */
export function adjustPValues(pValues: readonly number[], correction: DriftCorrection): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new InputError(`expected p-values in [0, 1], got ${p} at index ${i}`);
  });
  const m = pValues.length;
  if (correction === 'none' || m === 0) return [...pValues];
  if (correction === 'bonferroni') return pValues.map((p) => Math.min(1, m * p));
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const out = new Array<number>(m);
  if (correction === 'holm') {
    let running = 0;
    order.forEach((index, k) => {
      running = Math.max(running, Math.min(1, (m - k) * pValues[index]!));
      out[index] = running;
    });
    return out;
  }
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const index = order[k]!;
    running = Math.min(running, (m * pValues[index]!) / (k + 1));
    // m p / j >= p exactly; the max keeps that through the rounding of the division
    out[index] = Math.min(1, Math.max(pValues[index]!, running));
  }
  return out;
}
