/**
 * Chi-square test of independence between the reference and current category counts.
 *
 * Recipe: reference-metrics README "Categorical columns" (`recipe.chi2_contingency` of
 * 05_categorical_drift.json): `scipy.stats.chi2_contingency` on the 2 x k table
 * [refCounts, curCounts] with the default correction (Yates only when dof = 1),
 * Pearson statistic sum (O - E)^2 / E with E = row total x column total / grand total.
 * Columns whose total is 0 are dropped first (scipy rejects zero expected counts).
 * p = upper regularized incomplete gamma Q(dof/2, statistic/2), which keeps relative
 * precision for tiny p-values.
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import { InputError } from '../../../vocabulary/errors';

/** Result of `chiSquareIndependence`. */
export interface ChiSquareResult {
  /** Pearson chi-square statistic (Yates-corrected when dof = 1). */
  readonly statistic: number;
  /** Upper-tail probability of the statistic under chi2(dof); 1 when dof = 0. */
  readonly pValue: number;
  /** Degrees of freedom: non-empty categories - 1. */
  readonly dof: number;
}

/**
 * Test of independence on the 2 x k contingency table. With a single non-empty
 * category the table carries no information: statistic 0, p-value 1, dof 0 (as scipy).
 *
 * @throws InputError on mismatched lengths, negative or non-finite counts, or a sample with no counts
 */
export function chiSquareIndependence(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): ChiSquareResult {
  if (refCounts.length !== curCounts.length) {
    throw new InputError(`expected reference and current counts of the same length, got ${refCounts.length} and ${curCounts.length}`);
  }
  const ref: number[] = [];
  const cur: number[] = [];
  let rowRef = 0;
  let rowCur = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const r = refCounts[i]!;
    const c = curCounts[i]!;
    if (!(r >= 0) || !(c >= 0) || r === Infinity || c === Infinity) {
      throw new InputError(`counts at index ${i} must be finite and >= 0, got ${r} and ${c}`);
    }
    if (r + c === 0) continue;
    ref.push(r);
    cur.push(c);
    rowRef += r;
    rowCur += c;
  }
  if (rowRef === 0 || rowCur === 0) {
    throw new InputError(`chi-square needs counts in both samples, got totals ${rowRef} and ${rowCur}`);
  }
  const dof = ref.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof: 0 };
  const total = rowRef + rowCur;
  const yates = dof === 1;
  let statistic = 0;
  for (const [row, rowTotal] of [[ref, rowRef], [cur, rowCur]] as const) {
    for (let i = 0; i < row.length; i++) {
      const expected = (rowTotal * (ref[i]! + cur[i]!)) / total;
      let observed = row[i]!;
      if (yates) {
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((observed - expected) * (observed - expected)) / expected;
    }
  }
  const pValue = gammainc(statistic / 2, dof / 2, true, true);
  return { statistic, pValue, dof };
}
