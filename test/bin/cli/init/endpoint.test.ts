import { DescribeEndpointCommand, DescribeEndpointConfigCommand, SageMakerClient, type CaptureMode } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEndpoint } from '../../../../bin/cli/init/endpoint';

const sm = mockClient(SageMakerClient);
afterEach(() => sm.reset());

/** DescribeEndpoint and DescribeEndpointConfig answers (SageMaker API reference shapes) with the given capture modes. */
function endpointCapturing(modes: CaptureMode[]) {
  sm.on(DescribeEndpointCommand, { EndpointName: 'churn-prod' }).resolves({
    EndpointName: 'churn-prod',
    EndpointArn: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn-prod',
    EndpointConfigName: 'churn-prod-config-2',
    EndpointStatus: 'InService',
    CreationTime: new Date('2026-10-01T08:00:00Z'),
    LastModifiedTime: new Date('2026-11-01T08:00:00Z'),
    DataCaptureConfig: { EnableCapture: true, CaptureStatus: 'Started', CurrentSamplingPercentage: 20, DestinationS3Uri: 's3://acme-ml/churn/capture', KmsKeyId: '' },
  });
  sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'churn-prod-config-2' }).resolves({
    EndpointConfigName: 'churn-prod-config-2',
    EndpointConfigArn: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-prod-config-2',
    CreationTime: new Date('2026-11-01T07:55:00Z'),
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn-model-7', InitialInstanceCount: 1, InstanceType: 'ml.m5.large', InitialVariantWeight: 1 }],
    DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 20, DestinationS3Uri: 's3://acme-ml/churn/capture', CaptureOptions: modes.map((CaptureMode) => ({ CaptureMode })) },
  });
}

describe('Function: describeEndpoint', () => {
  it.each([
    [['InputAndOutput'], true],
    [['Input'], true],
    [['Input', 'Output'], true],
    [['Output'], false],
  ] as [CaptureMode[], boolean][])('capture modes %j: captures requests = %s', async (modes, expected) => {
    // Prepare
    endpointCapturing(modes);
    // Act
    const facts = await describeEndpoint(new SageMakerClient({ region: 'eu-west-1' }), 'churn-prod');
    // Assess
    expect(facts.capturesInput).toBe(expected);
    expect(facts).toMatchObject({ variant: 'AllTraffic', captureUri: 's3://acme-ml/churn/capture/', captureEnabled: true, samplingPercent: 20 });
  });
});
