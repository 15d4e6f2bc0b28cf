import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumericColumn, type NumericColumnOptions } from '../../../../lambdas/core/columns/numeric-column';
import type { EcdfReference } from '../../../../lambdas/core/columns/value-counts';
import { binCounts, ecdfWalk, exactSample, momentsOf } from '../../../../lambdas/core/stats';

const CUTS = [-1, 0, 2.5];
const REF = exactSample([-3, -1, -0.5, 0, 0.25, 1, 2.5, 2.5, 7]);
const reference: EcdfReference = { values: REF.values, weights: null, total: REF.total, cuts: CUTS };
const RANGE = { min: -2, max: 3 };

/** Decimals of up to 4 places (what the decimal histogram holds), small integers and -0. */
const value = fc.oneof(
  fc.integer({ min: -50_000, max: 50_000 }).map((m) => Number((m / 1e4).toFixed(4))),
  fc.integer({ min: -5, max: 5 }),
  fc.constant(-0),
);
const values = fc.array(value, { maxLength: 500 });

function options(budget: number, histogram = true): NumericColumnOptions {
  return { budget, cuts: CUTS, range: RANGE, histogram, ecdfReference: reference };
}

/** A column fed `xs[from..to)`, one by one or (`bulk`) as one range. */
function feed(xs: readonly number[], o: NumericColumnOptions, bulk = false, from = 0, to = xs.length): NumericColumn {
  const c = new NumericColumn('x', o);
  if (bulk) c.addNumbers(Float64Array.from(xs), from, to);
  else for (let i = from; i < to; i++) c.add(xs[i]!);
  return c;
}

/** Sorted split points of `n` values. */
const splits = (n: number, at: readonly number[]) => [0, ...at.map((a) => a % (n + 1)).sort((a, b) => a - b), n];

/** Every figure a consumer reads, reading owed work last. */
function figures(c: NumericColumn) {
  return {
    numberCount: c.numberCount,
    outOfRange: c.outOfRange,
    binCounts: c.binCounts,
    moments: { ...c.moments },
    sample: c.store?.sample() ?? null,
    statistics: c.valueCounts?.statistics(),
  };
}

