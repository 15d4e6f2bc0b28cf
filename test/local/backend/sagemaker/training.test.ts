import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSageMaker } from '../../../../local/backend/sagemaker/index';
import { IMAGE, IMAGES, MemoryCloudWatch, MemoryS3 } from './fakes';

let s3: MemoryS3;
let sm: LocalSageMaker;
let logs: string[];

beforeEach(() => {
  s3 = new MemoryS3();
  logs = [];
  sm = new LocalSageMaker({ s3, cloudwatch: new MemoryCloudWatch(), images: IMAGES, onLog: (l, src) => logs.push(`${src.kind}:${src.name}:${l}`), stopGraceMs: 500 });
  s3.put('s3://data/churn/training/a.csv', 'x,y\n1,2\n3,4\n');
  s3.put('s3://data/churn/training/b.csv', 'x,y\n5,6\n');
  s3.put('s3://data/churn/training/nested/c.csv', 'x,y\n7,8\n9,10\n11,12\n');
  s3.put('s3://data/churn/other.csv', 'x,y\n0,0\n');
});

afterEach(async () => {
  await sm.shutdown();
});

function job(name: string, hyperparameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: IMAGE,
      TrainingInputMode: 'File',
      MetricDefinitions: [{ Name: 'train:loss', Regex: 'train_loss=([0-9.]+)' }],
    },
    RoleArn: 'arn:aws:iam::123456789012:role/sm',
    HyperParameters: hyperparameters,
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/churn/training/' } } }],
    OutputDataConfig: { S3OutputPath: 's3://artifacts/models/churn/' },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
    StoppingCondition: { MaxRuntimeInSeconds: 60 },
    ...extra,
  };
}

function untar(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-untar-'));
  writeFileSync(join(dir, 'm.tar.gz'), bytes);
  execFileSync('tar', ['-xzf', join(dir, 'm.tar.gz'), '-C', dir]);
  return dir;
}

describe('Function: CreateTrainingJob', () => {
  it('runs the training command under the container contract and uploads model.tar.gz', async () => {
    // Act
    const { TrainingJobArn } = await sm.CreateTrainingJob(job('churn-1', { scale: 3, depth: '6', nested: { a: 1 } }));
    const out = await sm.waitForTrainingJob('churn-1');

    // Assess
    expect(TrainingJobArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-1');
    expect(out).toMatchObject({
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: 's3://artifacts/models/churn/churn-1/output/model.tar.gz' },
      HyperParameters: { scale: '3', depth: '6', nested: '{"a":1}' },
    });
    expect(out.FailureReason).toBeUndefined();
    expect((out.TrainingStartTime as Date).getTime()).toBeLessThanOrEqual((out.TrainingEndTime as Date).getTime());
    // last value the stdout regex matched: epoch 3 printed 1/3
    expect(out.FinalMetricDataList).toEqual([expect.objectContaining({ MetricName: 'train:loss', Value: 0.3333 })]);
    const statuses = (out.SecondaryStatusTransitions as { Status: string }[]).map((t) => t.Status);
    expect(statuses).toEqual(['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);

    const dir = untar(s3.objects.get('artifacts/models/churn/churn-1/output/model.tar.gz')!);
    try {
      const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      // hyperparameters.json holds strings only; all three channel files (6 data rows) arrived, nested paths kept
      expect(model.hpTypes).toEqual({ scale: 'string', depth: 'string', nested: 'string' });
      expect(model.scale).toBe(3);
      expect(model.rows).toBe(6);
      expect(model.files).toEqual(['a.csv', 'b.csv', join('nested', 'c.csv')]);
      expect(readFileSync(join(dir, 'sub', 'notes.txt'), 'utf8')).toBe('nested file\n');
      const env = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'));
      expect(env.SM_MODEL_DIR).toBe(join(env.SM_ROOT, 'model'));
      expect(env.SM_CHANNEL_TRAIN).toBe(join(env.SM_ROOT, 'input', 'data', 'train'));
      expect(env.SM_INPUT_CONFIG_DIR).toBe(join(env.SM_ROOT, 'input', 'config'));
      expect(env.SM_OUTPUT_DATA_DIR).toBe(join(env.SM_ROOT, 'output', 'data'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(s3.list('s3://artifacts/models/churn/churn-1/output/')).toContain('s3://artifacts/models/churn/churn-1/output/output.tar.gz');
    expect(logs).toContain('training:churn-1:epoch=2 train_loss=0.5000');
  });

  it('fails the job with the text of output/failure when the command exits non-zero', async () => {
    // Act
    await sm.CreateTrainingJob(job('churn-2', { mode: 'fail' }));
    const out = await sm.waitForTrainingJob('churn-2');

    // Assess
    expect(out.TrainingJobStatus).toBe('Failed');
    expect(out.SecondaryStatus).toBe('Failed');
    expect(out.FailureReason).toBe('AlgorithmError: bad hyperparameter: mode=fail');
    expect(s3.list('s3://artifacts/')).toEqual([]);
    expect(logs).toContain('training:churn-2:training is about to fail');
  });

  it('stops a job that exceeds MaxRuntimeInSeconds', async () => {
    // Act
    const started = Date.now();
    await sm.CreateTrainingJob(job('churn-3', { mode: 'sleep' }, { StoppingCondition: { MaxRuntimeInSeconds: 1 } }));
    const out = await sm.waitForTrainingJob('churn-3');

    // Assess
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out.TrainingJobStatus).toBe('Stopped');
    expect(out.SecondaryStatus).toBe('MaxRuntimeExceeded');
    expect(out.FailureReason).toMatch(/maximum runtime of 1 seconds/);
  });

  it('StopTrainingJob and shutdown stop a running job', async () => {
    await sm.CreateTrainingJob(job('churn-6', { mode: 'sleep' }, { StoppingCondition: { MaxRuntimeInSeconds: 600 } }));
    await sm.CreateTrainingJob(job('churn-7', { mode: 'sleep' }, { StoppingCondition: { MaxRuntimeInSeconds: 600 } }));
    await new Promise((r) => setTimeout(r, 300));
    await sm.StopTrainingJob({ TrainingJobName: 'churn-6' });
    expect((await sm.waitForTrainingJob('churn-6')).TrainingJobStatus).toBe('Stopped');
    await sm.shutdown();
    expect((await sm.DescribeTrainingJob({ TrainingJobName: 'churn-7' })).TrainingJobStatus).toBe('Stopped');
  });

  it('rejects an image with no local commands, and a duplicate name', async () => {
    await expect(
      sm.CreateTrainingJob({ ...job('churn-4', {}), AlgorithmSpecification: { TrainingImage: 'unknown:1' } }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await sm.CreateTrainingJob(job('churn-5', {}));
    await expect(sm.CreateTrainingJob(job('churn-5', {}))).rejects.toMatchObject({ name: 'ValidationException' });
    await sm.waitForTrainingJob('churn-5');
  });

  it('answers DescribeTrainingJob for a missing job with ValidationException, through call()', async () => {
    await expect(sm.call('DescribeTrainingJob', { TrainingJobName: 'nope' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sm.call('shutdown', {})).rejects.toMatchObject({ name: 'UnknownOperationException' });
    await expect(sm.call('FlyToTheMoon', {})).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
