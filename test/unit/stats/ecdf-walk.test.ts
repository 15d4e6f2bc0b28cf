import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdfWalk, exactSample, ksStatistic, sampleBinCounts, wasserstein1, type WeightedSample } from '../../../lambdas/core/stats';

const value = fc.oneof(fc.integer({ min: -20, max: 20 }).map((i) => i / 4), fc.double({ min: -1e3, max: 1e3, noNaN: true }));
const cutsArb = fc.uniqueArray(fc.integer({ min: -20, max: 20 }).map((i) => i / 4), { maxLength: 9 }).map((c) => [...c].sort((a, b) => a - b));

/** A sorted sample with integer weights. */
function weighted(items: readonly (readonly [number, number])[]): WeightedSample {
  const sorted = [...items].sort((x, y) => x[0] - y[0]);
  return { values: Float64Array.from(sorted.map(([v]) => v)), weights: Float64Array.from(sorted.map(([, w]) => w)), total: sorted.reduce((s, [, w]) => s + w, 0) };
}

describe('Function: ecdfWalk', () => {
  it('gives bit for bit the KS, Wasserstein-1 and bin counts of the separate walks', () => {
    const sample = fc.oneof(
      fc.array(value, { minLength: 1, maxLength: 200 }).map((v) => exactSample(v)),
      fc.array(fc.tuple(value, fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 200 }).map(weighted),
    );
    fc.assert(
      fc.property(sample, sample, cutsArb, (a, b, cuts) => {
        const r = ecdfWalk(a, b, cuts);
        expect(r.ks).toBe(ksStatistic(a, b));
        expect(r.wasserstein).toBe(wasserstein1(a, b));
        expect(r.binCounts).toEqual(sampleBinCounts(cuts, b));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects an empty sample', () => {
    expect(() => ecdfWalk(exactSample([]), exactSample([1]), [])).toThrow(/empty/);
  });
});
