import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { exactSample, kolmogorovPValue, ksPValue, ksStatistic } from '../../../../lambdas/core/stats';
import { loadReference } from './helpers';
import { expectRelative, generate, loadKsFixture } from './ks-reference';

const fixture = loadKsFixture();

describe('Function: ksPValue', () => {
  it.each(fixture.two_sample.map((c) => [c.name, c] as const))('reproduces scipy ks_2samp (%s) for every method', (_name, c) => {
    // Prepare
    const a = generate(c.reference);
    const b = generate(c.current);
    // Act
    const d = ksStatistic(exactSample(a), exactSample(b));
    // Assess
    expect(Math.abs(d - c.ks_statistic)).toBeLessThan(1e-12);
    expectRelative(ksPValue(d, a.length, b.length), c.ks_pvalue_auto);
    expectRelative(ksPValue(d, a.length, b.length, 'exact'), c.ks_pvalue_exact);
    expectRelative(ksPValue(d, a.length, b.length, 'asymp'), c.ks_pvalue_asymp);
    expectRelative(kolmogorovPValue(d, a.length, b.length), c.ks_pvalue_kolmogorov_limit);
  });

  it.each(['01_numeric_no_drift.json', '02_numeric_mean_and_scale_shift.json'])('reproduces the reference-metrics p-values of %s', (file) => {
    // Prepare
    const { inputs, expected } = loadReference(file);
    const n = inputs.reference.length;
    const m = inputs.current.length;
    // Act
    const d = ksStatistic(exactSample(inputs.reference), exactSample(inputs.current));
    // Assess
    expectRelative(ksPValue(d, n, m), expected.ks_pvalue_auto);
    expectRelative(ksPValue(d, n, m, 'exact'), expected.ks_pvalue_exact);
    expectRelative(ksPValue(d, n, m, 'asymp'), expected.ks_pvalue_asymp);
    expectRelative(kolmogorovPValue(d, n, m), expected.ks_pvalue_kolmogorov_limit);
  });

  it('uses the exact distribution up to 10,000 values per side and kstwo beyond', () => {
    // Prepare
    const d = 0.03;
    // Act / Assess
    expect(ksPValue(d, 10_000, 3_000)).toBe(ksPValue(d, 10_000, 3_000, 'exact'));
    expect(ksPValue(d, 10_001, 3_000)).toBe(ksPValue(d, 10_001, 3_000, 'asymp'));
    expect(ksPValue(d, 10_001, 3_000)).not.toBe(ksPValue(d, 10_001, 3_000, 'exact'));
  });

  it('is 1 at distance 0, in [0, 1], and never increases with the distance', () => {
    // Prepare
    const sizes: [number, number][] = [[7, 5], [40, 40], [300, 200], [12_000, 3_000]];
    for (const [n, m] of sizes) {
      let last = 1;
      // Act
      for (let d = 0; d <= 1.0000001; d += 0.01) {
        const p = ksPValue(Math.min(d, 1), n, m);
        // Assess
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(last + 1e-12);
        last = p;
      }
      expect(ksPValue(0, n, m)).toBe(1);
    }
  });

  it('takes well under a second for 10,000 against 10,000 and 10,000 against 9,999 values', () => {
    // Prepare
    const c = fixture.two_sample.find((x) => x.reference.n === 10_000 && x.current.n === 9_999)!;
    const a = exactSample(generate(c.reference));
    const b = exactSample(generate(c.current));
    const equal = exactSample(generate({ ...c.current, n: 10_000 }));
    // Act
    const t0 = performance.now();
    const p1 = ksPValue(ksStatistic(a, b), 10_000, 9_999);
    const p2 = ksPValue(ksStatistic(a, equal), 10_000, 10_000);
    const elapsed = performance.now() - t0;
    // Assess
    expectRelative(p1, c.ks_pvalue_auto);
    expect(p2).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(1000);
  });

  it('rejects distances outside [0, 1] and sizes that are not positive integers', () => {
    // Act / Assess
    expect(() => ksPValue(1.5, 10, 10)).toThrow(InputError);
    expect(() => ksPValue(Number.NaN, 10, 10)).toThrow(InputError);
    expect(() => ksPValue(0.5, 0, 10)).toThrow(InputError);
    expect(() => ksPValue(0.5, 10.5, 10)).toThrow(InputError);
  });
});
