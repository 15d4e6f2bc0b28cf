/**
 * A seeded pseudo-random number generator: Tommy Ettinger's mulberry32, a 32-bit state
 * advanced by a Weyl sequence and mixed, giving numbers in [0, 1) as multiples of 2^-32.
 * It is not cryptographic; it is small, fast and the same on every platform, so a seed
 * always gives the same stream (bootstrap bands, the local router's variant choice and
 * sampling, test data).
 */

/** A generator of numbers in [0, 1), deterministic for its seed (taken modulo 2^32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
