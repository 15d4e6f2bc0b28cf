/**
 * The numeric half of a column's running statistics: moments, bin counts against cut
 * points, values outside a range, the values themselves in a `ValueStore` (exact up to
 * the budget, then a sketch) and, with the `histogram` option, their decimal histogram
 * (see ./value-counts). It takes finite numbers only; which cells are numbers, and what
 * becomes of a column that turns out categorical, is the accumulator's business
 * (./column-accumulator, ./type-inference).
 *
 * Work owed ({@link OwedWork}): while the value store holds every value in order, the
 * moments, the bins and the histogram are not updated value by value but worked out from
 * the stored values when asked for, or just before the store would stop being exact; the
 * histogram stops there for good. Owed moments are the same Welford updates in the same
 * order as value by value, so owed and eager give the same figures bit for bit. A column
 * whose histogram holds every value may drop the values (`releaseValues`): owed moments
 * and bins then come from the histogram.
 *
 * Columns merge: `a.merge(b)` leaves `a` equal to the column of a's values followed by
 * b's (counts, bins and range exactly; moments exactly too while b's store holds b's
 * values in order, else to rounding). Columns released together (`releaseTogether`)
 * merge by their histograms alone.
 */
import { binIndex, sampleBinCounts } from '../stats/binning';
import { addMoment, emptyMoments, mergeMoments, type Moments } from '../stats/moments';
import { DEFAULT_VALUE_BUDGET, ValueStore } from '../stats/value-store';
import { ValueCounts, type EcdfReference } from './value-counts';

/** Options of a {@link NumericColumn}. */
export interface NumericColumnOptions {
  /** Budget of the `ValueStore`; 0 keeps no values (no KS, Wasserstein or quantiles). @default 1_000_000 */
  readonly budget?: number;
  /** Cut points to count values into bins against (bin = number of cut points <= x). @default none */
  readonly cuts?: readonly number[];
  /** Values below `min` or above `max` are counted in `outOfRange`. @default none */
  readonly range?: { readonly min: number; readonly max: number };
  /** Keep a decimal histogram of the values while they are exact (see {@link ValueCounts}). @default false */
  readonly histogram?: boolean;
  /** The reference the histogram's statistics are taken against. @default none */
  readonly ecdfReference?: EcdfReference;
}

/**
 * The work a numeric column owes, in one place. `moments`, `bins`, `counts`: owed from
 * the stored values (or, once released, from the histogram). `released`: the exact values
 * were dropped for the histogram that holds every one of them; they come back from it if
 * more values arrive. Plain data, so that it survives a structured clone as it is.
 */
export interface OwedWork {
  moments: boolean;
  bins: boolean;
  counts: boolean;
  released: boolean;
}

/** A one-value array, for counting a single value into the histogram. */
const ONE = new Float64Array(1);

/** Running statistics of the finite numbers of one column. See the module documentation. */
export class NumericColumn {
  /** Values outside the range. */
  public outOfRange = 0;
  /** Moments of the values before those owed (all of them once nothing is owed). */
  private settled: Moments = emptyMoments();
  /** The values (exact up to the budget); null with budget 0 or once released. */
  private values: ValueStore | null;
  /** The decimal histogram (the `histogram` option); null without. */
  private readonly tally: ValueCounts | null;
  private readonly bins: number[] | null;
  private readonly cuts: readonly number[] | null;
  private readonly owed: OwedWork;
  private readonly budget: number;
  private readonly hasRange: boolean;
  private readonly rangeMin: number;
  private readonly rangeMax: number;

  /** `name` names the column in errors. */
  public constructor(
    private readonly name: string,
    options: NumericColumnOptions = {},
  ) {
    this.budget = options.budget ?? DEFAULT_VALUE_BUDGET;
    this.values = this.budget > 0 ? new ValueStore(this.budget) : null;
    // Without a store (budget 0) there are no exact values to count.
    this.tally = options.histogram === true && this.values !== null ? new ValueCounts(options.ecdfReference ?? null) : null;
    this.cuts = options.cuts ? [...options.cuts] : null;
    this.bins = this.cuts ? new Array<number>(this.cuts.length + 1).fill(0) : null;
    this.owed = { moments: this.values !== null, bins: this.cuts !== null && this.values !== null, counts: this.tally !== null, released: false };
    this.hasRange = options.range !== undefined;
    this.rangeMin = options.range?.min ?? 0;
    this.rangeMax = options.range?.max ?? 0;
  }

  /** Adds one finite number. */
  public add(x: number): void {
    const owed = this.owed;
    if (owed.released) this.restoreValues();
    const store = this.values;
    if (store !== null) {
      // Bins or moments owed: settle them from the exact values just before the store would compact.
      if ((owed.bins || owed.moments || owed.counts) && store.count === this.budget) this.settleOwed();
      if (!owed.moments) addMoment(this.settled, x);
      if (!owed.bins && this.cuts !== null) this.bins![binIndex(this.cuts, x)]!++;
      store.add(x);
    } else {
      addMoment(this.settled, x);
      if (this.cuts !== null) this.bins![binIndex(this.cuts, x)]!++;
    }
    if (this.hasRange && (x < this.rangeMin || x > this.rangeMax)) this.outOfRange++;
    if (this.tally !== null && !owed.counts) {
      ONE[0] = x;
      this.tally.add(ONE, 0, 1);
      if (store !== null && !store.exact) this.tally.stop();
    }
  }

