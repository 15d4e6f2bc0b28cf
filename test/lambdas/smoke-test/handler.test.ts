import { S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmokeTestOutput } from '../../../vocabulary/contracts';
import { judgeSmokeTest, nearestRankPercentile, predictionProblem } from '../../../lambdas/core/canary/smoke-test';
import { mapBounded } from '../../../lambdas/smoke-test/handler';
import { handler } from '../../../lambdas/smoke-test/handler';
import { BINARY_SETTINGS, FakeS3, RUN, saveEnv, useSettings } from '../helpers';

const s3Mock = mockClient(S3Client);
const sm = mockClient(SageMakerRuntimeClient);
let restore: () => void;
beforeEach(() => {
  restore = saveEnv();
  useSettings(BINARY_SETTINGS);
  new FakeS3(s3Mock).put({ 's3://data/holdout/h.csv': 'x,label,y\n1,0,"a,b"\n2,1,c\n' });
});
afterEach(() => {
  s3Mock.reset();
  sm.reset();
  restore();
});

const EVENT = { ...RUN, endpointName: 'churn-ep', targetVariant: 'candidate', holdoutUri: 's3://data/holdout/', label: 'label', requests: 5, p99Ms: 1000 };
const answer = (text: string) => ({ Body: new TextEncoder().encode(text) as never });

describe('Function: smokeTest handler', () => {
  it('passes when every answer is a probability, sending label-free CSV rows to the target variant', async () => {
    sm.on(InvokeEndpointCommand).resolves(answer('0.42\n'));
    const out = await handler(EVENT);
    expect(SmokeTestOutput.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ passed: true, requests: 5, failures: 0 });
    const calls = sm.commandCalls(InvokeEndpointCommand);
    expect(calls).toHaveLength(5);
    expect(calls.every((c) => c.args[0].input.TargetVariant === 'candidate' && c.args[0].input.EndpointName === 'churn-ep')).toBe(true);
    const bodies = calls.map((c) => new TextDecoder().decode(c.args[0].input.Body as Uint8Array));
    // two holdout rows, cycled; the label column dropped, the comma field quoted
    expect(bodies).toEqual(['1,"a,b"', '2,c', '1,"a,b"', '2,c', '1,"a,b"']);
  });

  it('fails on an invalid prediction and counts it', async () => {
    sm.on(InvokeEndpointCommand).resolves(answer('0.3')).on(InvokeEndpointCommand, { Body: new TextEncoder().encode('2,c') }).resolves(answer('1.7'));
    const out = await handler({ ...EVENT, requests: 2 });
    expect(SmokeTestOutput.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ passed: false, requests: 2, failures: 1 });
    expect(out.reason).toMatch(/1 of 2 requests failed, first: answer "1.7" is outside \[0, 1\]/);
  });

  it('counts an endpoint error as a failure instead of throwing', async () => {
    sm.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Received server error (500)'), { name: 'ModelError' }));
    const out = await handler({ ...EVENT, requests: 3 });
    expect(out).toMatchObject({ passed: false, failures: 3 });
    expect(out.reason).toContain('ModelError: Received server error (500)');
  });

  it('fails when the p99 latency is over the limit', async () => {
    sm.on(InvokeEndpointCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return answer('0.5');
    });
    const out = await handler({ ...EVENT, requests: 4, p99Ms: 5 });
    expect(out.passed).toBe(false);
    expect(out.failures).toBe(0);
    expect(out.p99Ms).toBeGreaterThanOrEqual(25);
    expect(out.reason).toMatch(/p99 latency .* ms is over the limit 5 ms/);
  });

  it('rejects an event without requests', async () => {
    const { requests: _, ...bad } = EVENT;
    await expect(handler(bad)).rejects.toThrow(/^invalid smokeTest event: requests: /);
  });
});

describe('Function: predictionProblem', () => {
  it.each([
    ['0.5', 'binary', undefined],
    ['[0.2, 0.8]', 'binary', undefined],
    ['1.5', 'binary', 'answer "1.5" is outside [0, 1]'],
    ['yes', 'binary', 'answer "yes" is not a number'],
    ['', 'regression', 'answer "" is not a number'],
    ['-12.5', 'regression', undefined],
    ['2', 'multiclass', undefined],
    ['0.1,0.7,0.2', 'multiclass', undefined],
    ['NaN', 'regression', 'answer "NaN" is not a number'],
  ] as const)('%j as %s -> %s', (body, problem, expected) => {
    expect(predictionProblem(body, problem)).toBe(expected);
  });
});

describe('Function: nearestRankPercentile', () => {
  it('takes the ceil(p n)-th smallest value', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 shuffled order
    expect(nearestRankPercentile(values, 99)).toBe(99);
    expect(nearestRankPercentile([5, 1, 3], 99)).toBe(5);
    expect(nearestRankPercentile([], 99)).toBe(0);
  });

  it('judges a p99 exactly at the limit as passing', () => {
    expect(judgeSmokeTest([{ latencyMs: 10 }, { latencyMs: 20 }], 20).passed).toBe(true);
    expect(judgeSmokeTest([{ latencyMs: 10 }, { latencyMs: 20.5 }], 20).passed).toBe(false);
  });
});

describe('Function: mapBounded', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (x) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return x * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });
});
