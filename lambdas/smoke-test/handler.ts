/**
 * `smokeTest`: sends `requests` InvokeEndpoint calls to the candidate variant
 * (TargetVariant) before any traffic shifts to it, a few at a time, and checks every
 * answer and the p99 latency (see core/canary/smoke-test for the verdict).
 *
 * Request bodies are holdout rows without the label, as `text/csv` lines. What counts
 * as a valid answer depends on the problem type, which the SmokeTestInput contract does
 * not carry: it is read from the `PITSTOP_MODEL_CONFIG` environment variable (see
 * runtime/model-settings.ts). Latency is the client-side round trip of each call. A
 * failed call (a ModelError, a throttle) counts as a failure, it does not throw: the
 * state machine routes on `passed`.
 */
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { SmokeTestInput, type SmokeTestOutput } from '../../vocabulary/contracts';
import { judgeSmokeTest, predictionProblem, type SmokeRequestResult } from '../core/canary/smoke-test';
import { openTable } from '../core/readers';
import { s3Client, sageMakerRuntimeClient } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings } from '../runtime/model-settings';
import { requestBodies } from './request-rows';

/** Requests in flight at once. */
export const SMOKE_TEST_CONCURRENCY = 4;

/** Runs `task` over `items` with at most `limit` running at once; results in item order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const handler = defineHandler('smokeTest', SmokeTestInput, async (input): Promise<SmokeTestOutput> => {
  const settings = loadModelSettings();
  const bodies = await requestBodies(await openTable(input.holdoutUri, { s3: s3Client() }), input.label, input.requests);
  const runtime = sageMakerRuntimeClient();
  const decoder = new TextDecoder();
  const results = await mapBounded(bodies, SMOKE_TEST_CONCURRENCY, async (body): Promise<SmokeRequestResult> => {
    const started = performance.now();
    try {
      const out = await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: input.endpointName,
          TargetVariant: input.targetVariant,
          ContentType: 'text/csv',
          Accept: 'text/csv',
          Body: new TextEncoder().encode(body),
        }),
      );
      const latencyMs = performance.now() - started;
      const problem = predictionProblem(out.Body ? decoder.decode(out.Body) : '', settings.problemType);
      return problem === undefined ? { latencyMs } : { latencyMs, problem };
    } catch (err) {
      const e = err as Error;
      return { latencyMs: performance.now() - started, problem: `${e.name}: ${e.message}` };
    }
  });
  const verdict = judgeSmokeTest(results, input.p99Ms);
  return { ...verdict, p99Ms: Math.round(verdict.p99Ms * 1000) / 1000 };
});
