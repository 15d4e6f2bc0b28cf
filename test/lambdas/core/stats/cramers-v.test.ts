import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { cramersV } from '../../../../lambdas/core/stats';

describe("Function: cramersV", () => {
  it('computes V from a hand-built table', () => {
    // Prepare: reference [30, 10, 0, 10], current [10, 30, 0, 10]; the empty column is dropped.
    // N = 100, row totals 50 / 50, column totals 40, 40, 10: expected 20, 20, 5 in each row.
    // chi2 = 4 x (10^2 / 20) + 0 + 0 = 20; min(r, c) - 1 = min(2, 3) - 1 = 1.
    const expected = Math.sqrt(20 / (100 * 1));
    // Act / Assess
    expect(cramersV([30, 10, 0, 10], [10, 30, 0, 10])).toBeCloseTo(expected, 14);
  });

  it('uses no continuity correction on a 2 x 2 table', () => {
    // Prepare: [40, 10] vs [20, 30]: N = 100, column totals 60 / 40, expected 30 / 20 per row.
    // chi2 = (10^2/30 + 10^2/20) x 2 = 16.666...
    const chi2 = 2 * (100 / 30 + 100 / 20);
    // Act / Assess
    expect(cramersV([40, 10], [20, 30])).toBeCloseTo(Math.sqrt(chi2 / 100), 14);
  });

  it('is 0 for equal proportions and for a single category, 1 for disjoint samples', () => {
    expect(cramersV([10, 20, 30], [20, 40, 60])).toBeCloseTo(0, 15);
    expect(cramersV([5, 0], [7, 0])).toBe(0);
    expect(cramersV([5, 0, 3], [0, 9, 0])).toBeCloseTo(1, 14);
  });

  it('does not grow with the sample size when the proportions stay the same', () => {
    expect(cramersV([300, 100, 100], [100, 300, 100])).toBeCloseTo(cramersV([3, 1, 1], [1, 3, 1]), 14);
  });

  it('rejects mismatched or invalid counts', () => {
    expect(() => cramersV([1, 2], [1])).toThrow(InputError);
    expect(() => cramersV([1, -2], [1, 1])).toThrow(InputError);
    expect(() => cramersV([0, 0], [1, 1])).toThrow(InputError);
  });
});
