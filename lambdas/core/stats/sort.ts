/**
 * In-place ascending sort of a Float64Array, in the order of `Float64Array.prototype.sort`
 * (numeric, -0 before +0), by an LSD radix sort on the values' bit patterns.
 *
 * Each double maps to an unsigned 64-bit key that orders like the number: a positive
 * value gets its sign bit set, a negative one has every bit flipped. The keys (two
 * 32-bit halves) are sorted in six passes of 11, 11, 10 bits per half; a pass whose
 * digit is the same for every key is skipped. Arrays with a NaN, and short arrays, go
 * to the built-in sort; an array already in order is left as it is (the compactions of a
 * `ValueStore` often meet sorted runs).
 */

/** Below this length the built-in sort is as fast. */
const RADIX_MIN_LENGTH = 512;

/** Scratch space of the largest sort so far, reused (held while it is at most this many bytes). */
const MAX_KEPT_SCRATCH_BYTES = 16 << 20;
let kept: Uint32Array | null = null;
/**
 * Digit counts of the radix sort, reused: a sketch's compactions sort often, and a new
 * buffer each time is garbage outside the heap that a thread allocating little else on
 * its heap collects late.
 */
const COUNTS = new Uint32Array(6 * 2048);

function scratch(words: number): Uint32Array {
  if (kept !== null && kept.length >= words) return kept;
  const s = new Uint32Array(words);
  if (s.byteLength <= MAX_KEPT_SCRATCH_BYTES) kept = s;
  return s;
}

/**
 * Sorts `a` in place, ascending, exactly as `a.sort()` would, and returns it.
 *
 * @param a the values (any, including -0; NaN falls back to the built-in sort)
 */
export function sortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN_LENGTH || (a.byteOffset & 7) !== 0) return a.sort();
  if (!radixSortFloat64(a, scratch(2 * n), COUNTS)) a.sort();
  return a;
}

/**
 * The radix sort itself, self-contained (no reference outside its body) so that a worker
 * thread can run its source. Sorts `a` in place and returns true; returns false, leaving
 * `a` as it was, when `a` holds a NaN. Leaves an already sorted `a` untouched.
 *
 * @param scratch at least 2 * a.length words
 * @param digitCounts 6 * 2048 words to count digits in (overwritten); @default a new array
 */
export function radixSortFloat64(a: Float64Array, scratch: Uint32Array, digitCounts?: Uint32Array): boolean {
  const n = a.length;
  // Already in order (ascending, -0 before +0, no NaN)?
  let sorted = n === 0 || a[0] === a[0];
  for (let i = 1; sorted && i < n; i++) {
    const x = a[i - 1]!;
    const y = a[i]!;
    if (!(x <= y) || (x === 0 && y === 0 && 1 / x > 0 && 1 / y < 0)) sorted = false;
  }
  if (sorted) return true;
  const BUCKETS = 2048;
  const src = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const counts = digitCounts ?? new Uint32Array(6 * BUCKETS);
  counts.fill(0);
  // To keys, counting every digit at once.
  let nan = -1;
  for (let i = 0; i < n; i++) {
    let lo = src[2 * i]!;
    let hi = src[2 * i + 1]!;
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0)) {
      nan = i;
      break;
    }
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    src[2 * i] = lo;
    src[2 * i + 1] = hi;
    counts[lo & 0x7ff]!++;
    counts[BUCKETS + ((lo >>> 11) & 0x7ff)]!++;
    counts[2 * BUCKETS + (lo >>> 22)]!++;
    counts[3 * BUCKETS + (hi & 0x7ff)]!++;
    counts[4 * BUCKETS + ((hi >>> 11) & 0x7ff)]!++;
    counts[5 * BUCKETS + (hi >>> 22)]!++;
  }
  let keys = nan === -1 ? n : nan;
  if (nan === -1) {
    let from: Uint32Array = src;
    let to: Uint32Array = scratch;
    for (let d = 0; d < 6; d++) {
      const half = d < 3 ? 0 : 1;
      const shift = (d % 3) * 11;
      const mask = d % 3 === 2 ? 0x3ff : 0x7ff;
      const base = d * BUCKETS;
      // Skip a pass where every key has the same digit.
      let skip = false;
      for (let b = 0; b < BUCKETS; b++) {
        const c = counts[base + b]!;
        if (c === n) skip = true;
        if (c !== 0) break;
      }
      if (skip) continue;
      let sum = 0;
      for (let b = 0; b < BUCKETS; b++) {
        const c = counts[base + b]!;
        counts[base + b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const lo = from[2 * i]!;
        const hi = from[2 * i + 1]!;
        const digit = ((half === 0 ? lo : hi) >>> shift) & mask;
        const p = counts[base + digit]!++;
        to[2 * p] = lo;
        to[2 * p + 1] = hi;
      }
      const t = from;
      from = to;
      to = t;
    }
    if (from !== src) src.set(from.subarray(0, 2 * n));
    keys = n;
  }
  // Keys back to doubles.
  for (let i = 0; i < keys; i++) {
    const hi = src[2 * i + 1]!;
    if (hi & 0x80000000) src[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else {
      src[2 * i] = ~src[2 * i]! >>> 0;
      src[2 * i + 1] = ~hi >>> 0;
    }
  }
  return nan === -1;
}
