/**
 * DecimalHistogram: the exact values of a numeric column whose values are short decimals
 * (at most {@link MAX_DECIMALS} decimal places, over a bounded range), kept as counts per
 * scaled integer instead of one number per value.
 *
 * A value v is held as the integer key = round(v * 10^F) for the column's scale F, and
 * only when key / 10^F === v: both sides are the correctly rounded value of the same
 * decimal, so the key gives back exactly the number the reader parsed, and keys order as
 * the values do (distinct values, distinct keys). Counting a value is then one increment
 * in a table indexed by key, and the distinct values come out sorted by walking the
 * table: the sorted sample that KS, Wasserstein-1 and the bins need, without sorting, and
 * in a form that gives the merge walks exactly the numbers a sorted array of every value
 * gives them (ties add up to the same integer counts).
 *
 * The scale grows when a value needs more decimals (the table is spread out by the
 * power of ten), and the table grows to take in keys beyond its range. When a value has
 * no short decimal form (e.g. full-precision floats) or the table would pass
 * {@link MAX_ENTRIES}, the histogram gives up (`abandoned`) and frees its table; the
 * caller then uses the exact values it keeps anyway.
 *
 * Histograms merge (counts add up, scales and ranges are aligned first).
 */
import { emptyMoments, type Moments } from './moments';
import type { WeightedSample } from './sample';

/** Most decimal places of a value. */
export const MAX_DECIMALS = 9;
/** Largest table, in entries (4 bytes each while every count fits 31 bits). */
export const MAX_ENTRIES = 1 << 21;
/** Largest key magnitude: far inside the integers a double holds exactly. */
const MAX_KEY = 2 ** 50;
/** Total count beyond which counts are kept in a Float64Array. */
const INT32_COUNT_LIMIT = 2 ** 31 - 1;

/** Values counted at once from which the table is sized by their range first (when not given). */
const PRESCAN_MIN_VALUES = 4096;

const POW10: readonly number[] = Array.from({ length: MAX_DECIMALS + 1 }, (_, i) => 10 ** i);

/** The smallest scale at which v is held exactly, or -1. */
function scaleOf(v: number, from: number): number {
  for (let f = from; f <= MAX_DECIMALS; f++) {
    const key = Math.round(v * POW10[f]!);
    if (Math.abs(key) <= MAX_KEY && key / POW10[f]! === v) return f;
  }
  return -1;
}

