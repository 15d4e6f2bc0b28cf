import { beforeAll, describe, expect, it } from 'vitest';
import { lockKey, stateKey } from '../../statemachines';
import { FakeEndpoint, FakeTable, messagingHandlers, reportResult, trainingJobResult, transformJobResult } from './fakes';
import { modelConfig, synthesize, type Synthesized } from './fixtures';
import { callsTo, run, stepError, type Execution, type Handler } from './harness';

const EXECUTION_ID = 'arn:aws:states:us-east-1:123456789012:execution:retrain:run-1';
const CUTOFF = '2026-11-01T00:00:00.000Z';
const FEATURES = [
  { name: 'age', type: 'numeric' },
  { name: 'plan', type: 'categorical' },
];

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(
    modelConfig({
      features: FEATURES,
      data: {
        training: 's3://churn-data/training/',
        holdout: 's3://churn-data/holdout/',
        captureUri: 's3://churn-data/capture/',
        groundTruthUri: 's3://churn-data/ground-truth/',
        dataset: { holdout: { minRows: 200 } },
      },
    }),
  );
});

/** What prepareDataset returns when the set is ready (contract: PrepareDatasetOutput). */
function datasetReady(input: any) {
  const manifestUri = `${input.outputPrefix}manifest.json`;
  return {
    status: 'ready',
    cause: '',
    trainingUri: `${input.outputPrefix}train/`,
    trainingContentType: 'text/csv',
    holdoutUri: `${input.outputPrefix}holdout/holdout.csv`,
    holdoutKind: 'recent',
    fixedHoldoutUri: input.holdout.fixedUri,
    manifestUri,
    contentHash: `sha256:${'ab'.repeat(32)}`,
    dataset: { historyRows: 900, productionRows: 1200, droppedRows: 3, holdoutRows: 240, holdoutFrom: '2026-11-20T00:00:00.000Z', holdoutTo: '2026-11-30T00:00:00.000Z', manifestUri },
    skew: { status: 'healthy', features: [] },
  };
}

/** A run stopped by the dataset step. */
const datasetStopped = (status: string, cause: string) => (input: any) => ({ ...datasetReady(input), status, cause, trainingUri: '', holdoutUri: '', manifestUri: '' });

function world(state: Record<string, { S: string }> = { trainingCutoff: { S: CUTOFF } }) {
  const table = new FakeTable();
  table.items.set(stateKey('churn'), {
    pk: { S: stateKey('churn') },
    baselineUri: { S: 's3://artifacts/baselines/churn/old/baseline.json' },
    endpointConfigName: { S: 'churn-old-final' },
    ...state,
  });
  return { table, endpoint: new FakeEndpoint('churn-endpoint') };
}

