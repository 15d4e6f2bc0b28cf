import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalCloudWatch } from '../../../../local/backend/cloudwatch';
import { LocalS3 } from '../../../../local/backend/s3';
import { LocalSageMaker } from '../../../../local/backend/sagemaker/index';
import { IMAGE, IMAGES } from './fakes';

let root: string;
let s3: LocalS3;
let cw: LocalCloudWatch;
let sm: LocalSageMaker;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'pitstop-sm-local-'));
  s3 = new LocalS3({ root });
  cw = new LocalCloudWatch({ root });
  sm = new LocalSageMaker({ s3, cloudwatch: cw, images: IMAGES, workDir: join(root, 'sagemaker'), stopGraceMs: 500 });
  for (const b of ['data', 'artifacts', 'capture']) await s3.CreateBucket({ Bucket: b });
});

afterEach(async () => {
  await sm.shutdown();
  rmSync(root, { recursive: true, force: true });
});

describe('Function: LocalSageMaker with the local S3 and CloudWatch', () => {
  it('trains, serves the trained model, and its metrics reach GetMetricData', async () => {
    // Prepare
    await s3.PutObject({ Bucket: 'data', Key: 'train/a.csv', Body: 'x,y\n1,2\n' });

    // Act
    await sm.call('CreateTrainingJob', {
      TrainingJobName: 'job-1',
      AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
      HyperParameters: { scale: '5' },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/train/' } } }],
      OutputDataConfig: { S3OutputPath: 's3://artifacts/models' },
      StoppingCondition: { MaxRuntimeInSeconds: 60 },
    });
    const job = await sm.waitForTrainingJob('job-1');
    const artifacts = (job.ModelArtifacts as { S3ModelArtifacts: string }).S3ModelArtifacts;
    await sm.call('CreateModel', { ModelName: 'm1', PrimaryContainer: { Image: IMAGE, ModelDataUrl: artifacts } });
    await sm.call('CreateEndpointConfig', {
      EndpointConfigName: 'c1',
      ProductionVariants: [{ VariantName: 'production', ModelName: 'm1', InitialVariantWeight: 1 }],
      DataCaptureConfig: {
        InitialSamplingPercentage: 100,
        DestinationS3Uri: 's3://capture/churn',
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
      },
    });
    await sm.call('CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'c1' });
    await sm.waitForEndpoint('ep');
    const res = await sm.runtime.call('InvokeEndpoint', { EndpointName: 'ep', Body: new TextEncoder().encode('3'), ContentType: 'text/csv' });
    for (let i = 0; i < 9; i++) await sm.runtime.InvokeEndpoint({ EndpointName: 'ep', Body: '1', ContentType: 'text/csv' });
    await sm.flushMetrics();
    const now = Date.now();
    const data = await cw.GetMetricData({
      StartTime: new Date(now - 600_000),
      EndTime: new Date(now + 60_000),
      MetricDataQueries: [
        {
          Id: 'inv',
          MetricStat: {
            Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'production' }] },
            Period: 3600,
            Stat: 'Sum',
          },
        },
        {
          Id: 'lat',
          MetricStat: {
            Metric: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Dimensions: [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'production' }] },
            Period: 3600,
            Stat: 'SampleCount',
          },
        },
      ],
    });
    const capture = await s3.ListObjectsV2({ Bucket: 'capture', Prefix: 'churn/ep/production/' });

    // Assess
    expect(job.TrainingJobStatus).toBe('Completed');
    expect(Buffer.from(res.Body as Uint8Array).toString()).toBe('15\n');
    const results = data.MetricDataResults as { Id: string; Values: number[] }[];
    const sum = (id: string) => results.find((r) => r.Id === id)!.Values.reduce((a, b) => a + b, 0);
    expect(sum('inv')).toBe(10);
    expect(sum('lat')).toBe(10);
    expect((capture.Contents as unknown[]).length).toBe(1);
  });
});
