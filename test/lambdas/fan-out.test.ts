import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandInput,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlanWindowOutput, ShardItem, type SummarizeShardOutput } from '../../vocabulary/fan-out-contracts';
import { handler as drift } from '../../lambdas/drift/handler';
import { handler as planWindow } from '../../lambdas/plan-window/handler';
import { handler as profile } from '../../lambdas/profile/handler';
import { handler as reduceWindow } from '../../lambdas/reduce-window/handler';
import { handler as summarizeShard } from '../../lambdas/summarize-shard/handler';
import { handler as validate } from '../../lambdas/validate/handler';
import { BINARY_SETTINGS, RUN, saveEnv, useSettings } from './helpers';

// An in-memory S3 of bytes: GetObject with Range, ListObjectsV2 by prefix in key order (with MaxKeys), PutObject.
const s3Mock = mockClient(S3Client);
const objects = new Map<string, Buffer>();

function serveS3(): void {
  s3Mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    const body = objects.get(`s3://${input.Bucket}/${input.Key}`);
    if (body === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    const m = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '');
    const slice = m ? body.subarray(Number(m[1]), Number(m[2]) + 1) : body;
    return { Body: sdkStreamMixin(Readable.from([slice])), ContentLength: slice.length };
  });
  s3Mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const root = `s3://${input.Bucket}/`;
    const keys = [...objects.keys()]
      .filter((u) => u.startsWith(root + (input.Prefix ?? '')))
      .map((u) => u.slice(root.length))
      .sort();
    const page = keys.slice(0, input.MaxKeys ?? 1000);
    return { Contents: page.map((Key) => ({ Key, Size: objects.get(root + Key)!.length, LastModified: new Date('2026-11-30T00:00:00Z') })), IsTruncated: false };
  });
  s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const body = input.Body;
    objects.set(`s3://${input.Bucket}/${input.Key}`, typeof body === 'string' ? Buffer.from(body) : Buffer.from(body as Uint8Array));
    return {};
  });
}

let restoreEnv: () => void = () => undefined;
beforeEach(() => {
  restoreEnv = saveEnv();
  useSettings(BINARY_SETTINGS);
  objects.clear();
  serveS3();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-30T11:05:00Z'));
});
afterEach(() => {
  s3Mock.reset();
  vi.useRealTimers();
  restoreEnv();
});

const CAPTURE_PREFIX = 's3://data/capture/churn-ep/production/';
const BASELINE = 's3://art/baselines/churn/r1/baseline.json';
const WORK = 's3://art/fanout/churn/run-1/';
const WINDOW = {
  time: '2026-11-30T11:05:00Z',
  startedAt: '2026-11-30T11:05:02.345Z',
  windowEnd: '',
  length: '',
  periodSeconds: 3600,
  defaultLengthSeconds: 3600,
  captureLagSeconds: 3600,
  labelDelaySeconds: 0,
  minRows: 1,
  capturePrefix: CAPTURE_PREFIX,
};

function captureLine(id: string, time: string, x: number | string, y: number): string {
  return JSON.stringify({
    captureData: { endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: `${x},${y}`, encoding: 'CSV' } },
    eventMetadata: { eventId: id, inferenceTime: time },
    eventVersion: '0',
  });
}

/**
 * 40 objects in the window's hour, one large one, records of the hour before the window
 * in its lag hour and after it, a repeated row, a missing value, a value out of range.
 */
