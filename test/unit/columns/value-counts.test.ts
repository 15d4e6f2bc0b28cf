import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnAccumulator } from '../../../lambdas/core/columns/column-accumulator';
import type { CellReference } from '../../../lambdas/core/columns/value-counts';
import { binCounts, ecdfWalk, exactSample, momentsOf } from '../../../lambdas/core/stats';
import { expectClose } from '../stats/helpers';

const CUTS = [-1, 0, 2.5];
const REF = exactSample([-3, -1, -0.5, 0, 0.25, 1, 2.5, 2.5, 7]);
const reference: CellReference = { values: REF.values, weights: null, total: REF.total, cuts: CUTS };

/** A numeric column with a decimal histogram (and cells against REF), fed `values`, its counts settled. */
function column(values: readonly number[], budget = 1000): ColumnAccumulator {
  const acc = new ColumnAccumulator('x', { type: 'numeric', histogram: true, cellReference: reference, cuts: CUTS, budget });
  values.forEach((v, i) => acc.add(v, 'f.csv', i + 2));
  acc.countValues();
  return acc;
}

/** What the sorted values give: the statistics every path must match. */
function expected(values: readonly number[]) {
  return ecdfWalk(REF, exactSample(values), CUTS);
}

const decimal = fc.integer({ min: -50_000, max: 50_000 }).map((m) => Number((m / 1e4).toFixed(4)));

describe('ColumnAccumulator with a decimal histogram', () => {
  it('drops the values the histogram holds; moments, bins and statistics then come from it', () => {
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 300 }), (values) => {
        const acc = column(values);
        expect(acc.releaseValues()).toBe(true);
        expect(acc.store).toBeNull();
        expect(acc.numberCount).toBe(values.length);
        expect(acc.valueCounts!.statistics(null)).toEqual(expected(values));
        expect(acc.binCounts).toEqual(binCounts(CUTS, values));
        const m = momentsOf(values);
        expectClose(acc.moments.mean, m.mean, 1e-12, 1e-12);
        expectClose(acc.moments.m2, m.m2, 1e-9, 1e-12);
        expect([acc.moments.min, acc.moments.max]).toEqual([m.min, m.max]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the values of a column that is not all short decimals, and takes the statistics from cells', () => {
    const values = [0.1 + 0.2, 1.5, -2, 2.5];
    const acc = column(values);
    expect(acc.releaseValues()).toBe(false);
    expect(acc.store!.exact).toBe(true);
    const s = acc.valueCounts!.statistics(acc.exactValues());
    expect(s!.ks).toBe(expected(values).ks);
    expect(s!.binCounts).toEqual(expected(values).binCounts);
    expectClose(s!.wasserstein, expected(values).wasserstein, 1e-12, 1e-12);
  });

  it('merges released halves into the whole, and brings values back where histograms cannot be merged', () => {
    fc.assert(
      fc.property(fc.array(decimal, { maxLength: 100 }), fc.array(decimal, { minLength: 1, maxLength: 100 }), (x, y) => {
        const a = column(x);
        const b = column(y);
        a.releaseValues();
        b.releaseValues();
        a.merge(b);
        expect(a.count).toBe(x.length + y.length);
        expect(a.valueCounts!.statistics(a.exactValues())).toEqual(expected([...x, ...y]));
      }),
      { numRuns: 100 },
    );
    // Two ranges too far apart for one table at four decimals: the values come back.
    const near = column([0.0001, 1]);
    const far = column([1_000_000, 1_000_000.5]);
    near.releaseValues();
    far.releaseValues();
    near.merge(far);
    expect(near.store!.count).toBe(4);
    expect(Array.from(near.store!.sample().values)).toEqual([0.0001, 1, 1_000_000, 1_000_000.5]);
    // A released half and a half that kept its values.
    const held = column([1.25, 2]);
    const kept = column([0.1 + 0.2]);
    held.releaseValues();
    held.merge(kept);
    expect(held.store!.count).toBe(3);
    expect(held.valueCounts!.statistics(held.exactValues())!.ks).toBe(expected([1.25, 2, 0.1 + 0.2]).ks);
  });

  it('brings the values back when more arrive after the release', () => {
    const acc = column([1.5, -2]);
    acc.releaseValues();
    acc.add('7.25', 'f.csv', 9);
    acc.countValues();
    expect(acc.store!.count).toBe(3);
    expect(acc.numberCount).toBe(3);
    expect(acc.valueCounts!.statistics(acc.exactValues())).toEqual(expected([1.5, -2, 7.25]));
  });

  it('stops counting past the exact budget (memory stays bounded), leaving the statistics to the sketch', () => {
    const values = Array.from({ length: 3000 }, (_, i) => Number((((i * 7919) % 10007) / 1000 - 5).toFixed(3)));
    const acc = column(values, 200);
    expect(acc.store!.exact).toBe(false);
    expect(acc.store!.retained).toBeLessThanOrEqual(200);
    expect(acc.valueCounts!.statistics(null)).toBeUndefined();
    expect(acc.releaseValues()).toBe(false);
    // bins and moments still count every value
    expect(acc.binCounts).toEqual(binCounts(CUTS, values));
    expect(acc.numberCount).toBe(3000);
  });
});
