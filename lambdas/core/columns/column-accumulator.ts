/**
 * One column's running statistics, filled in one pass over a table's rows.
 *
 * A column is numeric when every present value is a finite number (a JSON number or a
 * decimal string such as `"1.5"`, `"-3"`, `"1e-3"`); missing values (`null`, `''`, a
 * short row) only count as missing. With a known type (from a profile or the config) a
 * non-number in a numeric column is a `ValueTypeError` naming file, line, column and
 * value (or is counted, with the `count` policy). When the type is inferred:
 *
 * - while the column is numeric so far, it keeps numeric statistics (moments, the values
 *   in a `ValueStore`, bin counts) and the count of each distinct value, so that it can
 *   become categorical without a second pass;
 * - the distinct counts are capped (default 10,000 distinct values). Beyond the cap the
 *   column is committed to numeric: the distinct counts are dropped and a later
 *   non-number is a `ValueTypeError` (a column with that many distinct numbers is a
 *   numeric column with a bad value, not a categorical one);
 * - `NaN`, `Infinity`, `inf` (any case and sign) are bad input in a numeric column. They
 *   are held as pending until the type is settled: a column that turns out numeric
 *   throws a `ValueTypeError` at the first one; one that turns out categorical keeps
 *   them as categories;
 * - a column with no number at all (all missing, or only `NaN`-like text) is typed
 *   categorical, since that imposes nothing on later data.
 *
 * Work owed: while the value store holds every value in order, moments, bins and the
 * decimal histogram (the `histogram` option, see ./value-counts) are not updated value by
 * value but worked out from the stored values when asked for, or just before the store
 * would stop being exact; the histogram stops there for good. A column whose histogram
 * holds every value may drop the values (`releaseValues`): its moments and bins then
 * come from the histogram.
 *
 * Accumulators merge: `a.merge(b)` leaves `a` equal to the accumulator of a's rows
 * followed by b's rows (counts, bins and categories exactly; moments exactly too while
 * b's value store holds b's values in order, else to rounding), so a fan-out over many
 * objects, or a scan of a file's parts on several threads, can reduce them; parts whose
 * histograms hold every value between them merge without values (`releaseTogether`).
 */
import { ValueTypeError } from '../../../vocabulary/errors';
import type { ColumnData, ColumnKind } from '../readers/column-batch';
import type { Cell } from '../readers/types';
import { binIndex, sampleBinCounts } from '../stats/binning';
import { addMoment, emptyMoments, mergeMoments, type Moments } from '../stats/moments';
import { ValueStore } from '../stats/value-store';
import {
  BAD_VALUE_POLICIES,
  type BadValue,
  type BadValuePolicy,
  type ColumnType,
} from './column-types';
import { locateCell } from './locate';
import { ValueCounts, type EcdfReference } from './value-counts';
import { isNonFiniteToken, parseNumber } from './parse-number';

/** Distinct values kept for a column that is numeric so far, when inferring. */
export const DEFAULT_DISTINCT_CAP = 10_000;

/** Values kept exactly per numeric column before the `ValueStore` turns to a sketch. */
export const DEFAULT_VALUE_BUDGET = 1_000_000;

/** Options of a {@link ColumnAccumulator}. */
export interface ColumnAccumulatorOptions {
  /** The column's type when known. @default undefined (inferred from the values) */
  readonly type?: ColumnType;
  /** Budget of the numeric `ValueStore`; 0 keeps no values (no KS, Wasserstein or quantiles). @default 1_000_000 */
  readonly budget?: number;
  /** Cut points to count numeric values into bins against (bin = number of cut points <= x). @default none */
  readonly cuts?: readonly number[];
  /** Numeric values below `min` or above `max` are counted in `outOfRange`. @default none */
  readonly range?: { readonly min: number; readonly max: number };
  /** What to do with a non-number in a column known to be numeric. @default 'throw' */
  readonly onBadValue?: BadValuePolicy;
  /** Distinct values kept while inferring a column that is numeric so far. @default 10_000 */
  readonly distinctCap?: number;
  /**
   * Keep a decimal histogram of the numeric values while they are exact (see
   * {@link ValueCounts}), for ECDF statistics without sorting. @default false
   */
  readonly histogram?: boolean;
  /** The reference those statistics are taken against (its sample and cut points). @default none */
  readonly ecdfReference?: EcdfReference;
}

