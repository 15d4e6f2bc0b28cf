import { beforeAll, describe, expect, it } from 'vitest';
import { lockKey, stateKey } from '../../../statemachines';
import { FAKE_FAILURE_REASON, FakeEndpoint, FakeTable, messagingHandlers, reportResult, trainingJobResult, transformJobResult } from '../fakes';
import { retrainBudget } from '../../../statemachines/timeouts';
import { modelConfig, synthesize, type Synthesized } from '../fixtures';
import { callsTo, run, stepError, type Execution, type Handler } from '../harness';

const STAGES = [10, 50, 100];
const EXECUTION_ID = 'arn:aws:states:us-east-1:123456789012:execution:retrain:run-1';
const future = '2999-01-01T00:00:00.000Z';
const past = '2000-01-01T00:00:00.000Z';

const spotModel = modelConfig({ training: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1', managedSpot: true, maxRuntimeSeconds: 7200 } });
let auto: Synthesized;
let manual: Synthesized;
let spot: Synthesized;
beforeAll(() => {
  auto = synthesize();
  manual = synthesize(modelConfig({ approval: { mode: 'manual', timeoutHours: 2 } }));
  spot = synthesize(spotModel);
});

interface World {
  endpoint: FakeEndpoint;
  table: FakeTable;
  canaryStates?: Record<string, Handler>;
  states?: Record<string, Handler>;
}

/** Runs the Retrain of `synth` against fakes; the canary child runs in the local engine too. */
async function retrain(synth: Synthesized, input: unknown, world: World): Promise<Execution & { canary?: Execution }> {
  let canary: Execution | undefined;
  const integrations = { ...world.endpoint.handlers(), ...world.table.handlers(), ...messagingHandlers() };
  const canaryChecks = Object.fromEntries(
    STAGES.map((p, i) => [`Stage ${i + 1} (${p}%): check candidate`, () => ({ verdict: 'pass', rule: 'noErrors', breached: false, metrics: { candidate: {} } })]),
  );
  const execution = await run(synth.definitions.retrain, input, {
    executionId: EXECUTION_ID,
    integrations: {
      ...integrations,
      'sagemaker:createTrainingJob': trainingJobResult,
      'sagemaker:createModel': (i) => ({ ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${i.ModelName}` }),
      'sagemaker:createTransformJob': transformJobResult,
      'sagemaker:createModelPackage': () => ({ ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/3' }),
      'sagemaker:updateModelPackage': () => ({ ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/3' }),
      'states:startExecution': async (input) => {
        canary = await run(synth.definitions.canary, input.Input, {
          integrations,
          states: {
            'Smoke test candidate': () => ({ passed: true, requests: 100, failures: 0, p99Ms: 100 }),
            ...canaryChecks,
            ...world.canaryStates,
          },
        });
        const base = { ExecutionArn: `${EXECUTION_ID}-canary`, StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:canary' };
        if (canary.status === 'SUCCEEDED') return { ...base, Status: 'SUCCEEDED', Output: canary.output, StartDate: 1, StopDate: 2 };
        throw stepError('States.TaskFailed', JSON.stringify({ ...base, Status: 'FAILED', Error: canary.error, Cause: canary.cause }));
      },
    },
    states: {
      'Validate training data': () => ({ status: 'healthy', checks: [], rows: 5000 }),
      'Profile baseline': (i) => ({ baselineUri: i.outputUri, rows: 5000, features: ['age', 'plan'] }),
      'Prepare holdout': prepareHoldoutResult,
      'Evaluate candidate': (i) => ({
        passed: true,
        candidate: { f1: 0.84 },
        production: { f1: 0.81 },
        rules: [{ kind: 'relative', metric: 'f1', passed: true, candidate: 0.84, production: 0.81, threshold: 0.01, message: 'ok' }],
        metricsUri: i.metricsUri,
      }),
      'Write run report': reportResult,
      ...world.states,
    },
  });
  expectHoldoutPrepared(execution);
  return { ...execution, canary };
}

/** What the prepareHoldout Lambda returns (contract: PrepareHoldoutOutput). */
function prepareHoldoutResult(input: any) {
  return { transformInputUri: input.transformInputUri, labelsUri: input.labelsUri, rows: 1000, features: input.features.length ? input.features : ['age', 'plan'] };
}

/**
 * On every path that reaches the transforms: the holdout was prepared once, before
 * them, every transform read the prepared input (never the raw holdout) and the
 * evaluation read the labels of the same rows.
 */
function expectHoldoutPrepared(execution: Execution) {
  const transforms = callsTo(execution, 'sagemaker:createTransformJob');
  const prepared = callsTo(execution, 'Prepare holdout');
  if (transforms.length === 0) return;
  expect(prepared).toHaveLength(1);
  expect(execution.states.indexOf('Prepare holdout')).toBeLessThan(execution.states.indexOf('Score holdout'));
  const inputUri = prepared[0]!.input.transformInputUri as string;
  for (const t of transforms) {
    expect(t.input.TransformInput).toMatchObject({ DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: inputUri } }, ContentType: 'text/csv', SplitType: 'Line' });
  }
  for (const e of callsTo(execution, 'Evaluate candidate')) {
    expect(e.input.labelsUri).toBe(prepared[0]!.input.labelsUri);
    expect(e.input.holdoutUri).toBeUndefined();
  }
}

function freshWorld(extra: Partial<World> = {}): World {
  const table = new FakeTable();
  table.items.set(stateKey('churn'), {
    pk: { S: stateKey('churn') },
    baselineUri: { S: 's3://artifacts/baselines/churn/old/baseline.json' },
    cooldownUntil: { S: past },
    endpointConfigName: { S: 'churn-old-final' },
  });
  return { endpoint: new FakeEndpoint('churn-endpoint'), table, ...extra };
}

function outcomeEvent(execution: Execution) {
  return callsTo(execution, 'events:putEvents')[0]?.input.Entries[0];
}

/** The event's detail (an object in the task input; Step Functions serializes it). */
function eventDetail(execution: Execution) {
  const detail = outcomeEvent(execution)?.Detail;
  return typeof detail === 'string' ? JSON.parse(detail) : detail;
}

/** The guard is free and every attempt to release it named this execution. */
function expectLockReleased(execution: Execution, world: World) {
  expect(world.table.items.has(lockKey('churn'))).toBe(false);
  const releases = callsTo(execution, 'dynamodb:deleteItem');
  expect(releases).toHaveLength(1);
  expect(releases[0]!.input.ExpressionAttributeValues[':me'].S).toBe(EXECUTION_ID);
}

describe('State machine: Retrain', () => {
  it('promotes a candidate through the canary with input {}', async () => {
    // Prepare
    const world = freshWorld();

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.cause).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states.at(-1)).toBe('Promoted');
    expect(execution.canary?.status).toBe('SUCCEEDED');
    expect(world.endpoint.configName).toMatch(/^pitstop-churn-[0-9a-f]{12}-final$/);
    const state = world.table.items.get(stateKey('churn'))!;
    expect(state.endpointConfigName!.S).toBe(world.endpoint.configName);
    expect(state.previousEndpointConfigName!.S).toBe('churn-old-final');
    expect(state.cooldownUntil!.S).toBe('2024-06-08T12:00:00.000Z');
    // what the promotion replaced is kept for a rollback of it; the new model's cut-off and max age are recorded
    expect(state.previousBaselineUri!.S).toBe('s3://artifacts/baselines/churn/old/baseline.json');
    expect(state.previousCooldownUntil!.S).toBe(past);
    expect(state.previousProductionModelName!.S).toBe('');
    expect(state.baselineUri!.S).not.toBe('s3://artifacts/baselines/churn/old/baseline.json');
    expect(state.trainingCutoff!.S).toBe(execution.calls.find((c) => c.state === 'Write run report')!.input.startedAt);
    expect(state.maxAgeAt!.S).toBe('2024-07-01T12:00:00.000Z');
    expect(state.retryAfter).toBeUndefined();
    // the evaluation wrote the candidate's holdout predictions where the record points the monitor
    const referenceUri = callsTo(execution, 'Evaluate candidate')[0]!.input.referenceUri as string;
    expect(referenceUri).toMatch(/^s3:\/\/[^/]+\/(.*\/)?models\/churn\/churn-[0-9a-f]{12}\/holdout-predictions\.json$/);
    expect(state.predictionReferenceUri!.S).toBe(referenceUri);
    expect(state.previousPredictionReferenceUri!.S).toBe('');
    expect(callsTo(execution, 'Write run report')[0]!.input).toMatchObject({ maxModelAgeDays: 30, retryAfterHours: 24 });
    expect(callsTo(execution, 'sagemaker:createModelPackage')[0]!.input.ModelApprovalStatus).toBe('Approved');
    // both transforms ran on the same holdout, production with the endpoint's model
    const transforms = callsTo(execution, 'sagemaker:createTransformJob');
    const scored = transforms.map((t) => t.input.ModelName as string);
    expect(scored).toHaveLength(2);
    expect(scored).toContain('churn-old');
    expect(scored.find((name) => name !== 'churn-old')).toMatch(/^pitstop-churn-[0-9a-f]{12}$/);
    expect(callsTo(execution, 'Prepare holdout')).toHaveLength(1);
    expect(transforms.map((t) => t.input.TransformInput.DataSource.S3DataSource.S3Uri)).not.toContain('s3://churn-data/holdout/');
    expect(outcomeEvent(execution)).toMatchObject({ Source: 'pitstop', DetailType: 'Pitstop Run Outcome' });
    expect(eventDetail(execution)).toMatchObject({ outcome: 'Promoted', trigger: 'manual', reason: 'manual' });
    expectLockReleased(execution, world);
  });

  it('rejects at the gate, registers the package as Rejected and never touches the endpoint', async () => {
    // Prepare
    const world = freshWorld({
      states: {
        'Evaluate candidate': (i) => ({
          passed: false,
          candidate: { f1: 0.7 },
          production: { f1: 0.81 },
          rules: [{ kind: 'relative', metric: 'f1', passed: false, candidate: 0.7, production: 0.81, threshold: 0.01, message: 'f1 fell 0.11' }],
          metricsUri: i.metricsUri,
        }),
      },
    });

    // Act
    const execution = await retrain(auto, { reason: 'drift', trigger: 'alarm', alarmName: 'pitstop-churn-drift' }, world);

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('GateRejected');
    expect(callsTo(execution, 'sagemaker:createModelPackage').map((c) => c.input.ModelApprovalStatus)).toEqual(['Rejected']);
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
    expect(callsTo(execution, 'states:startExecution')).toHaveLength(0);
    expect(eventDetail(execution)).toMatchObject({ outcome: 'Rejected', error: 'GateRejected', trigger: 'alarm' });
    // the monitor re-arms no trigger before the retry time; the production record is untouched
    const state = world.table.items.get(stateKey('churn'))!;
    expect(state.retryAfter!.S).toBe('2024-06-02T12:00:00.000Z');
    expect(state.baselineUri!.S).toBe('s3://artifacts/baselines/churn/old/baseline.json');
    expect(state.trainingCutoff).toBeUndefined();
    expect(state.predictionReferenceUri).toBeUndefined();
    expectLockReleased(execution, world);
  });

  it('stops with DataQualityFailed when the training data is critical', async () => {
    // Prepare
    const world = freshWorld({
      states: {
        'Validate training data': () => ({
          status: 'critical',
          checks: [{ check: 'missing', column: 'age', value: 0.3, threshold: 0.1, status: 'critical', message: 'age 30% missing' }],
          rows: 5000,
        }),
      },
    });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('DataQualityFailed');
    expect(execution.cause).toContain('age 30% missing');
    expect(callsTo(execution, 'sagemaker:createTrainingJob')).toHaveLength(0);
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
    expectLockReleased(execution, world);
  });

  it('ends with TrainingFailed after retrying a failing training job', async () => {
    // Prepare
    const world = freshWorld({
      states: {
        'Train candidate': () => {
          throw stepError('SageMaker.AmazonSageMakerException', 'Rate exceeded');
        },
      },
    });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('TrainingFailed');
    expect(callsTo(execution, 'Train candidate')).toHaveLength(5); // 1 + 4 retries
    expect(callsTo(execution, 'sagemaker:createModel')).toHaveLength(0);
    expect(world.table.items.get(stateKey('churn'))!.retryAfter!.S).toBe('2024-06-02T12:00:00.000Z');
    expectLockReleased(execution, world);
  });

  it.each<{ name: string; error: string; canaryStates: Record<string, Handler> }>([
    { name: 'smoke test failure', error: 'SmokeTestFailed', canaryStates: { 'Smoke test candidate': () => ({ passed: false, requests: 100, failures: 100, p99Ms: 0, reason: 'all failed' }) } },
    {
      name: 'stage 1 without enough traffic',
      error: 'InsufficientTraffic',
      canaryStates: { 'Stage 1 (10%): check candidate': () => ({ verdict: 'inconclusive', rule: 'minRequests', breached: false, reason: 'too few candidate requests: 3 of 100', metrics: { candidate: {} } }) },
    },
    { name: 'stage 2 breach', error: 'CanaryBreached', canaryStates: { 'Stage 2 (50%): check candidate': () => ({ verdict: 'fail', rule: 'absoluteLimits', breached: true, reason: 'p99 1500ms', metrics: { candidate: {} } }) } },
  ])('ends RolledBack with $error on a canary $name, endpoint back on the old config', async ({ error, canaryStates }) => {
    // Prepare
    const world = freshWorld({ canaryStates });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe(error);
    expect(execution.canary?.error).toBe(error);
    expect(world.endpoint.configName).toBe('churn-old-final');
    expect(eventDetail(execution)).toMatchObject({ outcome: 'RolledBack', error });
    // the canary restored the endpoint itself: the retrain does not start the Rollback
    expect(execution.states).not.toContain('Roll back endpoint');
    // a run that did not promote: the monitor re-arms nothing before the retry time; production untouched
    expect(world.table.items.get(stateKey('churn'))!.retryAfter!.S).toBe('2024-06-02T12:00:00.000Z');
    expect(world.table.items.get(stateKey('churn'))!.endpointConfigName!.S).toBe('churn-old-final');
    expectLockReleased(execution, world);
  });

  it('adopts an endpoint created outside pitstop: gates against its AllTraffic model, canaries from it, records its config as the rollback target', async () => {
    // Prepare: no state recorded by pitstop; the endpoint runs a console-made config with one AllTraffic variant
    const endpoint = new FakeEndpoint('churn-endpoint', { configName: 'churn-console-config' });
    endpoint.configs.set('churn-console-config', [
      { VariantName: 'AllTraffic', ModelName: 'churn-legacy', InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 1, InitialVariantWeight: 1 },
    ]);
    endpoint.weights = { AllTraffic: 1 };
    const world: World = { endpoint, table: new FakeTable() };

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const transforms = callsTo(execution, 'sagemaker:createTransformJob').map((c) => c.input.ModelName);
    expect(transforms).toContain('churn-legacy');
    expect(callsTo(execution, 'Evaluate candidate')[0]!.input.productionPredictionsUri).not.toBe('');
    expect(world.endpoint.configName).toMatch(/-final$/);
    expect(world.table.items.get(stateKey('churn'))!.previousEndpointConfigName!.S).toBe('churn-console-config');
    expectLockReleased(execution, world);
  });

  it('ends with EndpointUpdateFailed when the canary detects a silent rollback', async () => {
    // Prepare
    const world = freshWorld();
    // the run id is random: fault every canary config
    world.endpoint.faults.get = (k: string) => (k.endsWith('-canary') ? 'silentRollback' : undefined);

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.canary?.states).toContain('Canary config: silent rollback');
    expect(world.endpoint.configName).toBe('churn-old-final');
    expectLockReleased(execution, world);
  });

  it('waits for manual approval and promotes when approved', async () => {
    // Prepare
    const world = freshWorld({ states: { 'Ask for approval': () => ({ approved: true, approver: 'ana' }) } });

    // Act
    const execution = await retrain(manual, {}, world);

    // Assess
    expect(execution.cause).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'sagemaker:createModelPackage')[0]!.input.ModelApprovalStatus).toBe('PendingManualApproval');
    expect(callsTo(execution, 'sagemaker:updateModelPackage').map((c) => c.input.ModelApprovalStatus)).toEqual(['Approved']);
    expect(callsTo(execution, 'Ask for approval')[0]!.input.Message).toContain('Task token');
  });

  it.each([
    { name: 'answer approved: false', handler: () => ({ approved: false }), error: 'ApprovalRejected' },
    { name: 'SendTaskFailure ApprovalRejected', handler: () => { throw stepError('ApprovalRejected', 'no'); }, error: 'ApprovalRejected' },
    { name: 'timeout', handler: () => { throw stepError('States.Timeout', 'Task timed out'); }, error: 'ApprovalTimedOut' },
  ])('ends Rejected with $error on $name', async ({ handler, error }) => {
    // Prepare
    const world = freshWorld({ states: { 'Ask for approval': handler } });

    // Act
    const execution = await retrain(manual, {}, world);

    // Assess
    expect(execution.error).toBe(error);
    expect(callsTo(execution, 'sagemaker:updateModelPackage').map((c) => c.input.ModelApprovalStatus)).toEqual(['Rejected']);
    expect(callsTo(execution, 'states:startExecution')).toHaveLength(0);
    expect(eventDetail(execution)).toMatchObject({ outcome: 'Rejected', error });
    expectLockReleased(execution, world);
  });

  it('skips cleanly, without touching the lock, when another live run holds it', async () => {
    // Prepare: the holder's lock expires in 2286 (epoch 9999999999)
    const world = freshWorld();
    const other = { pk: { S: lockKey('churn') }, executionId: { S: 'arn:other' }, expiresAt: { N: '9999999999' } };
    world.table.items.set(lockKey('churn'), other);

    // Act
    const execution = await retrain(auto, { force: true }, world);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states.at(-1)).toBe('Skipped');
    expect(world.table.items.get(lockKey('churn'))).toBe(other);
    expect(callsTo(execution, 'dynamodb:deleteItem')).toHaveLength(0);
    expect(callsTo(execution, 'Validate training data')).toHaveLength(0);
    expect(eventDetail(execution)).toMatchObject({ outcome: 'Skipped' });
  });

  it('takes over a stale lock (its holder ended without releasing it) and releases it at the end', async () => {
    // Prepare: a lock that expired in 1970
    const world = freshWorld();
    world.table.items.set(lockKey('churn'), { pk: { S: lockKey('churn') }, executionId: { S: 'arn:dead' }, expiresAt: { N: '1000' } });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.cause).toBeUndefined();
    expect(execution.states.at(-1)).toBe('Promoted');
    expect(execution.states).not.toContain('Another run in flight');
    expectLockReleased(execution, world);
  });

  it('writes a lock that expires one Retrain timeout after the start, and never puts expiresAt on the state item', async () => {
    // Prepare
    const world = freshWorld();

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess: epoch seconds of the start, computed here with Date.parse
    const put = callsTo(execution, 'dynamodb:putItem')[0]!.input;
    const start = Math.floor(Date.parse(put.Item.acquiredAt.S) / 1000);
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk) OR expiresAt < :now');
    expect(put.ExpressionAttributeValues[':now']).toEqual({ N: String(start) });
    expect(put.Item.expiresAt).toEqual({ N: String(start + retrainBudget(modelConfig()).retrain.toSeconds()) });
    for (const update of callsTo(execution, 'dynamodb:updateItem')) expect(update.input.UpdateExpression).not.toContain('expiresAt');
    expect(world.table.items.get(stateKey('churn'))!.expiresAt).toBeUndefined();
  });

  it('enables DynamoDB TTL on the lock expiry', () => {
    auto.template.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });

  it('trains on spot capacity with a wait limit and per-run checkpoints, then promotes', async () => {
    // Prepare
    const world = freshWorld();

    // Act
    const execution = await retrain(spot, {}, world);

    // Assess
    expect(execution.cause).toBeUndefined();
    expect(execution.states.at(-1)).toBe('Promoted');
    const job = callsTo(execution, 'sagemaker:createTrainingJob')[0]!.input;
    expect(job.TrainingJobName).toMatch(/^pitstop-churn-[0-9a-f]{12}$/);
    expect(job.EnableManagedSpotTraining).toBe(true);
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14_400 });
    expect(job.CheckpointConfig.S3Uri).toMatch(new RegExp(`^s3://[^/]+/models/churn/${job.TrainingJobName}/checkpoints/$`));
    expect(job.RoleArn).toMatch(/^arn:aws:iam::/);
  });

  it.each<{ name: string; failure: Record<string, unknown>; error: string; cause: string; states: string[] }>([
    {
      name: 'a child failure without a cause',
      failure: { Status: 'FAILED', Error: 'CanaryBreached' },
      error: 'CanaryBreached',
      cause: 'The canary execution gave no cause',
      states: ['Canary rolled back'],
    },
    {
      name: 'a timed-out child (no Error, no Cause)',
      failure: { Status: 'TIMED_OUT' },
      error: 'PipelineFailed',
      cause: 'Canary execution ended without rolling back',
      states: ['Canary did not finish', 'Roll back endpoint'],
    },
  ])('reads the canary cause of $name', async ({ failure, error, cause, states }) => {
    // Prepare: the task fails with States.TaskFailed and the child's DescribeExecution as cause
    const world = freshWorld({
      states: {
        'Run canary': () => {
          throw stepError('States.TaskFailed', JSON.stringify({ ExecutionArn: `${EXECUTION_ID}-canary`, ...failure }));
        },
        'Roll back endpoint': () => ({ Status: 'SUCCEEDED', Output: {} }),
      },
    });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe(error);
    expect(execution.cause).toContain(cause);
    for (const state of states) expect(execution.states).toContain(state);
    expectLockReleased(execution, world);
  });

  it('treats a canary cause that is not JSON as a canary that did not finish', async () => {
    const world = freshWorld({
      states: {
        'Run canary': () => {
          throw stepError('States.TaskFailed', 'not json');
        },
        'Roll back endpoint': () => ({ Status: 'SUCCEEDED', Output: {} }),
      },
    });
    const execution = await retrain(auto, {}, world);
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.states).toContain('Roll back endpoint');
    expectLockReleased(execution, world);
  });

  it('skips during the cooldown and releases the lock', async () => {
    // Prepare
    const world = freshWorld();
    world.table.items.get(stateKey('churn'))!.cooldownUntil = { S: future };

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.states.at(-1)).toBe('Skipped');
    expect(execution.states).toContain('In cooldown');
    expect(callsTo(execution, 'Validate training data')).toHaveLength(0);
    // a skipped run records no retry time and re-arms nothing: the monitor alone re-arms
    expect(world.table.items.get(stateKey('churn'))!.retryAfter).toBeUndefined();
    expect(callsTo(execution, 'cloudwatch:setAlarmState')).toHaveLength(0);
    expect(callsTo(execution, 'states:startExecution')).toHaveLength(0);
    expectLockReleased(execution, world);
  });

  it('runs during the cooldown when forced', async () => {
    // Prepare
    const world = freshWorld();
    world.table.items.get(stateKey('churn'))!.cooldownUntil = { S: future };

    // Act
    const execution = await retrain(auto, { force: true }, world);

    // Assess
    expect(execution.cause).toBeUndefined();
    expect(execution.states.at(-1)).toBe('Promoted');
    expect(callsTo(execution, 'Validate training data')).toHaveLength(1);
  });

  it('creates the endpoint on the first run, with no production transform and no canary', async () => {
    // Prepare
    const world: World = { endpoint: new FakeEndpoint('churn-endpoint', { exists: false }), table: new FakeTable() };

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toContain('No production endpoint');
    expect(callsTo(execution, 'sagemaker:createTransformJob')).toHaveLength(1);
    expect(callsTo(execution, 'Evaluate candidate')[0]!.input.productionPredictionsUri).toBe('');
    expect(callsTo(execution, 'states:startExecution')).toHaveLength(0);
    expect(callsTo(execution, 'sagemaker:createEndpoint')).toHaveLength(1);
    expect(world.endpoint.exists).toBe(true);
    expect(world.endpoint.configName).toMatch(/-final$/);
    expect(world.table.items.get(stateKey('churn'))!.previousEndpointConfigName!.S).toBe('');
    expectLockReleased(execution, world);
  });

  it.each(['failed', 'updateRollbackFailed'] as const)('deletes the new endpoint when the first deployment ends %s, with SageMaker\'s reason', async (fault) => {
    // Prepare
    const world: World = { endpoint: new FakeEndpoint('churn-endpoint', { exists: false }), table: new FakeTable() };
    const faults = world.endpoint.faults;
    faults.get = (k: string) => (k.endsWith('-final') ? fault : undefined);

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain(FAKE_FAILURE_REASON);
    expect(execution.states.filter((s) => s === 'First endpoint: describe endpoint')).toHaveLength(2);
    expect(callsTo(execution, 'sagemaker:deleteEndpoint')).toHaveLength(1);
    expect(world.endpoint.exists).toBe(false);
    expectLockReleased(execution, world);
  });

  it('never deletes an endpoint it did not create when CreateEndpoint fails', async () => {
    // Prepare: an endpoint of that name appeared meanwhile (created outside pitstop).
    const world: World = { endpoint: new FakeEndpoint('churn-endpoint', { exists: false }), table: new FakeTable() };
    const handlers = world.endpoint.handlers.bind(world.endpoint);
    world.endpoint.handlers = () => ({
      ...handlers(),
      'sagemaker:createEndpoint': () => {
        throw stepError('SageMaker.ValidationException', 'Cannot create already existing endpoint "churn-endpoint"');
      },
    });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(callsTo(execution, 'sagemaker:deleteEndpoint')).toHaveLength(0);
    expectLockReleased(execution, world);
  });

  it('still records the promotion and releases the lock when the report Lambda fails', async () => {
    // Prepare
    const world: World = {
      ...freshWorld(),
      states: {
        'Write run report': () => {
          throw stepError('Lambda.ServiceException', 'report bucket unavailable');
        },
      },
    };

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.status, `${execution.error}: ${execution.cause} after ${execution.states.slice(-6).join(' > ')}`).toBe('SUCCEEDED');
    expect(execution.states).toContain('Report failed: no cooldown');
    expect(execution.states).toContain('Record production model');
    const state = world.table.items.get(stateKey('churn'))!;
    expect(state.endpointConfigName!.S).toMatch(/-final$/);
    // No cooldown could be computed: the next retrain may run at once.
    expect(Date.parse(state.cooldownUntil!.S!)).toBeLessThanOrEqual(Date.now());
    expectLockReleased(execution, world);
  });

  it('starts the Rollback machine when the canary execution ends without rolling back', async () => {
    // Prepare
    const world = freshWorld();
    const rollbackInputs: unknown[] = [];
    const rollbacks: Execution[] = [];
    const locksSeen: unknown[] = [];

    // Act
    const execution = await run(auto.definitions.retrain, {}, {
      executionId: EXECUTION_ID,
      integrations: {
        ...world.endpoint.handlers(),
        ...world.table.handlers(),
        ...messagingHandlers(),
        'sagemaker:createTrainingJob': trainingJobResult,
        'sagemaker:createModel': () => ({ ModelArn: 'arn:model' }),
        'sagemaker:createTransformJob': transformJobResult,
        'sagemaker:createModelPackage': () => ({ ModelPackageArn: 'arn:pkg' }),
      },
      states: {
        'Validate training data': () => ({ status: 'healthy', checks: [], rows: 1 }),
        'Profile baseline': (i) => ({ baselineUri: i.outputUri, rows: 1, features: [] }),
        'Prepare holdout': prepareHoldoutResult,
        'Evaluate candidate': (i) => ({ passed: true, candidate: {}, rules: [], metricsUri: i.metricsUri }),
        'Write run report': reportResult,
        'Run canary': () => {
          throw stepError('States.TaskFailed', JSON.stringify({ Status: 'TIMED_OUT' }));
        },
        // The Rollback child runs in the local engine too, while this run holds the lock.
        'Roll back endpoint': async (i) => {
          rollbackInputs.push(i.Input);
          locksSeen.push(world.table.items.get(lockKey('churn'))?.executionId?.S);
          const child = await run(auto.definitions.rollback, i.Input, {
            integrations: { ...world.endpoint.handlers(), ...world.table.handlers(), ...messagingHandlers() },
          });
          rollbacks.push(child);
          if (child.status !== 'SUCCEEDED') throw stepError('States.TaskFailed', JSON.stringify({ Status: 'FAILED', Error: child.error, Cause: child.cause }));
          return { Status: 'SUCCEEDED', Output: child.output };
        },
      },
    });

    // Assess
    expect(execution.error).toBe('PipelineFailed');
    expect(rollbackInputs).toEqual([expect.objectContaining({ endpointConfigName: 'churn-old-final', lockHolder: EXECUTION_ID })]);
    // The lock was held by this run when the Rollback started, and the Rollback ran under it.
    expect(locksSeen).toEqual([EXECUTION_ID]);
    expect(rollbacks.map((r) => [r.status, r.error])).toEqual([['SUCCEEDED', undefined]]);
    expect(rollbacks[0]!.states).not.toContain('Refuse rollback');
    expectLockReleased(execution, world);
  });

  it('prepares a features-only holdout under transforms/<model>/<run>/ for both transforms and the labels for the evaluation', async () => {
    // Prepare
    const world = freshWorld();

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const prepare = callsTo(execution, 'Prepare holdout')[0]!.input;
    const runId = callsTo(execution, 'Validate training data')[0]!.input.runId as string;
    expect(runId).toMatch(/^churn-[0-9a-f]{12}$/);
    expect(prepare).toEqual({
      model: 'churn',
      runId,
      holdoutUri: 's3://churn-data/holdout/',
      label: 'churned',
      problemType: 'binary',
      features: [],
      transformInputUri: expect.stringMatching(new RegExp(`^s3://[^/]+/transforms/churn/${runId}/input/holdout\\.csv$`)),
      labelsUri: expect.stringMatching(new RegExp(`^s3://[^/]+/transforms/churn/${runId}/labels\\.csv$`)),
    });
    // the labels are not under the input prefix: the transforms must not send them
    expect(prepare.labelsUri.startsWith(prepare.transformInputUri.replace(/holdout\.csv$/, ''))).toBe(false);
    expect(callsTo(execution, 'sagemaker:createTransformJob')).toHaveLength(2);
  });

  it('passes the configured features, in the config order, to the holdout preparation', async () => {
    // Prepare
    const features = [
      { name: 'tenure', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
      { name: 'age', type: 'numeric' },
    ];
    const withFeatures = synthesize(modelConfig({ features }));

    // Act
    const execution = await retrain(withFeatures, {}, freshWorld());

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Prepare holdout')[0]!.input.features).toEqual(['tenure', 'plan', 'age']);
  });

  it('prepares the holdout on the first run too, before the only transform', async () => {
    // Prepare
    const world: World = { endpoint: new FakeEndpoint('churn-endpoint', { exists: false }), table: new FakeTable() };

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess (the helper checks the transform read the prepared input)
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Prepare holdout')).toHaveLength(1);
    expect(callsTo(execution, 'sagemaker:createTransformJob')).toHaveLength(1);
  });

  it('ends with PipelineFailed and runs no transform when the holdout cannot be prepared', async () => {
    // Prepare: the handler's InputError, as Lambda reports it
    const world = freshWorld({
      states: {
        'Prepare holdout': () => {
          throw stepError('InputError', 's3://churn-data/holdout/, column "churned": label column is absent (the columns are: age, plan)');
        },
      },
    });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.cause).toContain('label column is absent');
    expect(callsTo(execution, 'Prepare holdout')).toHaveLength(1); // InputError is not retried
    expect(callsTo(execution, 'sagemaker:createTransformJob')).toHaveLength(0);
    expect(callsTo(execution, 'Evaluate candidate')).toHaveLength(0);
    expect(eventDetail(execution)).toMatchObject({ outcome: 'Failed', error: 'PipelineFailed' });
    expectLockReleased(execution, world);
  });

  it('does not prepare the holdout on a path that stops before the transforms', async () => {
    // Prepare
    const world = freshWorld({ states: { 'Validate training data': () => ({ status: 'critical', checks: [], rows: 0 }) } });

    // Act
    const execution = await retrain(auto, {}, world);

    // Assess
    expect(execution.error).toBe('DataQualityFailed');
    expect(callsTo(execution, 'Prepare holdout')).toHaveLength(0);
  });
});
