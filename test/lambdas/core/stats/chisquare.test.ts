import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { categoryCounts, chiSquareIndependence, compareCodePoints, psi, jsDistance } from '../../../../lambdas/core/stats';

describe('Function: chiSquareIndependence', () => {
  it('applies Yates when dof = 1 (hand computation)', () => {
    // expected 15 everywhere; |O - E| = 5 -> 4.5; 4 * 4.5^2 / 15 = 5.4; chi2(1).sf(x) = erfc(sqrt(x/2))
    const r = chiSquareIndependence([10, 20], [20, 10]);
    expect(r.dof).toBe(1);
    expect(r.statistic).toBeCloseTo(5.4, 12);
    expect(r.pValue / 0.02013675155034634).toBeCloseTo(1, 9);
  });

  it('never over-corrects: a difference of 0.5 becomes 0', () => {
    const r = chiSquareIndependence([2, 1], [1, 2]);
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('applies no correction when dof > 1; chi2(2).sf(x) = exp(-x/2)', () => {
    // expected 20 everywhere: (100 + 0 + 100) / 20 * 2 = 20
    const r = chiSquareIndependence([10, 20, 30], [30, 20, 10]);
    expect(r.dof).toBe(2);
    expect(r.statistic).toBeCloseTo(20, 12);
    expect(r.pValue / Math.exp(-10)).toBeCloseTo(1, 9);
  });

  it('drops categories that are empty in both samples', () => {
    expect(chiSquareIndependence([10, 0, 20, 30], [30, 0, 20, 10])).toEqual(chiSquareIndependence([10, 20, 30], [30, 20, 10]));
  });

  it('handles a category unseen in the reference', () => {
    const r = chiSquareIndependence([10, 0], [5, 5]);
    expect(r.dof).toBe(1);
    expect(r.statistic).toBeGreaterThan(0);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1);
  });

  it('returns statistic 0, p 1, dof 0 for a single category', () => {
    expect(chiSquareIndependence([5, 0], [7, 0])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  it('throws when a sample has no counts, on bad counts and on mismatched lengths', () => {
    expect(() => chiSquareIndependence([0, 0], [1, 2])).toThrow(InputError);
    expect(() => chiSquareIndependence([1, -1], [1, 2])).toThrow(InputError);
    expect(() => chiSquareIndependence([1], [1, 2])).toThrow(InputError);
  });
});

describe('Function: categoryCounts', () => {
  it('aligns both samples over the sorted union, zero for unseen categories', () => {
    const r = categoryCounts(['b', 'a', 'b'], ['c', 'a']);
    expect(r).toEqual({ categories: ['a', 'b', 'c'], refCounts: [1, 2, 0], curCounts: [1, 0, 1] });
    // a category unseen in the reference still gives finite statistics
    expect(Number.isFinite(psi(r.refCounts, r.curCounts))).toBe(true);
    expect(jsDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });

  it('orders by code point as Python does', () => {
    const smile = '\u{1F600}';
    const fullwidth = '\uFF01';
    expect(categoryCounts([smile, fullwidth], []).categories).toEqual([fullwidth, smile]);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('B', 'a')).toBeLessThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });
});