const INFER = 0;
const NUMERIC = 1;
const CATEGORICAL = 2;

/** Running statistics of one column. See the module documentation. */
export class ColumnAccumulator {
  /** Column name. */
  public readonly name: string;
  /** Present (non-missing) cells. */
  public count = 0;
  /** Missing cells (`null`, `''`, absent). */
  public missing = 0;
  /**
   * Moments of the values before those the store holds in order while `momentsPending`
   * (see {@link moments}).
   */
  private settled: Moments = emptyMoments();
  /**
   * True while moments are owed: while the store holds every value in order, the
   * moments are computed only when asked for (one pass over the stored values, the
   * same Welford updates in the same order as value by value), or just before the store
   * would stop being exact. A drift check never asks, and saves a division per value.
   */
  private momentsPending: boolean;
  /** The numeric values (exact up to the budget); null when categorical or budget 0. */
  private values: ValueStore | null;
  private readonly bins: number[] | null;
  /** Numeric values outside `range`. */
  public outOfRange = 0;
  /** Bad values met under the `count` policy. */
  public badCount = 0;
  /** The first bad value under the `count` policy. */
  public firstBad: BadValue | null = null;
  /** The decimal histogram of the numeric values (the `histogram` option); null without, or once categorical. */
  private tally: ValueCounts | null;
  /**
   * True while those counts are owed: while the store is exact, values are counted only
   * when asked for ({@link countValues}), one column at a time, whose tables then stay in
   * the processor's cache, or just before the store would compact.
   */
  private countsPending: boolean;
  /**
   * True once the exact values were dropped for the decimal histogram that holds every one
   * of them (see {@link releaseValues}); they come back from it if more values arrive.
   */
  private released = false;
  /** True once inference dropped the distinct counts of a numeric-so-far column. */
  public distinctCapped = false;

  private state: number;
  private readonly declared: ColumnType | undefined;
  private readonly cuts: readonly number[] | null;
  /**
   * True while bin counts are owed: with a value store, values are binned only when
   * the store is about to stop being exact (or at the end, from its sorted sample),
   * which saves a binary search per value.
   */
  private binsPending: boolean;
  private readonly rangeMin: number;
  private readonly rangeMax: number;
  private readonly hasRange: boolean;
  private readonly policy: BadValuePolicy;
  private readonly distinctCap: number;
  private readonly budget: number;
  /** Categorical: counts per category. Inferring: counts of distinct string cells. */
  private counts: Map<string, number> | null = new Map();
  /** Inferring: counts of distinct JSON-number cells (keyed by number to avoid allocating). */
  private numberCounts: Map<number, number> | null = new Map();
  private pendingNonFinite: BadValue | null = null;
  private firstNonNumber: BadValue | null = null;

  public constructor(name: string, options: ColumnAccumulatorOptions = {}) {
    this.name = name;
    this.declared = options.type;
    this.state = options.type === 'numeric' ? NUMERIC : options.type === 'categorical' ? CATEGORICAL : INFER;
    this.budget = options.budget ?? DEFAULT_VALUE_BUDGET;
    this.values = this.state !== CATEGORICAL && this.budget > 0 ? new ValueStore(this.budget) : null;
    this.momentsPending = this.values !== null;
    // Without a store (budget 0) there are no exact values to count.
    this.tally = options.histogram === true && this.state !== CATEGORICAL && this.values !== null ? new ValueCounts(options.ecdfReference ?? null) : null;
    this.countsPending = this.tally !== null;
    this.cuts = options.cuts ? [...options.cuts] : null;
    this.bins = this.cuts ? new Array<number>(this.cuts.length + 1).fill(0) : null;
    this.binsPending = this.cuts !== null && this.values !== null;
    this.hasRange = options.range !== undefined;
    this.rangeMin = options.range?.min ?? 0;
    this.rangeMax = options.range?.max ?? 0;
    this.policy = options.onBadValue ?? BAD_VALUE_POLICIES.throw;
    this.distinctCap = options.distinctCap ?? DEFAULT_DISTINCT_CAP;
    if (this.state !== INFER) this.numberCounts = null;
    if (this.state === NUMERIC) this.counts = null;
  }