  /** Adds values[from..to), all finite numbers: as {@link add} on each. */
  public addNumbers(values: Float64Array, from: number, to: number): void {
    const owed = this.owed;
    if (owed.released) this.restoreValues();
    const store = this.values;
    const cuts = this.cuts;
    if (store !== null) {
      let i = from;
      while (i < to) {
        let end = to;
        if (owed.bins || owed.moments || owed.counts) {
          const c = store.count;
          if (c === this.budget) {
            this.settleOwed();
            continue;
          }
          if (c < this.budget) end = Math.min(to, i + (this.budget - c));
        }
        if (!owed.moments) continueMoments(this.settled, values, i, end);
        if (!owed.bins && cuts !== null) this.binRange(values, i, end);
        if (this.tally !== null && !owed.counts) this.tally.add(values, i, end);
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

  /** The work owed so far (a copy: for tests and reports). */
  public get owedWork(): Readonly<OwedWork> {
    return { ...this.owed };
  }

  /** Counts per bin of `cuts` (length cuts.length + 1); null without cuts. */
  public get binCounts(): number[] | null {
    if (this.owed.bins) this.settleBins();
    return this.bins;
  }

  /** Moments of the values. */
  public get moments(): Moments {
    if (this.owed.moments) this.settleMoments();
    return this.settled;
  }

  /** Number of values added (without computing owed moments). */
  public get numberCount(): number {
    if (!this.owed.moments) return this.settled.count;
    return this.owed.released ? this.tally!.count : this.values!.count;
  }

  /**
   * The values (exact up to the budget); null with budget 0 or once released. Owed
   * moments are settled first: a caller may sort the values in place.
   */
  public get store(): ValueStore | null {
    if (this.owed.released) return null;
    if (this.owed.moments) this.settleMoments();
    return this.values;
  }

  /** Every value in the order added while the store holds them so, else null: a view to read, not to modify. */
  public exactValues(): Float64Array | null {
    return this.values?.valuesInOrder() ?? null;
  }

  /** The decimal histogram (the `histogram` option; null without); owed counts are counted first. */
  public get valueCounts(): ValueCounts | null {
    this.countValues();
    return this.tally;
  }

  /** The buffers a worker thread can hand over with this column instead of copying them. */
  public transferables(): ArrayBuffer[] {
    return this.tally?.transferables() ?? [];
  }

  /**
   * Counts the values owed to the histogram; a worker does this before replying. `more`:
   * values will follow (the store is about to stop being exact), so the histogram stops.
   */
  public countValues(more = false): void {
    if (!this.owed.counts) return;
    this.owed.counts = false;
    const store = this.values!;
    if (more) this.tally!.stop();
    else this.tally!.addExact(store.valuesInOrder() ?? store.sample().values, store.range ?? undefined);
  }

  /**
   * Drops the exact values when the histogram holds every one of them (and has a
   * reference to give statistics against); owed moments and bins stay owed and then
   * come from the histogram (in ascending order of the values: equal histograms give
   * equal moments). Returns whether it did.
   */
  public releaseValues(): boolean {
    this.countValues();
    const store = this.values;
    if (this.owed.released || this.tally === null || store === null || !store.exact) return false;
    if (!this.tally.holdsAll() || !this.tally.hasReference) return false;
    this.values = null;
    this.owed.released = true;
    return true;
  }

  /** Whether the histogram holds every value, so that the values can go (or are gone). */
  public heldByHistogram(): boolean {
    if (this.owed.released) return true;
    const store = this.values;
    return this.tally !== null && !this.owed.counts && this.tally.holdsAll() && this.tally.hasReference && store !== null && store.exact;
  }

  /**
   * Drops the values of all `parts` (one column over consecutive rows, about to be
   * merged) when their histograms together hold every value as one pass's histogram
   * would (each holds its part, the union fits one table, the values fit the budget).
   * Returns whether it did; if not, none is touched.
   */
  public static releaseTogether(parts: readonly NumericColumn[]): boolean {
    if (parts.length === 0 || !parts.every((p) => p.heldByHistogram())) return false;
    const total = parts.reduce((s, p) => s + p.numberCount, 0);
    if (total > parts[0]!.budget || !ValueCounts.fitTogether(parts.map((p) => p.tally!))) return false;
    for (const p of parts) p.releaseValues();
    return true;
  }

  /**
   * Merges `other` (the values that follow this column's) into this one. Both must have
   * been created with the same options; `other` must not be used after.
   */
  public merge(other: NumericColumn): void {
    if (this.mergeHistograms(other)) return;
    if (this.owed.released) this.restoreValues();
    if (other.owed.released) other.restoreValues();
    // other's values in the order they came: continuing the one-pass update over them
    // gives the moments of the whole sequence exactly as one pass would.
    const thisStore = this.values;
    const otherStore = other.values;
    const fits = thisStore !== null && otherStore !== null && thisStore.count + otherStore.count <= this.budget;
    if (this.owed.moments && other.owed.moments && fits && other !== this) {
      // Still owed: the merged store holds both in order.
    } else {
      const ordered = other !== this ? (otherStore?.valuesInOrder() ?? null) : null;
      const mine = this.moments;
      if (ordered !== null && ordered.length === other.numberCount) continueMoments(mine, ordered);
      else this.settled = mergeMoments(mine, other.moments);
      this.owed.moments = false;
    }
    // Bins owed on both sides, and the merged store stays exact: still owed, settled once
    // from the merged values (no sort now).
    const stillOwed = this.owed.bins && other.owed.bins && fits;
    if (this.bins && other.bins && !stillOwed) addInto(this.binCounts!, other.binCounts!);
    if (this.tally !== null && other.tally !== null && !(this.owed.counts && other.owed.counts && fits && other !== this)) {
      this.countValues();
      this.tally.merge(other.valueCounts!);
    }
    if (thisStore && otherStore) thisStore.merge(otherStore);
    // Past the budget the counts stop, as in one pass.
    if (this.tally !== null && this.values !== null && !this.values.exact) this.tally.stop();
    this.outOfRange += other.outOfRange;
  }

  /**
   * Merges two released columns by their histograms when these fit together within the
   * budget: owed moments and bins stay owed (to the merged histogram), else moments merge
   * by Chan's formula and bins add. False otherwise.
   */
  private mergeHistograms(other: NumericColumn): boolean {
    if (other === this || !this.owed.released || !other.owed.released || !this.tally!.fitsWith(other.tally!)) return false;
    if (this.tally!.count + other.tally!.count > this.budget) return false;
    if (!(this.owed.moments && other.owed.moments)) {
      this.settled = mergeMoments(this.moments, other.moments);
      this.owed.moments = false;
    }
    if (this.bins !== null && other.bins !== null && !(this.owed.bins && other.owed.bins)) addInto(this.binCounts!, other.binCounts!);
    this.tally!.merge(other.tally!);
    this.outOfRange += other.outOfRange;
    return true;
  }

  /** Brings back released values from the histogram (ascending: their order is not known). */
  private restoreValues(): void {
    // Owed moments and bins first, from the histogram (the values' order is lost).
    if (this.owed.moments) this.settleMoments();
    if (this.owed.bins) this.settleBins();
    this.owed.released = false;
    const store = new ValueStore(this.budget);
    store.addAll(this.tally!.expand()!);
    this.values = store;
  }

  /** Settles owed moments, bins and counts (the store is about to stop being exact). */
  private settleOwed(): void {
    if (this.owed.moments) this.settleMoments();
    if (this.owed.bins) this.settleBins();
    this.countValues(true);
  }

  /** Computes the owed moments from the stored values, in the order they came. */
  private settleMoments(): void {
    this.owed.moments = false;
    if (this.owed.released) {
      this.settled = this.tally!.summary([])!.moments;
      return;
    }
    const ordered = this.values!.valuesInOrder();
    if (ordered === null) throw new Error(`column "${this.name}": owed moments without the values in order`);
    continueMoments(this.settled, ordered);
  }

  /** Counts the (still exact) stored values into the bins; from then on values are binned as they come. */
  private settleBins(): void {
    this.owed.bins = false;
    if (this.owed.released) {
      addInto(this.bins!, this.tally!.summary(this.cuts!)!.binCounts);
      return;
    }
    const ordered = this.values!.valuesInOrder();
    if (ordered !== null) {
      // Binned one by one rather than sorted: the values stay in the order they came
      // (owed moments and counts are taken from them later).
      this.binRange(ordered, 0, ordered.length);
      return;
    }
    addInto(this.bins!, sampleBinCounts(this.cuts!, this.store!.sample()));
  }

  private binRange(values: Float64Array, from: number, to: number): void {
    const cuts = this.cuts!;
    const bins = this.bins!;
    for (let i = from; i < to; i++) bins[binIndex(cuts, values[i]!)]!++;
  }

  /** Gives back its class to a column that went through a structured clone, and to its store and histogram. */
  public static revive(clone: object): NumericColumn {
    const column = Object.setPrototypeOf(clone, NumericColumn.prototype) as NumericColumn;
    if (typeof column.owed !== 'object' || column.owed === null) throw new TypeError('not a cloned NumericColumn');
    if (column.values !== null) ValueStore.revive(column.values);
    if (column.tally !== null) ValueCounts.revive(column.tally);
    return column;
  }
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
}

/** Welford's update (as {@link addMoment}, in the same order of operations) over `values[from..to)`. */
export function continueMoments(m: Moments, values: Float64Array, from = 0, to = values.length): void {
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
