import { beforeAll, describe, expect, it } from 'vitest';
import { stateKey } from '../../../statemachines';
import { callsTo, stepError } from '../harness';
import type { Synthesized } from '../fixtures';
import { CUTOFF, FEATURES, datasetStopped, expectLockReleased, retrain, synthesizeWithDataset, world } from './dataset-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesizeWithDataset();
});

describe('State machine: Retrain with data.dataset (Prepare dataset)', () => {
  it('trains, validates, profiles and gates on the assembled set, and records its manifest in the model package', async () => {
    // Prepare
    const w = world();

    // Act
    const execution = await retrain(synth, w, {});

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
    const metadata = callsTo(execution, 'sagemaker:createModelPackage')[0]!.input.CustomerMetadataProperties;
    expect(metadata).toMatchObject({ datasetHash: `sha256:${'ab'.repeat(32)}` });
    // the manifest's key, relative to the artifacts location (here the bucket's root)
    expect(input.outputPrefix.replace(/^s3:\/\/[^/]+\//, '') + 'manifest.json').toBe(metadata.datasetManifestKey);
    // the run record keeps the dataset summary
    expect(callsTo(execution, 'Write run report')[0]!.input.details.dataset.dataset).toMatchObject({
      holdoutRows: 240,
      droppedRows: 3,
      dropped: { duplicate: 1, schema: 2 },
      trainingCutoff: CUTOFF,
      manifestUri: `${input.outputPrefix}manifest.json`,
    });
    expect(execution.states.indexOf('Prepare dataset')).toBeLessThan(execution.states.indexOf('Validate training data'));
    expectLockReleased(execution, w);
  });

  it('keeps every model package metadata value within SageMaker limits under a long artifacts prefix', async () => {
    // Prepare: an artifacts prefix of 300 characters (S3 keys go up to 1024); the manifest's URI is longer than a metadata value may be
    const artifactsPrefix = `${'deep/'.repeat(60)}`;
    const long = synthesizeWithDataset({ artifactsPrefix });
    const w = world();

    // Act
    const execution = await retrain(long, w, {});

    // Assess: values are 1 to 256 characters of the pattern CreateModelPackage documents
    expect(execution.status).toBe('SUCCEEDED');
    const outputPrefix = callsTo(execution, 'Prepare dataset')[0]!.input.outputPrefix as string;
    expect(`${outputPrefix}manifest.json`.length).toBeGreaterThan(256);
    const metadata = callsTo(execution, 'sagemaker:createModelPackage')[0]!.input.CustomerMetadataProperties as Record<string, string>;
    for (const [key, value] of Object.entries(metadata)) {
      expect(value.length, key).toBeGreaterThanOrEqual(1);
      expect(value.length, key).toBeLessThanOrEqual(256);
      expect(value, key).toMatch(/^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u);
    }
    // the key, appended to the artifacts location, is the manifest the step wrote
    expect(outputPrefix.startsWith(`s3://`)).toBe(true);
    const artifactsLocation = outputPrefix.slice(0, outputPrefix.indexOf(artifactsPrefix) + artifactsPrefix.length);
    expect(`${artifactsLocation}${metadata.datasetManifestKey}`).toBe(`${outputPrefix}manifest.json`);
  });

  it('gives an empty cut-off when the production model has none recorded', async () => {
    const w = world({});
    const execution = await retrain(synth, w, {});
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Prepare dataset')[0]!.input.trainingCutoff).toBe('');
  });

  it('ends InsufficientLabels without training, reports it, retries later and releases the lock', async () => {
    // Prepare
    const w = world();
    const cause = '120 labeled production rows for the recent holdout (of 600 labeled in the window), fewer than holdout.minRows 200';

    // Act
    const execution = await retrain(synth, w, { 'Prepare dataset': datasetStopped('insufficientLabels', cause) });

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
    const execution = await retrain(synth, w, { 'Prepare dataset': datasetStopped('skewCritical', 'Training/serving skew: age psi 0.900 > 0.2') });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DataQualityFailed');
    expect(execution.cause).toMatch(/^Training\/serving skew: age/);
    expect(callsTo(execution, 'sagemaker:createTrainingJob')).toHaveLength(0);
    expectLockReleased(execution, w);
  });

  it('ends PipelineFailed when the step fails, and releases the lock', async () => {
    const w = world();
    const execution = await retrain(synth, w, {
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