  /** Adds one cell found at `file`, `line` (for error messages). */
  public add(cell: Cell | undefined, file: string, line: number): void {
    if (cell === null || cell === undefined || cell === '') {
      this.missing++;
      return;
    }
    this.count++;
    const state = this.state;
    if (state === CATEGORICAL) {
      const key = typeof cell === 'string' ? cell : String(cell);
      const counts = this.counts!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return;
    }
    let x: number;
    if (typeof cell === 'number') {
      if (!Number.isFinite(cell)) {
        this.nonNumber(String(cell), true, file, line);
        return;
      }
      x = cell;
    } else if (typeof cell === 'string') {
      x = parseNumber(cell);
      if (x !== x) {
        this.nonNumber(cell, isNonFiniteToken(cell), file, line);
        return;
      }
    } else {
      this.nonNumber(String(cell), false, file, line);
      return;
    }
    if (this.released) this.restoreValues();
    const store = this.values;
    if (store !== null) {
      // Bins or moments owed: settle them from the exact values just before the store would compact.
      if ((this.binsPending || this.momentsPending || this.countsPending) && store.count === this.budget) this.settleOwed();
      if (!this.momentsPending) addMoment(this.settled, x);
      if (!this.binsPending && this.cuts !== null) this.bins![binIndex(this.cuts, x)]!++;
      store.add(x);
    } else {
      addMoment(this.settled, x);
      if (this.cuts !== null) this.bins![binIndex(this.cuts, x)]!++;
    }
    if (this.hasRange && (x < this.rangeMin || x > this.rangeMax)) this.outOfRange++;
    if (this.tally !== null && !this.countsPending) {
      ONE[0] = x;
      this.tally.add(ONE, 0, 1);
      if (store !== null && !store.exact) this.tally.stop();
    }
    if (state === INFER && !this.distinctCapped) {
      if (typeof cell === 'string') {
        const counts = this.counts!;
        counts.set(cell, (counts.get(cell) ?? 0) + 1);
      } else {
        const counts = this.numberCounts!;
        counts.set(cell, (counts.get(cell) ?? 0) + 1);
      }
      this.checkCap();
    }
  }

  /**
   * The column kind this accumulator wants in the next column batch: numbers while numeric
   * (or inferred and past the distinct cap), categories once categorical, plain cells while
   * inferring (the distinct counts are kept by text).
   */
  public get wantedKind(): ColumnKind {
    if (this.state === CATEGORICAL) return 'category';
    if (this.state === NUMERIC || this.distinctCapped) return 'number';
    return 'cell';
  }

  /**
   * Adds the first `length` rows of one column of a column batch, the same as calling
   * {@link add} on each of its cells in order. A `number` column must be read while
   * {@link wantedKind} is `number`, a `category` column while it is `category`.
   */
  public addColumn(col: ColumnData, length: number, lines: ArrayLike<number>, file: string): void {
    if (col.kind === 'cell') {
      const cells = col.cells;
      for (let r = 0; r < length; r++) this.add(cells[r], file, lines[r]!);
      return;
    }
    if (col.kind === 'category') {
      if (this.state !== CATEGORICAL) throw new Error(`column "${this.name}" is not categorical`);
      this.addCodes(col.codes, col.names, length);
      return;
    }
    if (this.state !== NUMERIC && !(this.state === INFER && this.distinctCapped)) {
      throw new Error(`column "${this.name}" cannot take a number column while inferring`);
    }
    const { values, exceptionRows, exceptionCells } = col;
    let from = 0;
    for (let e = 0; e < exceptionRows.length; e++) {
      const r = exceptionRows[e]!;
      if (r >= length) break;
      if (r > from) this.addNumbers(values, from, r);
      this.add(exceptionCells[e], file, lines[r]!);
      from = r + 1;
    }
    if (length > from) this.addNumbers(values, from, length);
  }

  /**
   * Adds `offset` to the line of every value remembered for a message (first bad value,
   * pending non-finite, first non-number): for rows that were numbered from the start
   * of a part of a file rather than of the file.
   */
  public shiftLines(offset: number): void {
    const shift = (b: BadValue | null): BadValue | null => (b === null ? null : { ...b, line: b.line + offset });
    this.firstBad = shift(this.firstBad);
    this.pendingNonFinite = shift(this.pendingNonFinite);
    this.firstNonNumber = shift(this.firstNonNumber);
  }

  /**
   * Does the work a worker thread can do before handing this accumulator over: counts
   * owed values and works out the ECDF statistics of its value counts (see
   * `ValueCounts.statistics`).
   */
  public prepare(): void {
    this.countValues();
    this.releaseValues();
    try {
      this.tally?.statistics();
    } catch {
      // Left to the caller, who gets the error when it asks (see ValueCounts.statistics).
    }
  }

