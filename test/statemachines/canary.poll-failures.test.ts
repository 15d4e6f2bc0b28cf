/**
 * Every way an endpoint poll of the Canary's forward path can end in failure, at every
 * poll (canary config, each stage's weights, final config) of every canary graph: the
 * describe call fails, the endpoint goes Failed, rolls back, is found on another
 * config, or takes longer than the poll's checks. Each run must end with the named
 * error and the endpoint back on the production config alone, or, when the endpoint
 * is Failed (SageMaker takes no update on it), with RollbackFailed and a mail asking
 * for a person.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointFault, FakeEndpoint } from './fakes';
import {
  CONFIGS,
  canaryGraphs,
  configUpdates,
  expectOneMail,
  expectProductionOnly,
  pollChecks,
  productionEndpoint,
  runCanary,
  shiftsUpTo,
  stage,
  throwing,
  weightCalls,
  type CanaryGraph,
} from './canary-world';
import { callsTo, type Handler } from './harness';

/** Which steps the rollback takes after the failure: weights back, previous config back. */
type Restore = 'weights' | 'config';

/** A poll of the forward path: its label, how a fault reaches its update, and the stages shifted by then. */
interface Poll {
  readonly label: string;
  readonly kind: 'canary' | 'stage' | 'final';
  /** Index of the last stage whose weights were sent when this poll runs (-1: none). */
  readonly lastShift: number;
  readonly fault: (endpoint: FakeEndpoint, fault: EndpointFault) => void;
}

function polls(graph: CanaryGraph): Poll[] {
  const last = graph.percents.length - 1;
  return [
    // Once: the weight shifts on the canary config that may follow go through.
    { label: 'Canary config', kind: 'canary', lastShift: -1, fault: (e, f) => e.faultsOnce.set(CONFIGS.canary, f) },
    ...graph.percents.map(
      (p, i): Poll => ({ label: stage(i, p).weights, kind: 'stage', lastShift: i, fault: (e, f) => e.weightFaults.set(`${100 - p}/${p}`, f) }),
    ),
    { label: 'Final config', kind: 'final', lastShift: last, fault: (e, f) => e.faults.set(CONFIGS.final, f) },
  ];
}

/**
 * A failure mode: how to cause it, the state it must enter, the text of the cause, and
 * the restore steps the rollback must take for each kind of poll (worked out from where
 * the endpoint stands once it settles: on the canary config, weights then config; on
 * another pitstop config, the config; already on production, nothing).
 */
interface Mode {
  readonly name: string;
  readonly state: string;
  readonly cause: string;
  readonly arrange: (poll: Poll) => { fault?: EndpointFault; states?: Record<string, Handler> };
  readonly restores: Record<Poll['kind'], Restore[]>;
}

const MODES: Mode[] = [
  {
    name: 'DescribeEndpoint fails',
    state: 'describe failed',
    cause: 'DescribeEndpoint refused',
    arrange: (poll) => ({ states: { [`${poll.label}: describe endpoint`]: throwing('SageMaker.SageMakerException', 'DescribeEndpoint refused') } }),
    // The update itself completed: the endpoint settles on its target.
    restores: { canary: ['weights', 'config'], stage: ['weights', 'config'], final: ['config'] },
  },
  {
    name: 'SageMaker rolls the update back',
    state: 'endpoint rolling back',
    cause: 'RollingBack',
    arrange: () => ({ fault: 'rollingBackThenRestored' }),
    // Back where it was before the update: production, the canary config, the canary config.
    restores: { canary: [], stage: ['weights', 'config'], final: ['weights', 'config'] },
  },
  {
    name: 'the endpoint is found InService on the config it ran before',
    state: 'silent rollback',
    cause: 'SageMaker rolled the update back',
    arrange: () => ({ fault: 'silentRollback' }),
    // Before the canary config: production; before the stage's (canary) config: production; before the final: the canary config.
    restores: { canary: [], stage: [], final: ['weights', 'config'] },
  },
  {
    name: 'the update outlasts the poll',
    state: 'too slow',
    cause: 'still Updating after',
    arrange: () => ({ fault: 'slow' }),
    // The rollback's settle loop waits until the update lands on its target.
    restores: { canary: ['weights', 'config'], stage: ['weights', 'config'], final: ['config'] },
  },
];

const CASES = canaryGraphs().flatMap((graph) =>
  polls(graph).flatMap((poll) => MODES.map((mode) => ({ graph, poll, mode, name: `${graph.variant}: ${poll.label}: ${mode.name}` }))),
);

describe('State machine: Canary, endpoint poll failures of the forward path', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: rolls back to production alone and fails with EndpointUpdateFailed', async (_, { graph, poll, mode }) => {
    // Prepare
    const endpoint = productionEndpoint();
    const { fault, states } = mode.arrange(poll);
    if (fault) poll.fault(endpoint, fault);
    // A slow update outlasts the forward poll's checks, and lands while the rollback waits.
    endpoint.slowDescribes = pollChecks(graph.definition, poll.label) + 5;

    // Act
    const execution = await runCanary(graph, endpoint, states);

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.states).toContain(`${poll.label}: ${mode.state}`);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain(mode.cause);
    expectProductionOnly(endpoint);
    const restores = mode.restores[poll.kind];
    expect(weightCalls(execution)).toEqual([...shiftsUpTo(graph.percents, poll.lastShift), ...(restores.includes('weights') ? ['100/0'] : [])]);
    const forward = poll.kind === 'final' ? [CONFIGS.canary, CONFIGS.final] : [CONFIGS.canary];
    expect(configUpdates(execution)).toEqual([...forward, ...(restores.includes('config') ? [CONFIGS.production] : [])]);
    // No stage after the failing poll is judged, and nothing is promoted.
    const checked = callsTo(execution, 'lambda').filter((c) => c.state.endsWith(': check candidate')).length;
    expect(checked).toBe(poll.kind === 'stage' ? poll.lastShift : poll.kind === 'final' ? graph.percents.length : 0);
    expectOneMail(execution, 'EndpointUpdateFailed');
  });

  it.each(canaryGraphs().flatMap((graph) => polls(graph).map((poll) => [`${graph.variant}: ${poll.label}`, { graph, poll }] as const)))(
    '%s: the endpoint goes Failed: no update is sent to it, RollbackFailed asks for a person',
    async (_, { graph, poll }) => {
      // Prepare
      const endpoint = productionEndpoint();
      poll.fault(endpoint, 'failed');

      // Act
      const execution = await runCanary(graph, endpoint);

      // Assess
      expect(execution.states).toContain(`${poll.label}: endpoint failed`);
      expect(execution.states).toContain('Rollback settle: endpoint failed');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('RollbackFailed');
      expect(execution.cause).toContain('is Failed');
      // DeleteEndpoint is the only operation SageMaker allows on a Failed endpoint: nothing else is sent.
      expect(weightCalls(execution)).toEqual(shiftsUpTo(graph.percents, poll.lastShift));
      expect(configUpdates(execution)).toEqual(poll.kind === 'final' ? [CONFIGS.canary, CONFIGS.final] : [CONFIGS.canary]);
      expect(endpoint.status).toBe('Failed');
      expectOneMail(execution, 'ROLLBACK FAILED');
    },
  );
});
