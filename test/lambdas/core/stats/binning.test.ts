import { describe, expect, it } from 'vitest';
import { InputError, ValueTypeError } from '../../../../vocabulary/errors';
import { binCounts, binIndex, quantile, quantileCutPoints } from '../../../../lambdas/core/stats';

describe('Function: quantile', () => {
  it('interpolates linearly at position (n-1)q like numpy', () => {
    const s = [1, 2, 3, 4];
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(4);
    expect(quantile(s, 0.5)).toBe(2.5);
    expect(quantile(s, 0.25)).toBeCloseTo(1.75, 14);
    expect(quantile(s, 1 / 3)).toBeCloseTo(2, 14);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('rejects an empty sample and q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(InputError);
    expect(() => quantile([1, 2], 1.5)).toThrow(InputError);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(InputError);
  });
});

describe('Function: quantileCutPoints', () => {
  it('collapses tied cut points, giving fewer bins', () => {
    // Prepare: 50 zeros then 1..50; positions 9.9k fall in the zeros for k <= 4.
    const ref = [...new Array<number>(50).fill(0), ...Array.from({ length: 50 }, (_, i) => i + 1)];
    // Act
    const cuts = quantileCutPoints(ref);
    // Assess: k=5 -> between r[49]=0 and r[50]=1 at 0.5; k=6..9 -> 10.4, 20.3, 30.2, 40.1
    expect(cuts).toHaveLength(6);
    [0, 0.5, 10.4, 20.3, 30.2, 40.1].forEach((c, i) => expect(cuts[i]).toBeCloseTo(c, 12));
    expect(binCounts(cuts, ref)).toEqual([0, 50, 10, 10, 10, 10, 10]);
  });

  it('gives one cut point for a constant reference and for n = 1', () => {
    expect(quantileCutPoints([3, 3, 3, 3])).toEqual([3]);
    expect(quantileCutPoints([5])).toEqual([5]);
    expect(binCounts([5], [4, 5, 6])).toEqual([1, 2]);
  });

  it('interpolates nine distinct cut points from n = 2', () => {
    const cuts = quantileCutPoints([1, 3]);
    expect(cuts).toHaveLength(9);
    cuts.forEach((c, i) => expect(c).toBeCloseTo(1 + 0.2 * (i + 1), 12));
  });

  it('honours the bins option; bins = 1 has no cut point', () => {
    expect(quantileCutPoints([0, 1, 2, 3, 4], 4)).toEqual([1, 2, 3]);
    expect(quantileCutPoints([0, 1, 2], 1)).toEqual([]);
    expect(binCounts([], [1, 2, 3])).toEqual([3]);
  });

  it('rejects empty, unsorted or non-finite references and bad bins', () => {
    expect(() => quantileCutPoints([])).toThrow(InputError);
    expect(() => quantileCutPoints([2, 1])).toThrow(/sorted ascending/);
    expect(() => quantileCutPoints([1, Number.NaN])).toThrow(ValueTypeError);
    expect(() => quantileCutPoints([1, 2], 0)).toThrow(InputError);
    expect(() => quantileCutPoints([1, 2], 2.5)).toThrow(InputError);
  });
});

describe('Function: binIndex', () => {
  it('counts cut points <= x (left-closed bins, open outer ends)', () => {
    const cuts = [1, 2, 3];
    expect(binIndex(cuts, -1e300)).toBe(0);
    expect(binIndex(cuts, 0.999)).toBe(0);
    expect(binIndex(cuts, 1)).toBe(1);
    expect(binIndex(cuts, 2.5)).toBe(2);
    expect(binIndex(cuts, 3)).toBe(3);
    expect(binIndex(cuts, 1e300)).toBe(3);
    expect(binIndex([], 42)).toBe(0);
  });
});

describe('Function: binCounts', () => {
  it('puts values outside the reference range in the outer bins and leaves empty bins at 0', () => {
    const cuts = [0, 10];
    expect(binCounts(cuts, [-100, -5, 100, 1e9])).toEqual([2, 0, 2]);
  });

  it('accepts arrays, typed arrays and other iterables alike', () => {
    const cuts = [0, 1];
    const values = [-1, 0, 0.5, 1, 2];
    const expected = [1, 2, 2];
    expect(binCounts(cuts, values)).toEqual(expected);
    expect(binCounts(cuts, Float64Array.from(values))).toEqual(expected);
    expect(binCounts(cuts, new Set(values))).toEqual(expected);
  });

  it('rejects non-finite values, naming the index', () => {
    expect(() => binCounts([0], [1, Number.NaN])).toThrow(/index 1/);
    expect(() => binCounts([0], new Set([Infinity]))).toThrow(ValueTypeError);
  });
});
