import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, ValueTypeError } from '../../../../vocabulary/errors';
import { addMoment, emptyMoments, mergeMoments, momentsOf, stdPopulation } from '../../../../lambdas/core/stats';

const twoPassStd = (v: number[]): number => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
};

describe('Function: momentsOf / addMoment', () => {
  it('matches a hand computation', () => {
    const m = momentsOf([1, 2, 3, 4]);
    expect(m).toEqual({ count: 4, mean: 2.5, m2: 5, min: 1, max: 4 });
    expect(stdPopulation(m)).toBeCloseTo(Math.sqrt(1.25), 15);
  });

  it('gives std 0 for a constant column and n = 1', () => {
    expect(stdPopulation(momentsOf([7, 7, 7]))).toBe(0);
    expect(stdPopulation(momentsOf([7]))).toBe(0);
  });

  it('throws on no values and on non-finite values', () => {
    expect(() => stdPopulation(emptyMoments())).toThrow(InputError);
    expect(() => addMoment(emptyMoments(), Number.NaN)).toThrow(ValueTypeError);
  });
});

describe('Function: mergeMoments', () => {
  it('merging two parts equals the whole (property)', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 50 }), fc.array(value, { maxLength: 50 }), (a, b) => {
        const merged = mergeMoments(momentsOf(a), momentsOf(b));
        const all = [...a, ...b];
        expect(merged.count).toBe(all.length);
        if (all.length === 0) return;
        expect(merged.min).toBe(Math.min(...all));
        expect(merged.max).toBe(Math.max(...all));
        const scale = Math.max(1, ...all.map(Math.abs));
        expect(Math.abs(merged.mean - all.reduce((x, y) => x + y, 0) / all.length)).toBeLessThan(1e-9 * scale);
        expect(Math.abs(stdPopulation(merged) - twoPassStd(all))).toBeLessThan(1e-7 * scale);
      }),
    );
  });

  it('does not modify its inputs', () => {
    const a = momentsOf([1, 2]);
    const b = momentsOf([3]);
    mergeMoments(a, b);
    expect(a).toEqual(momentsOf([1, 2]));
    expect(b).toEqual(momentsOf([3]));
  });
});
