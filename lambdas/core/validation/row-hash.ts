/**
 * Memory-bounded exact-duplicate detection: each row is hashed to 64 bits (two
 * independent 32-bit mixes over the cells' types and contents) and the hashes are kept
 * in an open-addressing set of two `Uint32Array`s, 8 bytes per slot.
 *
 * Collision bound: with an ideal 64-bit hash, a row is wrongly taken for a duplicate
 * only if its hash equals one of the N stored ones, probability <= N / 2^64 per row; over
 * M rows the expected number of false duplicates is <= M N / 2^64 (M = N = 4 million
 * gives < 1e-6).
 *
 * Cap: at most {@link DEFAULT_DISTINCT_ROW_CAP} distinct hashes are stored (the table
 * then uses 2^23 slots = 64 MiB). Beyond the cap new rows are still checked against the
 * stored ones but no longer stored, so duplicates among rows seen after the cap are not
 * counted: the duplicate count becomes a lower bound (`saturated` is set).
 */
import type { Cell } from '../readers/types';

/** Most distinct row hashes stored (2^22). */
export const DEFAULT_DISTINCT_ROW_CAP = 4_194_304;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;

let h1 = 0;
let h2 = 0;

function mix(k: number): void {
  // xxHash32-style round on h1.
  h1 = Math.imul(rotl(h1 + Math.imul(k, P2), 13), P1);
  // MurmurHash3-style round on h2.
  let m = Math.imul(k, C1);
  m = Math.imul(rotl(m, 15), C2);
  h2 = (Math.imul(rotl(h2 ^ m, 13), 5) + 0xe6546b64) | 0;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function avalanche(h: number, p: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, p);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes the first `width` cells of a row into `out[0]` (high word) and `out[1]` (low
 * word). Cells of different types never hash alike by construction (a type tag and
 * the length are mixed in), so `"1"` and `1`, `null` and `""` are different rows.
 */
export function hashRow(row: readonly Cell[], width: number, out: Uint32Array): void {
  h1 = 0x165667b1 ^ width;
  h2 = 0x27d4eb2f ^ width;
  for (let j = 0; j < width; j++) {
    const c = row[j];
    if (c === null || c === undefined) {
      mix(1);
    } else if (typeof c === 'string') {
      const n = c.length;
      mix(2 ^ (n << 3));
      let i = 0;
      for (; i + 1 < n; i += 2) mix(c.charCodeAt(i) | (c.charCodeAt(i + 1) << 16));
      if (i < n) mix(c.charCodeAt(i));
    } else if (typeof c === 'number') {
      f64[0] = c;
      mix(3);
      mix(u32[0]!);
      mix(u32[1]!);
    } else {
      mix(c ? 4 : 5);
    }
  }
  out[0] = avalanche(h1, P2);
  out[1] = avalanche(h2, C1);
}

/** A set of 64-bit hashes (pairs of 32-bit words) with a cap on its size. */
export class HashSet64 {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private n = 0;
  /** True once a hash was not stored because the set was full. */
  public saturated = false;

  /** @param cap most hashes stored. @default 4_194_304 */
  public constructor(private readonly cap: number = DEFAULT_DISTINCT_ROW_CAP) {
    const size = 1 << 12;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** Hashes stored. */
  public get size(): number {
    return this.n;
  }

  /**
   * True when (hi, lo) is already in the set; otherwise stores it (unless the set is
   * full) and returns false.
   */
  public addOrHas(hiWord: number, loWord: number): boolean {
    // (0, 0) marks an empty slot; a real (0, 0) hash is stored as (0, 1).
    if (hiWord === 0 && loWord === 0) loWord = 1;
    const hi = this.hi;
    const lo = this.lo;
    const mask = this.mask;
    let i = (loWord ^ Math.imul(hiWord, 0x9e3779b1)) & mask;
    for (;;) {
      const a = hi[i]!;
      const b = lo[i]!;
      if (a === 0 && b === 0) break;
      if (a === hiWord && b === loWord) return true;
      i = (i + 1) & mask;
    }
    if (this.n >= this.cap) {
      this.saturated = true;
      return false;
    }
    hi[i] = hiWord;
    lo[i] = loWord;
    this.n++;
    if (this.n * 2 > hi.length) this.grow();
    return false;
  }

  /**
   * Adds every hash of `other` (the rows of a later part of the same table) and returns
   * how many this set held already: the rows of `other` whose first occurrence there
   * repeats a row of this set's. A saturated side makes the count a lower bound, as for
   * one pass.
   */
  public absorb(other: HashSet64): number {
    let repeated = 0;
    const { hi, lo } = other;
    for (let k = 0; k < hi.length; k++) {
      const a = hi[k]!;
      const b = lo[k]!;
      if (a === 0 && b === 0) continue;
      if (this.addOrHas(a, b)) repeated++;
    }
    if (other.saturated) this.saturated = true;
    return repeated;
  }

  /** Gives back its class to a set that went through a structured clone (v8 serialize, postMessage). */
  public static revive(clone: object): HashSet64 {
    const set = Object.setPrototypeOf(clone, HashSet64.prototype) as HashSet64;
    if (!(set.hi instanceof Uint32Array) || !(set.lo instanceof Uint32Array)) throw new TypeError('not a cloned HashSet64');
    return set;
  }

  private grow(): void {
    const oldHi = this.hi;
    const oldLo = this.lo;
    const size = oldHi.length * 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.mask = size - 1;
    for (let k = 0; k < oldHi.length; k++) {
      const a = oldHi[k]!;
      const b = oldLo[k]!;
      if (a === 0 && b === 0) continue;
      let i = (b ^ Math.imul(a, 0x9e3779b1)) & this.mask;
      while (this.hi[i] !== 0 || this.lo[i] !== 0) i = (i + 1) & this.mask;
      this.hi[i] = a;
      this.lo[i] = b;
    }
  }
}
