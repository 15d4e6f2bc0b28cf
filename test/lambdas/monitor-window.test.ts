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
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DriftOutput, QualityOutput, ValidateOutput } from '../../vocabulary/contracts';
import { handler as drift } from '../../lambdas/drift/handler';
import { handler as profile } from '../../lambdas/profile/handler';
import { handler as quality } from '../../lambdas/quality/handler';
import { handler as validate } from '../../lambdas/validate/handler';
import { BINARY_SETTINGS, RUN, groundTruthLine, saveEnv, useSettings } from './helpers';

const HOUR = 3_600_000;

// ---------------------------------------------------------------------------
// An in-memory S3 whose ListObjectsV2 behaves like S3's: keys in byte order,
// Prefix, StartAfter, MaxKeys and continuation tokens.
// ---------------------------------------------------------------------------

const s3Mock = mockClient(S3Client);
const objects = new Map<string, string>();
/** LastModified of objects, by URI. @default 2026-11-30T00:00:00Z */
const modified = new Map<string, Date>();

function serveS3(): void {
  s3Mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    const content = objects.get(`s3://${input.Bucket}/${input.Key}`);
    if (content === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: sdkStreamMixin(Readable.from([Buffer.from(content)])), ContentLength: Buffer.byteLength(content) };
  });
  s3Mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const root = `s3://${input.Bucket}/`;
    const prefix = input.Prefix ?? '';
    const keys = [...objects.keys()]
      .filter((uri) => uri.startsWith(root))
      .map((uri) => uri.slice(root.length))
      .filter((key) => key.startsWith(prefix))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let from = 0;
    if (input.ContinuationToken !== undefined) from = Number(input.ContinuationToken);
    else if (input.StartAfter !== undefined) from = keys.filter((k) => k <= input.StartAfter!).length;
    const max = input.MaxKeys ?? 1000;
    const page = keys.slice(from, from + max);
    const truncated = from + max < keys.length;
    return {
      Contents: page.map((key) => ({ Key: key, Size: Buffer.byteLength(objects.get(root + key)!), LastModified: modified.get(root + key) ?? new Date('2026-11-30T00:00:00Z') })),
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: String(from + max) } : {}),
    };
  });
  s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    objects.set(`s3://${input.Bucket}/${input.Key}`, String(input.Body));
    return {};
  });
}

let restoreEnv: () => void = () => undefined;
beforeEach(() => {
  restoreEnv = saveEnv();
  useSettings(BINARY_SETTINGS);
  objects.clear();
  modified.clear();
  serveS3();
});
afterEach(() => {
  s3Mock.reset();
  vi.useRealTimers();
  restoreEnv();
});

/** The Prefix of every ListObjectsV2 call. */
const listedPrefixes = () => s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix ?? '');
/** The `s3://` URI of every object read. */
const readUris = () => s3Mock.commandCalls(GetObjectCommand).map((c) => `s3://${c.args[0].input.Bucket}/${c.args[0].input.Key}`);

/** Pins the clock at the run's time (freshness is measured against it). */
function clockAt(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

// ---------------------------------------------------------------------------
// Fixtures: SageMaker data capture and ground truth in hour partitions.
// ---------------------------------------------------------------------------

const CAPTURE_URI = 's3://data/capture/';
const CAPTURE_PREFIX = `${CAPTURE_URI}churn-ep/production/`;
const GROUND_TRUTH_URI = 's3://labels/churn/';
const BASELINE = 's3://art/baselines/churn/r1/baseline.json';

interface Capture {
  readonly eventId: string;
  readonly inferenceId?: string;
  readonly time: string;
  readonly x: number;
  readonly y: number;
  readonly p: number;
}

/** One SageMaker data-capture line (CSV in and out). */
function captureLine(c: Capture): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: `${c.x},${c.y}`, encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: String(c.p), encoding: 'CSV' },
    },
    eventMetadata: { eventId: c.eventId, ...(c.inferenceId === undefined ? {} : { inferenceId: c.inferenceId }), inferenceTime: c.time },
    eventVersion: '0',
  });
}

