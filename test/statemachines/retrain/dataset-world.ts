/** Not a test: the Retrain of a model with data.dataset, run against fakes, for the dataset path tests. */
import { expect } from 'vitest';
import { lockKey, stateKey } from '../../../statemachines';
import { FakeEndpoint, FakeTable, messagingHandlers, reportResult, trainingJobResult, transformJobResult } from '../fakes';
import { modelConfig, synthesize, type Synthesized } from '../fixtures';
import { callsTo, run, type Execution, type Handler } from '../harness';

export const EXECUTION_ID = 'arn:aws:states:us-east-1:123456789012:execution:retrain:run-1';
export const CUTOFF = '2026-11-01T00:00:00.000Z';
export const FEATURES = [
  { name: 'age', type: 'numeric' },
  { name: 'plan', type: 'categorical' },
];

/** A model with a dataset (minRows 200). */
export function datasetModel() {
  return modelConfig({
      features: FEATURES,
      data: {
        training: 's3://churn-data/training/',
        holdout: 's3://churn-data/holdout/',
        captureUri: 's3://churn-data/capture/',
        groundTruthUri: 's3://churn-data/ground-truth/',
        dataset: { holdout: { minRows: 200 } },
      },
    });
}

/** The Retrain of {@link datasetModel}. */
export function synthesizeWithDataset(options: { readonly artifactsPrefix?: string } = {}): Synthesized {
  return synthesize(datasetModel(), options);
}

/** What prepareDataset returns when the set is ready (contract: PrepareDatasetOutput). */
export function datasetReady(input: any) {
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
    dataset: { historyRows: 900, productionRows: 1200, droppedRows: 3, dropped: { duplicate: 1, labelCount: 0, schema: 2, unlabeled: 0, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 }, trainingCutoff: input.trainingCutoff, holdoutRows: 240, holdoutFrom: '2026-11-20T00:00:00.000Z', holdoutTo: '2026-11-30T00:00:00.000Z', manifestUri },
    skew: { status: 'healthy', features: [] },
  };
}

/** A run stopped by the dataset step. */
export const datasetStopped = (status: string, cause: string) => (input: any) => ({ ...datasetReady(input), status, cause, trainingUri: '', holdoutUri: '', manifestUri: '' });

export function world(state: Record<string, { S: string }> = { trainingCutoff: { S: CUTOFF } }) {
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
export async function retrain(synth: Synthesized, w: ReturnType<typeof world>, states: Record<string, Handler>): Promise<Execution> {
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
      'Prepare fixed holdout': (i) => ({ transformInputUri: i.transformInputUri, labelsUri: i.labelsUri, rows: 300, features: ['age', 'plan'] }),
      'Evaluate on fixed holdout': (i) => ({ passed: false, candidate: { f1: 0.7 }, production: { f1: 0.8 }, rules: [], metricsUri: i.metricsUri }),
      'Write run report': reportResult,
      ...states,
    },
  });
}

/** The guard was released by this execution, once. */
export function expectLockReleased(execution: Execution, w: ReturnType<typeof world>) {
  expect(w.table.items.has(lockKey('churn'))).toBe(false);
  const releases = callsTo(execution, 'dynamodb:deleteItem');
  expect(releases).toHaveLength(1);
  expect(releases[0]!.input.ExpressionAttributeValues[':me'].S).toBe(EXECUTION_ID);
}

