import { ListObjectsV2Command, S3Client, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listWindowObjects } from '../../../../lambdas/core/readers/window-objects';
import { capturePartitions } from '../../../../lambdas/core/window';

const HOUR = 3_600_000;

interface Stored {
  readonly size: number;
  readonly lastModified: Date;
}

/**
 * ListObjectsV2 as S3 answers it: keys in byte order, Prefix, StartAfter, MaxKeys,
 * pages of at most `pageSize` keys chained by NextContinuationToken.
 */
function serveListings(stub: ReturnType<typeof mockClient>, objects: ReadonlyMap<string, Stored>, pageSize = 1000): void {
  stub.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const prefix = input.Prefix ?? '';
    const root = `s3://${input.Bucket}/`;
    const keys = [...objects.keys()]
      .filter((uri) => uri.startsWith(root))
      .map((uri) => uri.slice(root.length))
      .filter((key) => key.startsWith(prefix))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let from = 0;
    if (input.ContinuationToken !== undefined) from = Number(input.ContinuationToken.slice('token-'.length));
    else if (input.StartAfter !== undefined) from = keys.filter((k) => k <= input.StartAfter!).length;
    const max = Math.min(input.MaxKeys ?? 1000, pageSize);
    const page = keys.slice(from, from + max);
    const truncated = from + max < keys.length;
    return {
      Contents: page.map((key) => {
        const o = objects.get(`s3://${input.Bucket}/${key}`)!;
        return { Key: key, Size: o.size, LastModified: o.lastModified };
      }),
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: `token-${from + max}` } : {}),
    };
  });
}

/** `yyyy/mm/dd/hh` of the UTC hour holding `ms` (from toISOString, independently of the code under test). */
const partitionOf = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace(/-/g, '/').replace('T', '/');

const s3Mock = mockClient(S3Client);
let s3: S3Client;
beforeEach(() => {
  s3 = new S3Client({});
});
afterEach(() => {
  s3Mock.reset();
});

/** The Prefix of every ListObjectsV2 call, in order. */
const listedPrefixes = () => s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);

