/**
 * Not a test: the paths of the Retrain that every config variant shares, as a table of
 * scenarios (what fails, and what the run must have done after), and the world they
 * run in: the Retrain of one variant against fakes, its Canary and Rollback children
 * answered by stand-ins (their own graphs are covered by their own tests).
 *
 * test/statemachines/retrain/sweep-*.test.ts run the table on each variant's graph.
 */
import { expect } from 'vitest';
import { lockKey, stateKey } from '../../../statemachines';
import { FakeEndpoint, FakeTable, messagingHandlers, reportResult, trainingJobResult, transformJobResult } from '../fakes';
import { callsTo, run, stepError, type Execution, type Handler } from '../harness';
import { datasetReady } from './dataset-world';

export const EXECUTION_ID = 'arn:aws:states:us-east-1:123456789012:execution:retrain:sweep-1';
export const CAUSE = 'the step threw an unexpected error';
const OTHER_RUN = 'arn:aws:states:us-east-1:123456789012:execution:retrain:other';
const PAST = '2000-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';

/** A handler that throws `name` (an error no Catch but `States.ALL` names, by default). */
export const throws =
  (name = 'Test.Unexpected', cause = CAUSE): Handler =>
  () => {
    throw stepError(name, cause);
  };

/** What the canary child's stand-in does. */
export type CanaryAnswer = 'promoted' | 'never' | { readonly error: string } | { readonly cause: string };

/** What a run must have done after. */
export interface Expected {
  /** The run's error (undefined: it succeeded). */
  readonly error?: string;
  /** Edge ids the run must take (`<state>#next`, `#rule:<n>`, `#default`, `#catch:<n>`, `#fail`, `#succeed`). */
  readonly edges: readonly string[];
  /** The endpoint after: as it was, serving the canary's new config, a first endpoint in service, deleted again, or left Failed. */
  readonly endpoint: 'old' | 'new' | 'first' | 'deleted' | 'left';
  /** The run lock after: released by this run, held by another run all along, still held (its release failed; it expires), or never taken. */
  readonly lock?: 'released' | 'other' | 'kept' | 'none';
  /** The Rollback state machine was started to restore the previous config. */
  readonly rolledBack?: boolean;
  /** The promotion could not be recorded (the state item keeps the old config). */
  readonly unrecorded?: boolean;
  /** Text the outcome notification carries (the cause). */
  readonly mailed?: string;
}

/** One path of the Retrain: the world it runs in and what it must do. */
export interface Scenario {
  readonly name: string;
  readonly input?: Record<string, unknown>;
  /** Attributes of the model's state item over the defaults; null: no item recorded. */
  readonly state?: Record<string, string> | null;
  /** Another run holds the lock (not expired). */
  readonly lockedByOther?: boolean;
  /** No production endpoint yet (DescribeEndpoint answers "Could not find endpoint"). */
  readonly noEndpoint?: boolean;
  readonly canary?: CanaryAnswer;
  /** Handlers by state name over the world's. */
  readonly states?: Record<string, Handler>;
  readonly integrations?: Record<string, Handler>;
  readonly taskTimeouts?: Record<string, number>;
  readonly expected: Expected;
}

/** The state names a variant's graph uses where the base graph uses others. */
export interface VariantNames {
  /** The training (or tuning) job state. */
  readonly trainingJob: string;
}

const endpointDescribed = (status: string, configName: string): Handler => () => ({
  EndpointName: 'churn-endpoint',
  EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-endpoint',
  EndpointConfigName: configName,
  EndpointStatus: status,
  CreationTime: '2024-01-01T00:00:00Z',
  LastModifiedTime: '2024-01-02T00:00:00Z',
});

const rejectedVerdict: Handler = (i) => ({
  passed: false,
  candidate: { f1: 0.7 },
  production: { f1: 0.81 },
  rules: [{ kind: 'relative', metric: 'f1', passed: false, candidate: 0.7, production: 0.81, threshold: 0.01, message: 'f1 fell 0.11' }],
  metricsUri: i.metricsUri,
});

