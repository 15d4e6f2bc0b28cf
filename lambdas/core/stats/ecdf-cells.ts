/**
 * The ECDF statistics of exact current values against a sorted reference sample, without
 * sorting the current values: KS distance, Wasserstein-1 and the counts per bin of the
 * reference's cut points, equal to {@link ksStatistic}, {@link wasserstein1} and
 * `binCounts` on the sorted values (KS and the counts exactly, Wasserstein-1 to rounding).
 *
 * The reference's distinct values and the cut points, p_0 < ... < p_{k-1}, cut the line
 * into cells: each point itself, and the open intervals (-inf, p_0), (p_0, p_1), ...,
 * (p_{k-1}, +inf). {@link EcdfCells} counts the current values per cell as they stream by,
 * with the sum of their offsets from the cell's end (a uniform grid over [p_0, p_{k-1}]
 * narrows each lookup to the points of one grid slot; a value's slot and a point's slot
 * come from the same monotone formula, so rounding never puts a value in a wrong cell).
 * Counters of parts of the data merge by adding. Then {@link ecdfStatistics}:
 *
 * - KS: in an open cell the reference ECDF is constant and the current one rises, so
 *   the largest gap in a cell is at one of its ends; the gaps at the points and at the
 *   cells' upper ends are among the gaps the merge walk evaluates (same counts, same
 *   divisions), and bound the others, hence the same maximum;
 * - Wasserstein-1: in an open cell where the current ECDF stays on one side of the
 *   reference's, the integral of |F_ref - F_cur| is linear in the cell's count and sum of
 *   offsets (Abel summation); only cells where the current ECDF crosses the reference's
 *   need their values in order: those values are gathered from the exact values (a
 *   pass that looks up only the values in the crossing cells' grid slots) and sorted;
 * - bins: the values below a cut point are those in the cells before it.
 *
 * O(m + k) for m current values and k points, against O(m log m) for sorting them.
 */

/** The statistics of {@link ecdfStatistics}. */
export interface EcdfCellStatistics {
  /** max |F_ref - F_cur| over every observed value (as {@link ksStatistic}). */
  readonly ks: number;
  /** Integral of |F_ref - F_cur| (as {@link wasserstein1}). */
  readonly wasserstein: number;
  /** Current values per bin of `cuts` (bin = number of cut points <= x), length cuts.length + 1. */
  readonly binCounts: number[];
}

/** The cell points of a reference sample and cut points (see {@link referencePoints}). */
export interface ReferencePoints {
  /** Distinct ascending points: the reference's values and the cut points. */
  readonly points: Float64Array;
  /** cw[i]: reference weight at or below points[i]. */
  readonly cw: Float64Array;
  /** Reference total weight. */
  readonly total: number;
  /** cutAt[j]: index in `points` of cut j. */
  readonly cutAt: Int32Array;
}

/**
 * The points of a reference sample (ascending `values`, weights null for all 1, at least
 * one value) and of the ascending cut points `cuts`.
 */
export function referencePoints(values: Float64Array, weights: Float64Array | null, total: number, cuts: readonly number[]): ReferencePoints {
  const nr = values.length;
  const nc = cuts.length;
  const points = new Float64Array(nr + nc);
  const cw = new Float64Array(nr + nc);
  const cutAt = new Int32Array(nc);
  let k = 0;
  let i = 0;
  let j = 0;
  let acc = 0;
  while (i < nr || j < nc) {
    const x = j >= nc || (i < nr && values[i]! <= cuts[j]!) ? values[i]! : cuts[j]!;
    while (i < nr && values[i] === x) {
      acc += weights === null ? 1 : weights[i]!;
      i++;
    }
    points[k] = x;
    cw[k] = acc;
    while (j < nc && cuts[j] === x) cutAt[j++] = k;
    k++;
  }
  return { points: points.slice(0, k), cw: cw.slice(0, k), total, cutAt };
}

/**
 * The lookup structure of a set of points: the points and a uniform grid over
 * [p_0, p_{k-1}]. Plain data, built once and shared by the counters of every thread
 * (large arrays are SharedArrayBuffer-backed, so a worker gets them without a copy).
 */
export interface EcdfGrid {
  /** Distinct ascending points, at least one. */
  readonly points: Float64Array;
  readonly lo: number;
  /** Slots of the grid; 0: no grid (a span too small or too large), binary search instead. */
  readonly slots: number;
  readonly scale: number;
  /** start[s]: first point whose slot is >= s; start[slots] = k. */
  readonly start: Int32Array;
}

/** Grid slots per point (rounded up to a power of two), and the most slots. */
const SLOTS_PER_POINT = 2;
const MAX_SLOTS = 1 << 20;
/** Arrays of at least this many bytes are SharedArrayBuffer-backed. */
const SHARED_MIN_BYTES = 1 << 16;

function sharedFloat64(values: Float64Array): Float64Array {
  if (values.byteLength < SHARED_MIN_BYTES) return values;
  const out = new Float64Array(new SharedArrayBuffer(values.byteLength));
  out.set(values);
  return out;
}