describe('Function: listWindowObjects (hour-partitioned prefix)', () => {
  const bucket = 'capture-bucket';
  const base = 'data/churn-ep/production/';
  const prefixUri = `s3://${bucket}/${base}`;
  const windowStart = Date.UTC(2026, 10, 30, 10);
  const window = { start: new Date(windowStart), end: new Date(windowStart + HOUR) };

  /** 30 days of hours before and around the window, two objects an hour of varying sizes. */
  function thirtyDays(): Map<string, Stored> {
    const objects = new Map<string, Stored>();
    const first = windowStart - 29 * 24 * HOUR;
    for (let h = first, i = 0; h <= windowStart + 5 * HOUR; h += HOUR, i++) {
      for (const name of ['a-0001.jsonl', 'b-0002.jsonl']) {
        const size = ((i * 37 + name.length * 11) % 997) + 1;
        objects.set(`s3://${bucket}/${base}${partitionOf(h)}/${name}`, { size, lastModified: new Date(h + 60_000) });
      }
    }
    return objects;
  }

  it('lists only the window hours: one probe, then one call per partition', async () => {
    // Prepare
    const objects = thirtyDays();
    serveListings(s3Mock, objects);
    const partitions = capturePartitions(window, 3600);
    // Act
    const out = await listWindowObjects(s3, prefixUri, partitions, { start: window.start, end: new Date(windowStart + 2 * HOUR) });
    // Assess: 1 probe (MaxKeys 2) + 2 hour listings, whatever the history
    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectsV2Command, 3);
    expect(s3Mock).toHaveReceivedNthCommandWith(ListObjectsV2Command, 1, { Bucket: bucket, Prefix: base, MaxKeys: 2 });
    expect(listedPrefixes()).toEqual([base, `${base}2026/11/30/10/`, `${base}2026/11/30/11/`]);
    for (const call of s3Mock.commandCalls(ListObjectsV2Command).slice(1)) expect(call.args[0].input.MaxKeys).toBeUndefined();
    // only the objects of those hours, oldest partition first
    const wanted = [...objects.entries()].filter(([uri]) => uri.includes('/2026/11/30/10/') || uri.includes('/2026/11/30/11/'));
    expect(out.layout).toBe('hourly');
    expect(out.objects.map((o) => o.uri)).toEqual(wanted.map(([uri]) => uri).sort());
    expect(out.objects.map((o) => o.key)).toEqual(wanted.map(([uri]) => uri.slice(`s3://${bucket}/`.length)).sort());
    expect(out.bytes).toBe(wanted.reduce((n, [, o]) => n + o.size, 0));
    expect(out.objects.every((o) => o.size === objects.get(o.uri)!.size)).toBe(true);
  });

  it('orders the partitions oldest first even across midnight', async () => {
    // Prepare
    const objects = thirtyDays();
    objects.set(`s3://${bucket}/${base}2026/12/01/00/late.jsonl`, { size: 5, lastModified: new Date() });
    objects.set(`s3://${bucket}/${base}2026/11/30/23/x.jsonl`, { size: 7, lastModified: new Date() });
    serveListings(s3Mock, objects);
    // Act
    const out = await listWindowObjects(s3, prefixUri, ['2026/11/30/23', '2026/12/01/00'], window);
    // Assess
    expect(listedPrefixes()).toEqual([base, `${base}2026/11/30/23/`, `${base}2026/12/01/00/`]);
    expect(out.objects.map((o) => o.key)).toEqual([`${base}2026/11/30/23/x.jsonl`, `${base}2026/12/01/00/late.jsonl`]);
    expect(out.bytes).toBe(12);
  });

  it('follows the pages of a partition', async () => {
    // Prepare: 5 objects in hour 10, 1 in hour 11, pages of 2 keys
    const objects = new Map<string, Stored>();
    const sizes = [3, 5, 7, 11, 13];
    sizes.forEach((size, i) => objects.set(`s3://${bucket}/${base}2026/11/30/10/part-${i}.jsonl`, { size, lastModified: new Date(windowStart) }));
    objects.set(`s3://${bucket}/${base}2026/11/30/11/part-0.jsonl`, { size: 17, lastModified: new Date(windowStart + HOUR) });
    objects.set(`s3://${bucket}/${base}2026/11/30/12/part-0.jsonl`, { size: 19, lastModified: new Date(windowStart + 2 * HOUR) });
    serveListings(s3Mock, objects, 2);
    // Act
    const out = await listWindowObjects(s3, prefixUri, ['2026/11/30/10', '2026/11/30/11'], window);
    // Assess: probe + 3 pages of hour 10 + 1 page of hour 11
    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectsV2Command, 5);
    expect(listedPrefixes()).toEqual([base, ...Array(3).fill(`${base}2026/11/30/10/`), `${base}2026/11/30/11/`]);
    const tokens = s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.ContinuationToken);
    expect(tokens).toEqual([undefined, undefined, 'token-2', 'token-4', undefined]);
    expect(out.objects.map((o) => o.key)).toEqual([...sizes.map((_, i) => `${base}2026/11/30/10/part-${i}.jsonl`), `${base}2026/11/30/11/part-0.jsonl`]);
    expect(out.bytes).toBe(sizes.reduce((a, b) => a + b, 0) + 17);
  });

  it('reads a prefix given without its trailing slash as a folder', async () => {
    // Prepare: a sibling prefix that shares the first characters
    const objects = new Map<string, Stored>([
      [`s3://${bucket}/${base}2026/11/30/10/a.jsonl`, { size: 4, lastModified: new Date(windowStart) }],
      [`s3://${bucket}/data/churn-ep/production-shadow/2026/11/30/10/b.jsonl`, { size: 9, lastModified: new Date(windowStart) }],
    ]);
    serveListings(s3Mock, objects);
    // Act
    const out = await listWindowObjects(s3, prefixUri.slice(0, -1), ['2026/11/30/10'], window);
    // Assess
    expect(listedPrefixes()).toEqual([base, `${base}2026/11/30/10/`]);
    expect(out.objects.map((o) => o.uri)).toEqual([`s3://${bucket}/${base}2026/11/30/10/a.jsonl`]);
    expect(out.bytes).toBe(4);
  });

  it('gives no object for an empty prefix', async () => {
    serveListings(s3Mock, new Map());
    const out = await listWindowObjects(s3, prefixUri, ['2026/11/30/10', '2026/11/30/11'], window);
    expect(out).toEqual({ layout: 'hourly', objects: [], bytes: 0 });
    expect(s3Mock).toHaveReceivedNthCommandWith(ListObjectsV2Command, 1, { Bucket: bucket, Prefix: base, MaxKeys: 2 });
  });
});

