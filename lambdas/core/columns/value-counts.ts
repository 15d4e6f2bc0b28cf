/**
 * The decimal histogram of a numeric column's values, kept beside its ValueStore, from
 * which drift takes the ECDF statistics (KS, Wasserstein-1, bins) without sorting the
 * values: when every value is a short decimal, the histogram is the exact sorted sample,
 * and the merge walk over it gives the very numbers sorted values give (see
 * {@link DecimalHistogram}). It holds the reference the statistics are taken against.
 *
 * The counts follow the store's exactness: the exact values are counted in one go
 * ({@link ValueCounts.addExact}), values that arrive while the store is still exact are
 * counted as they come, and once the store stops being exact the counts stop for good
 * ({@link ValueCounts.stop}): memory must not grow with the data beyond the budget (a
 * histogram's table fills in as ever more distinct values arrive), and the results must
 * be those of one pass, wherever the rows were split. Counts merge.
 */
import { DecimalHistogram } from '../stats/decimal-histogram';
import { ecdfWalk, type EcdfStatistics } from '../stats/ecdf-walk';
import type { Moments } from '../stats/moments';

/** The reference the ECDF statistics are taken against: its sorted sample and cut points. */
export interface EcdfReference {
  readonly values: Float64Array;
  /** null: every weight is 1. */
  readonly weights: Float64Array | null;
  readonly total: number;
  readonly cuts: readonly number[];
}

/** See the module documentation. */
export class ValueCounts {
  private readonly histogram = new DecimalHistogram();
  /** The statistics worked out by {@link statistics} (undefined: none), null until asked for or after a change. */
  private worked: EcdfStatistics | undefined | null = null;

  /** @param reference what {@link statistics} compares with; null: no statistics */
  public constructor(private readonly reference: EcdfReference | null) {}

  /**
   * Counts every exact value of the column so far (once, before anything else is
   * counted); `range`: their smallest and largest, when known.
   */
  public addExact(values: Float64Array, range?: { readonly min: number; readonly max: number }): void {
    this.worked = null;
    this.histogram.add(values, 0, values.length, range);
  }

  /** Counts values[from..to), which came after the exact values (nothing once stopped). */
  public add(values: Float64Array, from: number, to: number): void {
    this.worked = null;
    this.histogram.add(values, from, to);
  }

  /** Stops counting for good: the values went past the exact budget. */
  public stop(): void {
    this.worked = null;
    this.histogram.giveUp();
  }

  /** Adds the counts of `other` (values after this one's). */
  public merge(other: ValueCounts): void {
    this.worked = null;
    this.histogram.merge(other.histogram);
  }

  /** Whether the histogram holds every counted value. */
  public holdsAll(): boolean {
    return !this.histogram.abandoned;
  }

  /** Whether {@link statistics} has a reference to compare with. */
  public get hasReference(): boolean {
    return this.reference !== null;
  }

  /** Values counted. */
  public get count(): number {
    return this.histogram.count;
  }

  /** Whether merging all of `parts` keeps every value. */
  public static fitTogether(parts: readonly ValueCounts[]): boolean {
    return DecimalHistogram.fitTogether(parts.map((p) => p.histogram));
  }

  /** Whether {@link merge} with `other` keeps every value. */
  public fitsWith(other: ValueCounts): boolean {
    return this.histogram.fitsWith(other.histogram);
  }

  /** Every counted value, ascending; undefined once stopped or given up. */
  public expand(): Float64Array | undefined {
    return this.histogram.expand();
  }

  /** Bin counts and moments of every counted value (see `DecimalHistogram.summary`); undefined once stopped or given up. */
  public summary(cuts: readonly number[]): { binCounts: number[]; moments: Moments } | undefined {
    return this.histogram.summary(cuts);
  }

  /**
   * KS, Wasserstein-1 and bin counts of the counted values against the reference, through
   * the merge walk over the histogram's sample, when it holds every value (else
   * undefined). Worked out once until the counts change, so that a worker thread can do
   * it before handing the counts over.
   *
   * @throws InputError when the reference's sample is empty (as the walk over sorted values would)
   */
  public statistics(): EcdfStatistics | undefined {
    if (this.worked !== null) return this.worked;
    const r = this.reference;
    const sample = this.histogram.sample();
    const result = r === null || sample === undefined || sample.total === 0 ? undefined : ecdfWalk({ values: r.values, weights: r.weights, total: r.total }, sample, r.cuts);
    this.worked = result;
    return result;
  }

  /** The buffers a worker thread can hand over instead of copying. */
  public transferables(): ArrayBuffer[] {
    return this.histogram.transferables();
  }

  /** Gives back its class (and its histogram's) to a structured clone (from a worker thread). */
  public static revive(clone: object): ValueCounts {
    const c = Object.setPrototypeOf(clone, ValueCounts.prototype) as ValueCounts;
    if (typeof c.histogram !== 'object' || c.histogram === null) throw new TypeError('not a cloned ValueCounts');
    DecimalHistogram.revive(c.histogram);
    return c;
  }
}