/** The paths every variant shares. */
export function sharedScenarios(names: VariantNames): Scenario[] {
  const first = { noEndpoint: true };
  const firstFailed = (name: string, describe: Handler, edge: string): Scenario => ({
    name: `first endpoint ${name}: EndpointUpdateFailed, the endpoint this run created deleted`,
    ...first,
    states: { 'First endpoint: describe endpoint': describe },
    expected: { error: 'EndpointUpdateFailed', edges: [edge, `First endpoint: ${name}#next`, 'First endpoint failed#next', 'Endpoint to restore?#rule:2', 'Delete failed endpoint#next', 'EndpointUpdateFailed#fail'], endpoint: 'deleted' },
  });
  const canaryRolledBack = (error: string): Scenario => ({
    name: `canary rolled back on its own with ${error}: the run ends with it, nothing more to restore`,
    canary: { error },
    expected: { error, edges: ['Canary ended with?#rule:1', 'Canary rolled back#next', 'Canary restored endpoint#next', `${error}#fail`], endpoint: 'old' },
  });
  const canaryFailed = (error: string): Scenario => ({
    name: `canary failed with ${error}: the run ends with it, the canary restored the endpoint`,
    canary: { error },
    expected: { error, edges: ['Canary ended with?#rule:2', 'Canary failed#next', 'Canary restored endpoint#next', `${error}#fail`], endpoint: 'old' },
  });
  const unexpected = (state: string, catchIndex: number, o: Partial<Scenario> = {}, lock: Expected['lock'] = 'released'): Scenario => ({
    name: `${state} throws: PipelineFailed through Unexpected error`,
    states: { [state]: throws() },
    ...o,
    expected: { error: 'PipelineFailed', edges: [`${state}#catch:${catchIndex}`, 'Unexpected error#next', 'PipelineFailed#fail'], endpoint: 'old', lock, mailed: CAUSE },
  });
  const afterOutcome = (state: string, target: string, rejected: boolean): Scenario => ({
    name: `${state} throws after a ${rejected ? 'rejection' : 'promotion'}: the run goes on to ${target} and ends as it would have`,
    states: { [state]: throws(), ...(rejected ? { 'Evaluate candidate': rejectedVerdict } : {}) },
    expected: {
      ...(rejected ? { error: 'GateRejected' } : {}),
      edges: [`${state}#catch:1`],
      endpoint: rejected ? 'old' : 'new',
      lock: state === 'Release run lock' ? 'kept' : 'released',
      unrecorded: state === 'Record production model',
    },
  });
  return [
    { name: 'promotes through the canary', expected: { edges: ['Canary promoted candidate#next', 'Record promotion?#rule:1', 'Promoted#succeed'], endpoint: 'new' } },
    { name: 'promotes when forced during the cooldown', input: { force: true }, state: { cooldownUntil: FUTURE }, expected: { edges: ['Cooldown over?#rule:1', 'Promoted#succeed'], endpoint: 'new' } },
    { name: 'promotes with no production state recorded', state: null, expected: { edges: ['Production recorded?#default', 'No production baseline#next', 'Promoted#succeed'], endpoint: 'new' } },
    { name: 'skips while another run holds the lock', lockedByOther: true, expected: { edges: ['Take run lock#catch:1', 'Record promotion?#rule:2', 'Lock held?#default', 'Skipped#succeed'], endpoint: 'old', lock: 'other' } },
    { name: 'skips in the cooldown', state: { cooldownUntil: FUTURE }, expected: { edges: ['Cooldown over?#rule:2', 'In cooldown#next', 'Skipped#succeed'], endpoint: 'old' } },
    {
      name: 'creates the first endpoint when none exists',
      ...first,
      expected: { edges: ['Endpoint missing?#rule:1', 'Production model to score?#default', 'First deployment?#rule:1', 'First endpoint: endpoint ready?#default', 'First endpoint: endpoint ready?#rule:3', 'First endpoint live#next', 'Promoted#succeed'], endpoint: 'first' },
    },
    {
      name: 'creates the first endpoint when DescribeEndpoint answers ResourceNotFound',
      ...first,
      states: { 'Find production endpoint': throws('SageMaker.ResourceNotFoundException', 'Endpoint churn-endpoint not found') },
      expected: { edges: ['Find production endpoint#catch:1', 'No production endpoint#next', 'Promoted#succeed'], endpoint: 'first' },
    },
    {
      name: 'DescribeEndpoint fails for another reason than a missing endpoint: PipelineFailed',
      states: { 'Find production endpoint': throws('SageMaker.SageMakerException', `${CAUSE} (Service: SageMaker, Status Code: 500)`) },
      expected: { error: 'PipelineFailed', edges: ['Find production endpoint#catch:2', 'Endpoint missing?#default', 'Unexpected error#next'], endpoint: 'old', mailed: CAUSE },
    },
    {
      name: 'training data critical: DataQualityFailed',
      states: { 'Validate training data': () => ({ status: 'critical', checks: [{ check: 'missing', status: 'critical' }], rows: 10 }) },
      expected: { error: 'DataQualityFailed', edges: ['Training data usable?#rule:1', 'Training data critical#next', 'DataQualityFailed#fail'], endpoint: 'old' },
    },
    {
      name: 'training job fails: TrainingFailed',
      states: { [names.trainingJob]: throws('States.TaskFailed', 'AlgorithmError: out of memory') },
      expected: { error: 'TrainingFailed', edges: [`${names.trainingJob}#catch:1`, 'Training failed#next', 'TrainingFailed#fail'], endpoint: 'old', mailed: 'out of memory' },
    },
    {
      name: 'training job times out: TrainingFailed',
      states: { [names.trainingJob]: () => new Promise(() => undefined) },
      taskTimeouts: { [names.trainingJob]: 0.05 },
      expected: { error: 'TrainingFailed', edges: [`${names.trainingJob}#catch:1`, 'TrainingFailed#fail'], endpoint: 'old' },
    },
    { name: 'gate rejects: GateRejected', states: { 'Evaluate candidate': rejectedVerdict }, expected: { error: 'GateRejected', edges: ['Gate passed?#default', 'Register rejected candidate#next', 'Record promotion?#default', 'GateRejected#fail'], endpoint: 'old' } },
    canaryRolledBack('SmokeTestFailed'),
    canaryRolledBack('CanaryBreached'),
    canaryRolledBack('InsufficientTraffic'),
    canaryRolledBack('EndpointUpdateFailed'),
    canaryFailed('PipelineFailed'),
    canaryFailed('RollbackFailed'),
    {
      name: 'canary ends with a cause that is no execution: PipelineFailed, the endpoint rolled back',
      canary: { cause: 'connection reset' },
      expected: { error: 'PipelineFailed', edges: ['Canary cause readable?#default', 'Canary did not finish#next', 'Endpoint to restore?#rule:1', 'Roll back endpoint#next'], endpoint: 'old', rolledBack: true, mailed: 'connection reset' },
    },
    {
      name: 'canary ends with an error it never names: PipelineFailed, the endpoint rolled back',
      canary: { error: 'States.Runtime' },
      expected: { error: 'PipelineFailed', edges: ['Canary ended with?#default', 'Canary did not finish#next', 'Roll back endpoint#next'], endpoint: 'old', rolledBack: true },
    },
    {
      name: 'canary times out: PipelineFailed, the endpoint rolled back',
      canary: 'never',
      taskTimeouts: { 'Run canary': 0.05 },
      expected: { error: 'PipelineFailed', edges: ['Run canary#catch:2', 'Unexpected error#next', 'Endpoint to restore?#rule:1'], endpoint: 'old', rolledBack: true },
    },
    {
      name: 'the rollback of a lost canary fails: the report is still written, PipelineFailed',
      canary: { cause: 'connection reset' },
      states: { 'Roll back endpoint': throws() },
      expected: { error: 'PipelineFailed', edges: ['Roll back endpoint#catch:1', 'Write run report#next'], endpoint: 'old', rolledBack: true },
    },
    firstFailed('endpoint failed', endpointDescribed('Failed', 'whatever'), 'First endpoint: endpoint ready?#rule:1'),
    firstFailed('endpoint rolling back', endpointDescribed('RollingBack', 'whatever'), 'First endpoint: endpoint ready?#rule:2'),
    firstFailed('silent rollback', endpointDescribed('InService', 'another-config'), 'First endpoint: endpoint ready?#rule:4'),
    firstFailed('too slow', endpointDescribed('Creating', ''), 'First endpoint: endpoint ready?#rule:5'),
    firstFailed('describe failed', throws(), 'First endpoint: describe endpoint#catch:1'),
    {
      name: 'SageMaker rejects the first endpoint config: EndpointUpdateFailed, nothing created or deleted',
      ...first,
      states: { 'Create first endpoint config': throws('SageMaker.AmazonSageMakerException', 'ResourceLimitExceeded') },
      expected: { error: 'EndpointUpdateFailed', edges: ['Create first endpoint config#catch:1', 'First endpoint rejected#next', 'First deployment failed#next', 'Endpoint to restore?#default'], endpoint: 'deleted', mailed: 'ResourceLimitExceeded' },
    },
    {
      name: 'SageMaker rejects the first endpoint: EndpointUpdateFailed, nothing deleted',
      ...first,
      states: { 'Create endpoint': throws('SageMaker.AmazonSageMakerException', 'Cannot create already existing endpoint') },
      expected: { error: 'EndpointUpdateFailed', edges: ['Create endpoint#catch:1', 'First endpoint rejected#next', 'Endpoint to restore?#default'], endpoint: 'deleted' },
    },
    {
      name: 'the failed first endpoint cannot be deleted: the report is still written, EndpointUpdateFailed',
      ...first,
      states: { 'First endpoint: describe endpoint': endpointDescribed('Failed', 'whatever'), 'Delete failed endpoint': throws() },
      expected: { error: 'EndpointUpdateFailed', edges: ['Delete failed endpoint#catch:1', 'Write run report#next'], endpoint: 'left' },
    },
    unexpected('Take run lock', 2, { states: {}, integrations: { 'dynamodb:putItem': throws() } }, 'none'),
    unexpected('Load production state', 1),
    unexpected('Validate training data', 1),
    unexpected('Create candidate model', 1),
    unexpected('Profile baseline', 1),
    unexpected('Describe production config', 1),
    unexpected('Prepare holdout', 1),
    unexpected('Score holdout', 1, { states: {}, integrations: { 'sagemaker:createTransformJob': throws() } }),
    unexpected('Evaluate candidate', 1),
    unexpected('Register candidate', 1),
    afterOutcome('Register rejected candidate', 'Gate rejected candidate', true),
    afterOutcome('Write run report', 'Report failed: no cooldown', false),
    afterOutcome('Record retry time', 'Lock held?', true),
    afterOutcome('Record production model', 'Lock held?', false),
    afterOutcome('Release run lock', 'Notify outcome', false),
    afterOutcome('Notify outcome', 'Count outcome', false),
    afterOutcome('Count outcome', 'Publish outcome event', false),
    afterOutcome('Publish outcome event', 'Run ended with?', false),
  ];
}

