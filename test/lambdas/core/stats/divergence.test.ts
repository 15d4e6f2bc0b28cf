import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { jsDistance, klDivergence, proportions, psi, smoothProportions } from '../../../../lambdas/core/stats';

describe('Function: proportions', () => {
  it('divides by the total', () => {
    expect(proportions([1, 3])).toEqual([0.25, 0.75]);
    expect(proportions([0, 2, 0])).toEqual([0, 1, 0]);
  });

  it('throws on a zero total, a negative or a non-finite count (never NaN)', () => {
    expect(() => proportions([0, 0])).toThrow(InputError);
    expect(() => proportions([])).toThrow(InputError);
    expect(() => proportions([1, -1])).toThrow(InputError);
    expect(() => proportions([1, Number.NaN])).toThrow(InputError);
    expect(() => proportions([1, Infinity])).toThrow(InputError);
  });
});

describe('Function: smoothProportions', () => {
  it('floors at eps without renormalising', () => {
    expect(smoothProportions([0, 1])).toEqual([1e-4, 1]);
    expect(smoothProportions([0.001, 0.999], 0.01)).toEqual([0.01, 0.999]);
  });
});

describe('Function: psi', () => {
  it('matches a hand computation', () => {
    // p = [.5, .5], q = [.25, .75]: (.25-.5) ln(.5) + (.75-.5) ln(1.5)
    expect(psi([1, 1], [1, 3])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 15);
  });

  it('is 0 for identical distributions and finite for empty bins', () => {
    expect(psi([5, 10, 0], [1, 2, 0])).toBe(0);
    // p' = [1, 1e-4], q' = [1e-4, 1]
    expect(psi([1, 0], [0, 1])).toBeCloseTo(2 * (1 - 1e-4) * Math.log(1e4), 12);
  });

  it('rejects vectors of different lengths, empty vectors and a zero total', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(InputError);
    expect(() => psi([], [])).toThrow(InputError);
    expect(() => psi([0, 0], [1, 1])).toThrow(InputError);
  });
});

describe('Function: klDivergence', () => {
  it('matches a hand computation, ref || cur', () => {
    expect(klDivergence([1, 1], [1, 3])).toBeCloseTo(0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75), 15);
  });
});

describe('Function: jsDistance', () => {
  it('is 0 for identical and 1 for disjoint distributions (base 2)', () => {
    expect(jsDistance([2, 3], [4, 6])).toBe(0);
    expect(jsDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });

  it('matches a hand computation with a zero proportion', () => {
    // p = [1, 0], q = [.5, .5], m = [.75, .25]
    const kl1 = Math.log(1 / 0.75);
    const kl2 = 0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25);
    expect(jsDistance([1, 0], [1, 1])).toBeCloseTo(Math.sqrt((kl1 + kl2) / 2 / Math.LN2), 15);
    expect(jsDistance([1, 0], [1, 1], Math.E)).toBeCloseTo(Math.sqrt((kl1 + kl2) / 2), 15);
  });

  it('rejects a bad base', () => {
    expect(() => jsDistance([1], [1], 1)).toThrow(InputError);
  });
});
