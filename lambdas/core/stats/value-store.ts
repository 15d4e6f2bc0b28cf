/**
 * ValueStore: the values of one numeric column, exact up to a budget, then a
 * mergeable quantile sketch with a tracked rank-error bound.
 *
 * Recipe: the ECDF statistics of the reference-metrics README (numeric steps 1, 5-7)
 * need the sorted sample; `sample()` gives it exactly while `count <= budget`.
 *
 * Beyond the budget the store becomes a compactor sketch in the family of
 * Munro-Paterson / KLL: level h holds items of weight 2^h. Whenever more than `budget`
 * items are held, the lowest level holding more than floor(budget / levels) items is
 * sorted and compacted: its items are paired from the bottom, one of each pair
 * (the lower or the upper, chosen by a seeded pseudo-random bit so the errors of
 * successive compactions tend to cancel) moves up with twice the weight; an odd item out
 * stays. Total weight stays exactly n, and at most `budget` items are ever held (plus
 * the one value being added).
 *
 * Error bound (deterministic, not probabilistic): a compaction of items of weight w
 * changes the estimated rank R^(y) = sum of weights of items <= y by at most w, for
 * every y at once. The store adds up these weights (`errorWeight`, merged stores add
 * theirs), so for every y: |R^(y) - #{values <= y}| <= errorWeight, and
 * `rankErrorBound()` = errorWeight / n bounds the ECDF error sup_y |F^(y) - F(y)|.
 * A priori, for one stream: the weight entering level h is at most n and every
 * compaction there consumes more than floor(budget / L) items (L = number of levels,
 * ~ log2(n L / budget) + 1), so errorWeight / n <= L / floor(budget / L): at most 0.4%
 * for budget 10 000 and n = 200 000 (about 0.18% tracked, 0.06% observed), about 0.006%
 * for the default budget and n = 1e8. Consequences the tests check:
 * - KS distance against an exact sample moves by at most the bound;
 * - Wasserstein-1 moves by at most bound x (max - min) of the sketched column;
 * - `quantile(q)` returns a value x with #{v < x} <= qn + errorWeight and
 *   #{v <= x} >= qn - errorWeight.
 * The exact minimum and maximum are always kept.
 *
 * One unit, over 400 lines, on purpose: the exact buffer, the compaction levels, the
 * merge and the serialised form share one invariant (total weight n, at most `budget`
 * items, errorWeight bounding every rank) that each method updates in place on the hot
 * path of every numeric column; split into modules, each would reach into the others'
 * arrays and the bound would be checked nowhere whole.
 */
import { InputError, ValueTypeError } from '../../../vocabulary/errors';
import { quantile as numpyQuantile } from './binning';
import type { WeightedSample } from './sample';
import { sortFloat64 } from './sort';
import type { sortAllFloat64 } from './parallel-sort';

/** Smallest accepted budget: keeps every level at >= 2 items for n < 2^53. */
export const MIN_BUDGET = 128;
/** Default budget: one million values kept exactly (per numeric column, before the store turns to a sketch). */
export const DEFAULT_VALUE_BUDGET = 1_000_000;
const FORMAT_VERSION = 1;
/** Level-0 buffers of at least this many items are SharedArrayBuffer-backed. */
const SHARED_BUFFER_MIN_ITEMS = 1 << 16;
/** Most items a shared level-0 buffer reserves at once (beyond, it doubles as needed). */
const SHARED_BUFFER_RESERVE_ITEMS = 1 << 24;
const SEED = 0x2545f491;

/** Serialised form of a ValueStore (plain JSON). */
export interface ValueStoreJSON {
  /** Format version, 1. */
  readonly version: 1;
  /** Budget of the store. */
  readonly budget: number;
  /** Number of values added. */
  readonly count: number;
  /** True when `levels[0]` holds every value. */
  readonly exact: boolean;
  /** Exact minimum, null when empty. */
  readonly min: number | null;
  /** Exact maximum, null when empty. */
  readonly max: number | null;
  /** Sum of the weights of all compactions so far (see `rankErrorBound`). */
  readonly errorWeight: number;
  /** State of the compaction coin, so a restored store continues identically. */
  readonly rng: number;
  /** levels[h] = items of weight 2^h (any order). */
  readonly levels: number[][];
}

function checkBudget(budget: number, what: string): void {
  if (!Number.isInteger(budget) || budget < MIN_BUDGET) {
    throw new InputError(`expected ${what} to be an integer >= ${MIN_BUDGET}, got ${budget}`);
  }
}

