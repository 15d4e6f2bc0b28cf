import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSageMaker } from '../../../../local/backend/sagemaker/index';
import { IMAGE, IMAGES, MemoryCloudWatch, MemoryS3 } from './fakes';

let sm: LocalSageMaker;

beforeEach(() => {
  sm = new LocalSageMaker({ s3: new MemoryS3(), cloudwatch: new MemoryCloudWatch(), images: IMAGES });
});
afterEach(async () => {
  await sm.shutdown();
});

const spec = { Containers: [{ Image: IMAGE, ModelDataUrl: 's3://a/m.tar.gz' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] };

describe('Function: model registry', () => {
  it('round-trips groups, versions, approval and listing', async () => {
    // Prepare
    await expect(sm.CreateModelPackage({ ModelPackageGroupName: 'pitstop-churn', ModelApprovalStatus: 'Approved' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const { ModelPackageGroupArn } = await sm.CreateModelPackageGroup({ ModelPackageGroupName: 'pitstop-churn' });

    // Act
    const v1 = await sm.CreateModelPackage({
      ModelPackageGroupName: 'pitstop-churn',
      ModelPackageDescription: 'first',
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: spec,
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://a/metrics.json' } } },
      CustomerMetadataProperties: { runId: 'r1' },
    });
    const v2 = await sm.CreateModelPackage({ ModelPackageGroupName: 'pitstop-churn', ModelApprovalStatus: 'Rejected', InferenceSpecification: spec });
    await sm.UpdateModelPackage({ ModelPackageArn: v1.ModelPackageArn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'ok in r1' });

    // Assess
    expect(ModelPackageGroupArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model-package-group/pitstop-churn');
    expect(v1.ModelPackageArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/1');
    expect(v2.ModelPackageArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model-package/pitstop-churn/2');
    const d1 = await sm.DescribeModelPackage({ ModelPackageName: v1.ModelPackageArn });
    expect(d1).toMatchObject({
      ModelPackageGroupName: 'pitstop-churn',
      ModelPackageVersion: 1,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'ok in r1',
      ModelPackageDescription: 'first',
      InferenceSpecification: spec,
      ModelMetrics: { ModelQuality: { Statistics: { S3Uri: 's3://a/metrics.json' } } },
      CustomerMetadataProperties: { runId: 'r1' },
    });
    const all = (await sm.ListModelPackages({ ModelPackageGroupName: 'pitstop-churn' })).ModelPackageSummaryList as { ModelPackageVersion: number }[];
    expect(all.map((p) => p.ModelPackageVersion)).toEqual([2, 1]);
    const approved = (await sm.ListModelPackages({ ModelPackageGroupName: 'pitstop-churn', ModelApprovalStatus: 'Approved' }))
      .ModelPackageSummaryList as { ModelPackageArn: string }[];
    expect(approved.map((p) => p.ModelPackageArn)).toEqual([v1.ModelPackageArn]);
    const page = await sm.ListModelPackages({ ModelPackageGroupName: 'pitstop-churn', SortOrder: 'Ascending', MaxResults: 1 });
    expect((page.ModelPackageSummaryList as { ModelPackageVersion: number }[])[0]!.ModelPackageVersion).toBe(1);
    const rest = await sm.ListModelPackages({ ModelPackageGroupName: 'pitstop-churn', SortOrder: 'Ascending', MaxResults: 1, NextToken: page.NextToken as string });
    expect((rest.ModelPackageSummaryList as { ModelPackageVersion: number }[])[0]!.ModelPackageVersion).toBe(2);
    expect(rest.NextToken).toBeUndefined();
  });

  it('rejects a bad approval status and an unknown package', async () => {
    await sm.CreateModelPackageGroup({ ModelPackageGroupName: 'g' });
    await expect(sm.CreateModelPackage({ ModelPackageGroupName: 'g', ModelApprovalStatus: 'Maybe' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sm.call('DescribeModelPackage', { ModelPackageName: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/g/9' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('Function: CreateModel / CreateEndpointConfig', () => {
  it('stores and describes models and configs, rejecting unknown images and models', async () => {
    await expect(sm.CreateModel({ ModelName: 'x', PrimaryContainer: { Image: 'other:1' } })).rejects.toMatchObject({ name: 'ValidationException' });
    await sm.call('CreateModel', { ModelName: 'm', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://a/m.tar.gz', Mode: 'SingleModel' } });
    expect(await sm.DescribeModel({ ModelName: 'm' })).toMatchObject({ ModelName: 'm', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://a/m.tar.gz' } });
    await expect(
      sm.CreateEndpointConfig({ EndpointConfigName: 'c', ProductionVariants: [{ VariantName: 'v', ModelName: 'ghost' }] }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const capture = { InitialSamplingPercentage: 50, DestinationS3Uri: 's3://cap/', CaptureOptions: [{ CaptureMode: 'Input' }] };
    await sm.CreateEndpointConfig({ EndpointConfigName: 'c', ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InitialVariantWeight: 0.3 }], DataCaptureConfig: capture });
    expect(await sm.DescribeEndpointConfig({ EndpointConfigName: 'c' })).toMatchObject({
      EndpointConfigName: 'c',
      ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InitialVariantWeight: 0.3, InitialInstanceCount: 1 }],
      DataCaptureConfig: { EnableCapture: true, ...capture },
    });
    await sm.DeleteEndpointConfig({ EndpointConfigName: 'c' });
    await sm.DeleteModel({ ModelName: 'm' });
    await expect(sm.DescribeModel({ ModelName: 'm' })).rejects.toThrow(/Could not find model/);
    await expect(sm.DescribeEndpointConfig({ EndpointConfigName: 'c' })).rejects.toThrow(/Could not find endpoint configuration/);
  });

  it('refuses CustomerMetadataProperties beyond 256 characters or outside the documented pattern, as SageMaker does', async () => {
    // Prepare
    await sm.CreateModelPackageGroup({ ModelPackageGroupName: 'pitstop-churn' });
    const create = (properties: Record<string, string>) =>
      sm.CreateModelPackage({ ModelPackageGroupName: 'pitstop-churn', InferenceSpecification: spec, CustomerMetadataProperties: properties });

    // Act / Assess
    await expect(create({ datasetManifest: `s3://b/${'p/'.repeat(130)}manifest.json` })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/"datasetManifest" must be 1 to 256/) });
    await expect(create({ datasetManifest: 's3://b/a(1)/manifest.json' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(create({ 'bad key!': 'x' })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/key "bad key!"/) });
    await expect(create({ runId: '' })).rejects.toMatchObject({ name: 'ValidationException' });
    const ok = await create({ datasetManifestKey: 'datasets/churn/churn-0123456789ab/manifest.json', datasetHash: `sha256:${'ab'.repeat(32)}`, note: 'a b=c+d@e' });
    await expect(sm.UpdateModelPackage({ ModelPackageArn: ok.ModelPackageArn, CustomerMetadataProperties: { x: 'y'.repeat(257) } })).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
