import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settleValueCounts } from '../../../../lambdas/core/columns/accumulate-batches';
import { ColumnAccumulator } from '../../../../lambdas/core/columns/column-accumulator';
import { mergeParts, reviveAccumulator } from '../../../../lambdas/core/columns/scan-worker';
import type { EcdfReference } from '../../../../lambdas/core/columns/value-counts';
import { binCounts, ecdfWalk, exactSample, momentsOf } from '../../../../lambdas/core/stats';
import { expectClose } from '../stats/helpers';

const CUTS = [-1, 0, 2.5];
const REF = exactSample([-3, -1, -0.5, 0, 0.25, 1, 2.5, 2.5, 7]);
const reference: EcdfReference = { values: REF.values, weights: null, total: REF.total, cuts: CUTS };

/** A numeric column with a decimal histogram (statistics against REF), fed `values`, its counts settled. */
function column(values: readonly number[], budget = 1000): ColumnAccumulator {
  const acc = new ColumnAccumulator('x', { type: 'numeric', histogram: true, ecdfReference: reference, cuts: CUTS, budget });
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
        expect(acc.valueCounts!.statistics()).toEqual(expected(values));
        expect(acc.binCounts).toEqual(binCounts(CUTS, values));
        const m = momentsOf(values);
        expectClose(acc.moments.mean, m.mean, 1e-12, 1e-12);
        expectClose(acc.moments.m2, m.m2, 1e-9, 1e-12);
        expect([acc.moments.min, acc.moments.max]).toEqual([m.min, m.max]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the values when there is no reference to take the statistics against', () => {
    const acc = new ColumnAccumulator('x', { type: 'numeric', histogram: true, budget: 128 });
    acc.add('1.5', 'f.csv', 2);
    acc.add('2', 'f.csv', 3);
    expect(acc.releaseValues()).toBe(false);
    expect(acc.store!.count).toBe(2);
  });

  it('keeps the values of a column that is not all short decimals (no histogram statistics)', () => {
    const values = [0.1 + 0.2, 1.5, -2, 2.5];
    const acc = column(values);
    expect(acc.releaseValues()).toBe(false);
    expect(acc.store!.exact).toBe(true);
    expect(acc.valueCounts!.statistics()).toBeUndefined();
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
        expect(a.valueCounts!.statistics()).toEqual(expected([...x, ...y]));
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
    expect(held.valueCounts!.statistics()).toBeUndefined();
    expect(Array.from(held.store!.sample().values)).toEqual([0.1 + 0.2, 1.25, 2]);
  });

  it('stops counting when released halves together pass the budget, as one pass would', () => {
    const x = Array.from({ length: 150 }, (_, i) => i / 4);
    const y = Array.from({ length: 150 }, (_, i) => -i / 8);
    const a = column(x, 200);
    const b = column(y, 200);
    expect(a.releaseValues() && b.releaseValues()).toBe(true);
    a.merge(b);
    expect(a.store!.exact).toBe(false);
    expect(a.store!.count).toBe(300);
    expect(a.valueCounts!.statistics()).toBeUndefined();
    const one = column([...x, ...y], 200);
    expect(one.valueCounts!.statistics()).toBeUndefined();
  });

  it('stops counting when values added after a release pass the budget', () => {
    const acc = column([1.5, -2], 128);
    acc.releaseValues();
    for (let i = 0; i < 200; i++) acc.add(String(i / 2), 'f.csv', 9 + i);
    expect(acc.store!.exact).toBe(false);
    expect(acc.valueCounts!.statistics()).toBeUndefined();
  });

  it('brings the values back when more arrive after the release', () => {
    const acc = column([1.5, -2]);
    acc.releaseValues();
    acc.add('7.25', 'f.csv', 9);
    acc.countValues();
    expect(acc.store!.count).toBe(3);
    expect(acc.numberCount).toBe(3);
    expect(acc.valueCounts!.statistics()).toEqual(expected([1.5, -2, 7.25]));
  });

  it('stops counting past the exact budget (memory stays bounded), leaving the statistics to the sketch', () => {
    const values = Array.from({ length: 3000 }, (_, i) => Number((((i * 7919) % 10007) / 1000 - 5).toFixed(3)));
    const acc = column(values, 200);
    expect(acc.store!.exact).toBe(false);
    expect(acc.store!.retained).toBeLessThanOrEqual(200);
    expect(acc.valueCounts!.statistics()).toBeUndefined();
    expect(acc.releaseValues()).toBe(false);
    // bins and moments still count every value
    expect(acc.binCounts).toEqual(binCounts(CUTS, values));
    expect(acc.numberCount).toBe(3000);
  });

  it('gives, merged from parts as the parallel scan merges them, what one pass gives', () => {
    const value = fc.oneof(decimal, fc.integer({ min: -5, max: 5 }), fc.double({ min: -50, max: 50, noNaN: true }), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 400 }), fc.integer({ min: 128, max: 500 }), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (values, budget, cutsAt) => {
        const data = Float64Array.from(values);
        const options = { type: 'numeric' as const, budget, cuts: CUTS, histogram: true, ecdfReference: reference };
        const feed = (from: number, to: number): ColumnAccumulator => {
          const acc = new ColumnAccumulator('x', options);
          for (let i = from; i < to; i++) acc.add(data[i]!, 'f.csv', i + 2);
          return acc;
        };
        const one = feed(0, data.length);
        settleValueCounts([one], true);
        const bounds = [0, ...cutsAt.map((c) => c % (data.length + 1)).sort((a, b) => a - b), data.length];
        const parts = bounds.slice(1).map((end, k) => {
          const part = feed(bounds[k]!, end);
          settleValueCounts([part], false);
          return structuredClone(part);
        });
        const merged = reviveAccumulator(structuredClone(mergeParts(parts, parts.map(() => 0))));
        expect(merged.numberCount).toBe(one.numberCount);
        expect(merged.valueCounts!.statistics()).toEqual(one.valueCounts!.statistics());
        expect(merged.store?.exact ?? true).toBe(one.store?.exact ?? true);
        expect(merged.binCounts).toEqual(one.binCounts);
        if (data.length <= budget) {
          expect(merged.moments).toEqual(one.moments);
          expect(merged.store?.sample()).toEqual(one.store?.sample());
        }
      }),
      { numRuns: Number(process.env.PITSTOP_MERGE_RUNS ?? 300) },
    );
  });
});