/** Merges two ascending weighted runs. */
function mergeRuns(a: [Float64Array, Float64Array], b: [Float64Array, Float64Array]): [Float64Array, Float64Array] {
  const [av, aw] = a;
  const [bv, bw] = b;
  const n = av.length + bv.length;
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < av.length && j < bv.length) {
    if (av[i]! <= bv[j]!) { v[k] = av[i]!; w[k++] = aw[i++]!; }
    else { v[k] = bv[j]!; w[k++] = bw[j++]!; }
  }
  while (i < av.length) { v[k] = av[i]!; w[k++] = aw[i++]!; }
  while (j < bv.length) { v[k] = bv[j]!; w[k++] = bw[j++]!; }
  return [v, w];
}

/** Values of one numeric column: exact up to `budget`, a quantile sketch beyond. */
export class ValueStore {
  private budget: number;
  private n = 0;
  private held = 0;
  private errorWeight = 0;
  private rng = SEED;
  private min = Infinity;
  private max = -Infinity;
  /**
   * Every level's items in one buffer, the highest level first and level 0 last, with no
   * gap: level h is arena[starts[h] .. starts[h] + sizes[h]), the highest level starts at
   * 0, level 0 ends at `held`. Compactions happen in place, so the buffer never needs more
   * than budget + 1 items while values are added one stream at a time (separate buffers
   * per level would each keep the capacity of their largest size so far: more, the more
   * levels a longer input makes).
   */
  private arena: Float64Array;
  private starts: number[] = [0];
  private sizes: number[] = [0];
  private cached: { sample: WeightedSample; cumulative: Float64Array | null } | null = null;
  /** True while level 0 holds every value in the order added (exact and never sorted). */
  private inOrder = true;

  /**
   * @param budget values kept exactly; beyond it, the most items the sketch holds.
   *   An integer >= 128. @default 1_000_000
   */
  public constructor(budget: number = DEFAULT_VALUE_BUDGET) {
    checkBudget(budget, 'budget');
    this.budget = budget;
    this.arena = new Float64Array(Math.min(1024, budget + 1));
  }

  /** Number of values added (including merged stores). */
  public get count(): number {
    return this.n;
  }

  /** The exact smallest and largest value; null when empty. */
  public get range(): { readonly min: number; readonly max: number } | null {
    return this.n === 0 ? null : { min: this.min, max: this.max };
  }

  /** True while every value is kept (no compaction happened). */
  public get exact(): boolean {
    return this.errorWeight === 0;
  }

  /** Number of items currently held (<= budget after every call returns). */
  public get retained(): number {
    return this.held;
  }

  /**
   * Adds one value.
   *
   * @throws ValueTypeError when x is not a finite number
   */
  public add(x: number): void {
    if (!Number.isFinite(x)) throw new ValueTypeError(`expected a finite number, got ${x}`);
    const end = this.starts[0]! + this.sizes[0]!;
    let buf = this.arena;
    if (end === buf.length) buf = this.grow(end + 1);
    buf[end] = x;
    this.sizes[0]!++;
    this.n++;
    this.held++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.cached = null;
    if (this.held > this.budget) this.compress();
  }

  /** Adds every value of an array (same as calling `add` on each). */
  public addAll(values: ArrayLike<number>): void {
    this.addRange(values, 0, values.length);
  }

  /**
   * Adds `values[from..to)` (same as calling `add` on each, in order): copies in bulk up
   * to the budget, compacting exactly where `add` would.
   *
   * @throws ValueTypeError at the first value that is not a finite number (the values
   *   before it are added)
   */
  public addRange(values: ArrayLike<number>, from: number, to: number): void {
    let i = from;
    while (i < to) {
      const room = this.budget - this.held;
      if (room <= 0) {
        this.add(values[i++]!);
        continue;
      }
      const end = Math.min(to, i + room);
      const s = this.starts[0]! + this.sizes[0]!;
      const buf = this.grow(s + (end - i));
      let min = this.min;
      let max = this.max;
      let k = s;
      if (values instanceof Float64Array) {
        // A bulk copy, then one pass over the copy (in cache) for finiteness and the range.
        buf.set(values.subarray(i, end), s);
        const stop = s + (end - i);
        for (; k < stop; k++) {
          const x = buf[k]!;
          if (x - x !== 0) break; // NaN or +-Infinity
          if (x < min) min = x;
          if (x > max) max = x;
        }
        i += k - s;
      } else {
        for (; i < end; i++) {
          const x = values[i]!;
          if (!Number.isFinite(x)) break;
          buf[k++] = x;
          if (x < min) min = x;
          if (x > max) max = x;
        }
      }
      const added = k - s;
      this.sizes[0]! += added;
      this.n += added;
      this.held += added;
      this.min = min;
      this.max = max;
      this.cached = null;
      if (i < end) this.add(values[i]!); // throws
    }
  }

