import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactSample, ksStatistic, wasserstein1, type WeightedSample } from '../../../../lambdas/core/stats';
import { DecimalHistogram, MAX_ENTRIES } from '../../../../lambdas/core/stats/decimal-histogram';

/** Distinct ascending values and their counts, from sorting (the reference the histogram must match). */
function grouped(values: readonly number[]): { values: number[]; weights: number[] } {
  const sorted = Array.from(exactSample(values).values);
  const out = { values: [] as number[], weights: [] as number[] };
  for (const v of sorted) {
    const last = out.values.length - 1;
    if (last >= 0 && out.values[last] === v) out.weights[last]!++;
    else {
      out.values.push(v);
      out.weights.push(1);
    }
  }
  return out;
}

/** A decimal text with `decimals` places in [-10, 10], parsed as a reader parses it (any mix fits the table). */
const decimal = (decimals: number) =>
  fc.integer({ min: -10 * 10 ** decimals, max: 10 * 10 ** decimals }).map((m) => Number((m / 10 ** decimals).toFixed(decimals)));
const decimals = fc.oneof(decimal(0), decimal(2), decimal(4), fc.constantFrom(0, -0, 1.5, -2.25));

function histogramOf(values: readonly number[]): DecimalHistogram {
  const h = new DecimalHistogram();
  h.add(Float64Array.from(values));
  return h;
}

describe('Class: DecimalHistogram', () => {
  it('holds short decimals exactly: its sample is every distinct value with its count, in order', () => {
    fc.assert(
      fc.property(fc.array(decimals, { minLength: 1, maxLength: 400 }), (values) => {
        const s = histogramOf(values).sample();
        expect(s).toBeDefined();
        const want = grouped(values);
        expect(Array.from(s!.values)).toEqual(want.values.map((v) => (v === 0 ? 0 : v)));
        expect(Array.from(s!.weights!)).toEqual(want.weights);
        expect(s!.total).toBe(values.length);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the merge walks the numbers that the sorted values give them', () => {
    fc.assert(
      fc.property(fc.array(decimals, { minLength: 1, maxLength: 300 }), fc.array(decimals, { minLength: 1, maxLength: 300 }), (ref, cur) => {
        const a = exactSample(ref);
        const b: WeightedSample = histogramOf(cur).sample()!;
        const sorted = exactSample(cur);
        expect(ksStatistic(a, b)).toBe(ksStatistic(a, sorted));
        expect(wasserstein1(a, b)).toBe(wasserstein1(a, sorted));
      }),
      { numRuns: 300 },
    );
  });

  it('merges: the halves merged equal the whole, whatever their scales and ranges', () => {
    fc.assert(
      fc.property(fc.array(decimals, { maxLength: 300 }), fc.array(decimals, { maxLength: 300 }), (x, y) => {
        const whole = histogramOf([...x, ...y]);
        const merged = histogramOf(x);
        expect(merged.merge(histogramOf(y))).toBe(true);
        expect(merged.count).toBe(x.length + y.length);
        expect(merged.sample()).toEqual(whole.sample());
      }),
      { numRuns: 300 },
    );
  });

  it('sizes its table from the range of a large batch, and still takes finer or wider values after', () => {
    fc.assert(
      fc.property(fc.array(decimals, { minLength: 5000, maxLength: 6000 }), fc.array(decimals, { maxLength: 50 }), (batch, later) => {
        const h = new DecimalHistogram();
        expect(h.add(Float64Array.from(batch))).toBe(true);
        expect(h.add(Float64Array.from(later))).toBe(true);
        const want = grouped([...batch, ...later]);
        expect(Array.from(h.sample()!.values)).toEqual(want.values.map((v) => (v === 0 ? 0 : v)));
        expect(Array.from(h.sample()!.weights!)).toEqual(want.weights);
      }),
      { numRuns: 20 },
    );
  });

  it('spreads out to more decimals and grows both ways as values arrive', () => {
    const h = histogramOf([5, 7, 6.5, -3.25, 1e3, 0.001, -1e3]);
    expect(h.abandoned).toBe(false);
    expect(Array.from(h.sample()!.values)).toEqual([-1e3, -3.25, 0.001, 5, 6.5, 7, 1e3]);
  });

  it('gives up on values without a short decimal form, and on ranges too wide for its table', () => {
    const floats = histogramOf([0.5, 0.1 + 0.2]);
    expect(floats.abandoned).toBe(true);
    expect(floats.sample()).toBeUndefined();
    expect(histogramOf([1e300]).abandoned).toBe(true);
    const wide = histogramOf([0, MAX_ENTRIES * 2]);
    expect(wide.abandoned).toBe(true);
    const merged = histogramOf([1, 2]);
    expect(merged.merge(floats)).toBe(false);
    expect(merged.abandoned).toBe(true);
  });
});