/** The output of the canary's "Canary promoted" end. */
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

/** The canary child's stand-in (`startExecution.sync:2`: a failed child fails the task with States.TaskFailed). */
function canaryChild(answer: CanaryAnswer): Handler {
  return () => {
    const base = { ExecutionArn: `${EXECUTION_ID}-canary`, StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:canary' };
    if (answer === 'promoted') return { ...base, Status: 'SUCCEEDED', Output: CANARY_PROMOTED, StartDate: 1, StopDate: 2 };
    if (answer === 'never') return new Promise(() => undefined);
    if ('cause' in answer) throw stepError('States.TaskFailed', answer.cause);
    throw stepError('States.TaskFailed', JSON.stringify({ ...base, Status: 'FAILED', Error: answer.error, Cause: `${answer.error}: the canary's own cause` }));
  };
}

/** Runs one scenario on `definition`; `variantStates` are the variant's own handlers. */
export async function runScenario(definition: Record<string, unknown>, scenario: Scenario, variantStates: Record<string, Handler>) {
  const table = new FakeTable();
  if (scenario.state !== null) {
    const attributes = { baselineUri: 's3://artifacts/baselines/churn/old/baseline.json', cooldownUntil: PAST, endpointConfigName: 'churn-old-final', trainingCutoff: '2026-11-01T00:00:00.000Z', ...scenario.state };
    table.items.set(stateKey('churn'), { pk: { S: stateKey('churn') }, ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { S: v }])) });
  }
  if (scenario.lockedByOther) table.items.set(lockKey('churn'), { pk: { S: lockKey('churn') }, executionId: { S: OTHER_RUN }, expiresAt: { N: '32503680000' } });
  const endpoint = new FakeEndpoint('churn-endpoint', { exists: !scenario.noEndpoint });
  const execution = await run(definition, scenario.input ?? {}, {
    executionId: EXECUTION_ID,
    startTime: '2026-12-01T00:00:00.000Z',
    ...(scenario.taskTimeouts ? { taskTimeouts: scenario.taskTimeouts } : {}),
    integrations: {
      ...endpoint.handlers(),
      ...table.handlers(),
      ...messagingHandlers(),
      'sagemaker:createTrainingJob': trainingJobResult,
      'sagemaker:createModel': (i) => ({ ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${i.ModelName}` }),
      'sagemaker:createTransformJob': transformJobResult,
      'sagemaker:createModelPackage': () => ({ ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/3' }),
      'sagemaker:updateModelPackage': () => ({ ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/3' }),
      ...scenario.integrations,
    },
    states: {
      'Validate training data': () => ({ status: 'healthy', checks: [], rows: 5000 }),
      'Profile baseline': (i) => ({ baselineUri: i.outputUri, rows: 5000, features: ['age', 'plan'] }),
      'Prepare holdout': (i) => ({ transformInputUri: i.transformInputUri, labelsUri: i.labelsUri, rows: 1000, features: ['age', 'plan'] }),
      'Evaluate candidate': (i) => ({ passed: true, candidate: { f1: 0.84 }, production: { f1: 0.81 }, rules: [], metricsUri: i.metricsUri }),
      'Write run report': reportResult,
      'Run canary': canaryChild(scenario.canary ?? 'promoted'),
      'Roll back endpoint': () => ({ ExecutionArn: `${EXECUTION_ID}-rollback`, Status: 'SUCCEEDED', Output: { outcome: 'RolledBack' }, StartDate: 1, StopDate: 2 }),
      ...variantStates,
      ...scenario.states,
    },
  });
  return { execution, table, endpoint };
}

/** The world handlers of the variants' own states. */
export const VARIANT_STATES = {
  manual: { 'Ask for approval': () => ({ approved: true }) } as Record<string, Handler>,
  tuning: {
    'Tune candidate': (i: any) => ({ HyperParameterTuningJobName: i.HyperParameterTuningJobName, HyperParameterTuningJobStatus: 'Completed', BestTrainingJob: { TrainingJobName: 'pt-0123456789ab-001-abcdef01' } }),
    'Describe best training job': (i: any) => trainingJobResult({ TrainingJobName: i.TrainingJobName }),
  } as Record<string, Handler>,
  dataset: {
    'Prepare dataset': datasetReady,
    'Prepare fixed holdout': (i: any) => ({ transformInputUri: i.transformInputUri, labelsUri: i.labelsUri, rows: 300, features: ['age', 'plan'] }),
    'Evaluate on fixed holdout': (i: any) => ({ passed: true, candidate: { f1: 0.83 }, production: { f1: 0.8 }, rules: [], metricsUri: i.metricsUri }),
  } as Record<string, Handler>,
  builtIn: {
    'Prepare training channel': (i: any) => ({ transformInputUri: i.transformInputUri, labelsUri: i.labelsUri, rows: 5000, features: ['age', 'plan'] }),
  } as Record<string, Handler>,
};

/** Asserts what the run did after, as `expected` says. */
export function assessScenario(result: Awaited<ReturnType<typeof runScenario>>, expected: Expected) {
  const { execution, table, endpoint } = result;
  expect(execution.missing).toEqual([]);
  expect(execution.error).toBe(expected.error);
  expect(execution.status).toBe(expected.error ? 'FAILED' : 'SUCCEEDED');
  expect([...expected.edges].filter((e) => !execution.edges.has(e))).toEqual([]);
  // Every run writes its report and mails its outcome once, whatever failed.
  expect(callsTo(execution, 'Write run report')).toHaveLength(1);
  const mails = callsTo(execution, 'Notify outcome');
  expect(mails).toHaveLength(1);
  if (expected.mailed) expect(JSON.stringify(mails[0]!.input)).toContain(expected.mailed);
  expectLock(execution, table, expected.lock ?? 'released');
  expectEndpoint(execution, table, endpoint, expected.endpoint, expected.unrecorded);
  const rollbacks = callsTo(execution, 'Roll back endpoint');
  expect(rollbacks.length > 0).toBe(expected.rolledBack === true);
  for (const r of rollbacks) expect(r.input.Input).toMatchObject({ endpointConfigName: 'churn-old-final', lockHolder: EXECUTION_ID });
}

function expectLock(execution: Execution, table: FakeTable, lock: NonNullable<Expected['lock']>) {
  const releases = callsTo(execution, 'dynamodb:deleteItem');
  if (lock === 'none') {
    expect(table.items.has(lockKey('churn'))).toBe(false);
    expect(releases).toHaveLength(0);
    return;
  }
  if (lock === 'other') {
    expect(table.items.get(lockKey('churn'))!.executionId!.S).toBe(OTHER_RUN);
    expect(releases).toHaveLength(0);
    return;
  }
  expect(releases).toHaveLength(1);
  expect(releases[0]!.input.ExpressionAttributeValues[':me'].S).toBe(EXECUTION_ID);
  if (lock === 'released') expect(table.items.has(lockKey('churn'))).toBe(false);
  else expect(table.items.get(lockKey('churn'))!.executionId!.S).toBe(EXECUTION_ID);
}

function expectEndpoint(execution: Execution, table: FakeTable, endpoint: FakeEndpoint, expected: Expected['endpoint'], unrecorded = false) {
  const recorded = table.items.get(stateKey('churn'))?.endpointConfigName?.S;
  const deletes = callsTo(execution, 'sagemaker:deleteEndpoint');
  switch (expected) {
    case 'old':
      expect(endpoint.exists).toBe(true);
      expect(endpoint.configName).toBe('churn-old-final');
      expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
      expect(recorded === undefined || recorded === 'churn-old-final').toBe(true);
      expect(deletes).toHaveLength(0);
      break;
    case 'new':
      // The canary (a stand-in here) moved the endpoint; the run recorded its config as production.
      expect(recorded).toBe(unrecorded ? 'churn-old-final' : 'churn-new-final');
      expect(deletes).toHaveLength(0);
      break;
    case 'first':
      expect(endpoint.exists).toBe(true);
      expect(endpoint.status).toBe('InService');
      expect(endpoint.configName).toBe(callsTo(execution, 'sagemaker:createEndpoint')[0]!.input.EndpointConfigName);
      expect(recorded).toBe(endpoint.configName);
      expect(deletes).toHaveLength(0);
      break;
    case 'deleted':
      // Created by this run and deleted again, or never created: no endpoint is left behind.
      expect(endpoint.exists).toBe(false);
      expect(deletes).toHaveLength(execution.states.includes('Endpoint created') ? 1 : 0);
      break;
    case 'left':
      expect(deletes).toHaveLength(1);
      expect(endpoint.exists).toBe(true);
      break;
  }
}
