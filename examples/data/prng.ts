/**
 * A small seeded pseudo-random number generator, so that the example data are the same
 * bytes on every machine and every run.
 */

/** A source of uniform numbers in [0, 1), with the draws the example data need. */
export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A normal draw with the given mean and standard deviation. */
  normal(mean?: number, sd?: number): number;
  /** A Poisson draw with mean `lambda`, by inverting the CDF with one uniform (meant for small means). */
  poisson(lambda: number): number;
  /** An index drawn with probability proportional to `weights[i]`. */
  pick(weights: readonly number[]): number;
}

/** splitmix32: turns any 32-bit integer into a well-mixed one (used to seed the streams). */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded generator (sfc32, seeded through splitmix32). The same `seed` and `stream`
 * always give the same sequence; different streams of one seed are independent, so
 * one part of a dataset (say, the corruption) can be redrawn without moving another.
 *
 * @param seed any integer (taken modulo 2^32)
 * @param stream a second integer that selects an independent sequence. @default 0
 */
export function createRandom(seed: number, stream = 0): Random {
  let a = splitmix32(seed >>> 0);
  let b = splitmix32(a ^ Math.imul(stream + 1, 0x27d4eb2d));
  let c = splitmix32(b);
  let d = splitmix32(c ^ 0x165667b1);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the first draws
  return {
    next,
    normal(mean = 0, sd = 1) {
      // Box-Muller, one value per call (the second one is dropped to keep the stream simple)
      const u = 1 - next(); // (0, 1]
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    poisson(lambda) {
      // One uniform per draw, so a row consumes the same number of draws whatever lambda is.
      const u = next();
      let k = 0;
      let pmf = Math.exp(-lambda);
      let cdf = pmf;
      while (u >= cdf && k < 1000) {
        k++;
        pmf *= lambda / k;
        cdf += pmf;
      }
      return k;
    },
    pick(weights) {
      let total = 0;
      for (const w of weights) total += w;
      let u = next() * total;
      for (let i = 0; i < weights.length; i++) {
        u -= weights[i]!;
        if (u < 0) return i;
      }
      return weights.length - 1;
    },
  };
}
