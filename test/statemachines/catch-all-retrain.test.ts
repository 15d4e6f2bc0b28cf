/**
 * Every `States.ALL` Catch of the Retrain on the base graph, each driven by making its
 * step throw an error no other Catch names, and what the run did after: the run lock
 * released, the endpoint as it was, the report written, the outcome mailed, the named
 * error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lockKey, stateKey } from '../../statemachines';
import { FakeEndpoint, FakeTable, messagingHandlers, reportResult, trainingJobResult, transformJobResult } from './fakes';
import { synthesize, type Synthesized } from './fixtures';
import { callsTo, run, stepError, type Execution, type Handler } from './harness';

const EXECUTION_ID = 'arn:aws:states:us-east-1:123456789012:execution:retrain:run-1';
const CAUSE = 'the step threw an unexpected error';
const throws: Handler = () => {
  throw stepError('Test.Unexpected', CAUSE);
};

/** The output of the canary's "Canary promoted" state. */
const CANARY_PROMOTED = {
  outcome: 'Promoted',
  endpointConfigName: 'churn-new-final',
  previousEndpointConfigName: 'churn-old-final',
  canaryConfigName: 'churn-new-canary',
  productionModelName: 'churn-old',
  candidateModelName: 'churn-new',
  smokeTest: { passed: true, requests: 100, failures: 0, p99Ms: 100 },
  stages: {},
};

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

interface Overrides {
  readonly states?: Record<string, Handler>;
  readonly integrations?: Record<string, Handler>;
}

