/**
 * Regression metrics on hand-computed cases and edge cases.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, FLOAT64_EPS, r2Score } from '../../../../lambdas/core/metrics';

const f = (...xs: number[]): Float64Array => Float64Array.from(xs);

describe('Function: evaluate (regression, hand-computed)', () => {
  it('computes MAE, MSE, RMSE, R2 and MAPE', () => {
    // errors y - yhat: -1, 0, 1, -2
    const m = evaluate('regression', f(1, 2, 3, 4), [f(2, 2, 2, 6)]);
    expect(m.mae).toBe(1); // (1 + 0 + 1 + 2) / 4
    expect(m.mse).toBe(1.5); // (1 + 0 + 1 + 4) / 4
    expect(m.rmse).toBeCloseTo(Math.sqrt(1.5), 15);
    // SS_res 6, mean 2.5, SS_tot 2.25 + .25 + .25 + 2.25 = 5 -> 1 - 6/5
    expect(m.r2).toBeCloseTo(-0.2, 15);
    // (1/1 + 0/2 + 1/3 + 2/4) / 4 = 11/24, a fraction, not a percentage
    expect(m.mape).toBeCloseTo(11 / 24, 15);
  });

  it('uses max(|y|, eps) as the MAPE denominator when y is 0', () => {
    // |0 - eps| / eps = 1 and |2 - 3| / 2 = 0.5 -> 0.75
    expect(evaluate('regression', f(0, 2), [f(FLOAT64_EPS, 3)]).mape).toBe(0.75);
  });
});

describe('Function: r2Score (force_finite)', () => {
  it('is 1 for a constant y predicted perfectly and 0 otherwise', () => {
    expect(r2Score(f(3, 3, 3), f(3, 3, 3))).toBe(1);
    expect(r2Score(f(3, 3, 3), f(3, 3, 4))).toBe(0);
  });

  it('treats a constant y whose float mean is inexact as constant', () => {
    // The mean of three 0.1 is 0.10000000000000002 in float64, so SS_tot computed from
    // it is ~6e-34, not 0; R2 must still follow the force_finite rule.
    expect(r2Score(f(0.1, 0.1, 0.1), f(0.1, 0.1, 0.2))).toBe(0);
    expect(r2Score(f(0.1, 0.1, 0.1), f(0.1, 0.1, 0.1))).toBe(1);
  });

  it('is 1 for a perfect fit and NaN for a single row', () => {
    expect(r2Score(f(1, 5, 2), f(1, 5, 2))).toBe(1);
    expect(r2Score(f(1), f(2))).toBeNaN();
  });
});
