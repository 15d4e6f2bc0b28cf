import { describe, expect, it } from 'vitest';
import { compareErrorRates, fisherGreater, twoProportionZ } from '../../../../lambdas/core/canary/error-rate-test';
import { InputError } from '../../../../vocabulary/errors';

/** C(n, k) exactly, for the small tables below. */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

describe('Function: fisherGreater', () => {
  it("gives Fisher's tea-tasting p-value: 3 of 4 against 1 of 4 is 17/70", () => {
    // Prepare: [[3, 1], [1, 3]]; P(X >= 3) = (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = 17/70
    // (scipy.stats.fisher_exact([[3, 1], [1, 3]], alternative='greater') -> 0.2428571...)
    const expected = 17 / 70;

    // Act
    const p = fisherGreater({ errors: 3, requests: 4 }, { errors: 1, requests: 4 });

    // Assess
    expect(p).toBeCloseTo(expected, 12);
  });

  it('sums the hypergeometric upper tail: 6 of 8 against 1 of 5', () => {
    // Prepare: N = 13, K = 7, n1 = 8: P(X >= 6) = (C(7,6)·C(6,2) + C(7,7)·C(6,1)) / C(13,8)
    const expected = (choose(7, 6) * choose(6, 2) + choose(7, 7) * choose(6, 1)) / choose(13, 8);
    expect(expected).toBeCloseTo(111 / 1287, 12);

    // Act / Assess
    expect(fisherGreater({ errors: 6, requests: 8 }, { errors: 1, requests: 5 })).toBeCloseTo(expected, 12);
  });

  it('is 1 when the candidate has no error, and tiny when every error is the candidate\'s', () => {
    expect(fisherGreater({ errors: 0, requests: 100 }, { errors: 3, requests: 1000 })).toBeCloseTo(1, 12);
    // all 4 errors among the 100 candidate requests of 1,100: C(100,4) / C(1100,4)
    const expected = (100 * 99 * 98 * 97) / (1100 * 1099 * 1098 * 1097);
    expect(fisherGreater({ errors: 4, requests: 100 }, { errors: 0, requests: 1000 })).toBeCloseTo(expected, 14);
  });
});

describe('Function: twoProportionZ', () => {
  it('computes the pooled z and its upper-tail probability (30 of 1000 against 20 of 1000)', () => {
    // Prepare: pooled 0.025, se = sqrt(0.025 · 0.975 · 2/1000), z = 0.01 / se = 1.43222;
    // normal table: Φ(1.43) = 0.92364, Φ(1.44) = 0.92507 -> P(Z >= 1.43222) ≈ 0.07604
    const z = 0.01 / Math.sqrt(0.025 * 0.975 * 0.002);

    // Act
    const result = twoProportionZ({ errors: 30, requests: 1000 }, { errors: 20, requests: 1000 });

    // Assess
    expect(result.z).toBeCloseTo(z, 10);
    expect(z).toBeCloseTo(1.43222, 4);
    expect(result.pValue).toBeCloseTo(0.07604, 4);
  });

  it('gives 0.5 at equal rates and the textbook 0.025 at z = 1.96', () => {
    expect(twoProportionZ({ errors: 10, requests: 500 }, { errors: 40, requests: 2000 }).pValue).toBeCloseTo(0.5, 12);
    // 1 - Φ(1.96) = 0.0249979 (standard normal table)
    const p = twoProportionZ({ errors: 60, requests: 1000 }, { errors: 40, requests: 1000 });
    expect(p.pValue).toBeCloseTo(1 - 0.5 * (1 + erfApprox(p.z / Math.SQRT2)), 6);
  });
});

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): an erf independent of the one under test. */
function erfApprox(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
}

describe('Function: compareErrorRates', () => {
  it('passes with no error on either side', () => {
    expect(compareErrorRates({ errors: 0, requests: 100 }, { errors: 0, requests: 2000 })).toMatchObject({ test: 'noErrors', pValue: 1 });
  });

  it("uses Fisher's exact test when fewer than 5 errors are expected on a side, the z-test otherwise", () => {
    // 2 + 10 errors in 1,000 requests: the candidate's 50 requests expect 0.6 errors
    const small = compareErrorRates({ errors: 2, requests: 50 }, { errors: 10, requests: 950 });
    expect(small.test).toBe('fisher');
    expect(small.pValue).toBeCloseTo(fisherGreater({ errors: 2, requests: 50 }, { errors: 10, requests: 950 }), 14);
    // 30 + 20 errors in 2,000: 25 expected on each side
    const large = compareErrorRates({ errors: 30, requests: 1000 }, { errors: 20, requests: 1000 });
    expect(large).toMatchObject({ test: 'zTest', minExpectedErrors: 25 });
  });

  it('refuses counts that cannot be', () => {
    expect(() => compareErrorRates({ errors: 5, requests: 4 }, { errors: 0, requests: 10 })).toThrow(InputError);
    expect(() => compareErrorRates({ errors: 0, requests: 0 }, { errors: 0, requests: 10 })).toThrow(/candidate/);
    expect(() => compareErrorRates({ errors: 0, requests: 10 }, { errors: 1.5, requests: 10 })).toThrow(/production/);
  });
});