async function windowOfCapture(): Promise<void> {
  const training = `x,y,label\n${Array.from({ length: 200 }, (_, i) => `${i % 100},${(i * 7) % 100},${i % 2}`).join('\n')}\n`;
  objects.set('s3://data/train/part-0.csv', Buffer.from(training));
  await profile({ ...RUN, trainingUri: 's3://data/train/', outputUri: BASELINE });
  const at = (min: number) => new Date(Date.parse('2026-11-30T10:00:00Z') + min * 60_000).toISOString();
  for (let k = 0; k < 40; k++) {
    const lines = Array.from({ length: 5 + (k % 4) }, (_, i) => captureLine(`o${k}-${i}`, at((k + i) % 60), (k * 11 + i * 3) % 130, (k + i * 17) % 100));
    objects.set(`${CAPTURE_PREFIX}2026/11/30/10/obj-${String(k).padStart(3, '0')}.jsonl`, Buffer.from(`${lines.join('\n')}\n`));
  }
  const big = Array.from({ length: 300 }, (_, i) => captureLine(`big-${i}`, at(i % 60), i % 3 === 0 ? '' : (i * 7) % 100, i % 50));
  big.push(captureLine('dup', at(1), 5, 5), captureLine('dup', at(1), 5, 5));
  objects.set(`${CAPTURE_PREFIX}2026/11/30/10/zz-big.jsonl`, Buffer.from(`${big.join('\n')}\n`));
  objects.set(`${CAPTURE_PREFIX}2026/11/30/11/lag.jsonl`, Buffer.from(`${[captureLine('late', at(59.5), 50, 51), captureLine('after', '2026-11-30T11:00:00Z', 1, 1)].join('\n')}\n`));
  objects.set(`${CAPTURE_PREFIX}2026/11/30/09/before.jsonl`, Buffer.from(`${captureLine('before', '2026-11-30T09:30:00Z', 1, 1)}\n`));
}

/** Runs the children of a plan as the Distributed Map would, writing the ResultWriter's files; `fail` lists shards whose child fails. */
async function runMap(plan: PlanWindowOutput, fail: readonly number[] = []): Promise<{ Bucket: string; Key: string }> {
  const items = ShardItem.array().parse(JSON.parse(objects.get(`s3://${plan.manifestBucket}/${plan.manifestKey}`)!.toString()));
  const succeeded: object[] = [];
  const failed: object[] = [];
  for (const shard of items) {
    const input = { ...RUN, shard, baselineUri: BASELINE, window: WINDOW, partialsBucket: plan.manifestBucket, partialsKey: plan.partialsKey };
    const name = `child-${shard.index}`;
    if (fail.includes(shard.index)) {
      failed.push({ Name: name, Input: JSON.stringify(input), Status: 'FAILED', Error: 'Lambda.Unknown', Cause: 'out of memory' });
      continue;
    }
    const output: SummarizeShardOutput = await summarizeShard(input);
    succeeded.push({ Name: name, Input: JSON.stringify(input), Output: JSON.stringify(output), Status: 'SUCCEEDED' });
  }
  // Results in reverse order: the reduce must not rely on the file's order.
  objects.set('s3://art/results/run/SUCCEEDED_0.json', Buffer.from(JSON.stringify(succeeded.reverse())));
  objects.set('s3://art/results/run/FAILED_0.json', Buffer.from(JSON.stringify(failed)));
  const manifest = {
    DestinationBucket: 'art',
    MapRunArn: 'arn:aws:states:us-east-1:111122223333:mapRun:monitor/Fan out:1',
    ResultFiles: { FAILED: failed.length ? [{ Key: 'results/run/FAILED_0.json', Size: 1 }] : [], PENDING: [], SUCCEEDED: [{ Key: 'results/run/SUCCEEDED_0.json', Size: 1 }] },
  };
  objects.set('s3://art/results/run/manifest.json', Buffer.from(JSON.stringify(manifest)));
  return { Bucket: 'art', Key: 'results/run/manifest.json' };
}

