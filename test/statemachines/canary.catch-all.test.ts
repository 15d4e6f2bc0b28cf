/**
 * Every Task of the Canary's forward path made to throw, in every canary graph: an
 * error no other Catch names (the `States.ALL` Catch) and, for the SageMaker calls, an
 * error SageMaker raises when it refuses the request ("Endpoint update rejected").
 * Before the endpoint changed, the run fails without touching it; after, it rolls the
 * endpoint back to the production config alone. Either way one mail names the error.
 */
import { describe, expect, it } from 'vitest';
import {
  CONFIGS,
  canaryGraphs,
  catchErrors,
  configUpdates,
  expectOneMail,
  expectProductionOnly,
  productionEndpoint,
  runCanary,
  shiftsUpTo,
  stage,
  throwing,
  weightCalls,
  type CanaryGraph,
} from './canary-world';

const CAUSE = 'the step threw an unexpected error';

/** A Task after the endpoint changed: where the run stands when it throws. */
interface Step {
  readonly state: string;
  /** Whether it calls SageMaker (and so has a Catch for SageMaker's refusals). */
  readonly sageMaker: boolean;
  /** Weight changes sent up to and including this step (a throwing step's call is recorded too). */
  readonly weightsSent: (percents: readonly number[]) => string[];
  /** Config updates sent up to and including this step. */
  readonly configsSent: string[];
  /** Whether the endpoint runs the canary config when this step throws (else still production). */
  readonly onCanary: boolean;
}

function steps(graph: CanaryGraph): Step[] {
  const all = graph.percents.length - 1;
  return [
    { state: 'Deploy canary config', sageMaker: true, weightsSent: () => [], configsSent: [CONFIGS.canary], onCanary: false },
    { state: 'Smoke test candidate', sageMaker: false, weightsSent: () => [], configsSent: [CONFIGS.canary], onCanary: true },
    ...graph.percents.flatMap((p, i): Step[] => [
      { state: stage(i, p).shift, sageMaker: true, weightsSent: (ps) => shiftsUpTo(ps, i), configsSent: [CONFIGS.canary], onCanary: true },
      { state: stage(i, p).check, sageMaker: false, weightsSent: (ps) => shiftsUpTo(ps, i), configsSent: [CONFIGS.canary], onCanary: true },
    ]),
    { state: 'Create final config', sageMaker: true, weightsSent: (ps) => shiftsUpTo(ps, all), configsSent: [CONFIGS.canary], onCanary: true },
    // The update is refused, so the endpoint stays on the canary config.
    { state: 'Deploy final config', sageMaker: true, weightsSent: (ps) => shiftsUpTo(ps, all), configsSent: [CONFIGS.canary, CONFIGS.final], onCanary: true },
  ];
}

/** The index (from 1) of the Catch of `state` that names `error`, or States.ALL. */
function catchIndex(definition: Record<string, unknown>, state: string, error: string): number {
  for (let i = 1; ; i += 1) {
    const errors = catchErrors(definition, state, i);
    if (errors.includes(error) || errors.includes('States.ALL')) return i;
  }
}

/** An error the first Catch of `state` names and its Retry does not: SageMaker refusing the request. */
function refusal(definition: Record<string, unknown>, state: string): string {
  const s = (definition.States as Record<string, { Retry?: { ErrorEquals: string[] }[] }>)[state]!;
  const retried = new Set((s.Retry ?? []).flatMap((r) => r.ErrorEquals));
  const error = catchErrors(definition, state, 1).find((e) => e !== 'States.ALL' && !retried.has(e));
  if (!error) throw new Error(`no SageMaker refusal caught by ${state}`);
  return error;
}

describe('State machine: Canary, a step throws before the endpoint changes', () => {
  const CASES = canaryGraphs().flatMap((graph) =>
    ['Describe current endpoint', 'Describe current config', 'Create canary config'].map((state) => [`${graph.variant}: ${state}`, { graph, state }] as const),
  );

  it.each(CASES)('%s throws: fails with PipelineFailed, the endpoint untouched', async (_, { graph, state }) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, { [state]: throwing('Test.Unexpected', CAUSE) });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.edges.has(`${state}#catch:1`)).toBe(true);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.cause).toContain(CAUSE);
    expect(configUpdates(execution)).toEqual([]);
    expect(weightCalls(execution)).toEqual([]);
    expect(endpoint.configs.has(CONFIGS.canary)).toBe(false);
    expectProductionOnly(endpoint);
    expectOneMail(execution, 'PipelineFailed');
  });
});

describe('State machine: Canary, a step throws after the endpoint changed', () => {
  const graphs = canaryGraphs();
  const unexpected = graphs.flatMap((graph) => steps(graph).map((step) => [`${graph.variant}: ${step.state}`, { graph, step }] as const));
  const refused = graphs.flatMap((graph) =>
    steps(graph)
      .filter((s) => s.sageMaker)
      .map((step) => [`${graph.variant}: ${step.state}`, { graph, step }] as const),
  );

  it.each(unexpected)('%s throws an unexpected error: rolls back to production alone, fails with PipelineFailed', async (_, { graph, step }) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, { [step.state]: throwing('Test.Unexpected', CAUSE) });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.edges.has(`${step.state}#catch:${catchIndex(graph.definition, step.state, 'States.ALL')}`)).toBe(true);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.cause).toContain(CAUSE);
    expectProductionOnly(endpoint);
    expect(weightCalls(execution)).toEqual([...step.weightsSent(graph.percents), ...(step.onCanary ? ['100/0'] : [])]);
    expect(configUpdates(execution)).toEqual([...step.configsSent, ...(step.onCanary ? [CONFIGS.production] : [])]);
    expectOneMail(execution, 'PipelineFailed');
  });

  it.each(refused)('%s is refused by SageMaker: rolls back to production alone, fails with EndpointUpdateFailed', async (_, { graph, step }) => {
    // Prepare
    const endpoint = productionEndpoint();
    const error = refusal(graph.definition, step.state);

    // Act
    const execution = await runCanary(graph, endpoint, { [step.state]: throwing(error, 'refused by SageMaker') });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.states).toContain('Endpoint update rejected');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain('refused by SageMaker');
    expectProductionOnly(endpoint);
    expect(weightCalls(execution)).toEqual([...step.weightsSent(graph.percents), ...(step.onCanary ? ['100/0'] : [])]);
    expect(configUpdates(execution)).toEqual([...step.configsSent, ...(step.onCanary ? [CONFIGS.production] : [])]);
    expectOneMail(execution, 'EndpointUpdateFailed');
  });
});