  /**
   * Adds every value of another store (which is not modified). The result stays exact
   * while both are exact and the combined count fits this store's budget; otherwise
   * the error bounds add up, plus the compactions the merge needs.
   */
  public merge(other: ValueStore): void {
    if (other.n === 0) return;
    const otherHeld = other.held;
    const otherStarts = [...other.starts];
    const otherSizes = [...other.sizes];
    const src = other === this ? this.arena.slice(0, otherHeld) : other.arena;
    this.inOrder = this.inOrder && other.inOrder && other !== this;
    let top = otherSizes.length - 1;
    while (top > 0 && otherSizes[top] === 0) top--;
    this.ensureLevel(top);
    const buf = this.grow(this.held + otherHeld);
    // Each level gets the other's items of that level after its own; the lower levels move up.
    for (let h = top; h >= 0; h--) {
      const add = otherSizes[h]!;
      if (add === 0) continue;
      const at = this.starts[h]! + this.sizes[h]!;
      buf.copyWithin(at + add, at, this.starts[0]! + this.sizes[0]!);
      buf.set(src.subarray(otherStarts[h]!, otherStarts[h]! + add), at);
      this.sizes[h]! += add;
      for (let j = 0; j < h; j++) this.starts[j]! += add;
    }
    this.n += other.n;
    this.held += otherHeld;
    this.errorWeight += other.errorWeight;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.cached = null;
    if (this.held > this.budget) this.compress();
  }

  /**
   * Every value in the order added (a view of the store's buffer, valid until the next
   * change), while the store is exact and has not sorted them; else null. After
   * `a.merge(b)` of two such stores, a's values are a's then b's.
   */
  public valuesInOrder(): Float64Array | null {
    if (!this.inOrder || !this.exact) return null;
    return this.level(0);
  }

  /**
   * Gives back its class to a store that went through a structured clone (`postMessage`
   * from a worker thread): the clone has the fields but not the methods. Large level-0
   * buffers are SharedArrayBuffer-backed, so they come across without a copy.
   */
  public static revive(clone: object): ValueStore {
    const store = Object.setPrototypeOf(clone, ValueStore.prototype) as ValueStore;
    if (!(store.arena instanceof Float64Array) || !Array.isArray(store.starts) || !Array.isArray(store.sizes) || !Number.isInteger(store.n)) {
      throw new TypeError('not a cloned ValueStore');
    }
    return store;
  }

  /**
   * The values as a sorted weighted sample: exact values with weights null, or the
   * sketch's items with their weights (total = count). The returned arrays are shared
   * with the store's cache until the next change: do not modify them. An exact store
   * sorts its values in place (no copy), so after adding more values a sample taken
   * before may change: take a new one.
   */
  public sample(): WeightedSample {
    return this.sorted().sample;
  }

  /**
   * The q-quantile. Exact: numpy's 'linear' method. Sketch: q = 0 and 1 give the exact
   * minimum and maximum; otherwise the first item whose cumulative weight reaches q n
   * (see the rank guarantee in the file header).
   *
   * @throws InputError when the store is empty or q is outside [0, 1]
   */
  public quantile(q: number): number {
    if (this.n === 0) throw new InputError('cannot take a quantile of an empty ValueStore');
    if (!(q >= 0 && q <= 1)) throw new InputError(`expected a quantile q in [0, 1], got ${q}`);
    const { sample, cumulative } = this.sorted();
    if (cumulative === null) return numpyQuantile(sample.values, q);
    if (q === 0) return this.min;
    if (q === 1) return this.max;
    const target = q * this.n;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return sample.values[lo]!;
  }

  /** Bound on sup_y |estimated rank(y) - true rank(y)| / count; 0 while exact or empty. */
  public rankErrorBound(): number {
    return this.n === 0 ? 0 : this.errorWeight / this.n;
  }

