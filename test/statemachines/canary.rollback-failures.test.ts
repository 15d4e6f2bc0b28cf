/**
 * Failures of the Canary's rollback itself, in every canary graph: the settle loop, the
 * weights restore and the config restore each meet every way an endpoint poll can
 * fail, and each restore step throws. A rollback that cannot finish stops touching the
 * endpoint and fails with RollbackFailed, mailing that the endpoint needs a person and
 * what the rollout failed with. The rollback is started by a failed smoke test (the
 * endpoint runs the canary config, the candidate at weight 0), unless said otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointFault, FakeEndpoint } from './fakes';
import {
  CONFIGS,
  canaryGraphs,
  configUpdates,
  expectOneMail,
  expectProductionOnly,
  productionEndpoint,
  runCanary,
  throwing,
  weightCalls,
} from './canary-world';
import { callsTo, type Handler } from './harness';

const CAUSE = 'the step threw an unexpected error';
const SMOKE_FAILS: Record<string, Handler> = {
  'Smoke test candidate': () => ({ passed: false, requests: 100, failures: 9, p99Ms: 80, reason: '9 invalid predictions' }),
};

/** A poll of the rollback: how a fault reaches the update it waits for, and what was sent by then. */
interface RestorePoll {
  readonly label: 'Rollback weights' | 'Rollback config';
  readonly fault: (endpoint: FakeEndpoint, fault: EndpointFault) => void;
  readonly weightsSent: string[];
  readonly configsSent: string[];
}

const RESTORE_POLLS: RestorePoll[] = [
  { label: 'Rollback weights', fault: (e, f) => e.weightFaults.set('100/0', f), weightsSent: ['100/0'], configsSent: [CONFIGS.canary] },
  { label: 'Rollback config', fault: (e, f) => e.faults.set(CONFIGS.production, f), weightsSent: ['100/0'], configsSent: [CONFIGS.canary, CONFIGS.production] },
];

/** The failure modes of a poll: the state entered and the fault (or the throwing describe). */
const MODES: { state: string; fault?: EndpointFault }[] = [
  { state: 'describe failed' },
  { state: 'endpoint failed', fault: 'failed' },
  { state: 'endpoint rolling back', fault: 'rollingBack' },
  { state: 'silent rollback', fault: 'silentRollback' },
  { state: 'too slow', fault: 'stuck' },
];

/** The rule of `choice` in `definition` that tests the status `status`, as an edge id. */
function statusRule(definition: Record<string, unknown>, choice: string, status: string): string {
  const rules = (definition.States as Record<string, { Choices: { StringEquals?: string }[] }>)[choice]!.Choices;
  const index = rules.findIndex((r) => r.StringEquals === status);
  if (index < 0) throw new Error(`${choice} has no rule for ${status}`);
  return `${choice}#rule:${index + 1}`;
}

function expectRollbackFailed(execution: Awaited<ReturnType<typeof runCanary>>, cause: string): void {
  expect(execution.missing).toEqual([]);
  expect(execution.status).toBe('FAILED');
  expect(execution.error).toBe('RollbackFailed');
  expect(execution.cause).toContain(cause);
  expectOneMail(execution, 'ROLLBACK FAILED');
  // The mail says what the rollout failed with, and why the rollback did.
  expect(callsTo(execution, 'sns:publish')[0]!.input.Message).toContain('SmokeTestFailed');
}

describe('State machine: Canary, the restores fail', () => {
  const CASES = canaryGraphs().flatMap((graph) =>
    RESTORE_POLLS.flatMap((poll) => MODES.map((mode) => [`${graph.variant}: ${poll.label}: ${mode.state}`, { graph, poll, mode }] as const)),
  );

  it.each(CASES)('%s: stops there and fails with RollbackFailed', async (_, { graph, poll, mode }) => {
    // Prepare
    const endpoint = productionEndpoint();
    if (mode.fault) poll.fault(endpoint, mode.fault);
    const states = mode.fault ? {} : { [`${poll.label}: describe endpoint`]: throwing('SageMaker.SageMakerException', 'DescribeEndpoint refused') };

    // Act
    const execution = await runCanary(graph, endpoint, { ...SMOKE_FAILS, ...states });

    // Assess
    expect(execution.states).toContain(`${poll.label}: ${mode.state}`);
    expectRollbackFailed(execution, mode.fault ? 'churn-endpoint' : 'DescribeEndpoint refused');
    // Nothing more is sent once a restore fails.
    expect(weightCalls(execution)).toEqual(poll.weightsSent);
    expect(configUpdates(execution)).toEqual(poll.configsSent);
  });

  const THROWS = canaryGraphs().flatMap((graph) =>
    [
      { state: 'Restore production weights', weightsSent: ['100/0'], configsSent: [CONFIGS.canary] },
      { state: 'Restore previous config', weightsSent: ['100/0'], configsSent: [CONFIGS.canary, CONFIGS.production] },
    ].map((step) => [`${graph.variant}: ${step.state}`, { graph, step }] as const),
  );

  it.each(THROWS)('%s throws: Rollback step failed, RollbackFailed', async (_, { graph, step }) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, { ...SMOKE_FAILS, [step.state]: throwing('Test.Unexpected', CAUSE) });

    // Assess
    expect(execution.edges.has(`${step.state}#catch:1`)).toBe(true);
    expect(execution.states).toContain('Rollback step failed');
    expectRollbackFailed(execution, CAUSE);
    expect(weightCalls(execution)).toEqual(step.weightsSent);
    expect(configUpdates(execution)).toEqual(step.configsSent);
  });
});

