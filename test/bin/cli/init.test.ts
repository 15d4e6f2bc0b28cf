import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';
import { parseConfig } from '../../../vocabulary/config/index';
import { listObjectsV2 } from './init/s3-listing';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const dir = mkdtempSync(join(tmpdir(), 'pitstop-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  sm.reset();
  s3.reset();
});

/** A ListObjectsV2 answer of the capture prefix with no object yet. */
function noCaptureYet() {
  s3.on(ListObjectsV2Command).callsFake(listObjectsV2('acme-ml', []));
}

/** One data capture record as SageMaker writes it (Developer Guide, "Capture data from real-time endpoint"). */
function captureRecord(eventId: string, input: { data: string; encoding: 'CSV' | 'JSON'; type: string }, output: string): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: input.type, mode: 'INPUT', data: input.data, encoding: input.encoding },
      endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: output, encoding: 'CSV' },
    },
    eventMetadata: { eventId, inferenceTime: '2026-11-30T10:00:00Z' },
    eventVersion: '0',
  });
}

/** Capture files in the bucket, listed as ListObjectsV2 does (two entries a page), each readable with GetObject. */
function captureFiles(files: readonly { key: string; modified: string; body: string }[]) {
  s3.on(ListObjectsV2Command).callsFake(listObjectsV2('acme-ml', files.map((f) => ({ key: f.key, modified: f.modified, size: Buffer.byteLength(f.body) })), 2));
  for (const f of files) {
    s3.on(GetObjectCommand, { Bucket: 'acme-ml', Key: f.key }).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from(f.body)])), ContentLength: Buffer.byteLength(f.body), ContentType: 'application/octet-stream' });
  }
}

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
    noCaptureYet();
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'y', '--problem-type', 'regression', '--out', join(dir, 'off.json'), '--region', 'eu-west-1']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('Data capture is OFF on churn-prod: turn it on');
  });

  it('warns when only responses are captured', async () => {
    endpointWithCapture(true, [{ CaptureMode: 'Output' }]);
    noCaptureYet();
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'y', '--problem-type', 'regression', '--out', join(dir, 'output-only.json'), '--region', 'eu-west-1']);
    expect(res.stdout).toContain('captures responses only');
  });

  it('infers the features from the newest captured CSV requests when no training data is given, and says to rename f0..', async () => {
    // Prepare
    endpointWithCapture(true);
    const prefix = 'churn/capture/churn-prod/AllTraffic/2026/11/30/';
    const csv = (id: string, row: string) => captureRecord(id, { data: row, encoding: 'CSV', type: 'text/csv' }, '0.12');
    captureFiles([
      { key: `${prefix}08/08-00-000-1a2b3c4d.jsonl`, modified: '2026-11-30T08:05:00Z', body: `${csv('e1', 'x,basic,y')}\n` },
      { key: `${prefix}09/09-00-000-2b3c4d5e.jsonl`, modified: '2026-11-30T09:05:00Z', body: `${csv('e2', '12,basic,20.5')}\n${csv('e3', '40,pro,')}\n` },
      { key: `${prefix}10/10-00-000-3c4d5e6f.jsonl`, modified: '2026-11-30T10:05:00Z', body: `${csv('e4', '3,pro,80')}\n` },
      { key: `${prefix}10/capture-manifest.json`, modified: '2026-11-30T10:06:00Z', body: '{}' },
      { key: `${prefix}11/11-00-000-4d5e6f70.jsonl`, modified: '2026-11-30T11:05:00Z', body: `${csv('e5', '7,basic,33.1')}\n` },
    ]);
    const out = join(dir, 'from-capture.json');

    // Act
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'churned', '--problem-type', 'binary', '--out', out, '--region', 'eu-west-1', '--json']);

    // Assess
    expect(res.exitCode, res.stderr).toBe(0);
    // The three newest .jsonl files are read; the oldest (whose values are not numbers) and the manifest are not.
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key).sort()).toEqual([`${prefix}09/09-00-000-2b3c4d5e.jsonl`, `${prefix}10/10-00-000-3c4d5e6f.jsonl`, `${prefix}11/11-00-000-4d5e6f70.jsonl`]);
    expect(s3.commandCalls(ListObjectsV2Command).every((c) => c.args[0].input.Prefix!.startsWith('churn/capture/churn-prod/AllTraffic/'))).toBe(true);
    const m = parseConfig(JSON.parse(readFileSync(out, 'utf8'))).models[0]!;
    expect(m.features?.map(({ name, type }) => ({ name, type }))).toEqual([
      { name: 'f0', type: 'numeric' },
      { name: 'f1', type: 'categorical' },
      { name: 'f2', type: 'numeric' },
    ]);
    const json = JSON.parse(res.stdout) as { featuresFrom: string; notes: string[] };
    expect(json.featuresFrom).toBe('capture');
    expect(json.notes.join('\n')).toContain('Features inferred from 4 captured requests in 3 file(s).');
    expect(json.notes.join('\n')).toContain('named f0..f2; rename them');
  });

  it('takes the feature names from captured JSON requests', async () => {
    // Prepare
    endpointWithCapture(true);
    const body = [
      captureRecord('e1', { data: JSON.stringify({ tenure: 3, plan: 'basic' }), encoding: 'JSON', type: 'application/json' }, '0.4'),
      captureRecord('e2', { data: JSON.stringify({ tenure: 41, plan: 'pro' }), encoding: 'JSON', type: 'application/json' }, '0.7'),
    ].join('\n');
    captureFiles([{ key: 'churn/capture/churn-prod/AllTraffic/2026/11/30/10/10-00-000-aa.jsonl', modified: '2026-11-30T10:05:00Z', body }]);
    const out = join(dir, 'from-json-capture.json');

    // Act
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'churned', '--problem-type', 'binary', '--out', out, '--region', 'eu-west-1']);

    // Assess
    expect(res.exitCode, res.stderr).toBe(0);
    const m = parseConfig(JSON.parse(readFileSync(out, 'utf8'))).models[0]!;
    expect(m.features?.map(({ name, type }) => ({ name, type }))).toEqual([
      { name: 'tenure', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ]);
    expect(res.stdout).not.toContain('rename them');
  });

  it('still writes the config when the capture cannot be read, saying why (S3 AccessDenied)', async () => {
    // Prepare
    endpointWithCapture(true);
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
    const out = join(dir, 'denied.json');

    // Act
    const res = await runCli(['init', '--endpoint', 'churn-prod', '--label', 'churned', '--problem-type', 'binary', '--out', out, '--region', 'eu-west-1']);

    // Assess
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toContain('Could not read the captured requests under s3://acme-ml/churn/capture/: AWS refused the request: AccessDenied');
    expect(parseConfig(JSON.parse(readFileSync(out, 'utf8'))).models[0]!.features).toBeUndefined();
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
