/**
 * The Canary against the endpoint states SageMaker reports when an update goes wrong
 * (DescribeEndpoint EndpointStatus `Failed`, `UpdateRollbackFailed`) and against the
 * transient API errors its tasks retry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_FAILURE_REASON } from '../../statemachines/steps';
import { FAKE_FAILURE_REASON, FakeEndpoint, messagingHandlers, type EndpointFault } from './fakes';
import { synthesize } from './fixtures';
import { callsTo, run, stepError, type Handler } from './harness';

// The fixture config has three stages: 10, 50 and 100 %.
const STAGES = [10, 50, 100];
const INPUT = { runId: 'churn-abc', candidateModelName: 'churn-abc' };
const CANARY_CONFIG = 'pitstop-churn-abc-canary';

let canary: Record<string, unknown>;
beforeAll(() => {
  canary = synthesize().definitions.canary;
});

function canaryOptions(endpoint: FakeEndpoint, states: Record<string, Handler> = {}, integrations: Record<string, Handler> = {}) {
  const checks = Object.fromEntries(
    STAGES.map((p, i) => [`Stage ${i + 1} (${p}%): check candidate`, () => ({ verdict: 'pass', rule: 'noErrors', breached: false, metrics: { candidate: { errorRate: 0 } } })]),
  );
  return {
    integrations: { ...endpoint.handlers(), ...messagingHandlers(), ...integrations },
    states: { 'Smoke test candidate': () => ({ passed: true, requests: 100, failures: 0, p99Ms: 120 }), ...checks, ...states },
  };
}

/** Faults the `nth` (1-based) update whose target is `config`, and no other. */
function faultNth(endpoint: FakeEndpoint, config: string, nth: number, fault: EndpointFault) {
  let seen = 0;
  endpoint.faults.get = (k: string) => (k === config && ++seen === nth ? fault : undefined);
}