  /** The buffers a worker thread can hand over with this accumulator instead of copying them. */
  public transferables(): ArrayBuffer[] {
    return this.tally?.transferables() ?? [];
  }

  /**
   * Gives back its class to an accumulator that went through a structured clone
   * (`postMessage` from a worker thread), and to its value store.
   */
  public static revive(clone: object): ColumnAccumulator {
    const acc = Object.setPrototypeOf(clone, ColumnAccumulator.prototype) as ColumnAccumulator;
    if (typeof acc.name !== 'string' || typeof acc.count !== 'number') throw new TypeError('not a cloned ColumnAccumulator');
    if (acc.values !== null) ValueStore.revive(acc.values);
    if (acc.tally !== null) ValueCounts.revive(acc.tally);
    return acc;
  }

  /** Counts of the codes of one batch, by code; reused. */
  private codeCounts: Int32Array = new Int32Array(0);
  /** The codes met in this batch, in order of first appearance. */
  private codesMet: Int32Array = new Int32Array(0);

  private addCodes(codes: Int32Array, names: readonly string[], length: number): void {
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
    this.missing += missing;
    this.count += length - missing;
    // In order of first appearance: new categories enter the map in the order add() would.
    const map = this.counts!;
    for (let i = 0; i < nMet; i++) {
      const c = met[i]!;
      const key = names[c]!;
      map.set(key, (map.get(key) ?? 0) + counts[c]!);
      counts[c] = 0;
    }
  }

  /** Adds values[from..to), all finite numbers, to a numeric column: as `add` on each. */
  private addNumbers(values: Float64Array, from: number, to: number): void {
    if (this.released) this.restoreValues();
    this.count += to - from;
    const store = this.values;
    const cuts = this.cuts;
    if (store !== null) {
      let i = from;
      while (i < to) {
        let end = to;
        if (this.binsPending || this.momentsPending || this.countsPending) {
          const c = store.count;
          if (c === this.budget) {
            this.settleOwed();
            continue;
          }
          if (c < this.budget) end = Math.min(to, i + (this.budget - c));
        }
        if (!this.momentsPending) continueMoments(this.settled, values, i, end);
        if (!this.binsPending && cuts !== null) this.binRange(values, i, end);
        if (this.tally !== null && !this.countsPending) this.tally.add(values, i, end);
        store.addRange(values, i, end);
        // Past the budget the counts stop (owed ones stopped in settleOwed).
        if (this.tally !== null && !store.exact) this.tally.stop();
        i = end;
      }
    } else {
      continueMoments(this.settled, values, from, to);
      if (cuts !== null) this.binRange(values, from, to);
    }
    if (this.hasRange) {
      const lo = this.rangeMin;
      const hi = this.rangeMax;
      let out = 0;
      for (let i = from; i < to; i++) {
        const x = values[i]!;
        if (x < lo || x > hi) out++;
      }
      this.outOfRange += out;
    }
  }

  private binRange(values: Float64Array, from: number, to: number): void {
    const cuts = this.cuts!;
    const bins = this.bins!;
    for (let i = from; i < to; i++) bins[binIndex(cuts, values[i]!)]!++;
  }

  /** A present cell that is not a finite number, in a column that is numeric (so far). */
  private nonNumber(value: string, nonFinite: boolean, file: string, line: number): void {
    const bad: BadValue = { file, line, value, nonFinite };
    if (this.state === NUMERIC) {
      if (this.policy === BAD_VALUE_POLICIES.count) {
        this.badCount++;
        this.firstBad ??= bad;
        return;
      }
      throw badValueError(this.name, bad);
    }
    // Inferring, numeric so far.
    if (this.distinctCapped) throw badValueError(this.name, bad, this.distinctCap);
    if (nonFinite) {
      this.pendingNonFinite ??= bad;
      const counts = this.counts!;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      this.checkCap();
      return;
    }
    this.firstNonNumber ??= bad;
    this.becomeCategorical();
    const counts = this.counts!;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }

  /** Counts per bin of `cuts` (length cuts.length + 1); null without cuts. */
  public get binCounts(): number[] | null {
    if (this.binsPending) this.settleBins();
    return this.bins;
  }

