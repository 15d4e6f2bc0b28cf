import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binCounts, exactSample, ksStatistic, wasserstein1, type WeightedSample } from '../../../lambdas/core/stats';
import { ecdfCells } from '../../../lambdas/core/stats/ecdf-cells';
import { expectClose } from './helpers';

/** The cell statistics of `cur` against `ref`, and the merge walk's on the sorted values. */
function both(ref: WeightedSample, cur: number[], cuts: number[]) {
  const values = Float64Array.from(cur);
  const cells = ecdfCells(ref.values, ref.weights, ref.total, values, cuts);
  const sorted = exactSample(cur);
  return {
    cells,
    walk: { ks: ksStatistic(ref, sorted), wasserstein: wasserstein1(ref, sorted), binCounts: binCounts(cuts, cur) },
    untouched: Array.from(values),
  };
}

function weighted(values: number[], weights: number[]): WeightedSample {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  return {
    values: Float64Array.from(order.map((i) => values[i]!)),
    weights: Float64Array.from(order.map((i) => weights[i]!)),
    total: weights.reduce((a, b) => a + b, 0),
  };
}

// Few distinct values on a coarse grid: many ties between and within the samples.
const coarse = fc.integer({ min: -20, max: 20 }).map((i) => i / 4);
const fine = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });
const value = fc.oneof(coarse, fine);
const cutsArb = fc.uniqueArray(coarse, { maxLength: 9 }).map((c) => [...c].sort((a, b) => a - b));

describe('Function: ecdfCells', () => {
  it('gives the merge walk\'s KS and bin counts exactly and its Wasserstein-1 to rounding (exact reference)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.array(value, { minLength: 1, maxLength: 300 }), cutsArb, (ref, cur, cuts) => {
        const { cells, walk, untouched } = both(exactSample(ref), cur, cuts);
        expect(cells.ks).toBe(walk.ks);
        expect(cells.binCounts).toEqual(walk.binCounts);
        expectClose(cells.wasserstein, walk.wasserstein, 1e-12, 1e-12);
        expect(untouched).toEqual(cur);
      }),
      { numRuns: 400 },
    );
  });

  it('does the same against a weighted reference (a sketch)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.integer({ min: 1, max: 64 })), { minLength: 1, maxLength: 200 }),
        fc.array(value, { minLength: 1, maxLength: 300 }),
        cutsArb,
        (items, cur, cuts) => {
          const ref = weighted(items.map(([v]) => v), items.map(([, w]) => w));
          const { cells, walk } = both(ref, cur, cuts);
          expect(cells.ks).toBe(walk.ks);
          expect(cells.binCounts).toEqual(walk.binCounts);
          expectClose(cells.wasserstein, walk.wasserstein, 1e-12, 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles current values far outside the reference, a one-point reference and identical samples', () => {
    const one = both(exactSample([2]), [-1e6, 2, 2, 5e5], [2]);
    expect(one.cells.ks).toBe(one.walk.ks);
    expect(one.cells.binCounts).toEqual([1, 3]);
    expectClose(one.cells.wasserstein, one.walk.wasserstein, 1e-12, 1e-12);
    const same = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    const id = both(exactSample(same), [...same].reverse(), []);
    expect(id.cells.ks).toBe(0);
    expect(id.cells.wasserstein).toBe(0);
    expect(id.cells.binCounts).toEqual([1000]);
  });

  it('falls back to a binary search when the reference span does not fit a grid', () => {
    const ref = [-1.7e308, 0, 1.7e308];
    const cur = [-1e308, -1, 0, 3, 1e308, 1.7e308];
    const r = both(exactSample(ref), cur, [0]);
    expect(r.cells.ks).toBe(r.walk.ks);
    expect(r.cells.binCounts).toEqual(r.walk.binCounts);
  });

  it('matches on large samples where the current ECDF crosses the reference\'s many times', () => {
    // Same distribution, different draws: the ECDFs cross often (the gathered-cell path).
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const ref = Array.from({ length: 5000 }, () => Math.round((rnd() - 0.5) * 1e4) / 1e3);
    const cur = Array.from({ length: 50_000 }, () => Math.round((rnd() - 0.5) * 1e4) / 1e3);
    const r = both(exactSample(ref), cur, [-2, 0, 2]);
    expect(r.cells.ks).toBe(r.walk.ks);
    expect(r.cells.binCounts).toEqual(r.walk.binCounts);
    expectClose(r.cells.wasserstein, r.walk.wasserstein, 1e-12, 1e-12);
  });
});