describe('State machine: Canary, the rollback waits for the endpoint to settle', () => {
  it.each(canaryGraphs().map((g) => [g.variant, g] as const))('%s: DescribeEndpoint fails while settling: RollbackFailed, nothing restored', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, { ...SMOKE_FAILS, 'Rollback settle: describe endpoint': throwing('SageMaker.SageMakerException', 'DescribeEndpoint refused') });

    // Assess
    expect(execution.states).toContain('Rollback settle: describe failed');
    expectRollbackFailed(execution, 'DescribeEndpoint refused');
    expect(weightCalls(execution)).toEqual([]);
    expect(configUpdates(execution)).toEqual([CONFIGS.canary]);
  });

  it.each(canaryGraphs().map((g) => [g.variant, g] as const))('%s: an update that never ends: the rollback gives up waiting, RollbackFailed', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();
    endpoint.faults.set(CONFIGS.canary, 'stuck');

    // Act
    const execution = await runCanary(graph, endpoint);

    // Assess
    expect(execution.states).toContain('Canary config: too slow');
    expect(execution.states).toContain('Rollback settle: too slow');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.cause).toContain('still Updating');
    expect(weightCalls(execution)).toEqual([]);
    expect(configUpdates(execution)).toEqual([CONFIGS.canary]);
    expect(callsTo(execution, 'Smoke test candidate')).toEqual([]);
    expectOneMail(execution, 'ROLLBACK FAILED');
  });

  it.each(canaryGraphs().map((g) => [g.variant, g] as const))(
    '%s: the final update ends UpdateRollbackFailed: the settle loop accepts it, and the previous config is restored',
    async (_, graph) => {
      // Prepare
      const endpoint = productionEndpoint();
      endpoint.faults.set(CONFIGS.final, 'updateRollbackFailed');

      // Act
      const execution = await runCanary(graph, endpoint);

      // Assess
      expect(execution.edges.has(statusRule(graph.definition, 'Rollback settle: endpoint ready?', 'UpdateRollbackFailed'))).toBe(true);
      expect(execution.edges.has(statusRule(graph.definition, 'Endpoint runs which config?', 'UpdateRollbackFailed'))).toBe(true);
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('EndpointUpdateFailed');
      expect(execution.cause).toContain('UpdateRollbackFailed');
      // UpdateEndpoint is how SageMaker restores an UpdateRollbackFailed endpoint; the weights belong to the canary config.
      expect(configUpdates(execution)).toEqual([CONFIGS.canary, CONFIGS.final, CONFIGS.production]);
      expect(weightCalls(execution)).toEqual(graph.percents.map((p) => `${100 - p}/${p}`));
      expectProductionOnly(endpoint);
      expectOneMail(execution, 'EndpointUpdateFailed');
    },
  );
});

describe('State machine: Canary, the failure mails cannot be sent', () => {
  const graphs = canaryGraphs();

  it.each(graphs.map((g) => [g.variant, g] as const))('%s: the failure mail is lost: the endpoint is restored and the run still fails with its error', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, { ...SMOKE_FAILS, 'Notify canary failure': throwing('SNS.AuthorizationErrorException', CAUSE) });

    // Assess
    expect(execution.edges.has('Notify canary failure#catch:1')).toBe(true);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('SmokeTestFailed');
    expectProductionOnly(endpoint);
  });

  it.each(graphs.map((g) => [g.variant, g] as const))('%s: the rollback-failed mail is lost: the run still fails with RollbackFailed', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, {
      ...SMOKE_FAILS,
      'Restore previous config': throwing('Test.Unexpected', CAUSE),
      'Notify rollback failed': throwing('SNS.AuthorizationErrorException', 'not authorized'),
    });

    // Assess
    expect(execution.edges.has('Notify rollback failed#catch:1')).toBe(true);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RollbackFailed');
    expect(execution.cause).toContain(CAUSE);
  });
});