  /** Moments of the numeric values. */
  public get moments(): Moments {
    if (this.momentsPending) this.settleMoments();
    return this.settled;
  }

  /** Number of numeric values added (without computing owed moments). */
  public get numberCount(): number {
    if (!this.momentsPending) return this.settled.count;
    return this.released ? this.tally!.count : this.values!.count;
  }

  /**
   * The numeric values (exact up to the budget); null when categorical or budget 0.
   * Owed moments are settled first: a caller may sort the values in place.
   */
  public get store(): ValueStore | null {
    if (this.released) return null;
    if (this.momentsPending) this.settleMoments();
    return this.values;
  }

  /**
   * Every numeric value in the order added while the store holds them exactly and in
   * order, else null: a view to read, not to modify (owed moments are computed from it
   * later).
   */
  public exactValues(): Float64Array | null {
    return this.values?.valuesInOrder() ?? null;
  }

  /**
   * The decimal histogram of the numeric values (the `histogram` option; null without,
   * or once categorical); owed counts are counted first.
   */
  public get valueCounts(): ValueCounts | null {
    this.countValues();
    return this.tally;
  }

  /**
   * Drops the exact values of a numeric column when its decimal histogram (the `histogram`
   * option) holds every one of them; owed moments and bins stay owed and then come from
   * the histogram (two passes in ascending order of the values: equal histograms give
   * equal moments). Returns whether it did. The store is then null; the ECDF statistics
   * come from the histogram (see {@link valueCounts}). Values added later bring the
   * values back from the histogram, in ascending order.
   */
  public releaseValues(): boolean {
    this.countValues();
    const store = this.values;
    if (this.released || this.state !== NUMERIC || this.tally === null || store === null || !store.exact) return false;
    // Without a reference the histogram gives no statistics: the values must stay.
    if (!this.tally.holdsAll() || !this.tally.hasReference) return false;
    // Owed moments and bins stay owed: they will come from the histogram.
    this.values = null;
    this.released = true;
    return true;
  }

  /** Brings back released values from the histogram (ascending: their order is not known). */
  private restoreValues(): void {
    // Owed moments and bins first, from the histogram (the values' order is lost).
    if (this.momentsPending) this.settleMoments();
    if (this.binsPending) this.settleBins();
    this.released = false;
    const store = new ValueStore(this.budget);
    store.addAll(this.tally!.expand()!);
    this.values = store;
  }

  /**
   * Counts the values owed to the counts (see `countsPending`); a worker does this before
   * replying. `more`: values will follow (the store is about to stop being exact).
   */
  public countValues(more = false): void {
    if (!this.countsPending) return;
    this.countsPending = false;
    const store = this.values!;
    if (more) this.tally!.stop();
    else this.tally!.addExact(store.valuesInOrder() ?? store.sample().values, store.range ?? undefined);
  }

  /** Settles owed moments, bins and cell counts (the store is about to stop being exact). */
  private settleOwed(): void {
    if (this.momentsPending) this.settleMoments();
    if (this.binsPending) this.settleBins();
    this.countValues(true);
  }

  /** Computes the owed moments from the stored values, in the order they came. */
  private settleMoments(): void {
    this.momentsPending = false;
    if (this.released) {
      this.settled = this.tally!.summary([])!.moments;
      return;
    }
    const ordered = this.values!.valuesInOrder();
    if (ordered === null) throw new Error(`column "${this.name}": owed moments without the values in order`);
    continueMoments(this.settled, ordered);
  }

  /** Counts the (still exact) stored values into the bins; from then on values are binned as they come. */
  private settleBins(): void {
    this.binsPending = false;
    if (this.released) {
      const counts = this.tally!.summary(this.cuts!)!.binCounts;
      for (let i = 0; i < counts.length; i++) this.bins![i]! += counts[i]!;
      return;
    }
    const store = this.values!;
    const ordered = store.valuesInOrder();
    if (ordered !== null) {
      // Binned one by one rather than sorted: the values stay in the order they came
      // (owed moments and counts are taken from them later).
      this.binRange(ordered, 0, ordered.length);
      return;
    }
    const counts = sampleBinCounts(this.cuts!, this.store!.sample());
    for (let i = 0; i < counts.length; i++) this.bins![i]! += counts[i]!;
  }

  private checkCap(): void {
    if (this.counts!.size + this.numberCounts!.size > this.distinctCap) {
      this.distinctCapped = true;
      this.counts = null;
      this.numberCounts = null;
    }
  }

