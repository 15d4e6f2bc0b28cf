/**
 * Picking the production variant of an invocation: by weight with a seeded PRNG (so a
 * run is reproducible), or the `TargetVariant` the caller names.
 */

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
