/**
 * What a column whose type is not known keeps so that it can still become categorical
 * after any number of rows without a second pass: the count of each distinct cell while
 * every present cell so far was a number, capped.
 *
 * - Cells are counted by their text (`"1.50"` and `"1.5"` are two categories) and JSON
 *   numbers by value (keyed by number, so that no string is made per cell); turning
 *   categorical folds the numbers into their text (`String(n)`).
 * - Beyond the cap (default 10,000 distinct values) the distinct counts are dropped and
 *   the column is committed to numeric (a column with that many distinct numbers is a
 *   numeric column with a bad value, not a categorical one); `capped` stays true.
 * - `NaN`-like text is counted as a category and held as pending: it is a
 *   `ValueTypeError` if the column turns out numeric (at `finish`, or at once past the
 *   cap), a category if it turns out categorical.
 *
 * Inferences merge: `a.merge(b)` (b's rows after a's) leaves `a` as one pass over both
 * would (the counts add; the cap is applied to the union; the first pending value is the
 * earlier one).
 */
import type { BadValue } from './column-types';

/** Distinct values kept for a column that is numeric so far, when inferring. */
export const DEFAULT_DISTINCT_CAP = 10_000;

/** The distinct counts of a column that is numeric so far. See the module documentation. */
export class TypeInference {
  /** True once the distinct counts were dropped: the column is numeric. */
  public capped = false;
  /** The first `NaN`-like value met, owed as an error if the column turns out numeric. */
  public pendingNonFinite: BadValue | null = null;
  /** Counts of distinct text cells; null once capped. */
  private texts: Map<string, number> | null = new Map();
  /** Counts of distinct JSON-number cells; null once capped. */
  private numbers: Map<number, number> | null = new Map();

  public constructor(public readonly cap: number = DEFAULT_DISTINCT_CAP) {}

  /** Counts a text cell that parsed as a finite number. */
  public noteText(cell: string): void {
    if (this.capped) return;
    const counts = this.texts!;
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    this.checkCap();
  }

  /** Counts a JSON-number cell. */
  public noteNumber(cell: number): void {
    if (this.capped) return;
    const counts = this.numbers!;
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    this.checkCap();
  }

  /** Counts a `NaN`-like cell (the caller has checked the column is not capped) and holds the first as pending. */
  public noteNonFinite(bad: BadValue): void {
    this.pendingNonFinite ??= bad;
    const counts = this.texts!;
    counts.set(bad.value, (counts.get(bad.value) ?? 0) + 1);
    this.checkCap();
  }

  /** Number of distinct cells counted (0 once capped). */
  public get distinct(): number {
    return this.capped ? 0 : this.texts!.size + this.numbers!.size;
  }

  /**
   * The counts as categories (numbers by their text, after the text cells, in order of
   * first appearance); this inference must not be used after.
   */
  public toCategories(): Map<string, number> {
    const counts = this.texts!;
    for (const [n, c] of this.numbers!) {
      const key = String(n);
      counts.set(key, (counts.get(key) ?? 0) + c);
    }
    this.numbers = null;
    return counts;
  }

  /**
   * Merges `other` (the rows after this one's) into this one; null stands for a column
   * already committed to numeric. `other` must not be used after.
   */
  public merge(other: TypeInference | null): void {
    this.pendingNonFinite ??= other?.pendingNonFinite ?? null;
    if (this.capped || other === null || other.capped) {
      this.drop();
      return;
    }
    addCounts(this.texts!, other.texts!);
    addCounts(this.numbers!, other.numbers!);
    this.checkCap();
  }

  /** Adds `offset` to the line of the pending value (rows numbered from the start of a part of a file). */
  public shiftLines(offset: number): void {
    if (this.pendingNonFinite !== null) this.pendingNonFinite = { ...this.pendingNonFinite, line: this.pendingNonFinite.line + offset };
  }

  private checkCap(): void {
    if (this.texts!.size + this.numbers!.size > this.cap) this.drop();
  }

  private drop(): void {
    this.capped = true;
    this.texts = null;
    this.numbers = null;
  }
}

/** Adds the counts of `from` into `into` (new keys in `from`'s order). */
export function addCounts<K>(into: Map<K, number>, from: ReadonlyMap<K, number>): void {
  for (const [k, c] of from) into.set(k, (into.get(k) ?? 0) + c);
}
