/**
 * Cramér's V of the reference-vs-current contingency table: an effect size for a
 * categorical feature's drift that, unlike the chi-square p-value, does not grow with
 * the sample size. V = sqrt(chi2 / (N (min(r, c) - 1))) with chi2 Pearson's statistic
 * without continuity correction (as `scipy.stats.contingency.association(...,
 * method="cramer")`), N both samples' counts together, and r x c the table's shape after
 * dropping categories absent from both samples (r = 2: reference and current). In [0, 1]:
 * 0 when both samples have the same proportions, 1 when they share no category. A table
 * with a single category has no association: V = 0.
 */
import { InputError } from '../../../vocabulary/errors';

/**
 * Cramér's V of the 2 x k table [refCounts, curCounts].
 *
 * @throws InputError on mismatched lengths, negative or non-finite counts, or a sample with no counts
 */
export function cramersV(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  if (refCounts.length !== curCounts.length) {
    throw new InputError(`expected reference and current counts of the same length, got ${refCounts.length} and ${curCounts.length}`);
  }
  let rowRef = 0;
  let rowCur = 0;
  let columns = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const r = refCounts[i]!;
    const c = curCounts[i]!;
    if (!(r >= 0) || !(c >= 0) || r === Infinity || c === Infinity) {
      throw new InputError(`counts at index ${i} must be finite and >= 0, got ${r} and ${c}`);
    }
    rowRef += r;
    rowCur += c;
    if (r + c > 0) columns++;
  }
  if (rowRef === 0 || rowCur === 0) throw new InputError(`Cramér's V needs counts in both samples, got totals ${rowRef} and ${rowCur}`);
  if (columns < 2) return 0;
  const total = rowRef + rowCur;
  let chi2 = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const column = refCounts[i]! + curCounts[i]!;
    if (column === 0) continue;
    for (const [observed, row] of [[refCounts[i]!, rowRef], [curCounts[i]!, rowCur]] as const) {
      const expected = (row * column) / total;
      chi2 += ((observed - expected) * (observed - expected)) / expected;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (total * (Math.min(2, columns) - 1))));
}
