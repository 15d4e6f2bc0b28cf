import { beforeAll, describe, expect, it } from 'vitest';
import { FakeEndpoint, messagingHandlers } from './fakes';
import { synthesize } from './fixtures';
import { callsTo, run, type Handler } from './harness';

// The fixture config has three stages: 10, 50 and 100 %.
const STAGES = [10, 50, 100];
const INPUT = { runId: 'churn-abc', candidateModelName: 'churn-abc' };

let canary: Record<string, unknown>;
beforeAll(() => {
  canary = synthesize().definitions.canary;
});

function canaryOptions(endpoint: FakeEndpoint, states: Record<string, Handler> = {}) {
  const checks = Object.fromEntries(
    STAGES.map((p, i) => [`Stage ${i + 1} (${p}%): check candidate`, () => ({ verdict: 'pass', rule: 'noErrors', breached: false, metrics: { candidate: { errorRate: 0 } } })]),
  );
  return {
    integrations: { ...endpoint.handlers(), ...messagingHandlers() },
    states: {
      'Smoke test candidate': () => ({ passed: true, requests: 100, failures: 0, p99Ms: 120 }),
      ...checks,
      ...states,
    },
  };
}

/** The weights sent with each UpdateEndpointWeightsAndCapacities, as `production/candidate`. */
function weightCalls(calls: ReturnType<typeof callsTo>): string[] {
  return calls.map((c) => {
    const w = Object.fromEntries(c.input.DesiredWeightsAndCapacities.map((d: any) => [d.VariantName, d.DesiredWeight]));
    return `${w.production}/${w.candidate}`;
  });
}