/** Runs the Retrain up to the registry (the canary child is answered as promoted). */
async function retrain(w: ReturnType<typeof world>, states: Record<string, Handler>): Promise<Execution> {
  return run(synth.definitions.retrain, {}, {
    executionId: EXECUTION_ID,
    startTime: '2026-12-01T00:00:00.000Z',
    integrations: {
      ...w.endpoint.handlers(),
      ...w.table.handlers(),
      ...messagingHandlers(),
      'sagemaker:createTrainingJob': trainingJobResult,
      'sagemaker:createModel': (i) => ({ ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${i.ModelName}` }),
      'sagemaker:createTransformJob': transformJobResult,
      'sagemaker:createModelPackage': () => ({ ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/3' }),
      'states:startExecution': () => ({
        ExecutionArn: `${EXECUTION_ID}-canary`,
        Status: 'SUCCEEDED',
        Output: { endpointConfigName: 'churn-new-final', previousEndpointConfigName: 'churn-old-final' },
        StartDate: 1,
        StopDate: 2,
      }),
    },
    states: {
      'Prepare dataset': datasetReady,
      'Validate training data': () => ({ status: 'healthy', checks: [], rows: 2100 }),
      'Profile baseline': (i) => ({ baselineUri: i.outputUri, rows: 2100, features: ['age', 'plan'] }),
      'Prepare holdout': (i) => ({ transformInputUri: i.transformInputUri, labelsUri: i.labelsUri, rows: 240, features: ['age', 'plan'] }),
      'Evaluate candidate': (i) => ({ passed: true, candidate: { f1: 0.84 }, production: { f1: 0.81 }, rules: [], metricsUri: i.metricsUri }),
      'Write run report': reportResult,
      ...states,
    },
  });
}

/** The guard was released by this execution, once. */
function expectLockReleased(execution: Execution, w: ReturnType<typeof world>) {
  expect(w.table.items.has(lockKey('churn'))).toBe(false);
  const releases = callsTo(execution, 'dynamodb:deleteItem');
  expect(releases).toHaveLength(1);
  expect(releases[0]!.input.ExpressionAttributeValues[':me'].S).toBe(EXECUTION_ID);
}

describe('State machine: Retrain with data.dataset (Prepare dataset)', () => {
  it('trains, validates, profiles and gates on the assembled set, and records its manifest in the model package', async () => {
    // Prepare
    const w = world();

    // Act
    const execution = await retrain(w, {});

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    const prepared = callsTo(execution, 'Prepare dataset');
    expect(prepared).toHaveLength(1);
    const input = prepared[0]!.input;
    expect(input).toMatchObject({
      trainingCutoff: CUTOFF,
      startedAt: '2026-12-01T00:00:00.000Z',
      features: FEATURES,
      history: { uri: 's3://churn-data/training/', windowSeconds: 0, timestampColumn: '' },
      production: { enabled: true, windowSeconds: 30 * 86_400, capturePrefix: 's3://churn-data/capture/churn-endpoint/production/', groundTruthUri: 's3://churn-data/ground-truth/' },
      holdout: { kind: 'auto', fraction: 0.2, minRows: 200, fixedUri: 's3://churn-data/holdout/' },
      output: { format: 'csv', header: true },
    });
    expect(input.outputPrefix).toMatch(/^s3:\/\/.+\/datasets\/churn\/churn-[0-9a-f]{12}\/$/);
    const trainingUri = `${input.outputPrefix}train/`;
    expect(callsTo(execution, 'Validate training data')[0]!.input.dataUri).toBe(trainingUri);
    expect(callsTo(execution, 'Profile baseline')[0]!.input.trainingUri).toBe(trainingUri);
    expect(callsTo(execution, 'sagemaker:createTrainingJob')[0]!.input.InputDataConfig).toEqual([
      { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: trainingUri, S3DataDistributionType: 'FullyReplicated' } } },
    ]);
    expect(callsTo(execution, 'Prepare holdout')[0]!.input.holdoutUri).toBe(`${input.outputPrefix}holdout/holdout.csv`);
    expect(callsTo(execution, 'sagemaker:createModelPackage')[0]!.input.CustomerMetadataProperties).toMatchObject({
      datasetManifest: `${input.outputPrefix}manifest.json`,
      datasetHash: `sha256:${'ab'.repeat(32)}`,
    });
    // the run record keeps the dataset summary
    expect(callsTo(execution, 'Write run report')[0]!.input.details.dataset.dataset).toMatchObject({ holdoutRows: 240, manifestUri: `${input.outputPrefix}manifest.json` });
    expect(execution.states.indexOf('Prepare dataset')).toBeLessThan(execution.states.indexOf('Validate training data'));
    expectLockReleased(execution, w);
  });

  it('gives an empty cut-off when the production model has none recorded', async () => {
    const w = world({});
    const execution = await retrain(w, {});
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Prepare dataset')[0]!.input.trainingCutoff).toBe('');
  });

  it('ends InsufficientLabels without training, reports it, retries later and releases the lock', async () => {
    // Prepare
    const w = world();
    const cause = '120 labeled production rows for the recent holdout (of 600 labeled in the window), fewer than holdout.minRows 200';

    // Act
    const execution = await retrain(w, { 'Prepare dataset': datasetStopped('insufficientLabels', cause) });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InsufficientLabels');
    expect(execution.cause).toBe(cause);
    expect(callsTo(execution, 'Validate training data')).toHaveLength(0);
    expect(callsTo(execution, 'sagemaker:createTrainingJob')).toHaveLength(0);
    expect(callsTo(execution, 'Write run report')[0]!.input).toMatchObject({ outcome: 'Failed', error: 'InsufficientLabels', cause });
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
    expect(w.table.items.get(stateKey('churn'))!.retryAfter).toBeDefined();
    expectLockReleased(execution, w);
  });

  it('ends DataQualityFailed on a critical training/serving skew and releases the lock', async () => {
    const w = world();
    const execution = await retrain(w, { 'Prepare dataset': datasetStopped('skewCritical', 'Training/serving skew: age psi 0.900 > 0.2') });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DataQualityFailed');
    expect(execution.cause).toMatch(/^Training\/serving skew: age/);
    expect(callsTo(execution, 'sagemaker:createTrainingJob')).toHaveLength(0);
    expectLockReleased(execution, w);
  });

  it('ends PipelineFailed when the step fails, and releases the lock', async () => {
    const w = world();
    const execution = await retrain(w, {
      'Prepare dataset': () => {
        throw stepError('InputError', 's3://churn-data/training/a.csv:7, column "churned": missing label');
      },
    });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    expect(execution.cause).toMatch(/missing label/);
    expect(callsTo(execution, 'sagemaker:createTrainingJob')).toHaveLength(0);
    expectLockReleased(execution, w);
  });
});