  /**
   * Plain-JSON form. When more than `maxItems` items are held, a compacted copy is
   * written (this store is unchanged); an exact store with count <= maxItems stays exact.
   *
   * @param maxItems most items written, an integer >= 128 unless the store is exact and fits;
   *   a non-number (the key `JSON.stringify` passes) counts as absent. @default the budget
   */
  public toJSON(maxItems?: number): ValueStoreJSON {
    // JSON.stringify calls toJSON(key) with the property name: only a number is a limit.
    const limit = typeof maxItems === 'number' ? maxItems : this.budget;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InputError(`expected maxItems to be a positive integer, got ${limit}`);
    }
    let src: ValueStore = this;
    if (this.held > limit) {
      checkBudget(limit, 'maxItems');
      src = this.copy();
      src.budget = limit;
      src.compress();
    }
    const levels = src.sizes.map((_, h) => Array.from(src.level(h)));
    return {
      version: FORMAT_VERSION,
      budget: this.budget,
      count: src.n,
      exact: src.exact,
      min: src.n === 0 ? null : src.min,
      max: src.n === 0 ? null : src.max,
      errorWeight: src.errorWeight,
      rng: src.rng,
      levels,
    };
  }

  /**
   * Restores a store written by `toJSON`.
   *
   * @throws InputError when the object is not a valid ValueStoreJSON
   */
  public static fromJSON(json: unknown): ValueStore {
    const bad = (why: string): never => {
      throw new InputError(`invalid ValueStore JSON: ${why}`);
    };
    if (typeof json !== 'object' || json === null) return bad('expected an object');
    const j = json as Partial<Record<keyof ValueStoreJSON, unknown>>;
    if (j.version !== FORMAT_VERSION) bad(`expected version ${FORMAT_VERSION}, got ${String(j.version)}`);
    if (typeof j.budget !== 'number') return bad('budget must be a number');
    checkBudget(j.budget, 'budget');
    if (!Array.isArray(j.levels) || j.levels.length === 0) return bad('levels must be a non-empty array');
    if (typeof j.errorWeight !== 'number' || !(j.errorWeight >= 0)) return bad('errorWeight must be a number >= 0');
    if (typeof j.rng !== 'number' || !Number.isInteger(j.rng)) return bad('rng must be an integer');
    const store = new ValueStore(j.budget);
    store.inOrder = false;
    const arrays: Float64Array[] = [];
    let count = 0;
    let held = 0;
    let min = Infinity;
    let max = -Infinity;
    j.levels.forEach((level: unknown, h: number) => {
      if (!Array.isArray(level)) bad(`levels[${h}] must be an array`);
      const arr = Float64Array.from(level as number[]);
      for (let i = 0; i < arr.length; i++) {
        if (typeof (level as unknown[])[i] !== 'number' || !Number.isFinite(arr[i]!)) bad(`levels[${h}][${i}] is not a finite number`);
        if (arr[i]! < min) min = arr[i]!;
        if (arr[i]! > max) max = arr[i]!;
      }
      arrays.push(arr);
      count += arr.length * 2 ** h;
      held += arr.length;
    });
    if (j.count !== count) bad(`count ${String(j.count)} does not match the levels (${count})`);
    if ((j.errorWeight === 0) !== (j.exact === true) || (j.exact === true && j.levels.length > 1)) {
      bad('exact does not match errorWeight and levels');
    }
    if (count > 0) {
      if (typeof j.min !== 'number' || typeof j.max !== 'number' || !(j.min <= min) || !(j.max >= max)) {
        bad('min and max must bound the items');
      }
      store.min = j.min as number;
      store.max = j.max as number;
    }
    store.arena = new Float64Array(Math.max(2, held));
    store.starts = arrays.map(() => 0);
    store.sizes = arrays.map((a) => a.length);
    for (let h = arrays.length - 1, at = 0; h >= 0; h--) {
      store.arena.set(arrays[h]!, at);
      store.starts[h] = at;
      at += arrays[h]!.length;
    }
    store.n = count;
    store.held = held;
    store.errorWeight = j.errorWeight;
    store.rng = j.rng >>> 0 || SEED;
    if (store.held > store.budget) store.compress();
    return store;
  }

  private copy(): ValueStore {
    const c = new ValueStore(this.budget);
    c.arena = this.arena.slice(0, Math.max(2, this.held));
    c.starts = [...this.starts];
    c.sizes = [...this.sizes];
    c.n = this.n;
    c.held = this.held;
    c.errorWeight = this.errorWeight;
    c.rng = this.rng;
    c.min = this.min;
    c.max = this.max;
    c.inOrder = this.inOrder;
    return c;
  }

  /** Level h's items (a view, valid until the next change). */
  private level(h: number): Float64Array {
    const start = this.starts[h]!;
    return this.arena.subarray(start, start + this.sizes[h]!);
  }

  /** Adds empty levels up to h (at the front of the arena, before the highest level). */
  private ensureLevel(h: number): void {
    while (this.sizes.length <= h) {
      this.starts.push(0);
      this.sizes.push(0);
    }
  }

  /**
   * The exact values, unsorted, when `sample()` still has to sort them (else null): a
   * caller may sort them in place beforehand (e.g. {@link sortAllFloat64} on two threads),
   * and `sample()` then finds them in order. Large buffers are SharedArrayBuffer-backed.
   */
  public unsortedValues(): Float64Array | null {
    if (this.cached !== null || !this.exact) return null;
    // The caller may sort them in place.
    this.inOrder = false;
    return this.level(0);
  }

  /** Makes the arena hold at least `need` items; returns it. */
  private grow(need: number): Float64Array {
    const buf = this.arena;
    if (buf.length >= need) return buf;
    let cap = Math.max(need, Math.min(2 * buf.length, this.budget + 1));
    let next: Float64Array;
    if (cap >= SHARED_BUFFER_MIN_ITEMS) {
      // Large buffers are shared, so that a worker thread can sort exact values in place.
      // Reserved at the budget at once (pages are only committed as values arrive): shared
      // buffers left behind by doubling would linger until a full garbage collection.
      cap = Math.max(need, Math.min(this.budget + 1, SHARED_BUFFER_RESERVE_ITEMS));
      next = new Float64Array(new SharedArrayBuffer(8 * cap));
    } else next = new Float64Array(cap);
    next.set(buf.subarray(0, this.starts[0]! + this.sizes[0]!));
    this.arena = next;
    return next;
  }

  /** One pseudo-random bit (xorshift32). */
  private coin(): number {
    let s = this.rng;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.rng = s >>> 0;
    return this.rng & 1;
  }

  private compress(): void {
    while (this.held > this.budget) {
      const cap = Math.max(2, Math.floor(this.budget / this.sizes.length));
      let h = 0;
      while (h < this.sizes.length && this.sizes[h]! <= cap) h++;
      if (h === this.sizes.length) throw new InputError(`ValueStore cannot fit ${this.held} items in budget ${this.budget}`);
      this.compact(h);
    }
    this.cached = null;
  }

  /**
   * Compacts level h in place: its sorted items' chosen halves become the end of level
   * h + 1 (which ends where level h starts), an odd item out stays, and the levels below
   * move down over the freed room.
   */
  private compact(h: number): void {
    const start = this.starts[h]!;
    const s = this.sizes[h]!;
    const used = this.starts[0]! + this.sizes[0]!;
    const a = this.arena;
    sortFloat64(a.subarray(start, start + s));
    const pairs = s >>> 1;
    const offset = this.coin();
    this.ensureLevel(h + 1);
    // Position i takes item 2i + offset >= i: every item is read before it is overwritten.
    for (let i = 0; i < pairs; i++) a[start + i] = a[start + 2 * i + offset]!;
    this.sizes[h + 1]! += pairs;
    const odd = s & 1;
    if (odd) a[start + pairs] = a[start + s - 1]!;
    this.starts[h] = start + pairs;
    this.sizes[h] = odd;
    if (h > 0) a.copyWithin(start + pairs + odd, start + s, used);
    for (let j = 0; j < h; j++) this.starts[j]! -= pairs;
    this.held -= pairs;
    this.errorWeight += 2 ** h;
  }

  private sorted(): { sample: WeightedSample; cumulative: Float64Array | null } {
    if (this.cached) return this.cached;
    if (this.exact) {
      // Sorted in place: the items of a level are held in any order.
      this.inOrder = false;
      const values = sortFloat64(this.level(0));
      this.cached = { sample: { values, weights: null, total: this.n }, cumulative: null };
      return this.cached;
    }
    let runs: [Float64Array, Float64Array][] = [];
    this.sizes.forEach((s, h) => {
      if (s === 0) return;
      const start = this.starts[h]!;
      const v = sortFloat64(this.arena.slice(start, start + s));
      runs.push([v, new Float64Array(s).fill(2 ** h)]);
    });
    while (runs.length > 1) {
      const next: [Float64Array, Float64Array][] = [];
      for (let i = 0; i < runs.length; i += 2) next.push(i + 1 < runs.length ? mergeRuns(runs[i]!, runs[i + 1]!) : runs[i]!);
      runs = next;
    }
    const [values, weights] = runs[0]!;
    const cumulative = new Float64Array(values.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) cumulative[i] = acc += weights[i]!;
    this.cached = { sample: { values, weights, total: this.n }, cumulative };
    return this.cached;
  }
}