  /** Folds the distinct counts into category counts and drops the numeric state. */
  private becomeCategorical(): void {
    const counts = this.counts!;
    for (const [n, c] of this.numberCounts!) {
      const key = String(n);
      counts.set(key, (counts.get(key) ?? 0) + c);
    }
    this.numberCounts = null;
    this.state = CATEGORICAL;
    this.values = null;
    this.tally = null;
    this.countsPending = false;
    this.momentsPending = false;
    this.settled = emptyMoments();
    if (this.bins) this.bins.fill(0);
    this.binsPending = false;
    this.outOfRange = 0;
    this.pendingNonFinite = null;
  }

  /** Whether the decimal histogram holds every value, so that the values can go (or are gone). */
  private heldByHistogram(): boolean {
    if (this.released) return true;
    const store = this.values;
    return this.state === NUMERIC && this.tally !== null && !this.countsPending && this.tally.holdsAll() && this.tally.hasReference && store !== null && store.exact;
  }

  /**
   * Drops the values of all `parts` (the accumulators of one column over consecutive rows,
   * about to be merged) when their histograms together hold every value as one pass's
   * histogram would (each holds its part, the union fits one table, and the values fit
   * the budget); then they merge by histograms alone. Returns whether it did; if not,
   * none is touched and their values merge in order.
   */
  public static releaseTogether(parts: readonly ColumnAccumulator[]): boolean {
    if (parts.length === 0 || !parts.every((p) => p.heldByHistogram())) return false;
    const total = parts.reduce((s, p) => s + p.numberCount, 0);
    if (total > parts[0]!.budget || !ValueCounts.fitTogether(parts.map((p) => p.tally!))) return false;
    for (const p of parts) p.releaseValues();
    return true;
  }

