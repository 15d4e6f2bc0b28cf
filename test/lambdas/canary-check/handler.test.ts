import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CanaryCheckOutput } from '../../../vocabulary/contracts';
import { combineDatapoints, errorRate, judgeCanary } from '../../../lambdas/core/canary/policy';
import { handler } from '../../../lambdas/canary-check/handler';
import { RUN } from '../helpers';

const cw = mockClient(CloudWatchClient);
afterEach(() => {
  cw.reset();
  vi.useRealTimers();
});

const EVENT = {
  ...RUN,
  endpointName: 'churn-ep',
  variants: { production: 'production', candidate: 'candidate' },
  stage: { index: 0, percent: 5, bakeMinutes: 10, startedAt: new Date(Date.now() - 20 * 60_000).toISOString(), extensions: 0 },
  limits: { maxErrorRate: 0.01, maxLatencyP95Ms: 500, maxLatencyP99Ms: 1000 },
  evidence: { minRequests: 100, alpha: 0.05, metricLagMinutes: 3 },
};

/** Answers GetMetricData with the given values per query id (others empty). */
function metrics(values: Record<string, number[]>): void {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({ Id: q.Id, Values: values[q.Id!] ?? [], StatusCode: 'Complete' })),
  }));
}

describe('Function: canaryCheck handler', () => {
  it('breaches on a 5XX rate above the limit', async () => {
    metrics({ candidate_invocations: [1000], candidate_errors5xx: [20], production_invocations: [19000], production_errors5xx: [0] });
    const out = await handler(EVENT);
    expect(CanaryCheckOutput.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ breached: true, verdict: 'fail', rule: 'absoluteLimits' });
    expect(out.reason).toMatch(/^5XX error rate 0.02 \(20 of 1000\) is above 0.01$/);
    expect(out.metrics.candidate).toMatchObject({ errorRate: 0.02, invocations: 1000 });
    expect(out.metrics.production).toMatchObject({ errorRate: 0, invocations: 19000 });
  });

  it('does not breach on a 5XX rate below the limit, and converts latency from microseconds', async () => {
    metrics({
      candidate_invocations: [600, 400],
      candidate_errors5xx: [3, 2],
      candidate_latencyp95: [120_000],
      candidate_latencyp99: [250_000],
    });
    const out = await handler(EVENT);
    expect(out.breached).toBe(false);
    expect(out.reason).toBeUndefined();
    expect(out.metrics.candidate).toMatchObject({ invocations: 1000, errorRate: 0.005, latencyP95Ms: 120, latencyP99Ms: 250 });
  });

  it('breaches on p99 latency over the limit', async () => {
    metrics({ candidate_invocations: [100], candidate_errors5xx: [0], candidate_latencyp99: [1_500_000] });
    const out = await handler(EVENT);
    expect(out).toMatchObject({ breached: true, reason: 'p99 ModelLatency 1500 ms is above 1000 ms' });
  });

  it('is inconclusive, not a pass, with too few candidate requests', async () => {
    metrics({ candidate_invocations: [40], production_invocations: [900] });
    const out = await handler({ ...EVENT, stage: { ...EVENT.stage, extensions: 2 } });
    expect(CanaryCheckOutput.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ verdict: 'inconclusive', rule: 'minRequests', breached: false, extensions: 2 });
    expect(out.reason).toBe('too few candidate requests: 40 of 100');
  });

  it("fails a candidate whose error rate is significantly worse than production's over the same minutes", async () => {
    // 4 of 100 (under the 5 % absolute limit) against none of 1,000: Fisher p = C(100,4)/C(1100,4)
    metrics({ candidate_invocations: [100], candidate_errors5xx: [4], production_invocations: [1000], production_errors5xx: [0] });
    const out = await handler({ ...EVENT, limits: { ...EVENT.limits, maxErrorRate: 0.05 } });
    expect(out).toMatchObject({ verdict: 'fail', rule: 'fisher', breached: true });
    expect(out.pValue).toBeCloseTo((100 * 99 * 98 * 97) / (1100 * 1099 * 1098 * 1097), 12);
  });

  it('passes with no error on either side', async () => {
    metrics({ candidate_invocations: [150], production_invocations: [2850] });
    expect(await handler(EVENT)).toMatchObject({ verdict: 'pass', rule: 'noErrors', breached: false });
  });

  it("reads the stage's own window: from its weight change rounded up, to the metric lag before now rounded down", async () => {
    // Prepare: now 12:30:20; the weights were in service at 12:10:30; lag 3 minutes
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:30:20Z'));
    metrics({});

    // Act
    const out = await handler({ ...EVENT, stage: { ...EVENT.stage, startedAt: '2026-03-01T12:10:30Z' } });

    // Assess: 12:11 to 12:27, one period of 16 minutes
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime!.toISOString()).toBe('2026-03-01T12:11:00.000Z');
    expect(input.EndTime!.toISOString()).toBe('2026-03-01T12:27:00.000Z');
    const q = input.MetricDataQueries!.find((x) => x.Id === 'candidate_latencyp99')!;
    expect(q.MetricStat).toMatchObject({ Stat: 'p99', Period: 16 * 60 });
    expect(q.MetricStat!.Metric).toEqual({
      Namespace: 'AWS/SageMaker',
      MetricName: 'ModelLatency',
      Dimensions: [
        { Name: 'EndpointName', Value: 'churn-ep' },
        { Name: 'VariantName', Value: 'candidate' },
      ],
    });
    expect(out.window).toEqual({ start: '2026-03-01T12:11:00.000Z', end: '2026-03-01T12:27:00.000Z' });
  });

  it('reads nothing and is inconclusive while the window holds no whole minute', async () => {
    // Prepare: weights in service 2 minutes ago, lag 3 minutes
    metrics({ candidate_invocations: [1000] });

    // Act
    const out = await handler({ ...EVENT, stage: { ...EVENT.stage, startedAt: new Date(Date.now() - 2 * 60_000).toISOString() } });

    // Assess
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(out).toMatchObject({ verdict: 'inconclusive', rule: 'minRequests' });
  });

  it('takes the stage start as epoch milliseconds too', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:30:20Z'));
    metrics({});
    const out = await handler({ ...EVENT, stage: { ...EVENT.stage, startedAt: Date.parse('2026-03-01T12:10:30Z') } });
    expect(out.window.start).toBe('2026-03-01T12:11:00.000Z');
  });

  it('rejects a stage start that is not a time', async () => {
    await expect(handler({ ...EVENT, stage: { ...EVENT.stage, startedAt: 'yesterday' } })).rejects.toThrow(/stage.startedAt/);
  });

  it('breaches on the custom metric per its comparison', async () => {
    metrics({ candidate_invocations: [100], candidate_errors5xx: [0], custom: [0.04, 0.02] });
    const customMetric = { namespace: 'Shop', metricName: 'Conversion', dimensions: { Variant: 'candidate' }, statistic: 'Average', threshold: 0.03, comparison: 'LessThanThreshold' };
    const out = await handler({ ...EVENT, limits: { ...EVENT.limits, customMetric } });
    // lower breaches: the worst datapoint (0.02) counts
    expect(out).toMatchObject({ breached: true, reason: 'Conversion 0.02 is LessThan 0.03' });
    expect(out.metrics.candidate.custom).toBe(0.02);
  });

  it('rejects an unknown comparison', async () => {
    const customMetric = { namespace: 'S', metricName: 'M', dimensions: {}, statistic: 'Sum', threshold: 1, comparison: 'Above' };
    await expect(handler({ ...EVENT, limits: { ...EVENT.limits, customMetric } })).rejects.toThrow(/comparison: expected one of/);
  });
});

describe('Function: judgeCanary', () => {
  const limits = { maxErrorRate: 0.01, maxLatencyP95Ms: 500, maxLatencyP99Ms: 1000 };
  it('treats a rate exactly at the limit as healthy', () => {
    expect(judgeCanary({ invocations: 100, errors5xx: 1 }, limits).breached).toBe(false);
    expect(judgeCanary({ invocations: 100, errors5xx: 2 }, limits).breached).toBe(true);
  });
  it('has no error rate without invocations', () => {
    expect(errorRate(0, 0)).toBeUndefined();
    expect(errorRate(0, 3)).toBeUndefined();
  });
  it('combines datapoints: sums add up, percentiles take the worst', () => {
    expect(combineDatapoints([1, 2, 3], 'Sum')).toBe(6);
    expect(combineDatapoints([1, 5, 3], 'p99')).toBe(5);
    expect(combineDatapoints([1, 5, 3], 'Average', true)).toBe(1);
    expect(combineDatapoints([], 'Sum')).toBeUndefined();
  });
});
