/** fast-check properties of the drift statistics. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binCounts,
  exactSample,
  jsDistance,
  klDivergence,
  ksStatistic,
  psi,
  quantileCutPoints,
  wasserstein1,
} from '../../../../lambdas/core/stats';

/** Two count vectors of the same length, each with a positive total. */
const countPair = fc
  .integer({ min: 1, max: 12 })
  .chain((k) =>
    fc.tuple(
      fc.array(fc.nat(1000), { minLength: k, maxLength: k }),
      fc.array(fc.nat(1000), { minLength: k, maxLength: k }),
    ),
  )
  .filter(([a, b]) => a.some((x) => x > 0) && b.some((x) => x > 0));

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -3, max: 3 }));
const sampleValues = fc.array(value, { minLength: 1, maxLength: 60 });

/** An array together with a permutation of it. */
const withPermutation = sampleValues.chain((arr) =>
  fc.tuple(fc.constant(arr), fc.shuffledSubarray(arr, { minLength: arr.length, maxLength: arr.length })),
);

describe('Properties: divergences', () => {
  it('PSI >= 0', () => {
    fc.assert(fc.property(countPair, ([a, b]) => {
      expect(psi(a, b)).toBeGreaterThanOrEqual(0);
    }));
  });

  it('PSI = KL(ref||cur) + KL(cur||ref) on the same smoothed vectors', () => {
    fc.assert(
      fc.property(countPair, ([a, b]) => {
        const sum = klDivergence(a, b) + klDivergence(b, a);
        expect(Math.abs(psi(a, b) - sum)).toBeLessThanOrEqual(1e-12 * Math.max(1, psi(a, b)));
      }),
    );
  });

  it('JS distance is symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(countPair, ([a, b]) => {
        const d = jsDistance(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(Math.abs(d - jsDistance(b, a))).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('JS distance and PSI are 0 for proportional count vectors', () => {
    fc.assert(
      fc.property(countPair, fc.integer({ min: 2, max: 9 }), ([a], f) => {
        const scaled = a.map((x) => x * f);
        expect(jsDistance(a, scaled)).toBeLessThanOrEqual(1e-7);
        expect(psi(a, scaled)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });
});

describe('Properties: KS and Wasserstein', () => {
  it('KS is in [0, 1] and symmetric; W1 is >= 0 and symmetric', () => {
    fc.assert(
      fc.property(sampleValues, sampleValues, (a, b) => {
        const sa = exactSample(a);
        const sb = exactSample(b);
        const d = ksStatistic(sa, sb);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(ksStatistic(sb, sa)).toBe(d);
        const w = wasserstein1(sa, sb);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(Math.abs(wasserstein1(sb, sa) - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, w));
        expect(ksStatistic(sa, sa)).toBe(0);
        expect(wasserstein1(sa, sa)).toBe(0);
      }),
    );
  });

  it('W1 of a sample and its shift by c is |c|', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: -500, max: 500 }), (a, c) => {
        expect(wasserstein1(exactSample(a), exactSample(a.map((x) => x + c)))).toBeCloseTo(Math.abs(c), 8);
      }),
    );
  });
});

describe('Properties: permutation invariance', () => {
  it('cut points, counts, KS and W1 do not depend on input order', () => {
    fc.assert(
      fc.property(withPermutation, withPermutation, ([ref, refPerm], [cur, curPerm]) => {
        const cuts = quantileCutPoints(exactSample(ref).values);
        expect(quantileCutPoints(exactSample(refPerm).values)).toEqual(cuts);
        expect(binCounts(cuts, curPerm)).toEqual(binCounts(cuts, cur));
        expect(ksStatistic(exactSample(refPerm), exactSample(curPerm))).toBe(ksStatistic(exactSample(ref), exactSample(cur)));
        expect(wasserstein1(exactSample(refPerm), exactSample(curPerm))).toBe(wasserstein1(exactSample(ref), exactSample(cur)));
      }),
    );
  });

  it('bin counts always add up to the number of values', () => {
    fc.assert(
      fc.property(sampleValues, sampleValues, fc.integer({ min: 1, max: 20 }), (ref, cur, bins) => {
        const cuts = quantileCutPoints(exactSample(ref).values, bins);
        expect(cuts.length).toBeLessThanOrEqual(bins - 1);
        for (let i = 1; i < cuts.length; i++) expect(cuts[i]!).toBeGreaterThan(cuts[i - 1]!);
        expect(binCounts(cuts, cur).reduce((x, y) => x + y, 0)).toBe(cur.length);
      }),
    );
  });
});