describe('Function: listWindowObjects (flat prefix)', () => {
  const bucket = 'user-data';
  const base = 'exports/requests/';
  const start = Date.UTC(2026, 10, 30, 10);
  const range = { start: new Date(start), end: new Date(start + HOUR) };

  /** Objects written around the range: name -> LastModified offset from the range start, in ms. */
  const written: Record<string, number> = {
    'a-before.csv': -1,
    'b-at-start.csv': 0,
    'c-inside.csv': 30 * 60_000,
    'd-last-ms.csv': HOUR - 1,
    'e-at-end.csv': HOUR,
    'f-day-before.csv': -24 * HOUR,
    'g-next-day.csv': 24 * HOUR,
  };
  const inRange = (offset: number) => offset >= 0 && offset < HOUR;

  function flatObjects(): Map<string, Stored> {
    const objects = new Map<string, Stored>();
    Object.entries(written).forEach(([name, offset], i) =>
      objects.set(`s3://${bucket}/${base}${name}`, { size: 100 + i, lastModified: new Date(start + offset) }),
    );
    return objects;
  }

  it('reads the objects last modified within [start, end), with one full listing', async () => {
    // Prepare
    const objects = flatObjects();
    serveListings(s3Mock, objects);
    // Act
    const out = await listWindowObjects(s3, `s3://${bucket}/${base}`, ['2026/11/30/10', '2026/11/30/11'], range);
    // Assess
    const wanted = Object.entries(written)
      .filter(([, offset]) => inRange(offset))
      .map(([name]) => `s3://${bucket}/${base}${name}`);
    expect(out.layout).toBe('flat');
    expect(out.objects.map((o) => o.uri)).toEqual(wanted);
    expect(out.bytes).toBe(wanted.reduce((n, uri) => n + objects.get(uri)!.size, 0));
    expect(listedPrefixes()).toEqual([base, base]);
    expect(s3Mock).toHaveReceivedNthCommandWith(ListObjectsV2Command, 1, { Bucket: bucket, Prefix: base, MaxKeys: 2 });
    expect(s3Mock.commandCalls(ListObjectsV2Command)[1]!.args[0].input.MaxKeys).toBeUndefined();
  });

  it('follows the pages of a flat listing', async () => {
    const objects = flatObjects();
    serveListings(s3Mock, objects, 3);
    const out = await listWindowObjects(s3, `s3://${bucket}/${base}`, [], range);
    // probe + ceil(7 / 3) pages
    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectsV2Command, 1 + Math.ceil(objects.size / 3));
    expect(out.objects.map((o) => o.key)).toEqual(
      Object.entries(written)
        .filter(([, offset]) => inRange(offset))
        .map(([name]) => `${base}${name}`),
    );
  });

  it('reads a flat prefix whose folder was created in the S3 console (a zero-byte "<prefix>/" object)', async () => {
    // Prepare: the console's "Create folder" writes the key `exports/requests/` itself, which lists first
    const objects = flatObjects();
    objects.set(`s3://${bucket}/${base}`, { size: 0, lastModified: new Date(start - 90 * 24 * HOUR) });
    serveListings(s3Mock, objects);
    // Act
    const out = await listWindowObjects(s3, `s3://${bucket}/${base}`, ['2026/11/30/10'], range);
    // Assess: the same objects as without the folder object
    const wanted = Object.entries(written)
      .filter(([, offset]) => inRange(offset))
      .map(([name]) => `s3://${bucket}/${base}${name}`);
    expect(out.layout).toBe('flat');
    expect(out.objects.map((o) => o.uri)).toEqual(wanted);
  });
});
