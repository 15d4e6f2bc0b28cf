/**
 * Picking the production variant of an invocation: by weight with a seeded PRNG (so a
 * run is reproducible), or the `TargetVariant` the caller names.
 */

/** A seeded PRNG (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A variant as the router sees it. */
export interface RoutableVariant {
  readonly name: string;
  readonly weight: number;
}

/**
 * The variant a request goes to: each variant with probability weight / total weight,
 * `random` giving the draw.
 * @returns undefined when no variant has a positive weight
 */
export function pickVariant<V extends RoutableVariant>(variants: readonly V[], random: () => number): V | undefined {
  const total = variants.reduce((s, v) => s + (v.weight > 0 ? v.weight : 0), 0);
  if (!(total > 0)) return undefined;
  let draw = random() * total;
  let last: V | undefined;
  for (const v of variants) {
    if (!(v.weight > 0)) continue;
    last = v;
    if (draw < v.weight) return v;
    draw -= v.weight;
  }
  return last;
}
