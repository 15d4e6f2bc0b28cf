import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureColumns } from '../../../../lambdas/core/readers/capture';
import { LocalSageMaker } from '../../../../local/backend/sagemaker/index';
import { IMAGE, IMAGES, isAlive, MemoryCloudWatch, MemoryS3, systemTarGz } from './fakes';

let s3: MemoryS3;
let cw: MemoryCloudWatch;
let sm: LocalSageMaker;

const EP = 'churn-prod';

beforeEach(async () => {
  s3 = new MemoryS3();
  cw = new MemoryCloudWatch();
  sm = new LocalSageMaker({ s3, cloudwatch: cw, images: IMAGES, stopGraceMs: 500, startupTimeoutMs: 20_000, flushIntervalMs: 60_000 });
  s3.put('s3://artifacts/prod/model.tar.gz', systemTarGz({ 'model.json': JSON.stringify({ scale: 1 }) }));
  s3.put('s3://artifacts/cand/model.tar.gz', systemTarGz({ 'model.json': JSON.stringify({ scale: 10 }) }));
  await sm.CreateModel({ ModelName: 'prod', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://artifacts/prod/model.tar.gz' } });
  await sm.CreateModel({ ModelName: 'cand', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://artifacts/cand/model.tar.gz' } });
  await sm.CreateModel({
    ModelName: 'broken',
    PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://artifacts/cand/model.tar.gz', Environment: { FAIL_START: '1' } },
  });
});

afterEach(async () => {
  await sm.shutdown();
});

async function twoVariantEndpoint(candidateWeight: number, capture?: Record<string, unknown>) {
  await sm.CreateEndpointConfig({
    EndpointConfigName: 'cfg-2',
    ProductionVariants: [
      { VariantName: 'production', ModelName: 'prod', InitialVariantWeight: 1 - candidateWeight, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
      { VariantName: 'candidate', ModelName: 'cand', InitialVariantWeight: candidateWeight, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
    ],
    ...(capture ? { DataCaptureConfig: capture as never } : {}),
  });
  await sm.CreateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-2' });
  return sm.waitForEndpoint(EP);
}

const invoke = (body: string, extra: Record<string, unknown> = {}) =>
  sm.runtime.InvokeEndpoint({ EndpointName: EP, Body: body, ContentType: 'text/csv', ...extra });

describe('Function: CreateEndpoint / InvokeEndpoint', () => {
  it('goes Creating → InService and forwards requests to the variant server', async () => {
    // Prepare
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-1', ProductionVariants: [{ VariantName: 'production', ModelName: 'prod', InitialVariantWeight: 1 }] });

    // Act
    await sm.CreateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-1' });
    const first = await sm.DescribeEndpoint({ EndpointName: EP });
    const ready = await sm.waitForEndpoint(EP);
    const res = await invoke('4,5,6');

    // Assess
    expect(first.EndpointStatus).toBe('Creating');
    expect(ready).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'cfg-1',
      ProductionVariants: [{ VariantName: 'production', CurrentWeight: 1, DesiredWeight: 1, CurrentInstanceCount: 1 }],
    });
    expect(Buffer.from(res.Body).toString()).toBe('4\n');
    expect(res.ContentType).toBe('text/csv');
    expect(res.InvokedProductionVariant).toBe('production');
  });

  it('ends Failed with a FailureReason when a variant server does not start', async () => {
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-bad', ProductionVariants: [{ VariantName: 'production', ModelName: 'broken' }] });
    await sm.CreateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-bad' });
    const out = await sm.waitForEndpoint(EP);
    expect(out.EndpointStatus).toBe('Failed');
    expect(out.FailureReason).toMatch(/production.*exit code 3.*cannot load the model/);
    await expect(invoke('1')).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('routes by weight: about 25% of 1000 requests reach a variant of weight 0.25', async () => {
    // Prepare
    await twoVariantEndpoint(0.25);

    // Act
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const res = await invoke('1');
      counts[res.InvokedProductionVariant] = (counts[res.InvokedProductionVariant] ?? 0) + 1;
      // the answer comes from the variant that claims it (scale 10 for the candidate)
      expect(Buffer.from(res.Body).toString()).toBe(res.InvokedProductionVariant === 'candidate' ? '10\n' : '1\n');
    }

    // Assess: Binomial(1000, 0.25) has mean 250 and sd 13.7; ±4.5 sd
    expect(counts.candidate! + counts.production!).toBe(1000);
    expect(counts.candidate).toBeGreaterThanOrEqual(188);
    expect(counts.candidate).toBeLessThanOrEqual(312);
  });

  it('honours TargetVariant, even at weight 0, and rejects an unknown one', async () => {
    await twoVariantEndpoint(0);
    for (let i = 0; i < 20; i++) expect((await invoke('2')).InvokedProductionVariant).toBe('production');
    const res = await invoke('2', { TargetVariant: 'candidate' });
    expect(res.InvokedProductionVariant).toBe('candidate');
    expect(Buffer.from(res.Body).toString()).toBe('20\n');
    await expect(invoke('2', { TargetVariant: 'nope' })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('throws ModelError for a model error and counts invocations, errors and latency per variant', async () => {
    // Prepare
    await twoVariantEndpoint(0.5);

    // Act
    for (let i = 0; i < 3; i++) await invoke('1', { TargetVariant: 'production' });
    await expect(invoke('boom', { TargetVariant: 'candidate' })).rejects.toMatchObject({ name: 'ModelError', OriginalStatusCode: 500 });
    await expect(invoke('abc', { TargetVariant: 'candidate' })).rejects.toMatchObject({ name: 'ModelError', OriginalStatusCode: 400 });
    await invoke('1', { TargetVariant: 'candidate' });
    expect(cw.calls).toHaveLength(0); // buffered
    await sm.flushMetrics();

    // Assess
    expect(cw.calls.every((c) => c.Namespace === 'AWS/SageMaker')).toBe(true);
    expect(cw.sum('Invocations', EP, 'production')).toBe(3);
    expect(cw.sum('Invocation5XXErrors', EP, 'production')).toBe(0);
    expect(cw.sum('Invocations', EP, 'candidate')).toBe(3);
    expect(cw.sum('Invocation5XXErrors', EP, 'candidate')).toBe(1);
    expect(cw.sum('Invocation4XXErrors', EP, 'candidate')).toBe(1);
    const latency = cw.datums('ModelLatency', EP, 'production');
    expect(latency.every((d) => d.Unit === 'Microseconds')).toBe(true);
    const counted = latency.flatMap((d) => d.Counts ?? []).reduce((a, b) => a + b, 0);
    expect(counted).toBe(3);
    // loopback HTTP takes more than 1 µs and less than 10 s
    for (const v of latency.flatMap((d) => d.Values ?? [])) {
      expect(v).toBeGreaterThan(1);
      expect(v).toBeLessThan(10_000_000);
    }
  });

  it('writes data capture in SageMaker layout, sampled, and parseable by the capture reader', async () => {
    // Prepare
    await twoVariantEndpoint(0.5, {
      EnableCapture: true,
      InitialSamplingPercentage: 100,
      DestinationS3Uri: 's3://capture/churn/',
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
    });
    const before = new Date();

    // Act
    for (let i = 0; i < 5; i++) await invoke(`${i},7`, { TargetVariant: 'candidate' });
    await invoke('3,3', { TargetVariant: 'production' });
    await sm.flushMetrics();

    // Assess
    const files = s3.list('s3://capture/churn/');
    expect(files).toHaveLength(2);
    const hour = `${before.getUTCFullYear()}/${String(before.getUTCMonth() + 1).padStart(2, '0')}/${String(before.getUTCDate()).padStart(2, '0')}/${String(before.getUTCHours()).padStart(2, '0')}`;
    const layout = /^s3:\/\/capture\/churn\/churn-prod\/(candidate|production)\/(\d{4}\/\d{2}\/\d{2}\/\d{2})\/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl$/;
    for (const f of files) {
      const m = layout.exec(f);
      expect(m, f).not.toBeNull();
      expect([hour, nextHour(before)]).toContain(m![2]);
    }
    const candidate = files.find((f) => f.includes('/candidate/'))!;
    const lines = s3.text(candidate).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatchObject({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '2,7', encoding: 'CSV' },
        endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '20\n', encoding: 'CSV' },
      },
      eventVersion: '0',
    });
    expect(lines[0].eventMetadata.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(lines[0].eventMetadata.inferenceTime).getTime()).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect(new Set(lines.map((l) => l.eventMetadata.eventId)).size).toBe(5);
    // the project's own capture reader understands the records
    expect(captureColumns(lines[0], candidate, 1).featureCount).toBe(2);
  });

  it('samples capture at InitialSamplingPercentage and base64-encodes without a content-type header', async () => {
    await twoVariantEndpoint(0, {
      InitialSamplingPercentage: 30,
      DestinationS3Uri: 's3://capture/x',
      CaptureOptions: [{ CaptureMode: 'Input' }],
    });
    for (let i = 0; i < 400; i++) await invoke('1,2');
    await sm.flushMetrics();
    const lines = s3.list('s3://capture/x/').flatMap((f) => s3.text(f).trim().split('\n')).map((l) => JSON.parse(l));
    // Binomial(400, 0.3): mean 120, sd 9.2; ±4.5 sd
    expect(lines.length).toBeGreaterThanOrEqual(79);
    expect(lines.length).toBeLessThanOrEqual(161);
    expect(lines[0].captureData.endpointOutput).toBeUndefined();
    expect(lines[0].captureData.endpointInput).toMatchObject({ encoding: 'BASE64', data: Buffer.from('1,2').toString('base64') });
  });
});

function nextHour(d: Date): string {
  const n = new Date(d.getTime() + 3_600_000);
  return `${n.getUTCFullYear()}/${String(n.getUTCMonth() + 1).padStart(2, '0')}/${String(n.getUTCDate()).padStart(2, '0')}/${String(n.getUTCHours()).padStart(2, '0')}`;
}

describe('Function: UpdateEndpoint / UpdateEndpointWeightsAndCapacities', () => {
  it('shifts traffic with UpdateEndpointWeightsAndCapacities', async () => {
    await twoVariantEndpoint(0);
    await sm.UpdateEndpointWeightsAndCapacities({
      EndpointName: EP,
      DesiredWeightsAndCapacities: [
        { VariantName: 'production', DesiredWeight: 0 },
        { VariantName: 'candidate', DesiredWeight: 1 },
      ],
    });
    const during = await sm.DescribeEndpoint({ EndpointName: EP });
    expect(during.EndpointStatus).toBe('Updating');
    const after = await sm.waitForEndpoint(EP);
    expect(after.EndpointStatus).toBe('InService');
    expect(after.ProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'production', CurrentWeight: 0, DesiredWeight: 0 }),
      expect.objectContaining({ VariantName: 'candidate', CurrentWeight: 1, DesiredWeight: 1 }),
    ]);
    for (let i = 0; i < 20; i++) expect((await invoke('1')).InvokedProductionVariant).toBe('candidate');
    await expect(
      sm.UpdateEndpointWeightsAndCapacities({ EndpointName: EP, DesiredWeightsAndCapacities: [{ VariantName: 'ghost', DesiredWeight: 1 }] }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('updates blue/green: the old servers serve until the new ones are up, then stop', async () => {
    // Prepare
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-1', ProductionVariants: [{ VariantName: 'production', ModelName: 'prod' }] });
    await sm.CreateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-1' });
    await sm.waitForEndpoint(EP);
    const oldPids = sm.endpoints.serverPids();
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-new', ProductionVariants: [{ VariantName: 'production', ModelName: 'cand' }] });

    // Act
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-new' });
    const during = await sm.DescribeEndpoint({ EndpointName: EP });
    const servedDuring = Buffer.from((await invoke('1')).Body).toString();
    const after = await sm.waitForEndpoint(EP);

    // Assess
    expect(during).toMatchObject({ EndpointStatus: 'Updating', EndpointConfigName: 'cfg-1' });
    expect(servedDuring).toBe('1\n');
    expect(after).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-new' });
    expect(Buffer.from((await invoke('1')).Body).toString()).toBe('10\n');
    expect(oldPids.every((p) => !isAlive(p))).toBe(true);
    expect(sm.endpoints.serverPids().every((p) => isAlive(p) && !oldPids.includes(p))).toBe(true);
  });

  it('goes Failed and keeps the old variants when a new variant does not start', async () => {
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-1', ProductionVariants: [{ VariantName: 'production', ModelName: 'prod' }] });
    await sm.CreateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-1' });
    await sm.waitForEndpoint(EP);
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-bad', ProductionVariants: [{ VariantName: 'production', ModelName: 'broken' }] });
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-bad' });
    const out = await sm.waitForEndpoint(EP);
    expect(out).toMatchObject({ EndpointStatus: 'Failed', EndpointConfigName: 'cfg-1' });
    expect(out.FailureReason).toMatch(/failed to start/);
    // a restore to the previous config is allowed and brings it back
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-1' });
    expect(await sm.waitForEndpoint(EP)).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-1' });
    expect((await sm.DescribeEndpoint({ EndpointName: EP })).FailureReason).toBeUndefined();
  });

  it('test hooks: the next update fails, or rolls back silently', async () => {
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-1', ProductionVariants: [{ VariantName: 'production', ModelName: 'prod' }] });
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-new', ProductionVariants: [{ VariantName: 'production', ModelName: 'cand' }] });
    await sm.CreateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-1' });
    await sm.waitForEndpoint(EP);

    sm.failNextUpdate(EP, 'fail', 'injected');
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-new' });
    expect(await sm.waitForEndpoint(EP)).toMatchObject({ EndpointStatus: 'Failed', FailureReason: 'injected', EndpointConfigName: 'cfg-1' });

    sm.failNextUpdate(EP, 'rollback');
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-new' });
    const rolled = await sm.waitForEndpoint(EP);
    expect(rolled).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-1' });
    expect(rolled.FailureReason).toBeUndefined();
    expect(Buffer.from((await invoke('1')).Body).toString()).toBe('1\n');

    // the hook is used once: the following update goes through
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-new' });
    expect(await sm.waitForEndpoint(EP)).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-new' });
  });

  it('rejects an update while one is in progress, and describes a missing endpoint as not found', async () => {
    await twoVariantEndpoint(0.5);
    await sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-2' });
    await expect(sm.UpdateEndpoint({ EndpointName: EP, EndpointConfigName: 'cfg-2' })).rejects.toMatchObject({ name: 'ValidationException' });
    await sm.waitForEndpoint(EP);
    await expect(sm.call('DescribeEndpoint', { EndpointName: 'nope' })).rejects.toThrow(/Could not find endpoint/);
  });
});

describe('Function: shutdown / DeleteEndpoint', () => {
  it('leaves no server process behind', async () => {
    // Prepare
    await twoVariantEndpoint(0.5);
    await sm.CreateEndpointConfig({ EndpointConfigName: 'cfg-1', ProductionVariants: [{ VariantName: 'production', ModelName: 'prod' }] });
    await sm.CreateEndpoint({ EndpointName: 'other', EndpointConfigName: 'cfg-1' });
    await sm.waitForEndpoint('other');
    const pids = sm.endpoints.serverPids();
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);

    // Act
    await sm.DeleteEndpoint({ EndpointName: 'other' });
    const afterDelete = pids.map(isAlive);
    await sm.shutdown();

    // Assess
    expect(afterDelete.filter(Boolean)).toHaveLength(2);
    expect(pids.some(isAlive)).toBe(false);
    expect(sm.endpoints.serverPids()).toEqual([]);
  });
});
