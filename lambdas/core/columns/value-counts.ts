/**
 * Counts of a numeric column's values kept beside its ValueStore, from which drift
 * takes the ECDF statistics (KS, Wasserstein-1, bins) without sorting the values:
 *
 * - a {@link DecimalHistogram} when the values are short decimals: the exact sorted
 *   sample, for the very merge walks that sorted values go through;
 * - else counts per cell of the reference's points ({@link EcdfCells}), when a grid is given.
 *
 * The exact values are counted in one go ({@link ValueCounts.addExact}): the histogram
 * first, and the cells only when the histogram gave up. Values that stream by after the
 * store stopped being exact go to both ({@link ValueCounts.add}). Counts merge.
 */
import type { Moments } from '../stats/moments';
import { DecimalHistogram } from '../stats/decimal-histogram';
import { ecdfGrid, EcdfCells, referencePoints, type EcdfCellStatistics, type EcdfGrid, type ReferencePoints } from '../stats/ecdf-cells';
import { ecdfWalk } from '../stats/ecdf-walk';

/** The reference a column's values are counted into cells against: its sorted sample and cut points. */
export interface CellReference {
  readonly values: Float64Array;
  /** null: every weight is 1. */
  readonly weights: Float64Array | null;
  readonly total: number;
  readonly cuts: readonly number[];
}

/** What to count. */
export interface ValueCountsOptions {
  /** Keep a decimal histogram. */
  readonly histogram: boolean;
  /** The reference to count cells against (its points and grid are made when first needed); null: no cells. */
  readonly cells: CellReference | null;
}

/** See the module documentation. */
export class ValueCounts {
  private readonly histogram: DecimalHistogram | null;
  private readonly reference: CellReference | null;
  /** The reference's points and their grid, made when first needed. */
  private points: ReferencePoints | null = null;
  private grid: EcdfGrid | null = null;
  /** Made when the first value is counted into cells. */
  private cells: EcdfCells | null = null;
  /** True while the cells hold every value counted. */
  private cellsWhole = true;
  /** The statistics worked out by {@link statistics} (undefined: none), null until asked for or after a change. */
  private worked: EcdfCellStatistics | undefined | null = null;

  public constructor(options: ValueCountsOptions) {
    this.histogram = options.histogram ? new DecimalHistogram() : null;
    this.reference = options.cells;
  }

  /**
   * Counts every exact value of the column so far (once, before anything else is
   * counted); `range`: their smallest and largest, when known. `more`: values will stream
   * by after these, past the exact budget: then nothing is counted (the counts stop for
   * good), since memory must not grow with the data beyond the budget (a histogram's
   * table fills in as ever more distinct values come) and cells need the exact values in
   * the end; the statistics come from the store's sketch.
   */
  public addExact(values: Float64Array, range?: { readonly min: number; readonly max: number }, more = false): void {
    this.worked = null;
    if (more) {
      this.histogram?.giveUp();
      this.cellsWhole = false;
      return;
    }
    if (this.histogram !== null && this.histogram.add(values, 0, values.length, range)) {
      // The histogram holds them: the cells (a slower count) are not needed.
      this.cellsWhole = false;
      return;
    }
    if (this.reference !== null) this.cellCounts().add(values);
  }

  /** Counts values[from..to), which came after the exact values (nothing once the counts stopped). */
  public add(values: Float64Array, from: number, to: number): void {
    this.worked = null;
    this.histogram?.add(values, from, to);
    if (this.reference !== null && this.cellsWhole) this.cellCounts().add(values, from, to);
  }

  /** Adds the counts of `other` (values after this one's). */
  public merge(other: ValueCounts): void {
    this.worked = null;
    if (this.histogram !== null && other.histogram !== null) this.histogram.merge(other.histogram);
    if (this.cellsWhole && other.cellsWhole && this.reference !== null) {
      if (other.cells !== null) this.cellCounts().merge(other.cells);
    } else this.cellsWhole = false;
  }

  /**
   * True when cells are wanted but hold only some of the values (the histogram held the
   * others, then gave up when merged): see {@link recount}.
   */
  public incomplete(): boolean {
    const held = this.histogram !== null && !this.histogram.abandoned;
    return !held && this.reference !== null && !this.cellsWhole;
  }

  /** Empty counts that go straight to cells, to count every value again. */
  public recount(): ValueCounts {
    return new ValueCounts({ histogram: false, cells: this.reference });
  }

  /** Whether a histogram holds every counted value. */
  public histogramHoldsAll(): boolean {
    return this.histogram !== null && !this.histogram.abandoned;
  }

  /** Values the histogram counted (0 without one). */
  public get histogramCount(): number {
    return this.histogram?.count ?? 0;
  }

  /** Whether {@link merge} with `other` keeps a histogram of every value. */
  public histogramFitsWith(other: ValueCounts): boolean {
    return this.histogram !== null && other.histogram !== null && this.histogram.fitsWith(other.histogram);
  }

  /** Every value the histogram counted, ascending; undefined when it gave up or is not kept. */
  public expandHistogram(): Float64Array | undefined {
    return this.histogram?.expand();
  }

  /** Bin counts and moments of every counted value from the histogram (see `DecimalHistogram.summary`); undefined when it gave up or is not kept. */
  public histogramSummary(cuts: readonly number[]): { binCounts: number[]; moments: Moments } | undefined {
    return this.histogram?.summary(cuts);
  }

  /**
   * KS, Wasserstein-1 and bin counts of the counted values against the reference, when
   * the counts hold every value (else undefined): through the merge walk over the
   * histogram's sample, or from the cell counts (`values`: every counted value, read for
   * the cells where the ECDFs cross; null when not kept). Worked out once until the
   * counts change, so a worker thread can do it before handing the counts over.
   */
  public statistics(values: Float64Array | null): EcdfCellStatistics | undefined {
    if (this.worked !== null) return this.worked;
    const r = this.reference;
    let result: EcdfCellStatistics | undefined;
    const sample = this.histogram?.sample();
    if (r === null || r.values.length === 0) result = undefined;
    else if (sample !== undefined && sample.total > 0) result = ecdfWalk({ values: r.values, weights: r.weights, total: r.total }, sample, r.cuts);
    else if (this.cellsWhole && values !== null && values.length > 0) result = this.cellCounts().statistics(this.referencePoints(), values);
    this.worked = result;
    return result;
  }

  private referencePoints(): ReferencePoints {
    const r = this.reference!;
    return (this.points ??= referencePoints(r.values, r.weights, r.total, r.cuts));
  }

  private cellCounts(): EcdfCells {
    return (this.cells ??= new EcdfCells((this.grid ??= ecdfGrid(this.referencePoints().points))));
  }

  /** The buffers a worker thread can hand over instead of copying. */
  public transferables(): ArrayBuffer[] {
    return this.histogram?.transferables() ?? [];
  }

  /** Gives back its class (and its parts') to a structured clone (from a worker thread). */
  public static revive(clone: object): ValueCounts {
    const c = Object.setPrototypeOf(clone, ValueCounts.prototype) as ValueCounts;
    if (typeof c.cellsWhole !== 'boolean') throw new TypeError('not a cloned ValueCounts');
    if (c.histogram !== null) DecimalHistogram.revive(c.histogram);
    if (c.cells !== null) EcdfCells.revive(c.cells);
    return c;
  }
}