describe('State machine: Canary', () => {
  it('promotes the candidate through every stage', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({
      outcome: 'Promoted',
      endpointConfigName: 'pitstop-churn-abc-final',
      previousEndpointConfigName: 'churn-old-final',
      productionModelName: 'churn-old',
    });
    const [canaryConfig, finalConfig] = callsTo(execution, 'sagemaker:createEndpointConfig');
    expect(canaryConfig!.input.EndpointConfigName).toBe('pitstop-churn-abc-canary');
    expect(canaryConfig!.input.ProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'production', ModelName: 'churn-old', InitialVariantWeight: 1, InitialInstanceCount: 2 }),
      expect.objectContaining({ VariantName: 'candidate', ModelName: 'churn-abc', InitialVariantWeight: 0 }),
    ]);
    expect(canaryConfig!.input.DataCaptureConfig).toMatchObject({ EnableCapture: true, DestinationS3Uri: 's3://churn-data/capture/' });
    expect(finalConfig!.input.ProductionVariants).toEqual([expect.objectContaining({ VariantName: 'production', ModelName: 'churn-abc' })]);
    // weights: 100 - p on production, p on candidate, in stage order
    expect(weightCalls(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities'))).toEqual(['90/10', '50/50', '0/100']);
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual([
      'pitstop-churn-abc-canary',
      'pitstop-churn-abc-final',
    ]);
    expect(endpoint.configName).toBe('pitstop-churn-abc-final');
    // every poll loop saw Updating at least once before InService
    expect(execution.states).toContain('Canary config: wait');
    expect(callsTo(execution, 'sns:publish')).toHaveLength(0);
  });

  it('rolls back and fails with SmokeTestFailed when the smoke test fails', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    const options = canaryOptions(endpoint, {
      'Smoke test candidate': () => ({ passed: false, requests: 100, failures: 7, p99Ms: 90, reason: '7 invalid predictions' }),
    });

    // Act
    const execution = await run(canary, INPUT, options);

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('SmokeTestFailed');
    expect(execution.cause).toContain('7 invalid predictions');
    expect(weightCalls(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities'))).toEqual(['100/0']);
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual([
      'pitstop-churn-abc-canary',
      'churn-old-final',
    ]);
    expect(endpoint.configName).toBe('churn-old-final');
    expect(endpoint.weights).toEqual({ production: 1 });
    expect(execution.states).not.toContain('Stage 1 (10%): shift traffic');
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
  });

  it.each(STAGES.map((percent, index) => ({ percent, index })))(
    'rolls back and fails with CanaryBreached when stage $index ($percent %) breaches',
    async ({ percent, index }) => {
      // Prepare
      const endpoint = new FakeEndpoint('churn-endpoint');
      const options = canaryOptions(endpoint, {
        [`Stage ${index + 1} (${percent}%): check candidate`]: () => ({
          verdict: 'fail',
          rule: 'absoluteLimits',
          breached: true,
          reason: 'candidate 5XX rate 0.04 > 0.01',
          metrics: { candidate: { errorRate: 0.04 } },
        }),
      });

      // Act
      const execution = await run(canary, INPUT, options);

      // Assess
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('CanaryBreached');
      expect(execution.cause).toContain(`at ${percent}%`);
      const shifted = STAGES.slice(0, index + 1).map((p) => `${100 - p}/${p}`);
      expect(weightCalls(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities'))).toEqual([...shifted, '100/0']);
      for (const later of STAGES.slice(index + 1)) {
        expect(execution.states.some((s) => s.includes(`(${later}%): check`))).toBe(false);
      }
      expect(callsTo(execution, 'sagemaker:updateEndpoint').at(-1)!.input.EndpointConfigName).toBe('churn-old-final');
      expect(endpoint.configName).toBe('churn-old-final');
      expect(callsTo(execution, 'sagemaker:createEndpointConfig')).toHaveLength(1);
    },
  );

  it('goes straight to the rollback failure when the endpoint goes Failed: SageMaker takes no update on a Failed endpoint', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-canary', 'failed');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.states).toContain('Canary config: endpoint failed');
    expect(execution.states).toContain('Rollback settle: endpoint failed');
    expect(execution.edges.has('Rollback settle: endpoint ready?#rule:2')).toBe(true);
    // DeleteEndpoint is the only operation SageMaker allows on a Failed endpoint: no restore is attempted.
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual(['pitstop-churn-abc-canary']);
    expect(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities')).toHaveLength(0);
    expect(endpoint.status).toBe('Failed');
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
    expect(callsTo(execution, 'Smoke test candidate')).toHaveLength(0);
  });

  it('detects a silent rollback of the canary config and leaves the endpoint on the previous config', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-canary', 'silentRollback');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain('instead of pitstop-churn-abc-canary');
    expect(execution.states).toContain('Canary config: silent rollback');
    // already back on the previous config: neither weights nor config touched again
    expect(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities')).toHaveLength(0);
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(1);
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('waits out a RollingBack endpoint before restoring, instead of giving up', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-canary', 'rollingBackThenRestored');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess: the update is reported as failed, the rollback settles and restores; no RollbackFailed.
    expect(execution.status).toBe('FAILED');
    expect(execution.error, `${execution.cause} | ${execution.states.slice(-12).join(' > ')}`).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain('RollingBack');
    // The settle poll saw RollingBack and waited rather than failing.
    expect(execution.states).toContain('Rollback settle: wait');
    expect(execution.error).not.toBe('RollbackFailed');
    expect(endpoint.status).toBe('InService');
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('restores weights, then the previous config, when the final config rolls back silently', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-final', 'silentRollback');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(weightCalls(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities'))).toEqual(['90/10', '50/50', '0/100', '100/0']);
    const order = execution.states.filter((s) => s === 'Restore production weights' || s === 'Restore previous config');
    expect(order).toEqual(['Restore production weights', 'Restore previous config']);
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('fails with RollbackFailed when the previous config cannot be restored', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-canary', 'failed');
    endpoint.faults.set('churn-old-final', 'failed');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RollbackFailed');
    expect(callsTo(execution, 'sns:publish')[0]!.input.Subject).toContain('ROLLBACK FAILED');
  });

  it('fails before touching the endpoint when it has several variants and none named production', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.configs.set('churn-old-final', [
      { VariantName: 'blue', ModelName: 'x', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 },
      { VariantName: 'green', ModelName: 'y', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 },
    ]);

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(callsTo(execution, 'sagemaker:createEndpointConfig')).toHaveLength(0);
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
  });
});