/** The grid of `points` (distinct, ascending, at least one). */
export function ecdfGrid(points: Float64Array): EcdfGrid {
  const k = points.length;
  if (k === 0) throw new RangeError('an ECDF grid needs at least one point');
  const lo = points[0]!;
  const hi = points[k - 1]!;
  let slots = 16;
  while (slots < SLOTS_PER_POINT * k && slots < MAX_SLOTS) slots *= 2;
  let scale = hi > lo ? slots / (hi - lo) : 0;
  if (!Number.isFinite(scale)) scale = 0;
  if (scale === 0) slots = 0;
  const bytes = 4 * (slots + 1);
  const start = new Int32Array(bytes >= SHARED_MIN_BYTES ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  // start[s] = first point whose slot is >= s: each point's slot, then a fill per slot.
  let s = 0;
  for (let j = 0; j < k && slots > 0; j++) {
    const sj = slotIn(points[j]!, lo, scale, slots);
    while (s <= sj) start[s++] = j;
  }
  start.fill(k, s);
  return { points: sharedFloat64(points), lo, slots, scale, start };
}

/** Grid slot of x in [0, slots): monotone in x. */
function slotIn(x: number, lo: number, scale: number, slots: number): number {
  const s = Math.floor((x - lo) * scale);
  return s < 0 ? 0 : s >= slots ? slots - 1 : s;
}

/** Counts of current values per cell of a grid's points (see the module documentation). */
export class EcdfCells {
  /** Values counted. */
  public count = 0;
  /** openCount[i]: values in the open cell (p_{i-1}, p_i), i = 0..k. */
  private readonly openCount: Float64Array;
  /** openSum[i]: their offsets, p_0 - x in the first cell, x - p_{i-1} in the others. */
  private readonly openSum: Float64Array;
  /** pointCount[i]: values equal to p_i. */
  private readonly pointCount: Float64Array;

  public constructor(private readonly grid: EcdfGrid) {
    const k = grid.points.length;
    this.openCount = new Float64Array(k + 1);
    this.openSum = new Float64Array(k + 1);
    this.pointCount = new Float64Array(k);
  }

  /** Grid slot of x. */
  private slotOf(x: number): number {
    const g = this.grid;
    return slotIn(x, g.lo, g.scale, g.slots);
  }

  /** Index of the first point >= x (k when none). */
  private firstAtOrAbove(x: number): number {
    const g = this.grid;
    const p = g.points;
    let a: number;
    let b: number;
    if (g.slots > 0) {
      const s = this.slotOf(x);
      a = g.start[s]!;
      b = g.start[s + 1]!;
      // Points of slot s; the first point >= x is among them or is start[s + 1].
      while (a < b && p[a]! < x) a++;
      return a;
    }
    a = 0;
    b = p.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (p[mid]! < x) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /** Counts values[from..to) (finite numbers). */
  public add(values: Float64Array, from = 0, to = values.length): void {
    const { points: p, lo, scale, start, slots } = this.grid;
    const k = p.length;
    const openCount = this.openCount;
    const openSum = this.openSum;
    const pointCount = this.pointCount;
    const last = slots - 1;
    for (let r = from; r < to; r++) {
      const x = values[r]!;
      let i: number;
      if (slots > 0) {
        let s = Math.floor((x - lo) * scale);
        s = s < 0 ? 0 : s > last ? last : s;
        i = start[s]!;
        const b = start[s + 1]!;
        while (i < b && p[i]! < x) i++;
      } else i = this.firstAtOrAbove(x);
      if (i < k && p[i] === x) pointCount[i]!++;
      else {
        openCount[i]!++;
        openSum[i]! += i === 0 ? p[0]! - x : x - p[i - 1]!;
      }
    }
    this.count += to - from;
  }

  /** Adds the counts of `other` (same points). */
  public merge(other: EcdfCells): void {
    if (other.openCount.length !== this.openCount.length) throw new RangeError('cannot merge cell counts of different points');
    for (let i = 0; i < this.openCount.length; i++) {
      this.openCount[i]! += other.openCount[i]!;
      this.openSum[i]! += other.openSum[i]!;
    }
    for (let i = 0; i < this.pointCount.length; i++) this.pointCount[i]! += other.pointCount[i]!;
    this.count += other.count;
  }

  /** Gives back its class to a structured clone (from a worker thread). */
  public static revive(clone: object): EcdfCells {
    const cells = Object.setPrototypeOf(clone, EcdfCells.prototype) as EcdfCells;
    if (!(cells.grid?.points instanceof Float64Array) || !(cells.openCount instanceof Float64Array)) throw new TypeError('not a cloned EcdfCells');
    return cells;
  }

  /**
   * KS, Wasserstein-1 and bin counts against the reference of `ref` (whose points these
   * cells count). `values`: every counted value (any order), read only for the values of
   * cells where the ECDFs cross.
   */
  public statistics(ref: ReferencePoints, values: Float64Array): EcdfCellStatistics {
    const { points: p, slots } = this.grid;
    const k = p.length;
    const m = this.count;
    const N = ref.total;
    const cwAt = ref.cw;
    const { openCount, openSum, pointCount } = this;
    if (values.length !== m) throw new RangeError(`expected the ${m} counted values, got ${values.length}`);

    // Open cells (p_i, p_{i+1}) where the current ECDF crosses the reference's.
    const crossing = new Int32Array(k + 1).fill(-1);
    let gatheredCount = 0;
    const crossingSlots = new Uint8Array(Math.max(1, slots));
    let anyCrossing = false;
    let c0 = openCount[0]!;
    for (let i = 0; i + 1 < k; i++) {
      c0 += pointCount[i]!;
      const c = cwAt[i]! / N;
      const t = openCount[i + 1]!;
      if (t > 0 && c0 / m - c < 0 && (c0 + t) / m - c > 0) {
        crossing[i + 1] = gatheredCount;
        gatheredCount += t;
        anyCrossing = true;
        if (slots > 0) {
          for (let s = this.slotOf(p[i]!); s <= this.slotOf(p[i + 1]!); s++) crossingSlots[s] = 1;
        }
      }
      c0 += t;
    }
    const gathered = new Float64Array(gatheredCount);
    if (anyCrossing) {
      const fill = new Int32Array(k + 1);
      const { lo, scale } = this.grid;
      const last = slots - 1;
      for (let r = 0; r < m; r++) {
        const x = values[r]!;
        if (slots > 0) {
          let s = Math.floor((x - lo) * scale);
          s = s < 0 ? 0 : s > last ? last : s;
          if (crossingSlots[s] === 0) continue;
        }
        const i = this.firstAtOrAbove(x);
        if (i === 0 || i >= k || p[i] === x) continue;
        const at = crossing[i]!;
        if (at >= 0) gathered[at + fill[i]!++] = x - p[i - 1]!;
      }
    }

    let d = 0;
    let w = 0;
    let cb = openCount[0]!; // current values <= the position reached
    // First open cell: F_ref = 0 there, F_cur rises from 0 to cb / m.
    if (cb > 0) {
      d = Math.abs(0 / N - cb / m);
      w += openSum[0]! / m;
    }
    for (let i = 0; i < k; i++) {
      cb += pointCount[i]!;
      const ca = cwAt[i]!;
      const gapAt = Math.abs(ca / N - cb / m);
      if (gapAt > d) d = gapAt;
      const t = openCount[i + 1]!;
      if (t > 0) {
        const gap = Math.abs(ca / N - (cb + t) / m);
        if (gap > d) d = gap;
      }
      if (i + 1 === k) {
        // Beyond the last point F_ref = 1: the integral is the offsets' sum / m.
        w += openSum[k]! / m;
        break;
      }
      const c = ca / N;
      const width = p[i + 1]! - p[i]!;
      const at = crossing[i + 1]!;
      if (at < 0) {
        // One side throughout: sum_j a_j (u_{j+1} - u_j) = a_t width - (sum of offsets) / m.
        const aEnd = (cb + t) / m - c;
        const part = aEnd * width - openSum[i + 1]! / m;
        w += cb / m - c >= 0 ? part : -part;
      } else {
        const u = gathered.subarray(at, at + t).sort();
        let prev = 0;
        for (let j = 0; j < t; j++) {
          w += Math.abs(c - (cb + j) / m) * (u[j]! - prev);
          prev = u[j]!;
        }
        w += Math.abs(c - (cb + t) / m) * (width - prev);
      }
      cb += t;
    }

    // Bins: the values below cut j are those in the cells before its point.
    const nCuts = ref.cutAt.length;
    const binCounts = new Array<number>(nCuts + 1);
    let below = 0;
    let upTo = 0; // below = values < p_upTo
    let prevBelow = 0;
    for (let j = 0; j < nCuts; j++) {
      const target = ref.cutAt[j]!;
      for (; upTo < target; upTo++) below += openCount[upTo]! + pointCount[upTo]!;
      const b = below + openCount[target]!;
      binCounts[j] = b - prevBelow;
      prevBelow = b;
    }
    binCounts[nCuts] = m - prevBelow;
    return { ks: d, wasserstein: w, binCounts };
  }
}

/**
 * KS, Wasserstein-1 and bin counts of the current values `cur` (finite, any order, not
 * modified, at least one) against the reference sample `refValues` (ascending, at least
 * one value) with weights `refWeights` (null: all 1) summing to `refTotal`, and the
 * ascending cut points `cuts`.
 */
export function ecdfCells(
  refValues: Float64Array,
  refWeights: Float64Array | null,
  refTotal: number,
  cur: Float64Array,
  cuts: readonly number[],
): EcdfCellStatistics {
  const ref = referencePoints(refValues, refWeights, refTotal, cuts);
  const cells = new EcdfCells(ecdfGrid(ref.points));
  cells.add(cur);
  return cells.statistics(ref, cur);
}
