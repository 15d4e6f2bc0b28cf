import { describe, expect, it } from 'vitest';
import { judgeStage } from '../../../../lambdas/core/canary/policy';

const LIMITS = { maxErrorRate: 0.05, maxLatencyP95Ms: 200, maxLatencyP99Ms: 500 };
const POLICY = { minRequests: 100, alpha: 0.05 };
const reading = (invocations: number, errors5xx: number, latencyP95Us?: number) => ({ invocations, errors5xx, ...(latencyP95Us ? { latencyP95Us } : {}) });

describe('Function: judgeStage', () => {
  it('is inconclusive with fewer than minRequests candidate requests, even when error-free', () => {
    // Act
    const j = judgeStage(reading(99, 0), reading(5000, 0), LIMITS, POLICY);

    // Assess
    expect(j).toMatchObject({ verdict: 'inconclusive', rule: 'minRequests', breached: false });
    expect(j.reason).toContain('99 of 100');
  });

  it('fails below minRequests when the errors seen breach the limit whatever the rest answer', () => {
    // 6 errors > 0.05 × 100: even 100 requests with no further error give 6 %
    expect(judgeStage(reading(20, 6), reading(5000, 0), LIMITS, POLICY)).toMatchObject({ verdict: 'fail', rule: 'absoluteLimits', breached: true });
    // 5 errors: 100 requests could still end at exactly 5 %, which passes
    expect(judgeStage(reading(20, 5), reading(5000, 0), LIMITS, POLICY).verdict).toBe('inconclusive');
  });

  it('fails on an absolute limit before any comparison', () => {
    // p95 250 ms (250,000 µs) > 200 ms
    const j = judgeStage(reading(200, 0, 250_000), reading(5000, 0), LIMITS, POLICY);
    expect(j).toMatchObject({ verdict: 'fail', rule: 'absoluteLimits' });
    expect(j.reason).toContain('p95 ModelLatency 250 ms');
  });

  it('passes with no error on either side', () => {
    expect(judgeStage(reading(100, 0), reading(1900, 0), LIMITS, POLICY)).toMatchObject({ verdict: 'pass', rule: 'noErrors' });
  });

  it("fails by Fisher's exact test when few errors are expected: 4 of 100 against none of 1,000", () => {
    // P = C(100,4)/C(1100,4) ≈ 6.6e-5 < 0.05 (4 % is under the 5 % absolute limit)
    const j = judgeStage(reading(100, 4), reading(1000, 0), LIMITS, POLICY);
    expect(j).toMatchObject({ verdict: 'fail', rule: 'fisher', breached: true });
    expect(j.pValue).toBeCloseTo((100 * 99 * 98 * 97) / (1100 * 1099 * 1098 * 1097), 12);
    expect(j.reason).toContain("Fisher's exact test");
  });

  it('passes the z-test when the difference is not significant, fails it when it is', () => {
    // 30 of 1000 against 20 of 1000: p ≈ 0.076 >= 0.05
    expect(judgeStage(reading(1000, 30), reading(1000, 20), LIMITS, POLICY)).toMatchObject({ verdict: 'pass', rule: 'zTest' });
    // 45 of 1000 against 20 of 1000: z = 0.025 / sqrt(0.0325 · 0.9675 · 0.002) ≈ 3.17, p ≈ 0.0008
    const j = judgeStage(reading(1000, 45), reading(1000, 20), LIMITS, POLICY);
    expect(j).toMatchObject({ verdict: 'fail', rule: 'zTest' });
    expect(j.pValue!).toBeLessThan(0.001);
  });

  it('judges on the absolute limits alone when production had no request (the 100 % stage)', () => {
    const j = judgeStage(reading(500, 3), reading(0, 0), LIMITS, POLICY);
    expect(j).toMatchObject({ verdict: 'pass', rule: 'noProductionTraffic' });
    expect(j.notes.join(' ')).toContain('production received no invocation');
  });
});