/** Capture files by partition (`yyyy/mm/dd/hh/name`) → records; stored under CAPTURE_PREFIX. */
type CaptureFiles = Record<string, readonly Capture[]>;

function putCapture(files: CaptureFiles): void {
  for (const [path, records] of Object.entries(files)) objects.set(`${CAPTURE_PREFIX}${path}`, `${records.map(captureLine).join('\n')}\n`);
}

/** Records of `files` with inferenceTime in [start, end). */
function recordsIn(files: CaptureFiles, start: string, end: string): Capture[] {
  const [s, e] = [Date.parse(start), Date.parse(end)];
  return Object.values(files)
    .flat()
    .filter((r) => Date.parse(r.time) >= s && Date.parse(r.time) < e);
}

/** Files of `files` in the given partitions. */
const filesIn = (files: CaptureFiles, partitions: readonly string[]) =>
  Object.keys(files).filter((path) => partitions.some((p) => path.startsWith(`${p}/`)));

/** Bytes stored for the capture files `paths`. */
const captureBytes = (paths: readonly string[]) => paths.reduce((n, p) => n + Buffer.byteLength(objects.get(`${CAPTURE_PREFIX}${p}`)!), 0);

/** n records spread over [from, from + spanMs), ids `<tag>-i`. */
function spread(tag: string, from: string, spanMs: number, n: number, x: (i: number) => number = (i) => (i * 13) % 100): Capture[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${tag}-${i}`,
    time: new Date(Date.parse(from) + Math.floor((i * spanMs) / n)).toISOString(),
    x: x(i),
    y: (i * 7) % 100,
    p: (i % 10) / 10,
  }));
}

/** The Monitor's window input of a run at 2026-11-30T11:05Z: window [10:00, 11:00), one hour of capture lag and label delay. */
function windowInput(overrides: Record<string, unknown> = {}) {
  return {
    time: '2026-11-30T11:05:00Z',
    startedAt: '2026-11-30T11:05:02.345Z',
    windowEnd: '',
    length: '',
    periodSeconds: 3600,
    defaultLengthSeconds: 3600,
    captureLagSeconds: 3600,
    labelDelaySeconds: 3600,
    minRows: 1,
    capturePrefix: CAPTURE_PREFIX,
    ...overrides,
  };
}
const WINDOW = { start: '2026-11-30T10:00:00.000Z', end: '2026-11-30T11:00:00.000Z' };
const RUN_TIME = '2026-11-30T11:05:00Z';

/** 200 training rows: x and y spread evenly over 0..99, label alternating. */
const TRAINING = `x,y,label\n${Array.from({ length: 200 }, (_, i) => `${i % 100},${(i * 7) % 100},${i % 2}`).join('\n')}\n`;

/** Writes the baseline with the profile handler, then forgets the S3 calls it made. */
async function writeBaseline(): Promise<void> {
  objects.set('s3://data/train/part-0.csv', TRAINING);
  await profile({ ...RUN, trainingUri: 's3://data/train/', outputUri: BASELINE });
  s3Mock.resetHistory();
}

/**
 * A month of capture: old partitions (a day ago, the hour before), the window's hour,
 * and the capture-lag hour holding both late records of the window and records after it.
 */
function monthOfCapture(): CaptureFiles {
  return {
    '2026/11/01/10/old.jsonl': spread('nov1', '2026-11-01T10:00:00Z', HOUR, 20),
    '2026/11/29/10/day-before.jsonl': spread('d', '2026-11-29T10:00:00Z', HOUR, 5),
    '2026/11/30/09/hour-before.jsonl': spread('h', '2026-11-30T09:00:00Z', HOUR, 4),
    '2026/11/30/10/a.jsonl': spread('a', '2026-11-30T10:00:00Z', 50 * 60_000, 6),
    '2026/11/30/10/b.jsonl': [
      { eventId: 'b-0', time: '2026-11-30T10:55:00Z', x: 40, y: 41, p: 0.4 },
      { eventId: 'b-1', time: '2026-11-30T10:59:59.999Z', x: 42, y: 43, p: 0.6 },
    ],
    '2026/11/30/11/lag.jsonl': [
      { eventId: 'l-0', time: '2026-11-30T10:59:30Z', x: 50, y: 51, p: 0.5 },
      { eventId: 'l-1', time: '2026-11-30T11:00:00Z', x: 52, y: 53, p: 0.5 },
      { eventId: 'l-2', time: '2026-11-30T11:02:00Z', x: 54, y: 55, p: 0.5 },
    ],
  };
}

describe('Function: validate handler (window)', () => {
  beforeEach(writeBaseline);

  it('reads only the records of the window, listing only its hour partitions', async () => {
    // Prepare
    clockAt(RUN_TIME);
    const files = monthOfCapture();
    putCapture(files);
    const inWindow = recordsIn(files, WINDOW.start, WINDOW.end);
    const read = filesIn(files, ['2026/11/30/10', '2026/11/30/11']);
    // Act
    const out = await validate({ ...RUN, target: 'captured', dataUri: CAPTURE_URI, baselineUri: BASELINE, window: windowInput() });
    // Assess
    expect(ValidateOutput.parse(out)).toEqual(out);
    expect(out.rows).toBe(inWindow.length);
    expect(out).toMatchObject({ window: WINDOW, objectsRead: read.length, bytesRead: captureBytes(read), insufficientData: false, status: 'healthy' });
    // one probe of the prefix, then the window hour and the lag hour, nothing older
    const base = CAPTURE_PREFIX.slice('s3://data/'.length);
    expect(listedPrefixes()).toEqual([base, `${base}2026/11/30/10/`, `${base}2026/11/30/11/`]);
    expect(readUris().filter((u) => u.startsWith(CAPTURE_PREFIX)).sort()).toEqual(read.map((p) => `${CAPTURE_PREFIX}${p}`).sort());
  });

  it('counts a late record of the lag partition inside the window, not one at or after the window end', async () => {
    // Prepare: only the lag hour holds records
    clockAt(RUN_TIME);
    putCapture({
      '2026/11/30/11/lag.jsonl': [
        { eventId: 'in', time: '2026-11-30T10:59:59Z', x: 1, y: 2, p: 0.8 },
        { eventId: 'at-end', time: '2026-11-30T11:00:00Z', x: 3, y: 4, p: 0.8 },
        { eventId: 'after', time: '2026-11-30T11:01:00Z', x: 5, y: 6, p: 0.8 },
      ],
    });
    // Act
    const out = await validate({ ...RUN, target: 'captured', dataUri: CAPTURE_URI, baselineUri: BASELINE, window: windowInput() });
    // Assess
    expect(out.rows).toBe(1);
    expect(out.objectsRead).toBe(1);
  });

  it('gives insufficientData with a healthy status below minRows, a verdict at minRows', async () => {
    // Prepare
    clockAt(RUN_TIME);
    const files = monthOfCapture();
    putCapture(files);
    const n = recordsIn(files, WINDOW.start, WINDOW.end).length;
    const event = (minRows: number) => ({ ...RUN, target: 'captured', dataUri: CAPTURE_URI, baselineUri: BASELINE, window: windowInput({ minRows }) });
    // Act
    const below = await validate(event(n + 1));
    const at = await validate(event(n));
    // Assess
    expect(ValidateOutput.parse(below)).toEqual(below);
    expect(below).toMatchObject({ status: 'healthy', rows: n, insufficientData: true, window: WINDOW });
    expect(below.checks).toEqual([expect.objectContaining({ check: 'rows', value: n, threshold: n + 1, status: 'healthy' })]);
    expect(at).toMatchObject({ rows: n, insufficientData: false });
    expect(at.checks.length).toBeGreaterThan(1);
  });

  it('gives no verdict on too few rows even when they would be critical', async () => {
    // Prepare: 2 records, y missing in both (the missing check would be critical)
    clockAt(RUN_TIME);
    const line = (id: string, time: string) =>
      JSON.stringify({
        captureData: {
          endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '7,', encoding: 'CSV' },
          endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.8', encoding: 'CSV' },
        },
        eventMetadata: { eventId: id, inferenceTime: time },
        eventVersion: '0',
      });
    objects.set(`${CAPTURE_PREFIX}2026/11/30/10/x.jsonl`, `${line('m1', '2026-11-30T10:15:00Z')}\n${line('m2', '2026-11-30T10:25:00Z')}\n`);
    const event = (minRows: number) => ({ ...RUN, target: 'captured', dataUri: CAPTURE_URI, baselineUri: BASELINE, window: windowInput({ minRows }) });
    // Act
    const judged = await validate(event(2));
    const quiet = await validate(event(3));
    // Assess
    expect(judged).toMatchObject({ rows: 2, status: 'critical', insufficientData: false });
    expect(quiet).toMatchObject({ rows: 2, status: 'healthy', insufficientData: true });
  });

  it('reports an empty window as insufficient data, not critical', async () => {
    clockAt(RUN_TIME);
    const out = await validate({ ...RUN, target: 'captured', dataUri: CAPTURE_URI, baselineUri: BASELINE, window: windowInput({ minRows: 3 }) });
    expect(ValidateOutput.parse(out)).toEqual(out);
    expect(out).toMatchObject({ status: 'healthy', rows: 0, insufficientData: true, objectsRead: 0, bytesRead: 0, window: WINDOW });
  });

  it('judges a backfill of a past window on its own data, not as stale', async () => {
    // Prepare: the backfill runs three days after the window it names
    clockAt('2026-12-03T08:00:00Z');
    const files = monthOfCapture();
    putCapture(files);
    const n = recordsIn(files, WINDOW.start, WINDOW.end).length;
    const window = windowInput({ time: '2026-12-03T08:00:00Z', startedAt: '2026-12-03T08:00:01Z', windowEnd: '2026-11-30T11:00:00Z', length: 'PT1H' });
    // Act
    const out = await validate({ ...RUN, target: 'captured', dataUri: CAPTURE_URI, baselineUri: BASELINE, window });
    // Assess: the same window and rows as the scheduled run, and the same verdict
    expect(out).toMatchObject({ window: WINDOW, rows: n, insufficientData: false });
    expect(out.checks.find((c) => c.check === 'freshness')).toMatchObject({ status: 'healthy' });
    expect(out.status).toBe('healthy');
  });
});

describe('Function: drift handler (window)', () => {
  beforeEach(writeBaseline);

  const event = (minRows: number, overrides: Record<string, unknown> = {}) => ({
    ...RUN,
    captureUri: CAPTURE_URI,
    baselineUri: BASELINE,
    window: windowInput({ minRows, ...overrides }),
  });

  it('gives insufficientData and no feature below minRows', async () => {
    // Prepare: 3 records in the window, far out of the training range
    const files: CaptureFiles = { '2026/11/30/10/a.jsonl': spread('a', '2026-11-30T10:00:00Z', HOUR, 3, (i) => 900 + i) };
    putCapture(files);
    // Act
    const out = await drift(event(10));
    // Assess
    expect(DriftOutput.parse(out)).toEqual(out);
    expect(out).toEqual({
      features: [],
      driftedFeatures: 0,
      rows: 3,
      window: WINDOW,
      bytesRead: captureBytes(Object.keys(files)),
      objectsRead: 1,
      insufficientData: true,
    });
  });

  it('scores only the window: old partitions drawn like the training data do not dilute it', async () => {
    // Prepare: x shifted far above the training range in the window; old hours hold many ordinary rows
    const files: CaptureFiles = {
      '2026/11/29/10/old.jsonl': spread('old', '2026-11-29T10:00:00Z', HOUR, 300),
      '2026/11/30/09/before.jsonl': spread('before', '2026-11-30T09:00:00Z', HOUR, 300),
      '2026/11/30/10/a.jsonl': spread('a', '2026-11-30T10:00:00Z', HOUR, 40, (i) => 500 + i),
      '2026/11/30/11/lag.jsonl': [
        ...spread('late', '2026-11-30T10:59:00Z', 60_000, 2, (i) => 600 + i),
        ...spread('next', '2026-11-30T11:00:00Z', 5 * 60_000, 300),
      ],
    };
    putCapture(files);
    const n = recordsIn(files, WINDOW.start, WINDOW.end).length;
    // Act
    const out = await drift(event(n));
    // Assess
    expect(DriftOutput.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ rows: n, insufficientData: false, window: WINDOW, objectsRead: 2 });
    const byName = Object.fromEntries(out.features.map((f) => [f.feature, f]));
    expect(byName.x).toMatchObject({ drifted: true });
    expect(byName.y).toMatchObject({ drifted: false });
    expect(out.driftedFeatures).toBe(1);
  });

  it('gives insufficientData when the window holds objects but none of its records', async () => {
    // Prepare: the lag hour holds only records after the window end
    putCapture({ '2026/11/30/11/lag.jsonl': spread('next', '2026-11-30T11:00:00Z', 5 * 60_000, 5) });
    // Act
    const out = await drift(event(1));
    // Assess
    expect(out).toMatchObject({ features: [], rows: 0, insufficientData: true, objectsRead: 1 });
  });

  it('gives insufficientData for a window with no object', async () => {
    const out = await drift(event(1));
    expect(out).toMatchObject({ features: [], rows: 0, insufficientData: true, objectsRead: 0, bytesRead: 0, window: WINDOW });
  });
});

describe('Function: quality handler (window)', () => {
  /** Ground truth by partition (`yyyy/mm/dd/hh/name`) → [eventId, label]; stored under GROUND_TRUTH_URI. */
  type TruthFiles = Record<string, readonly (readonly [string, string])[]>;

  // The run at 11:05 judges [10:00, 11:00); with one hour of label delay, its predictions are those of [09:00, 10:00).
  const LABEL_WINDOW = { start: '2026-11-30T09:00:00.000Z', end: '2026-11-30T10:00:00.000Z' };

  const CAPTURE: CaptureFiles = {
    '2026/11/30/08/old.jsonl': [{ eventId: 'old-1', time: '2026-11-30T08:30:00Z', x: 1, y: 1, p: 0.9 }],
    '2026/11/30/09/a.jsonl': [
      { eventId: 'e1', time: '2026-11-30T09:05:00Z', x: 1, y: 2, p: 0.8 },
      { eventId: 'e2', inferenceId: 'inf-2', time: '2026-11-30T09:20:00Z', x: 3, y: 4, p: 0.3 },
      { eventId: 'e3', inferenceId: 'inf-3', time: '2026-11-30T09:40:00Z', x: 5, y: 6, p: 0.7 },
      { eventId: 'e4', time: '2026-11-30T09:50:00Z', x: 7, y: 8, p: 0.6 },
    ],
    '2026/11/30/10/b.jsonl': [
      { eventId: 'e5', time: '2026-11-30T09:59:58Z', x: 9, y: 10, p: 0.2 },
      { eventId: 'e7', inferenceId: 'inf-7', time: '2026-11-30T10:00:00Z', x: 11, y: 12, p: 0.9 },
      { eventId: 'e6', time: '2026-11-30T10:15:00Z', x: 13, y: 14, p: 0.9 },
    ],
  };
  const TRUTH: TruthFiles = {
    '2026/11/20/05/gt.jsonl': [['ancient', '1']],
    '2026/11/30/09/gt.jsonl': [
      ['e1', '1'],
      ['inf-2', '0'],
      ['old-1', '1'],
    ],
    // e3 has an inferenceId: a label keyed by its eventId must not match it
    '2026/11/30/10/gt.jsonl': [
      ['e3', '0'],
      ['e4', '0'],
      ['e6', '1'],
    ],
    '2026/11/30/11/gt.jsonl': [
      ['e5', '1'],
      ['inf-7', '1'],
    ],
  };

  function putTruth(files: TruthFiles): void {
    for (const [path, records] of Object.entries(files)) {
      objects.set(`${GROUND_TRUTH_URI}${path}`, `${records.map(([id, label]) => groundTruthLine(id, label)).join('\n')}\n`);
    }
  }

  /** Start (ms) of the hour of a `yyyy/mm/dd/hh/...` path. */
  const hourOf = (path: string) => {
    const [y, m, d, h] = path.split('/').map(Number);
    return Date.UTC(y!, m! - 1, d!, h!);
  };

  /** The expected join, computed from the fixtures: predictions of the label window, labels arrived since its start. */
  function expectedJoin(): { matched: number; accuracy: number } {
    const truth = new Map<string, number>();
    for (const [path, records] of Object.entries(TRUTH)) {
      if (hourOf(path) < Date.parse(LABEL_WINDOW.start)) continue;
      for (const [id, label] of records) truth.set(id, Number(label));
    }
    const pairs = recordsIn(CAPTURE, LABEL_WINDOW.start, LABEL_WINDOW.end)
      .map((r) => [r.p, truth.get(r.inferenceId ?? r.eventId)] as const)
      .filter((pair): pair is readonly [number, number] => pair[1] !== undefined);
    const correct = pairs.filter(([p, y]) => (p >= 0.5 ? 1 : 0) === y).length;
    return { matched: pairs.length, accuracy: correct / pairs.length };
  }

  /** Ground-truth records in partitions whose hour starts at or after `since` (all when ''). */
  const labelsSince = (since: string) =>
    Object.entries(TRUTH)
      .filter(([path]) => since === '' || hourOf(path) >= Date.parse(since))
      .reduce((n, [, records]) => n + records.length, 0);

  const event = (minRows: number, since = '') => ({
    ...RUN,
    captureUri: CAPTURE_URI,
    groundTruthUri: GROUND_TRUTH_URI,
    problemType: 'binary',
    label: 'label',
    labelsSince: since,
    window: windowInput({ minRows }),
  });

  beforeEach(() => {
    putCapture(CAPTURE);
    putTruth(TRUTH);
  });

  it('joins the predictions of the window shifted back by the label delay with the labels arrived since', async () => {
    // Prepare
    const expected = expectedJoin();
    // Act
    const out = await quality(event(1));
    // Assess
    expect(QualityOutput.safeParse(out).success).toBe(true);
    expect(expected.matched).toBeGreaterThan(0);
    expect(out).toMatchObject({ matched: expected.matched, insufficientData: false, window: LABEL_WINDOW });
    expect(out.metrics.find((m) => m.metric === 'accuracy')?.value).toBeCloseTo(expected.accuracy, 12);
    // the label window's capture hours (09, and 10 for the lag), never the hour before it
    const captureBase = CAPTURE_PREFIX.slice('s3://data/'.length);
    const captureListed = listedPrefixes().filter((p) => p.startsWith(captureBase));
    expect(captureListed).toEqual([captureBase, `${captureBase}2026/11/30/09/`, `${captureBase}2026/11/30/10/`]);
    expect(out.objectsRead).toBe(filesIn(CAPTURE, ['2026/11/30/09', '2026/11/30/10']).length);
  });

  it('joins by inferenceId when the capture record has one, by eventId otherwise', async () => {
    // Prepare: one labeled event of each kind, and one labeled by the wrong key
    objects.clear();
    putCapture({
      '2026/11/30/09/a.jsonl': [
        { eventId: 'plain', time: '2026-11-30T09:10:00Z', x: 1, y: 2, p: 0.9 },
        { eventId: 'has-id', inferenceId: 'caller-1', time: '2026-11-30T09:20:00Z', x: 1, y: 2, p: 0.1 },
        { eventId: 'has-id-2', inferenceId: 'caller-2', time: '2026-11-30T09:30:00Z', x: 1, y: 2, p: 0.9 },
      ],
    });
    putTruth({
      '2026/11/30/10/gt.jsonl': [
        ['plain', '1'],
        ['caller-1', '0'],
        ['has-id-2', '0'],
      ],
    });
    // Act
    const out = await quality(event(1));
    // Assess: plain (by eventId) and caller-1 (by inferenceId), both predicted right; has-id-2 not joined
    expect(out.matched).toBe(2);
    expect(out.metrics.find((m) => m.metric === 'accuracy')?.value).toBe(1);
  });

  it.each([
    ['', 'every record'],
    ['2026-11-30T10:00:00Z', 'an hour boundary'],
    ['2026-11-30T09:30:00Z', 'the middle of an hour (its partition started before)'],
    ['2026-11-25T00:00:00Z', 'days ago'],
    ['2026-12-01T00:00:00Z', 'after every partition'],
  ])('counts newLabeledSamples in the partitions at or after labelsSince %j (%s)', async (since) => {
    // Act
    const out = await quality(event(1, since));
    // Assess
    expect(out.newLabeledSamples).toBe(labelsSince(since));
  });

  it('counts no key that sorts after the partitions but is not in one (a _SUCCESS marker)', async () => {
    // Prepare: a marker written by a labeling pipeline beside the partitions
    const before = await quality(event(1, '2026-11-30T10:00:00Z'));
    objects.set(`${GROUND_TRUTH_URI}_SUCCESS`, 'done\n');
    // Act
    const out = await quality(event(1, '2026-11-30T10:00:00Z'));
    // Assess
    expect(out.newLabeledSamples).toBe(before.newLabeledSamples);
  });

  describe('with a flat ground-truth prefix (a pipeline of the user\'s writing batches)', () => {
    /** Batches written at the given times, holding the labels of TRUTH's window-relevant events. */
    const BATCHES: Record<string, { at: string; records: readonly (readonly [string, string])[] }> = {
      'batch-0.jsonl': { at: '2026-11-29T12:00:00Z', records: [['ancient', '1']] },
      'batch-1.jsonl': { at: '2026-11-30T09:30:00Z', records: [['e1', '1'], ['inf-2', '0']] },
      'batch-2.jsonl': { at: '2026-11-30T10:40:00Z', records: [['e4', '0'], ['e5', '1'], ['e3', '0']] },
    };
    const since = '2026-11-30T10:00:00Z';

    function putBatches(): void {
      for (const [path] of Object.entries(TRUTH)) objects.delete(`${GROUND_TRUTH_URI}${path}`);
      for (const [name, b] of Object.entries(BATCHES)) {
        objects.set(`${GROUND_TRUTH_URI}${name}`, `${b.records.map(([id, label]) => groundTruthLine(id, label)).join('\n')}\n`);
        modified.set(`${GROUND_TRUTH_URI}${name}`, new Date(b.at));
      }
    }
    /** Records of the batches written at or after `since`. */
    const sinceCount = Object.values(BATCHES)
      .filter((b) => Date.parse(b.at) >= Date.parse(since))
      .reduce((n, b) => n + b.records.length, 0);

    it('counts newLabeledSamples by LastModified and joins the batches written since the label window start', async () => {
      // Prepare
      putBatches();
      // Act
      const out = await quality(event(1, since));
      // Assess: e1, inf-2, e4 and e5 (e3's label is keyed by its eventId; it has an inferenceId)
      expect(out.newLabeledSamples).toBe(sinceCount);
      expect(out.matched).toBe(4);
    });

    it('reads it the same when its folder was created in the S3 console (a zero-byte "<prefix>/" object)', async () => {
      // Prepare
      putBatches();
      objects.set(GROUND_TRUTH_URI, '');
      // Act
      const out = await quality(event(1, since));
      // Assess
      expect(out.newLabeledSamples).toBe(sinceCount);
      expect(out.matched).toBe(4);
    });
  });

  describe('with a prediction reference', () => {
    // The run's own window [10:00, 11:00): estimated quality needs no label, so no shift.
    const RUN_WINDOW = { start: '2026-11-30T10:00:00.000Z', end: '2026-11-30T11:00:00.000Z' };
    const REFERENCE_URI = 's3://art/models/churn/r0/holdout-predictions.json';
    // Calibrated in every ECE bin (mean label = mean score), so auto leaves the scores as they are.
    const referenceScores = [...Array<number>(10).fill(0.9), ...Array<number>(10).fill(0.2)];
    const referenceLabels = [...[1, 1, 1, 1, 1, 1, 1, 1, 1, 0], ...[1, 1, 0, 0, 0, 0, 0, 0, 0, 0]];

    beforeEach(() => {
      objects.set(REFERENCE_URI, JSON.stringify({ version: 1, problemType: 'binary', labels: referenceLabels, predictions: referenceScores.map((p) => [p]) }));
      useSettings({ ...BINARY_SETTINGS, predictionDrift: { method: 'ks', threshold: 0.05 } });
    });

    it('estimates the quality of the run window’s captured scores and measures their drift', async () => {
      // Prepare: the expected accuracy of uncalibrated scores is the mean of max(p, 1 - p)
      const scores = recordsIn(CAPTURE, RUN_WINDOW.start, RUN_WINDOW.end).map((r) => r.p);
      const expectedAccuracy = scores.reduce((a, p) => a + Math.max(p, 1 - p), 0) / scores.length;

      // Act
      const out = await quality({ ...event(1), referenceUri: REFERENCE_URI });

      // Assess
      expect(QualityOutput.safeParse(out).success).toBe(true);
      expect(scores.length).toBeGreaterThan(0);
      expect(out).toMatchObject({ outputRows: scores.length, outputInsufficientData: false, calibrated: false });
      expect(out.estimated?.find((m) => m.metric === 'accuracy')?.value).toBeCloseTo(expectedAccuracy, 12);
      expect(out.predictionDrift).toMatchObject({ method: 'ks', threshold: 0.05 });
      expect(out.predictionDrift!.score).toBeGreaterThan(0);
      expect(out.predictionDrift!.score).toBeLessThanOrEqual(1);
    });

    it('estimates nothing when the window holds fewer outputs than minRows', async () => {
      // Prepare
      const rows = recordsIn(CAPTURE, RUN_WINDOW.start, RUN_WINDOW.end).length;

      // Act
      const out = await quality({ ...event(rows + 1), referenceUri: REFERENCE_URI });

      // Assess
      expect(out).toMatchObject({ outputRows: rows, outputInsufficientData: true });
      expect(out.estimated).toBeUndefined();
      expect(out.predictionDrift).toBeUndefined();
    });

    it('names the reference file when it is not a prediction reference', async () => {
      objects.set(REFERENCE_URI, JSON.stringify({ version: 1, problemType: 'binary', labels: [1], predictions: [] }));
      await expect(quality({ ...event(1), referenceUri: REFERENCE_URI })).rejects.toThrow(REFERENCE_URI);
    });
  });

  it('gives insufficientData and no metric below minRows matched', async () => {
    // Prepare
    const { matched } = expectedJoin();
    // Act
    const below = await quality(event(matched + 1));
    const at = await quality(event(matched));
    // Assess
    expect(QualityOutput.safeParse(below).success).toBe(true);
    expect(below).toMatchObject({ metrics: [], matched, insufficientData: true, newLabeledSamples: labelsSince(''), window: LABEL_WINDOW });
    expect(at).toMatchObject({ matched, insufficientData: false });
    expect(at.metrics.length).toBeGreaterThan(0);
  });
});