describe('Function: planWindow', () => {
  it('keeps a window at or under fanOutBytes on the single path, writing nothing', async () => {
    // Prepare
    await windowOfCapture();
    const before = objects.size;

    // Act
    const plan = await planWindow({ ...RUN, window: WINDOW, fanOutBytes: 10_000_000, shardBytes: 1000, workUri: WORK });

    // Assess: the window's hour and lag hour listed (not the hour before)
    const listed = [...objects.entries()].filter(([u]) => u.includes('/2026/11/30/10/') || u.includes('/2026/11/30/11/'));
    expect(plan).toEqual({ decision: 'single', bytes: listed.reduce((n, [, b]) => n + b.length, 0), objects: listed.length, shards: 0, manifestBucket: '', manifestKey: '', partialsKey: '' });
    expect(objects.size).toBe(before);
  });

  it('fans out above fanOutBytes: a manifest of shards of at most shardBytes, the large object split', async () => {
    // Prepare
    await windowOfCapture();

    // Act
    const plan = PlanWindowOutput.parse(await planWindow({ ...RUN, window: WINDOW, fanOutBytes: 1, shardBytes: 4000, workUri: WORK }));

    // Assess
    expect(plan).toMatchObject({ decision: 'fanOut', objects: 42, manifestBucket: 'art', manifestKey: 'fanout/churn/run-1/shards.json', partialsKey: 'fanout/churn/run-1/partials/' });
    const items = ShardItem.array().parse(JSON.parse(objects.get('s3://art/fanout/churn/run-1/shards.json')!.toString()));
    expect(items).toHaveLength(plan.shards);
    expect(items.every((s) => s.bytes <= 4000)).toBe(true);
    expect(items.reduce((n, s) => n + s.bytes, 0)).toBe(plan.bytes);
    expect(items.flatMap((s) => s.pieces).filter((p) => p.uri.endsWith('zz-big.jsonl')).length).toBeGreaterThan(1);
  });
});

describe('Function: reduceWindow', () => {
  it('gives the single path validation and drift outputs exactly', async () => {
    // Prepare
    await windowOfCapture();
    const single = {
      validation: await validate({ ...RUN, target: 'captured', dataUri: 's3://data/capture/', baselineUri: BASELINE, window: WINDOW }),
      drift: await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: BASELINE, window: WINDOW }),
    };
    const plan = PlanWindowOutput.parse(await planWindow({ ...RUN, window: WINDOW, fanOutBytes: 1, shardBytes: 3000, workUri: WORK }));

    // Act
    const results = await runMap(plan);
    const reduced = await reduceWindow({ ...RUN, baselineUri: BASELINE, window: WINDOW, plan, results });

    // Assess: the window held duplicates, missing values and out-of-range values, all counted alike
    expect(plan.shards).toBeGreaterThan(3);
    expect(single.validation.checks.some((c) => c.check === 'duplicates' && c.value > 0)).toBe(true);
    expect(single.validation.checks.some((c) => c.check === 'missing' && c.column === 'x' && c.value > 0)).toBe(true);
    expect(single.drift.features.map((f) => f.feature)).toEqual(['x', 'y']);
    expect(reduced.validation).toEqual(single.validation);
    expect(reduced.drift).toEqual(single.drift);
  });

  it('reports the shards a tolerated failure lost, with their bytes and error', async () => {
    // Prepare
    await windowOfCapture();
    const plan = PlanWindowOutput.parse(await planWindow({ ...RUN, window: WINDOW, fanOutBytes: 1, shardBytes: 3000, workUri: WORK }));
    const whole = await reduceWindow({ ...RUN, baselineUri: BASELINE, window: WINDOW, plan, results: await runMap(plan) });
    const items = ShardItem.array().parse(JSON.parse(objects.get(`s3://art/${plan.manifestKey}`)!.toString()));

    // Act
    const reduced = await reduceWindow({ ...RUN, baselineUri: BASELINE, window: WINDOW, plan, results: await runMap(plan, [1]) });

    // Assess
    const lost = [{ shard: 1, bytes: items[1]!.bytes, error: 'Lambda.Unknown: out of memory' }];
    expect(reduced.validation.lostShards).toEqual(lost);
    expect(reduced.drift.lostShards).toEqual(lost);
    expect(reduced.validation.rows).toBeLessThan(whole.validation.rows);
    expect(whole.validation.lostShards).toBeUndefined();
  });

  it('refuses a map run that does not account for every planned shard', async () => {
    // Prepare
    await windowOfCapture();
    const plan = PlanWindowOutput.parse(await planWindow({ ...RUN, window: WINDOW, fanOutBytes: 1, shardBytes: 3000, workUri: WORK }));
    const results = await runMap(plan);

    // Act / Assess
    await expect(reduceWindow({ ...RUN, baselineUri: BASELINE, window: WINDOW, plan: { ...plan, shards: plan.shards + 1 }, results })).rejects.toThrow(
      new RegExp(`^s3://art/results/run/manifest.json: the map run accounts for ${plan.shards} succeeded and 0 lost children, expected one per planned shard \\(${plan.shards + 1}\\)`),
    );
  });
});