/** The smallest and largest of values[from..to). */
function rangeOf(values: ArrayLike<number>, from: number, to: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let r = from; r < to; r++) {
    const v = values[r]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Counts per short decimal of a numeric column (see the module documentation). */
export class DecimalHistogram {
  /** Values counted. */
  public count = 0;
  /** True once a value could not be held (the table is then freed). */
  public abandoned = false;
  /** Decimal places F: keys are values * 10^F. -1 until the first value. */
  private scale = -1;
  /** Key of counts[0]. */
  private offset = 0;
  private counts: Int32Array | Float64Array = new Int32Array(0);
  /** Lowest and highest key counted. */
  private minKey = Infinity;
  private maxKey = -Infinity;

  /**
   * Counts values[from..to) (finite numbers); returns false once abandoned. `range`: their
   * smallest and largest, when known (else many values are scanned for them first, to size
   * the table at once).
   */
  public add(values: ArrayLike<number>, from = 0, to = values.length, range?: { readonly min: number; readonly max: number }): boolean {
    if (this.abandoned) return false;
    let r = from;
    if (to - from >= PRESCAN_MIN_VALUES || range !== undefined) {
      const { min, max } = range ?? rangeOf(values, from, to);
      if (!this.reserve(min, max)) return false;
      if (this.counts instanceof Int32Array && this.count + (to - from) > INT32_COUNT_LIMIT) this.counts = Float64Array.from(this.counts);
      // Every value is within the table now: a loop without the range bookkeeping.
      r = this.addWithin(values, from, to);
      if (r === to) {
        const p = POW10[this.scale]!;
        this.minKey = Math.min(this.minKey, Math.round(min * p));
        this.maxKey = Math.max(this.maxKey, Math.round(max * p));
        this.count += to - from;
        return true;
      }
      // A value that needs a finer scale: the general loop takes over (ranges from here).
      const p = POW10[this.scale]!;
      if (r > from) {
        const done = rangeOf(values, from, r);
        this.minKey = Math.min(this.minKey, Math.round(done.min * p));
        this.maxKey = Math.max(this.maxKey, Math.round(done.max * p));
      }
    }
    if (this.counts instanceof Int32Array && this.count + (to - from) > INT32_COUNT_LIMIT) this.counts = Float64Array.from(this.counts);
    while (r < to) {
      // Fast loop: values held at the current scale within the table.
      const p = POW10[Math.max(0, this.scale)]!;
      const offset = this.offset;
      const counts = this.counts;
      const len = counts.length;
      let lo = this.minKey;
      let hi = this.maxKey;
      for (; r < to; r++) {
        const v = values[r]!;
        const key = Math.round(v * p);
        const at = key - offset;
        if (!(key / p === v && at >= 0 && at < len)) break;
        counts[at]!++;
        if (key < lo) lo = key;
        if (key > hi) hi = key;
      }
      this.minKey = lo;
      this.maxKey = hi;
      if (r === to) break;
      // Slow path: a finer scale or a wider table, then back to the fast loop.
      if (!this.make(values[r]!)) return false;
    }
    this.count += to - from;
    return true;
  }

  /**
   * Counts values from `from` on while each is held at the current scale (the table
   * holds their range); returns where it stopped.
   */
  private addWithin(values: ArrayLike<number>, from: number, to: number): number {
    const p = POW10[this.scale]!;
    const offset = this.offset;
    const counts = this.counts;
    let r = from;
    for (; r < to; r++) {
      const v = values[r]!;
      const key = Math.round(v * p);
      if (key / p !== v) break;
      counts[key - offset]!++;
    }
    return r;
  }

  /**
   * Makes room at once for values from lo to hi, so that the table is not widened step by
   * step as they come; false when abandoned.
   */
  private reserve(lo: number, hi: number): boolean {
    const base = Math.max(0, this.scale);
    const fLo = scaleOf(lo, base);
    const fHi = scaleOf(hi, base);
    if (fLo === -1 || fHi === -1) return this.abandon();
    const f = Math.max(fLo, fHi);
    if (this.scale === -1) this.scale = f;
    else if (f > this.scale && !this.rescale(f)) return false;
    const p = POW10[this.scale]!;
    const keyLo = Math.round(lo * p);
    const keyHi = Math.round(hi * p);
    if (keyLo >= this.offset && keyHi < this.offset + this.counts.length) return true;
    return this.cover(Math.min(keyLo, this.minKey), Math.max(keyHi, this.maxKey));
  }

  /** Makes room for v: a finer scale and/or a wider table; false when abandoned. */
  private make(v: number): boolean {
    const f = scaleOf(v, Math.max(0, this.scale));
    if (f === -1) return this.abandon();
    if (this.scale === -1) {
      this.scale = f;
      const key = Math.round(v * POW10[f]!);
      this.offset = key - 1024;
      this.counts = new Int32Array(2048);
      return true;
    }
    if (f > this.scale && !this.rescale(f)) return false;
    const key = Math.round(v * POW10[this.scale]!);
    if (key >= this.offset && key < this.offset + this.counts.length) return true;
    return this.cover(Math.min(key, this.minKey), Math.max(key, this.maxKey));
  }

  /** Spreads the table out to scale f (> scale). */
  private rescale(f: number): boolean {
    const factor = POW10[f - this.scale]!;
    if (this.minKey > this.maxKey) {
      // Nothing counted yet: the table is placed anew when a key needs it.
      this.scale = f;
      this.counts = this.table(0);
      return true;
    }
    const lo = this.minKey * factor;
    const hi = this.maxKey * factor;
    if (Math.max(Math.abs(lo), Math.abs(hi)) > MAX_KEY || hi - lo + 1 > MAX_ENTRIES) return this.abandon();
    const old = this.counts;
    const oldOffset = this.offset;
    const next = this.table(hi - lo + 1);
    for (let i = this.minKey - oldOffset; i <= this.maxKey - oldOffset; i++) {
      const c = old[i]!;
      if (c !== 0) next[(i + oldOffset) * factor - lo] = c;
    }
    this.counts = next;
    this.offset = lo;
    this.minKey = lo;
    this.maxKey = hi;
    this.scale = f;
    return true;
  }

  /** Widens the table to hold keys lo..hi (with room to grow); false when abandoned. */
  private cover(lo: number, hi: number): boolean {
    if (Math.max(Math.abs(lo), Math.abs(hi)) > MAX_KEY) return this.abandon();
    const need = hi - lo + 1;
    if (need > MAX_ENTRIES) return this.abandon();
    // Room to grow by an eighth again on the side that grew: few reallocations (each
    // copies the range), and little unused table.
    const size = Math.min(MAX_ENTRIES, need + Math.max(1024, need >> 3));
    const slack = size - need;
    const newOffset = lo < this.offset ? lo - slack : lo;
    const next = this.table(size);
    if (this.minKey <= this.maxKey) {
      const from = this.minKey - this.offset;
      next.set(this.counts.subarray(from, this.maxKey - this.offset + 1), this.minKey - newOffset);
    }
    this.counts = next;
    this.offset = newOffset;
    return true;
  }

  private table(size: number): Int32Array | Float64Array {
    return this.counts instanceof Float64Array ? new Float64Array(size) : new Int32Array(size);
  }

  /** Stops counting for good (as when a value cannot be held) and frees the table. */
  public giveUp(): void {
    this.abandon();
  }

  private abandon(): false {
    this.abandoned = true;
    this.counts = new Int32Array(0);
    return false;
  }

  /** Whether one histogram would hold the values of all of `parts` (none given up, the union fits). */
  public static fitTogether(parts: readonly DecimalHistogram[]): boolean {
    if (parts.some((h) => h.abandoned)) return false;
    const used = parts.filter((h) => h.minKey <= h.maxKey);
    if (used.length === 0) return true;
    const f = Math.max(...used.map((h) => h.scale));
    let lo = Infinity;
    let hi = -Infinity;
    for (const h of used) {
      const factor = POW10[f - h.scale]!;
      lo = Math.min(lo, h.minKey * factor);
      hi = Math.max(hi, h.maxKey * factor);
    }
    return Math.max(Math.abs(lo), Math.abs(hi)) <= MAX_KEY && hi - lo + 1 <= MAX_ENTRIES;
  }

  /** Whether {@link merge} with `other` would hold both (same limits as counting their values). */
  public fitsWith(other: DecimalHistogram): boolean {
    if (this.abandoned || other.abandoned) return false;
    if (this.minKey > this.maxKey || other.minKey > other.maxKey) return true;
    const f = Math.max(this.scale, other.scale);
    const a = POW10[f - this.scale]!;
    const b = POW10[f - other.scale]!;
    const lo = Math.min(this.minKey * a, other.minKey * b);
    const hi = Math.max(this.maxKey * a, other.maxKey * b);
    return Math.max(Math.abs(lo), Math.abs(hi)) <= MAX_KEY && hi - lo + 1 <= MAX_ENTRIES;
  }

  /** Every counted value, ascending, each as many times as counted; undefined once abandoned. */
  public expand(): Float64Array | undefined {
    const s = this.sample();
    if (s === undefined) return undefined;
    const out = new Float64Array(this.count);
    let k = 0;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i]!;
      for (let c = s.weights![i]!; c > 0; c--) out[k++] = v;
    }
    return out;
  }

  /** Adds the counts of `other`; returns false (and abandons) when they cannot be held together. */
  public merge(other: DecimalHistogram): boolean {
    if (this.abandoned) return false;
    if (other.abandoned) return this.abandon();
    if (other.count === 0) return true;
    if (this.count === 0 && this.scale === -1) {
      this.scale = other.scale;
      this.offset = other.offset;
      this.counts = other.counts.slice();
      this.minKey = other.minKey;
      this.maxKey = other.maxKey;
      this.count = other.count;
      return true;
    }
    if (other.scale > this.scale && !this.rescale(other.scale)) return false;
    const factor = POW10[this.scale - other.scale]!;
    const lo = other.minKey * factor;
    const hi = other.maxKey * factor;
    if (lo < this.offset || hi >= this.offset + this.counts.length) {
      if (!this.cover(Math.min(lo, this.minKey), Math.max(hi, this.maxKey))) return false;
    }
    if (this.counts instanceof Int32Array && this.count + other.count > INT32_COUNT_LIMIT) this.counts = Float64Array.from(this.counts);
    for (let i = other.minKey - other.offset; i <= other.maxKey - other.offset; i++) {
      const c = other.counts[i]!;
      if (c !== 0) this.counts[(i + other.offset) * factor - this.offset]! += c;
    }
    this.minKey = Math.min(this.minKey, lo);
    this.maxKey = Math.max(this.maxKey, hi);
    this.count += other.count;
    return true;
  }

  /**
   * Counts per bin of `cuts` (bin = number of cut points <= x), length cuts.length + 1,
   * and the moments (two passes: mean, then squared deviations, in ascending order of the
   * values) of the counted values, without making the sample; undefined once abandoned.
   */
  public summary(cuts: readonly number[]): { binCounts: number[]; moments: Moments } | undefined {
    if (this.abandoned) return undefined;
    const counts = this.counts;
    const first = this.minKey - this.offset;
    const end = this.maxKey - this.offset + 1;
    const p = POW10[Math.max(0, this.scale)]!;
    const binCounts = new Array<number>(cuts.length + 1).fill(0);
    let bin = 0;
    let sum = 0;
    for (let i = first; i < end; i++) {
      const c = counts[i]!;
      if (c === 0) continue;
      const v = (i + this.offset) / p;
      while (bin < cuts.length && cuts[bin]! <= v) bin++;
      binCounts[bin]! += c;
      sum += c * v;
    }
    if (this.count === 0) return { binCounts, moments: emptyMoments() };
    const mean = sum / this.count;
    let m2 = 0;
    for (let i = first; i < end; i++) {
      const c = counts[i]!;
      if (c === 0) continue;
      const d = (i + this.offset) / p - mean;
      m2 += c * d * d;
    }
    // + 0: -0 and 0 share a key; the extremes say 0 whichever came first or in which part.
    return { binCounts, moments: { count: this.count, mean, m2, min: this.minKey / p + 0, max: this.maxKey / p + 0 } };
  }

  /**
   * The counted values as a sorted weighted sample: each distinct value once, weighted by
   * its count (total = count). Undefined once abandoned.
   */
  public sample(): WeightedSample | undefined {
    if (this.abandoned) return undefined;
    const counts = this.counts;
    const first = this.minKey - this.offset;
    const end = Math.max(first, this.maxKey - this.offset + 1);
    // Room for every key of the range (views of what is used): one pass.
    const values = new Float64Array(end - first);
    const weights = new Float64Array(end - first);
    const p = POW10[Math.max(0, this.scale)]!;
    let k = 0;
    for (let i = first; i < end; i++) {
      const c = counts[i]!;
      if (c === 0) continue;
      values[k] = (i + this.offset) / p;
      weights[k++] = c;
    }
    return { values: values.subarray(0, k), weights: weights.subarray(0, k), total: this.count };
  }

  /** The buffers a worker thread can hand over instead of copying (the table). */
  public transferables(): ArrayBuffer[] {
    return this.counts.buffer instanceof ArrayBuffer && this.counts.byteLength > 0 ? [this.counts.buffer] : [];
  }

  /** Gives back its class to a structured clone (from a worker thread). */
  public static revive(clone: object): DecimalHistogram {
    const h = Object.setPrototypeOf(clone, DecimalHistogram.prototype) as DecimalHistogram;
    if (typeof h.count !== 'number' || !(h.counts instanceof Int32Array || h.counts instanceof Float64Array)) throw new TypeError('not a cloned DecimalHistogram');
    return h;
  }
}
