import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';
import { parseConfig } from '../../../vocabulary/config/index';

const sm = mockClient(SageMakerClient);
const dir = mkdtempSync(join(tmpdir(), 'pitstop-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => sm.reset());

/** DescribeEndpoint and DescribeEndpointConfig answers in the shapes of the SageMaker API reference. */
function endpointWithCapture(enabled: boolean, options: { CaptureMode: 'Input' | 'Output' }[] = [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }]) {
  sm.on(DescribeEndpointCommand, { EndpointName: 'churn-prod' }).resolves({
    EndpointName: 'churn-prod',
    EndpointArn: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn-prod',
    EndpointConfigName: 'churn-prod-config-2',
    EndpointStatus: 'InService',
    CreationTime: new Date('2026-10-01T08:00:00Z'),
    LastModifiedTime: new Date('2026-11-01T08:00:00Z'),
    ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 1, DesiredWeight: 1, CurrentInstanceCount: 2, DesiredInstanceCount: 2 }],
    DataCaptureConfig: { EnableCapture: enabled, CaptureStatus: enabled ? 'Started' : 'Stopped', CurrentSamplingPercentage: 100, DestinationS3Uri: 's3://acme-ml/churn/capture', KmsKeyId: '' },
  });
  sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'churn-prod-config-2' }).resolves({
    EndpointConfigName: 'churn-prod-config-2',
    EndpointConfigArn: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-prod-config-2',
    CreationTime: new Date('2026-11-01T07:55:00Z'),
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn-model-7', InitialInstanceCount: 2, InstanceType: 'ml.m5.large', InitialVariantWeight: 1 }],
    DataCaptureConfig: {
      EnableCapture: enabled,
      InitialSamplingPercentage: 100,
      DestinationS3Uri: 's3://acme-ml/churn/capture',
      CaptureOptions: options,
      CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
    },
  });
}

describe('Function: pitstop init --endpoint', () => {
  it('writes a valid config with the endpoint\'s capture prefix and the training data\'s features', async () => {
    // Prepare
    endpointWithCapture(true);
    const training = join(dir, 'train.csv');
    writeFileSync(training, 'tenure,plan,charges,churned\n3,basic,20.5,0\n40,pro,80,1\n12,basic,,0\n');
    const out = join(dir, 'churn.config.json');

    // Act
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'churned', '--problem-type', 'binary', '--training', training, '--out', out, '--region', 'eu-west-1']);

    // Assess
    expect(res.exitCode, res.stderr).toBe(0);
    const config = parseConfig(JSON.parse(readFileSync(out, 'utf8')));
    const m = config.models[0]!;
    expect(m.endpointName).toBe('churn-prod');
    expect(m.name).toBe('churn-prod');
    expect(m.data.captureUri).toBe('s3://acme-ml/churn/capture/');
    expect(m.data.training).toBe('s3://change-me-bucket/churn-prod/training/');
    expect(m.features?.map(({ name, type }) => ({ name, type }))).toEqual([
      { name: 'tenure', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
      { name: 'charges', type: 'numeric' },
    ]);
    expect(res.stdout).toContain('Fill in: data.training, data.holdout, data.groundTruthUri, training.image');
    expect(res.stdout).not.toContain('Data capture is OFF');
  });

  it('tells the user to turn capture on when it is off', async () => {
    endpointWithCapture(false);
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'y', '--problem-type', 'regression', '--out', join(dir, 'off.json'), '--region', 'eu-west-1']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('Data capture is OFF on churn-prod: turn it on');
  });

  it('warns when only responses are captured', async () => {
    endpointWithCapture(true, [{ CaptureMode: 'Output' }]);
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'y', '--problem-type', 'regression', '--out', join(dir, 'output-only.json'), '--region', 'eu-west-1']);
    expect(res.stdout).toContain('captures responses only');
  });

  it('names an endpoint that does not exist (SageMaker\'s ValidationException), exit 2', async () => {
    sm.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('Could not find endpoint "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/nope".'), { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    );
    const res = await runCli(['init', '--endpoint', 'nope', '--label', 'y', '--problem-type', 'binary', '--out', join(dir, 'nope.json'), '--region', 'eu-west-1']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('no endpoint named nope');
  });

  it('asks for the problem type and refuses to overwrite a file', async () => {
    expect((await runCli(['init', '--endpoint', 'churn-prod', '--label', 'y'])).stderr).toContain('--problem-type is required');
    const existing = join(dir, 'existing.json');
    writeFileSync(existing, '{}');
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'y', '--problem-type', 'binary', '--out', existing]);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('exists: choose another --out, or --force');
    expect(sm.commandCalls(DescribeEndpointCommand)).toHaveLength(0);
  });
});

describe('Function: pitstop init --example', () => {
  it('writes the example config, which is valid and equal to the repository\'s', async () => {
    const out = join(dir, 'example.json');
    const res = await runCli(['init', '--example', '--out', out]);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(new URL('../../../examples/pitstop.config.json', import.meta.url), 'utf8'));
    expect(() => parseConfig(JSON.parse(readFileSync(out, 'utf8')))).not.toThrow();
  });
});
