import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { smirnovSurvival } from '../../../../lambdas/core/stats';
import { expectRelative, loadKsFixture } from './ks-reference';

describe('Function: smirnovSurvival', () => {
  it.each(loadKsFixture().smirnov_sf.map((c) => [c.n, c.x, c.sf] as const))('reproduces scipy special.smirnov for n=%d, x=%d', (n, x, sf) => {
    // Act / Assess
    expectRelative(smirnovSurvival(n, x), sf);
  });

  it('matches the one-sided tail computed by brute force for n = 2', () => {
    // Prepare: D+ = max(1/2 - U(1), 1 - U(2)) for two uniforms; P(D+ >= x) by a fine grid
    const x = 0.3;
    const steps = 2000;
    let hits = 0;
    for (let i = 0; i < steps; i++) {
      for (let j = 0; j < steps; j++) {
        const u = (i + 0.5) / steps;
        const v = (j + 0.5) / steps;
        const lo = Math.min(u, v);
        const hi = Math.max(u, v);
        if (Math.max(0.5 - lo, 1 - hi) >= x) hits++;
      }
    }
    // Act / Assess
    expect(smirnovSurvival(2, x)).toBeCloseTo(hits / (steps * steps), 3);
  });

  it('handles the ends: 1 at 0, 0 at 1, 1 - x for one value', () => {
    // Act / Assess
    expect(smirnovSurvival(10, 0)).toBe(1);
    expect(smirnovSurvival(10, 1)).toBe(0);
    expect(smirnovSurvival(1, 0.25)).toBe(0.75);
  });

  it('rejects bad arguments', () => {
    // Act / Assess
    expect(() => smirnovSurvival(0, 0.2)).toThrow(InputError);
    expect(() => smirnovSurvival(5, 1.2)).toThrow(InputError);
    expect(() => smirnovSurvival(5, Number.NaN)).toThrow(InputError);
  });
});