describe('Function: NumericColumn', () => {
  it('computes owed work as eager one-value-at-a-time updates would (bit for bit, within and past the budget)', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 128, max: 400 }), fc.boolean(), (xs, budget, bulk) => {
        // Prepare / Act
        const c = feed(xs, options(budget, false), bulk);
        // Assess: against the reference implementations, value by value in order
        expect(c.owedWork.moments).toBe(xs.length <= budget);
        expect({ ...c.moments }).toEqual(momentsOf(xs));
        expect(c.binCounts).toEqual(binCounts(CUTS, xs));
        expect(c.outOfRange).toBe(xs.filter((x) => x < RANGE.min || x > RANGE.max).length);
        expect(c.owedWork).toEqual({ moments: false, bins: false, counts: false, released: false });
      }),
    );
  });

  it('gives the same figures whenever owed work is asked for (owed equals eager)', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 128, max: 400 }), fc.array(fc.nat(), { maxLength: 4 }), (xs, budget, at) => {
        // Prepare: one column asked for nothing until the end; the other asked for every
        // figure at random points, so that its later values are counted eagerly
        const lazy = feed(xs, options(budget));
        const eager = new NumericColumn('x', options(budget));
        const stops = new Set(at.map((a) => a % (xs.length + 1)));
        // Act
        xs.forEach((x, i) => {
          if (stops.has(i)) figures(eager);
          eager.add(x);
        });
        // Assess
        expect(figures(eager)).toEqual(figures(lazy));
      }),
    );
  });

  it('gives, released to its histogram, the figures it gave with its values (owed from the histogram)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (xs) => {
        // Prepare
        const kept = feed(xs, options(1000));
        const released = feed(xs, options(1000));
        // Act
        const did = released.releaseValues();
        // Assess: exact counts; moments to rounding (the histogram adds in ascending order)
        expect(did).toBe(true);
        expect(released.owedWork.released).toBe(true);
        expect(released.store).toBeNull();
        expect(released.binCounts).toEqual(kept.binCounts);
        expect(released.valueCounts!.statistics()).toEqual(ecdfWalk(REF, exactSample(xs), CUTS));
        const [a, b] = [released.moments, kept.moments];
        // -0 and 0 are one value to a histogram and to min/max in either order
        expect([a.count, a.min + 0, a.max + 0]).toEqual([b.count, b.min + 0, b.max + 0]);
        expect(Math.abs(a.mean - b.mean)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b.mean)));
      }),
    );
  });

  it('merges split parts into what one pass gives (exactly while the values fit the budget)', () => {
    fc.assert(
      fc.property(values, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.integer({ min: 128, max: 400 }), fc.boolean(), (xs, at, budget, bulk) => {
        // Prepare
        const o = options(budget);
        const one = feed(xs, o, bulk);
        const bounds = splits(xs.length, at);
        const parts = bounds.slice(1).map((end, k) => feed(xs, o, bulk, bounds[k]!, end));
        // Act
        const merged = parts.reduce((a, b) => (a.merge(b), a));
        // Assess
        expect(merged.numberCount).toBe(one.numberCount);
        expect(merged.outOfRange).toBe(one.outOfRange);
        expect(merged.binCounts).toEqual(one.binCounts);
        if (xs.length <= budget) expect(figures(merged)).toEqual(figures(one));
        else expect(merged.store!.exact).toBe(false);
      }),
    );
  });

  it('merges associatively, and commutatively up to the order of the values', () => {
    fc.assert(
      fc.property(values, values, values, (a, b, c) => {
        // Prepare
        const o = options(2000);
        // Act
        const left = feed(a, o);
        left.merge(feed(b, o));
        left.merge(feed(c, o));
        const inner = feed(b, o);
        inner.merge(feed(c, o));
        const right = feed(a, o);
        right.merge(inner);
        const ab = feed(a, o);
        ab.merge(feed(b, o));
        const ba = feed(b, o);
        ba.merge(feed(a, o));
        // Assess: associative exactly (values kept in order); commutative in every count and
        // in the sorted values, moments to rounding
        expect(figures(left)).toEqual(figures(right));
        expect(ba.binCounts).toEqual(ab.binCounts);
        expect(ba.outOfRange).toBe(ab.outOfRange);
        expect(ba.store!.sample()).toEqual(ab.store!.sample());
        expect(ba.valueCounts!.statistics()).toEqual(ab.valueCounts!.statistics());
        const [x, y] = [ba.moments, ab.moments];
        expect([x.count, x.min + 0, x.max + 0]).toEqual([y.count, y.min + 0, y.max + 0]);
        expect(Math.abs(x.mean - y.mean)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(y.mean)));
        expect(Math.abs(x.m2 - y.m2)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(y.m2)));
      }),
    );
  });

  it('merges parts released together by their histograms into what one pass gives', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (xs, at) => {
        // Prepare
        const o = options(1000);
        const one = feed(xs, o);
        const bounds = splits(xs.length, at);
        const parts = bounds.slice(1).map((end, k) => {
          const p = feed(xs, o, false, bounds[k]!, end);
          p.countValues();
          return p;
        });
        // Act
        const released = NumericColumn.releaseTogether(parts);
        const merged = parts.reduce((a, b) => (a.merge(b), a));
        // Assess
        expect(released).toBe(true);
        expect(merged.store).toBeNull();
        expect(merged.numberCount).toBe(xs.length);
        expect(merged.binCounts).toEqual(one.binCounts);
        expect(merged.valueCounts!.statistics()).toEqual(one.valueCounts!.statistics());
      }),
    );
  });
});
