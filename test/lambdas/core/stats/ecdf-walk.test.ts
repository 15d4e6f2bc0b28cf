import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdfWalk, exactSample, sampleBinCounts, type WeightedSample } from '../../../../lambdas/core/stats';
import { expectClose } from './helpers';

const value = fc.oneof(fc.integer({ min: -20, max: 20 }).map((i) => i / 4), fc.double({ min: -1e3, max: 1e3, noNaN: true }));
const cutsArb = fc.uniqueArray(fc.integer({ min: -20, max: 20 }).map((i) => i / 4), { maxLength: 9 }).map((c) => [...c].sort((a, b) => a - b));

/** A sorted sample with integer weights. */
function weighted(items: readonly (readonly [number, number])[]): WeightedSample {
  const sorted = [...items].sort((x, y) => x[0] - y[0]);
  return { values: Float64Array.from(sorted.map(([v]) => v)), weights: Float64Array.from(sorted.map(([, w]) => w)), total: sorted.reduce((s, [, w]) => s + w, 0) };
}

/** ECDF of a sample at x, by its definition: weight of the values <= x over the total. */
function ecdf(s: WeightedSample, x: number): number {
  let w = 0;
  s.values.forEach((v, i) => {
    if (v <= x) w += s.weights === null ? 1 : s.weights[i]!;
  });
  return w / s.total;
}

/** KS and Wasserstein-1 by their definitions, over the sorted union of observed values. */
function byDefinition(a: WeightedSample, b: WeightedSample) {
  const points = [...new Set([...a.values, ...b.values])].sort((x, y) => x - y);
  let ks = 0;
  let w = 0;
  points.forEach((x, k) => {
    const gap = Math.abs(ecdf(a, x) - ecdf(b, x));
    ks = Math.max(ks, gap);
    if (k + 1 < points.length) w += gap * (points[k + 1]! - x);
  });
  return { ks, w };
}

describe('Function: ecdfWalk', () => {
  it('gives the KS distance, Wasserstein-1 and bin counts their definitions give', () => {
    const sample = fc.oneof(
      fc.array(value, { minLength: 1, maxLength: 120 }).map((v) => exactSample(v)),
      fc.array(fc.tuple(value, fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 120 }).map(weighted),
    );
    fc.assert(
      fc.property(sample, sample, cutsArb, (a, b, cuts) => {
        const r = ecdfWalk(a, b, cuts);
        const d = byDefinition(a, b);
        expect(r.ks).toBe(d.ks);
        expectClose(r.wasserstein, d.w, 1e-12, 1e-12);
        expect(r.binCounts).toEqual(sampleBinCounts(cuts, b));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects an empty sample', () => {
    expect(() => ecdfWalk(exactSample([]), exactSample([1]), [])).toThrow(/empty/);
  });
});
