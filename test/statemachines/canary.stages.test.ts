/**
 * The Canary's verdicts in every canary graph (three stages, one stage, the four
 * default stages): promotion through every stage, a failed smoke test, a breach at
 * each stage, and an endpoint with no production variant. The weights each stage
 * sends are worked out from the graph's stage percents.
 */
import { describe, expect, it } from 'vitest';
import {
  CONFIGS,
  canaryGraphs,
  configUpdates,
  expectOneMail,
  expectProductionOnly,
  productionEndpoint,
  runCanary,
  shiftsUpTo,
  stage,
  weightCalls,
} from './canary-world';
import { callsTo } from './harness';

const GRAPHS = canaryGraphs().map((g) => [g.variant, g] as const);

describe('State machine: Canary, in each canary graph', () => {
  it.each(GRAPHS)('%s: promotes the candidate through every stage, leaving it alone on the endpoint', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint);

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ outcome: 'Promoted', endpointConfigName: CONFIGS.final, previousEndpointConfigName: CONFIGS.production });
    expect(Object.keys(execution.output.stages)).toEqual(graph.percents.map((_p, i) => `stage${i + 1}`));
    expect(weightCalls(execution)).toEqual(shiftsUpTo(graph.percents, graph.percents.length - 1));
    expect(configUpdates(execution)).toEqual([CONFIGS.canary, CONFIGS.final]);
    expect({ config: endpoint.configName, status: endpoint.status }).toEqual({ config: CONFIGS.final, status: 'InService' });
    expect(endpoint.configs.get(CONFIGS.final)!.map((v) => [v.VariantName, v.ModelName])).toEqual([['production', 'churn-abc']]);
    expect(callsTo(execution, 'sns:publish')).toEqual([]);
  });

  it.each(GRAPHS)('%s: a failed smoke test shifts no traffic and restores production alone: SmokeTestFailed', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, {
      'Smoke test candidate': () => ({ passed: false, requests: 100, failures: 9, p99Ms: 80, reason: '9 invalid predictions' }),
    });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('SmokeTestFailed');
    expect(execution.cause).toContain('9 invalid predictions');
    expect(weightCalls(execution)).toEqual(['100/0']);
    expect(configUpdates(execution)).toEqual([CONFIGS.canary, CONFIGS.production]);
    expectProductionOnly(endpoint);
    expectOneMail(execution, 'SmokeTestFailed');
  });

  const BREACHES = canaryGraphs().flatMap((graph) => graph.percents.map((percent, index) => [`${graph.variant}: stage ${index + 1} (${percent} %)`, { graph, percent, index }] as const));

  it.each(BREACHES)('%s breaches: no later stage runs, production alone is restored: CanaryBreached', async (_, { graph, percent, index }) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, {
      [stage(index, percent).check]: () => ({ breached: true, reason: 'candidate 5XX rate 0.04 > 0.01', metrics: { candidate: { errorRate: 0.04 } } }),
    });

    // Assess
    expect(execution.states).toContain(stage(index, percent).breached);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CanaryBreached');
    expect(execution.cause).toContain(`at ${percent}%`);
    expect(weightCalls(execution)).toEqual([...shiftsUpTo(graph.percents, index), '100/0']);
    expect(configUpdates(execution)).toEqual([CONFIGS.canary, CONFIGS.production]);
    expect(callsTo(execution, 'lambda').filter((c) => c.state.endsWith(': check candidate'))).toHaveLength(index + 1);
    expectProductionOnly(endpoint);
    expectOneMail(execution, 'CanaryBreached');
  });

  it.each(GRAPHS)('%s: an endpoint config with no production variant: nothing is changed, EndpointUpdateFailed', async (_, graph) => {
    // Prepare
    const endpoint = productionEndpoint();
    endpoint.configs.set(CONFIGS.production, [{ VariantName: 'AllTraffic', ModelName: 'x', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 }]);

    // Act
    const execution = await runCanary(graph, endpoint);

    // Assess
    expect(execution.states).toContain('No production variant');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(callsTo(execution, 'sagemaker:createEndpointConfig')).toEqual([]);
    expect(configUpdates(execution)).toEqual([]);
    expect(endpoint.configName).toBe(CONFIGS.production);
    expectOneMail(execution, 'EndpointUpdateFailed');
  });
});
