/**
 * The categorical half of a column's running statistics: the count of each category
 * (a cell's text, `String(cell)`), in order of first appearance. Categories come one cell
 * at a time or as a column batch's interned codes; both give the same map, with new
 * categories entering it in the same order. Columns merge: `a.merge(b)` adds b's counts,
 * as one pass over a's rows and then b's would.
 */
import { addCounts } from './type-inference';

/** Counts per category of one column. See the module documentation. */
export class CategoricalColumn {
  /** Counts of the codes of one batch, by code; reused. */
  private codeCounts: Int32Array = new Int32Array(0);
  /** The codes met in this batch, in order of first appearance. */
  private codesMet: Int32Array = new Int32Array(0);

  /** `counts`: the counts so far (taken over, e.g. from a column that was numeric so far). */
  public constructor(private readonly counts: Map<string, number> = new Map()) {}

  /** Counts one present cell's text. */
  public add(key: string): void {
    const counts = this.counts;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  /**
   * Counts the first `length` codes of a column batch (`names[code]`, -1 for missing)
   * and returns how many were missing.
   */
  public addCodes(codes: Int32Array, names: readonly string[], length: number): number {
    if (this.codeCounts.length < names.length) {
      const size = Math.max(names.length, 2 * this.codeCounts.length, 16);
      const next = new Int32Array(size);
      next.set(this.codeCounts);
      this.codeCounts = next;
      this.codesMet = new Int32Array(size);
    }
    const counts = this.codeCounts;
    const met = this.codesMet;
    let nMet = 0;
    let missing = 0;
    for (let r = 0; r < length; r++) {
      const c = codes[r]!;
      if (c < 0) missing++;
      else if (counts[c]!++ === 0) met[nMet++] = c;
    }
    // In order of first appearance: new categories enter the map in the order add() would.
    const map = this.counts;
    for (let i = 0; i < nMet; i++) {
      const c = met[i]!;
      const key = names[c]!;
      map.set(key, (map.get(key) ?? 0) + counts[c]!);
      counts[c] = 0;
    }
    return missing;
  }

  /** Counts per category. */
  public get categoryCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** Adds the counts of `other` (the rows after this one's); `other` must not be used after. */
  public merge(other: CategoricalColumn): void {
    addCounts(this.counts, other.counts);
  }

  /** Gives back its class to a column that went through a structured clone. */
  public static revive(clone: object): CategoricalColumn {
    const column = Object.setPrototypeOf(clone, CategoricalColumn.prototype) as CategoricalColumn;
    if (!(column.counts instanceof Map)) throw new TypeError('not a cloned CategoricalColumn');
    return column;
  }
}
