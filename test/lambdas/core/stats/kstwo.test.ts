import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { kolmogorovSmirnovSurvival } from '../../../../lambdas/core/stats';
import { expectRelative, loadKsFixture } from './ks-reference';

describe('Function: kolmogorovSmirnovSurvival', () => {
  it.each(loadKsFixture().kstwo_sf.map((c) => [c.n, c.x, c.sf] as const))('reproduces scipy kstwo.sf for n=%d, x=%d', (n, x, sf) => {
    // Act / Assess
    expectRelative(kolmogorovSmirnovSurvival(n, x), sf);
  });

  it('is 1 at or below 1/(2n), 0 at or above 1, and follows the closed form for n = 1', () => {
    // Act / Assess
    expect(kolmogorovSmirnovSurvival(10, 0.05)).toBe(1);
    expect(kolmogorovSmirnovSurvival(10, 0)).toBe(1);
    expect(kolmogorovSmirnovSurvival(10, 1)).toBe(0);
    // n = 1: D = max(U, 1 - U) for U uniform, P(D >= x) = 2 (1 - x) for x in [1/2, 1]
    expect(kolmogorovSmirnovSurvival(1, 0.7)).toBeCloseTo(0.6, 14);
  });

  it('never increases in x', () => {
    for (const n of [3, 60, 141, 2_000, 150_000]) {
      let last = 1;
      for (let x = 0; x <= 1; x += 0.0025) {
        const p = kolmogorovSmirnovSurvival(n, x);
        expect(p).toBeLessThanOrEqual(last + 1e-9);
        last = p;
      }
    }
  });

  it('rejects a sample size that is not a positive integer and a NaN distance', () => {
    // Act / Assess
    expect(() => kolmogorovSmirnovSurvival(0, 0.1)).toThrow(InputError);
    expect(() => kolmogorovSmirnovSurvival(2.5, 0.1)).toThrow(InputError);
    expect(() => kolmogorovSmirnovSurvival(10, Number.NaN)).toThrow(InputError);
  });
});