describe('State machine: Canary, endpoint faults', () => {
  it('puts SageMaker\'s FailureReason in the cause when the endpoint goes Failed, and sends it no update', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set(CANARY_CONFIG, 'failed');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.cause).toContain(FAKE_FAILURE_REASON);
    expect(execution.cause).toContain(`is Failed with config ${CANARY_CONFIG}`);
    expect(execution.states).toContain('Canary config: read failure reason');
    // the only UpdateEndpoint is the one that failed; nothing is sent to a Failed endpoint
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual([CANARY_CONFIG]);
    expect(callsTo(execution, 'sns:publish')[0]!.input.Message).toContain(FAKE_FAILURE_REASON);
  });

  it('says SageMaker gave no reason when a Failed endpoint has no FailureReason', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set(CANARY_CONFIG, 'failedWithoutReason');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.cause).toContain(NO_FAILURE_REASON);
  });

  it('stops polling at UpdateRollbackFailed and restores the previous config', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set(CANARY_CONFIG, 'updateRollbackFailed');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess: reported with SageMaker's reason, no hour of polling, the endpoint back on the old config
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain(`is UpdateRollbackFailed with config ${CANARY_CONFIG}: ${FAKE_FAILURE_REASON}`);
    const polls = execution.states.filter((s) => s === 'Canary config: describe endpoint');
    expect(polls).toHaveLength(2); // Updating, then UpdateRollbackFailed
    expect(execution.edges.has('Endpoint runs which config?#rule:1')).toBe(true);
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual([CANARY_CONFIG, 'churn-old-final']);
    expect(callsTo(execution, 'Smoke test candidate')).toHaveLength(0);
    expect(endpoint.status).toBe('InService');
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it.each(STAGES.map((percent, index) => ({ percent, index, stage: index + 1 })))(
    'stops at UpdateRollbackFailed after the weight shift of stage $stage ($percent %) and restores the previous config',
    async ({ percent, index }) => {
      // Prepare: the canary config deploys; the weight shift of this stage fails to roll back.
      const endpoint = new FakeEndpoint('churn-endpoint');
      faultNth(endpoint, CANARY_CONFIG, index + 2, 'updateRollbackFailed');

      // Act
      const execution = await run(canary, INPUT, canaryOptions(endpoint));

      // Assess
      const label = `Stage ${index + 1} (${percent}%)`;
      expect(execution.error).toBe('EndpointUpdateFailed');
      expect(execution.cause).toContain(`is UpdateRollbackFailed with config ${CANARY_CONFIG}: ${FAKE_FAILURE_REASON}`);
      expect(execution.states).toContain(`${label} weights: endpoint failed`);
      expect(execution.states.filter((s) => s === `${label} weights: describe endpoint`)).toHaveLength(2);
      expect(execution.states).not.toContain(`${label}: check candidate`);
      // straight to the previous config: weights are not shifted on an endpoint in this state
      expect(callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities')).toHaveLength(index + 1);
      expect(callsTo(execution, 'sagemaker:updateEndpoint').at(-1)!.input.EndpointConfigName).toBe('churn-old-final');
      expect(endpoint.configName).toBe('churn-old-final');
      expect(endpoint.status).toBe('InService');
    },
  );

  it('stops at UpdateRollbackFailed of the final config and restores the previous config', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-final', 'updateRollbackFailed');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.states).toContain('Final config: endpoint failed');
    expect(execution.cause).toContain(FAKE_FAILURE_REASON);
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('fails with RollbackFailed when restoring the weights ends UpdateRollbackFailed', async () => {
    // Prepare: the final config rolls back silently (the endpoint is on the canary config
    // again); the weight restore then fails to roll back: deploy + 3 stages + restore.
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set('pitstop-churn-abc-final', 'silentRollback');
    faultNth(endpoint, CANARY_CONFIG, STAGES.length + 2, 'updateRollbackFailed');
    const faults = endpoint.faults.get.bind(endpoint.faults);
    const final = (k: string) => (k === 'pitstop-churn-abc-final' ? ('silentRollback' as const) : faults(k));
    endpoint.faults.get = final;

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.states).toContain('Rollback weights: endpoint failed');
    expect(execution.cause).toContain(FAKE_FAILURE_REASON);
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual([CANARY_CONFIG, 'pitstop-churn-abc-final']);
  });

  it('fails with RollbackFailed when the restore ends UpdateRollbackFailed too', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    endpoint.faults.set(CANARY_CONFIG, 'updateRollbackFailed');
    endpoint.faults.set('churn-old-final', 'updateRollbackFailed');

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint));

    // Assess
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.states).toContain('Rollback config: endpoint failed');
    expect(execution.cause).toContain('is UpdateRollbackFailed with config churn-old-final');
    expect(callsTo(execution, 'sns:publish')[0]!.input.Subject).toContain('ROLLBACK FAILED');
  });

  it.each(['SageMaker.ThrottlingException', 'SageMaker.InternalFailureException', 'SageMaker.ServiceUnavailableException'])(
    'retries %s from DescribeEndpoint and promotes',
    async (error) => {
      // Prepare: the first DescribeEndpoint of the run fails once.
      const endpoint = new FakeEndpoint('churn-endpoint');
      const describe = endpoint.handlers()['sagemaker:describeEndpoint']!;
      let calls = 0;
      const flaky: Handler = (input) => {
        calls += 1;
        if (calls === 1) throw stepError(error, 'Rate exceeded or internal failure');
        return describe(input);
      };

      // Act
      const execution = await run(canary, INPUT, canaryOptions(endpoint, {}, { 'sagemaker:describeEndpoint': flaky }));

      // Assess
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.output.outcome).toBe('Promoted');
      expect(calls).toBeGreaterThan(1);
      expect(callsTo(execution, 'Describe current endpoint')).toHaveLength(2);
    },
  );

  it('does not retry an error outside the transient list', async () => {
    // Prepare: the name SageMaker never raises through Step Functions (no Exception suffix)
    const endpoint = new FakeEndpoint('churn-endpoint');
    const failing: Handler = () => {
      throw stepError('SageMaker.InternalFailure', 'internal failure');
    };

    // Act
    const execution = await run(canary, INPUT, canaryOptions(endpoint, {}, { 'sagemaker:describeEndpoint': failing }));

    // Assess
    expect(execution.error).toBe('PipelineFailed');
    expect(callsTo(execution, 'Describe current endpoint')).toHaveLength(1);
  });
});
