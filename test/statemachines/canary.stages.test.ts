/**
 * The Canary's verdicts in every canary graph (three stages, one stage, the four
 * default stages, no bake extensions): promotion through every stage, a failed smoke
 * test, at each stage a fail, an inconclusive stage extended until it passes, and too
 * little traffic after every extension; and an endpoint config of several variants none
 * named production. The weights each stage sends are worked out from the graph's stage
 * percents, the checks of a stage from the graph's `canary.maxExtensions`.
 */
import { describe, expect, it } from 'vitest';
import {
  CONFIGS,
  PASS,
  TOO_FEW,
  canaryGraphs,
  checks,
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
      [stage(index, percent).check]: checks({ verdict: 'fail', rule: 'absoluteLimits', reason: 'candidate 5XX rate 0.04 > 0.01' }),
    });

    // Assess
    expect(execution.states).toContain(stage(index, percent).breached);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CanaryBreached');
    expect(execution.cause).toBe(`Canary breached at ${percent}% (absoluteLimits): candidate 5XX rate 0.04 > 0.01`);
    expect(weightCalls(execution)).toEqual([...shiftsUpTo(graph.percents, index), '100/0']);
    expect(configUpdates(execution)).toEqual([CONFIGS.canary, CONFIGS.production]);
    expect(callsTo(execution, 'lambda').filter((c) => c.state.endsWith(': check candidate'))).toHaveLength(index + 1);
    expectProductionOnly(endpoint);
    expectOneMail(execution, 'CanaryBreached');
  });

  const INCONCLUSIVE = canaryGraphs()
    .filter((graph) => graph.maxExtensions > 0)
    .flatMap((graph) => graph.percents.map((percent, index) => [`${graph.variant}: stage ${index + 1} (${percent} %)`, { graph, percent, index }] as const));

  it.each(INCONCLUSIVE)('%s is inconclusive until its last extension, then passes: the rollout goes on to promotion', async (_, { graph, percent, index }) => {
    // Prepare: too few requests at the first check and every extension but the last
    const endpoint = productionEndpoint();
    const tooFew = Array.from({ length: graph.maxExtensions }, () => TOO_FEW);

    // Act
    const execution = await runCanary(graph, endpoint, { [stage(index, percent).check]: checks(...tooFew, PASS) });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const calls = callsTo(execution, stage(index, percent).check);
    expect(calls.map((c) => c.input.stage.extensions)).toEqual(Array.from({ length: graph.maxExtensions + 1 }, (_v, i) => i));
    expect(execution.states.filter((s) => s === stage(index, percent).extend)).toHaveLength(graph.maxExtensions);
    expect(execution.output.stages[`stage${index + 1}`]).toMatchObject({ verdict: 'pass', extensions: graph.maxExtensions });
    expect(weightCalls(execution)).toEqual(shiftsUpTo(graph.percents, graph.percents.length - 1));
    expect({ config: endpoint.configName, status: endpoint.status }).toEqual({ config: CONFIGS.final, status: 'InService' });
  });

  it.each(BREACHES)('%s sees too little traffic after every extension: production alone is restored: InsufficientTraffic', async (_, { graph, percent, index }) => {
    // Prepare
    const endpoint = productionEndpoint();

    // Act
    const execution = await runCanary(graph, endpoint, { [stage(index, percent).check]: checks(TOO_FEW) });

    // Assess
    expect(execution.states).toContain(stage(index, percent).insufficient);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InsufficientTraffic');
    expect(execution.cause).toContain(`Too little traffic at ${percent}% after ${graph.maxExtensions} extensions`);
    expect(callsTo(execution, stage(index, percent).check)).toHaveLength(graph.maxExtensions + 1);
    expect(execution.states.filter((s) => s === stage(index, percent).extend)).toHaveLength(graph.maxExtensions);
    expect(weightCalls(execution)).toEqual([...shiftsUpTo(graph.percents, index), '100/0']);
    expect(configUpdates(execution)).toEqual([CONFIGS.canary, CONFIGS.production]);
    expectProductionOnly(endpoint);
    expectOneMail(execution, 'InsufficientTraffic');
  });

  it.each(GRAPHS)('%s: an endpoint config of several variants, none named production: nothing is changed, EndpointUpdateFailed', async (_, graph) => {
    // Prepare: a single variant of any name is adopted (canary.adopt.test.ts); two cannot be told apart
    const endpoint = productionEndpoint();
    const variant = { ModelName: 'x', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 };
    endpoint.configs.set(CONFIGS.production, [{ VariantName: 'AllTraffic', ...variant }, { VariantName: 'Shadow', ...variant }]);

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