/** A Retrain against fakes whose canary child promotes; `o` replaces handlers. */
async function retrain(o: Overrides, taskTimeouts?: Record<string, number>) {
  const endpoint = new FakeEndpoint('churn-endpoint');
  const table = new FakeTable();
  table.items.set(stateKey('churn'), {
    pk: { S: stateKey('churn') },
    baselineUri: { S: 's3://artifacts/baselines/churn/old/baseline.json' },
    cooldownUntil: { S: '2000-01-01T00:00:00.000Z' },
    endpointConfigName: { S: 'churn-old-final' },
  });
  const integrations = { ...endpoint.handlers(), ...table.handlers(), ...messagingHandlers() };
  const execution = await run(synth.definitions.retrain, {}, {
    executionId: EXECUTION_ID,
    ...(taskTimeouts ? { taskTimeouts } : {}),
    integrations: {
      ...integrations,
      'sagemaker:createTrainingJob': trainingJobResult,
      'sagemaker:createModel': (i) => ({ ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${i.ModelName}` }),
      'sagemaker:createTransformJob': transformJobResult,
      'sagemaker:createModelPackage': () => ({ ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/3' }),
      'states:startExecution': () => ({ ExecutionArn: `${EXECUTION_ID}-canary`, Status: 'SUCCEEDED', Output: CANARY_PROMOTED, StartDate: 1, StopDate: 2 }),
      ...o.integrations,
    },
    states: {
      'Validate training data': () => ({ status: 'healthy', checks: [], rows: 5000 }),
      'Profile baseline': (i) => ({ baselineUri: i.outputUri, rows: 5000, features: ['age', 'plan'] }),
      'Prepare holdout': (i) => ({ transformInputUri: i.transformInputUri, labelsUri: i.labelsUri, rows: 1000, features: ['age', 'plan'] }),
      'Evaluate candidate': (i) => ({ passed: true, candidate: { f1: 0.84 }, production: { f1: 0.81 }, rules: [], metricsUri: i.metricsUri }),
      'Write run report': reportResult,
      ...o.states,
    },
  });
  return { execution, endpoint, table };
}

const rejected: Handler = (i) => ({
  passed: false,
  candidate: { f1: 0.7 },
  production: { f1: 0.81 },
  rules: [{ kind: 'relative', metric: 'f1', passed: false, candidate: 0.7, production: 0.81, threshold: 0.01, message: 'f1 fell 0.11' }],
  metricsUri: i.metricsUri,
});

function expectLockReleased(execution: Execution, table: FakeTable) {
  expect(table.items.has(lockKey('churn'))).toBe(false);
  expect(callsTo(execution, 'dynamodb:deleteItem').every((c) => c.input.ExpressionAttributeValues[':me'].S === EXECUTION_ID)).toBe(true);
}

describe('State machine: Retrain, every States.ALL Catch to Unexpected error', () => {
  // [state whose States.ALL Catch is taken, handlers that make it throw, Catch index]
  const cases: [string, Overrides, number][] = [
    ['Take run lock', { integrations: { 'dynamodb:putItem': throws } }, 2],
    ['Load production state', { states: { 'Load production state': throws } }, 1],
    ['Validate training data', { states: { 'Validate training data': throws } }, 1],
    ['Create candidate model', { states: { 'Create candidate model': throws } }, 1],
    ['Profile baseline', { states: { 'Profile baseline': throws } }, 1],
    ['Describe production config', { states: { 'Describe production config': throws } }, 1],
    ['Prepare holdout', { states: { 'Prepare holdout': throws } }, 1],
    ['Score holdout', { integrations: { 'sagemaker:createTransformJob': throws } }, 1],
    ['Evaluate candidate', { states: { 'Evaluate candidate': throws } }, 1],
    ['Register candidate', { states: { 'Register candidate': throws } }, 1],
  ];

  it.each(cases)('%s throws: lock released, endpoint as it was, report written, outcome mailed, PipelineFailed', async (state, overrides, index) => {
    // Act
    const { execution, endpoint, table } = await retrain(overrides);

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.edges.has(`${state}#catch:${index}`)).toBe(true);
    expect(execution.states).toContain('Unexpected error');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    expectLockReleased(execution, table);
    expect(endpoint.configName).toBe('churn-old-final');
    const report = callsTo(execution, 'Write run report');
    expect(report).toHaveLength(1);
    expect(JSON.stringify(report[0]!.input)).toContain(CAUSE);
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
    expect(table.items.get(stateKey('churn'))!.endpointConfigName!.S).toBe('churn-old-final');
  });
});

describe('State machine: Retrain, Run canary timed out', () => {
  it('takes the States.ALL Catch (States.TaskFailed matches every other task error), releases the lock and fails with PipelineFailed', async () => {
    // Prepare: the canary child never answers within the task's timeout
    const never: Handler = () => new Promise(() => undefined);

    // Act
    const { execution, endpoint, table } = await retrain({ states: { 'Run canary': never } }, { 'Run canary': 0.05 });

    // Assess
    expect(execution.edges.has('Run canary#catch:2')).toBe(true);
    expect(execution.states).toContain('Unexpected error');
    expect(execution.error).toBe('PipelineFailed');
    expectLockReleased(execution, table);
    expect(endpoint.configName).toBe('churn-old-final');
    expect(callsTo(execution, 'Write run report')).toHaveLength(1);
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
  });
});

describe('State machine: Retrain, Catches of the steps after the outcome', () => {
  // [state that throws, its Catch target, gate verdict, the run's error]
  const cases: [string, string, 'passed' | 'rejected', string | undefined][] = [
    ['Register rejected candidate', 'Gate rejected candidate', 'rejected', 'GateRejected'],
    ['Write run report', 'Report failed: no cooldown', 'passed', undefined],
    ['Record retry time', 'Lock held?', 'rejected', 'GateRejected'],
    ['Record production model', 'Lock held?', 'passed', undefined],
    ['Release run lock', 'Notify outcome', 'passed', undefined],
    ['Notify outcome', 'Count outcome', 'passed', undefined],
    ['Count outcome', 'Publish outcome event', 'passed', undefined],
    ['Publish outcome event', 'Run ended with?', 'passed', undefined],
  ];

  it.each(cases)('%s throws: the run goes on to %s and ends as the gate said (%s)', async (state, target, verdict, error) => {
    // Act
    const { execution, table } = await retrain({ states: { [state]: throws, ...(verdict === 'rejected' ? { 'Evaluate candidate': rejected } : {}) } });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.edges.has(`${state}#catch:1`)).toBe(true);
    expect(execution.states[execution.states.indexOf(state) + 1]).toBe(target);
    expect(execution.error).toBe(error);
    expect(execution.status).toBe(error ? 'FAILED' : 'SUCCEEDED');
    // The lock is released unless releasing it is what failed (then it expires).
    if (state !== 'Release run lock') expectLockReleased(execution, table);
    else expect(table.items.has(lockKey('churn'))).toBe(true);
    // The outcome is mailed (a failing mail is still attempted once).
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
  });
});
