/**
 * The Canary on an endpoint created outside pitstop: its single variant (SageMaker's
 * usual `AllTraffic`) serves production, the canary shifts from it, and the final
 * config names the candidate `production`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeEndpoint, messagingHandlers } from './fakes';
import { synthesize } from './fixtures';
import { callsTo, run, type Handler } from './harness';

const INPUT = { runId: 'churn-abc', candidateModelName: 'churn-abc' };
const STAGES = [10, 50, 100];

let canary: Record<string, unknown>;
beforeAll(() => {
  canary = synthesize().definitions.canary;
});

/** An endpoint whose config `churn-console-config` has one variant `AllTraffic` serving model `churn-legacy`. */
function adoptedEndpoint(): FakeEndpoint {
  const endpoint = new FakeEndpoint('churn-endpoint', { configName: 'churn-console-config' });
  endpoint.configs.set('churn-console-config', [
    { VariantName: 'AllTraffic', ModelName: 'churn-legacy', InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 3, InitialVariantWeight: 1 },
  ]);
  endpoint.weights = { AllTraffic: 1 };
  return endpoint;
}

function options(endpoint: FakeEndpoint): { integrations: Record<string, Handler>; states: Record<string, Handler> } {
  return {
    integrations: { ...endpoint.handlers(), ...messagingHandlers() },
    states: {
      'Smoke test candidate': () => ({ passed: true, requests: 100, failures: 0, p99Ms: 120 }),
      ...Object.fromEntries(
        STAGES.map((p, i) => [`Stage ${i + 1} (${p}%): check candidate`, () => ({ verdict: 'pass', rule: 'noErrors', breached: false, metrics: { candidate: {} } })]),
      ),
    },
  };
}

describe('State machine: Canary, adopted endpoint', () => {
  it('shifts from the single AllTraffic variant and leaves the candidate as production', async () => {
    // Prepare
    const endpoint = adoptedEndpoint();

    // Act
    const execution = await run(canary, INPUT, options(endpoint));

    // Assess
    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const [canaryConfig, finalConfig] = callsTo(execution, 'sagemaker:createEndpointConfig');
    // the canary config runs the adopted model as `production`, with its instance type and count
    expect(canaryConfig!.input.ProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'production', ModelName: 'churn-legacy', InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 3, InitialVariantWeight: 1 }),
      expect.objectContaining({ VariantName: 'candidate', ModelName: 'churn-abc', InitialVariantWeight: 0 }),
    ]);
    expect(finalConfig!.input.ProductionVariants).toEqual([expect.objectContaining({ VariantName: 'production', ModelName: 'churn-abc' })]);
    // the adopted config is the rollback target the retrain records
    expect(execution.output).toMatchObject({ previousEndpointConfigName: 'churn-console-config', productionModelName: 'churn-legacy' });
    expect(endpoint.configName).toBe('pitstop-churn-abc-final');
  });

  it('restores the adopted config when the canary breaches', async () => {
    // Prepare
    const endpoint = adoptedEndpoint();
    const opts = options(endpoint);
    opts.states['Stage 1 (10%): check candidate'] = () => ({ verdict: 'fail', rule: 'absoluteLimits', breached: true, reason: 'p99 2000 ms', metrics: { candidate: {} } });

    // Act
    const execution = await run(canary, INPUT, opts);

    // Assess
    expect(execution.error).toBe('CanaryBreached');
    expect(endpoint.configName).toBe('churn-console-config');
    expect(callsTo(execution, 'sagemaker:updateEndpoint').at(-1)!.input.EndpointConfigName).toBe('churn-console-config');
  });
});