  /**
   * Merges two released accumulators (see {@link releaseTogether}) by their histograms
   * when these fit together within the budget: owed moments and bins stay owed (to the
   * merged histogram), else moments merge by Chan's formula and bins add. False otherwise
   * (the values come back, in ascending order, and merge).
   */
  private mergeHistograms(other: ColumnAccumulator): boolean {
    if (other === this || !this.released || !other.released || !this.tally!.fitsWith(other.tally!)) return false;
    if (this.tally!.count + other.tally!.count > this.budget) return false;
    // Owed on both sides: still owed, from the merged histogram.
    if (!(this.momentsPending && other.momentsPending)) {
      this.settled = mergeMoments(this.moments, other.moments);
      this.momentsPending = false;
    }
    if (this.bins !== null && other.bins !== null && !(this.binsPending && other.binsPending)) {
      const mine = this.binCounts!;
      const theirs = other.binCounts!;
      for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i]!;
    }
    this.tally!.merge(other.tally!);
    this.outOfRange += other.outOfRange;
    return true;
  }

  /**
   * Settles the type (see the module documentation) and returns it. Throws the pending
   * `ValueTypeError` of a `NaN`-like value in a column that turns out numeric.
   */
  public finish(): ColumnType {
    if (this.state === INFER) {
      if (this.numberCount === 0) this.becomeCategorical();
      else if (this.pendingNonFinite) throw badValueError(this.name, this.pendingNonFinite);
      else {
        this.state = NUMERIC;
        this.counts = null;
        this.numberCounts = null;
      }
    }
    return this.state === NUMERIC ? 'numeric' : 'categorical';
  }

  /** The current type: settled, or the type so far while inferring. */
  public get typeSoFar(): ColumnType {
    return this.state === CATEGORICAL ? 'categorical' : 'numeric';
  }

  /** Counts per category of a categorical column (call {@link finish} first). */
  public categoryCounts(): ReadonlyMap<string, number> {
    if (this.state !== CATEGORICAL) throw new Error(`column "${this.name}" is not categorical`);
    return this.counts!;
  }

  /**
   * Merges `other` (the rows that follow this accumulator's rows) into this one.
   * Both must have been created with the same options; `other` must not be used after.
   * Merging a categorical half with a half that committed to numeric (distinct cap
   * reached) is a `ValueTypeError` at the first non-number.
   */
  public merge(other: ColumnAccumulator): this {
    if (other.name !== this.name) throw new Error(`cannot merge column "${other.name}" into "${this.name}"`);
    if (other.declared !== this.declared) throw new Error(`cannot merge column "${this.name}" of different declared types`);
    this.count += other.count;
    this.missing += other.missing;
    this.badCount += other.badCount;
    this.firstBad ??= other.firstBad;
    if (this.state === CATEGORICAL && other.state === CATEGORICAL) {
      addCounts(this.counts!, other.counts!);
    } else if (this.mergeHistograms(other)) {
      // Both held by histograms that fit together: merged without values.
    } else if (this.state !== CATEGORICAL && other.state !== CATEGORICAL) {
      if (this.released) this.restoreValues();
      if (other.released) other.restoreValues();
      // other's values in the order they came: continuing the one-pass update over them
      // gives the moments of the whole sequence exactly as one pass would.
      const thisStore = this.values;
      const otherStore = other.values;
      const fits = thisStore !== null && otherStore !== null && thisStore.count + otherStore.count <= this.budget;
      if (this.momentsPending && other.momentsPending && fits && other !== this) {
        // Still owed: the merged store holds both in order.
      } else {
        const ordered = other !== this ? (otherStore?.valuesInOrder() ?? null) : null;
        const mine = this.moments;
        if (ordered !== null && ordered.length === other.numberCount) continueMoments(mine, ordered);
        else this.settled = mergeMoments(mine, other.moments);
        this.momentsPending = false;
      }
      // Bins owed on both sides, and the merged store stays exact: still owed, settled once
      // from the merged values (no sort now).
      const stillOwed = this.binsPending && other.binsPending && fits;
      if (this.bins && other.bins && !stillOwed) {
        const mine = this.binCounts!;
        const theirs = other.binCounts!;
        for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i]!;
      }
      if (this.tally !== null && other.tally !== null && !(this.countsPending && other.countsPending && fits && other !== this)) {
        this.countValues();
        this.tally.merge(other.valueCounts!);
      }
      if (thisStore && otherStore) thisStore.merge(otherStore);
      // Past the budget the counts stop, as in one pass.
      if (this.tally !== null && this.values !== null && !this.values.exact) this.tally.stop();
      this.outOfRange += other.outOfRange;
      this.pendingNonFinite ??= other.pendingNonFinite;
      if (this.state === INFER) {
        if (this.distinctCapped || other.distinctCapped) {
          this.distinctCapped = true;
          this.counts = null;
          this.numberCounts = null;
        } else {
          addCounts(this.counts!, other.counts!);
          addCounts(this.numberCounts!, other.numberCounts!);
          this.checkCap();
        }
        if (this.distinctCapped && this.pendingNonFinite) throw badValueError(this.name, this.pendingNonFinite);
      }
    } else if (this.state === CATEGORICAL) {
      // other is numeric so far (inferring)
      if (other.distinctCapped) throw badValueError(this.name, this.firstNonNumber!, this.distinctCap);
      other.becomeCategorical();
      addCounts(this.counts!, other.counts!);
    } else {
      // this is numeric so far (inferring), other categorical
      if (this.distinctCapped) throw badValueError(this.name, other.firstNonNumber!, this.distinctCap);
      this.firstNonNumber ??= other.firstNonNumber;
      this.becomeCategorical();
      addCounts(this.counts!, other.counts!);
    }
    return this;
  }
}

/** A one-value array, for counting a single value into cells. */
const ONE = new Float64Array(1);

/** Welford's update (as {@link addMoment}, in the same order of operations) over `values[from..to)`. */
function continueMoments(m: Moments, values: Float64Array, from = 0, to = values.length): void {
  let count = m.count;
  let mean = m.mean;
  let m2 = m.m2;
  let min = m.min;
  let max = m.max;
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    count++;
    const delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  m.count = count;
  m.mean = mean;
  m.m2 = m2;
  m.min = min;
  m.max = max;
}


function addCounts<K>(into: Map<K, number>, from: ReadonlyMap<K, number>): void {
  for (const [k, c] of from) into.set(k, (into.get(k) ?? 0) + c);
}

function badValueError(column: string, bad: BadValue, cap?: number): ValueTypeError {
  const what = bad.nonFinite ? 'non-finite value' : 'non-numeric value';
  const why = cap !== undefined ? ` (the column had more than ${cap} distinct numbers, so it is numeric)` : '';
  return new ValueTypeError(`${what} ${JSON.stringify(bad.value)} in numeric column${why}`, locateCell(bad.file, bad.line, column));
}
