import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { applyIsotonic, fitIsotonic } from '../../../../lambdas/core/estimate';
import { expectNear, loadEstimateFixture } from './fixture';

const cases = loadEstimateFixture().isotonic;

describe('Function: fitIsotonic / applyIsotonic', () => {
  it.each(cases.map((c, i) => [i, c] as const))('reproduces scikit-learn IsotonicRegression(out_of_bounds="clip"), case %d', (_i, c) => {
    // Act
    const fit = fitIsotonic(c.x, c.y);
    const predicted = applyIsotonic(fit, c.predict_at);
    // Assess
    expect([...fit.x]).toEqual(c.x_thresholds);
    fit.y.forEach((v, i) => expectNear(v, c.y_thresholds[i]!));
    predicted.forEach((v, i) => expectNear(v, c.predictions[i]!));
  });

  it('is non-decreasing, within [min label, max label], and clipped outside the fitted range', () => {
    // Prepare
    const x = Array.from({ length: 200 }, (_, i) => ((i * 73) % 200) / 200);
    const y = x.map((v, i) => ((i * 31) % 7 < v * 7 ? 1 : 0));
    // Act
    const fit = fitIsotonic(x, y);
    const grid = Array.from({ length: 101 }, (_, i) => -0.5 + (2 * i) / 100);
    const out = applyIsotonic(fit, grid);
    // Assess
    for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]!);
    for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
    expect(out[0]).toBe(applyIsotonic(fit, [fit.x[0]!])[0]);
    expect(out.at(-1)).toBe(applyIsotonic(fit, [fit.x.at(-1)!])[0]);
  });

  it('rejects mismatched, empty or non-finite input', () => {
    expect(() => fitIsotonic([0.1, 0.2], [1])).toThrow(InputError);
    expect(() => fitIsotonic([], [])).toThrow(InputError);
    expect(() => fitIsotonic([0.1, Number.NaN], [0, 1])).toThrow(/index 1/);
  });
});
