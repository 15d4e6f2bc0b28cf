/**
 * Reading a monitor run's window from S3: the capture of the production variant's
 * hour partitions, records filtered by inferenceTime, and the ground truth that has
 * arrived for a label window. See lambdas/core/window for the window arithmetic.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { MonitorWindowInput } from '../../vocabulary/contracts';
import { openFiles, s3File, type OpenTableOptions } from '../core/readers';
import { listS3Prefix } from '../core/readers/s3';
import { splitS3Uri } from '../../vocabulary/s3-uri';
import type { Table } from '../core/readers/types';
import { isHourlyPrefix, listWindowObjects, type WindowObjects } from '../core/readers/window-objects';
import {
  capturePartitions,
  hourPartition,
  hourPartitions,
  resolveWindow,
  type MonitorWindow,
  type TimeRange,
} from '../core/window';
import { emptyTable } from './data';
import { s3RangeFile } from '../core/readers/s3-range';
import type { ShardPiece } from '../core/fanout/plan';

/** The window of a monitor Lambda's input. */
export function windowOf(input: MonitorWindowInput): MonitorWindow {
  return resolveWindow({
    time: input.time,
    startedAt: input.startedAt,
    windowEnd: input.windowEnd,
    length: input.length,
    periodSeconds: input.periodSeconds,
    defaultLengthSeconds: input.defaultLengthSeconds,
    captureLagSeconds: input.captureLagSeconds,
    labelDelaySeconds: input.labelDelaySeconds,
  });
}

/** A window's capture, opened as a table. */
export interface WindowTable {
  readonly table: Table;
  readonly listed: WindowObjects;
}

/**
 * The production capture of `range`: the objects of its hour partitions (through the
 * capture lag past its end) as one table of the records whose inferenceTime is in the
 * range. No object: an empty table.
 */
export async function openCaptureWindow(
  s3: S3Client,
  input: MonitorWindowInput,
  range: TimeRange,
  options: Omit<OpenTableOptions, 'format' | 's3' | 'captureWindow'> = {},
): Promise<WindowTable> {
  return openCaptureRange(s3, input.capturePrefix, range, input.captureLagSeconds, options);
}

/**
 * The capture under `capturePrefix` of `range`: its hour partitions through
 * `captureLagSeconds` past its end, as one table of the records whose inferenceTime is in
 * the range. No object: an empty table.
 */
export async function openCaptureRange(
  s3: S3Client,
  capturePrefix: string,
  range: TimeRange,
  captureLagSeconds: number,
  options: Omit<OpenTableOptions, 'format' | 's3' | 'captureWindow'> = {},
): Promise<WindowTable> {
  const listed = await listCaptureRange(s3, capturePrefix, range, captureLagSeconds);
  const source = `${capturePrefix} [${range.start.toISOString()}, ${range.end.toISOString()})`;
  if (listed.objects.length === 0) return { table: emptyTable(source), listed };
  const files = listed.objects.map((o) => {
    const loc = splitS3Uri(o.uri);
    return s3File(s3, loc.bucket, loc.key, o.size);
  });
  const table = await openFiles(source, files, {
    ...options,
    s3,
    format: 'capture',
    captureWindow: { start: range.start.getTime(), end: range.end.getTime() },
  });
  return { table, listed };
}

/** The capture objects of `range` under `capturePrefix`: its hour partitions through `captureLagSeconds` past its end. */
export function listCaptureRange(s3: S3Client, capturePrefix: string, range: TimeRange, captureLagSeconds: number): Promise<WindowObjects> {
  return listWindowObjects(s3, capturePrefix, capturePartitions(range, captureLagSeconds), {
    start: range.start,
    end: new Date(range.end.getTime() + captureLagSeconds * 1000),
  });
}

/**
 * The capture records of `range` in the byte ranges `pieces` (a fan-out shard), as one
 * table read the way {@link openCaptureRange} reads whole objects; each range aligned
 * to lines (core/readers/s3-range.ts).
 */
export async function openCapturePieces(
  s3: S3Client,
  pieces: readonly ShardPiece[],
  range: TimeRange,
  options: Omit<OpenTableOptions, 'format' | 's3' | 'captureWindow'> = {},
): Promise<Table> {
  const files = pieces.map((p) => s3RangeFile(s3, { ...splitS3Uri(p.uri), start: p.start, end: p.end, size: p.size }));
  const source = `shard of ${pieces.length} byte ranges [${range.start.toISOString()}, ${range.end.toISOString()})`;
  return openFiles(source, files, { ...options, s3, format: 'capture', captureWindow: { start: range.start.getTime(), end: range.end.getTime() } });
}

/** The ground-truth objects that have arrived from `from`'s hour up to `now`. */
export function groundTruthWindowObjects(s3: S3Client, groundTruthUri: string, from: Date, now: Date): Promise<WindowObjects> {
  return listWindowObjects(s3, groundTruthUri, hourPartitions(from, now), { start: from, end: now });
}

/**
 * The ground-truth objects that arrived at or after `since`: in an hour-partitioned
 * prefix, the partitions whose hour starts at or after it (one listing from that key
 * on, whatever the number of hours); in a flat prefix, the objects last modified at or
 * after it. An empty `since`: every object.
 */
export async function groundTruthSince(s3: S3Client, groundTruthUri: string, since: string): Promise<WindowObjects> {
  const base = splitS3Uri(groundTruthUri.endsWith('/') ? groundTruthUri : `${groundTruthUri}/`);
  const all = since === '';
  const from = all ? new Date(0) : new Date(since);
  const hourly = await isHourlyPrefix(s3, base);
  let objects;
  if (hourly && !all) {
    // The first hour starting at or after `since`: its keys extend `<prefix>yyyy/mm/dd/hh`
    // and sort after it, the keys of every earlier hour before it.
    const hourMs = 3_600_000;
    const firstHour = new Date(Math.ceil(from.getTime() / hourMs) * hourMs);
    const startAfter = `${base.key}${hourPartition(firstHour)}`;
    // Keys that sort after the partitions (`_SUCCESS`, `manifest.json`) are no ground truth.
    objects = (await listS3Prefix(s3, base, { startAfter })).filter((o) => /^\d{4}\/\d{2}\/\d{2}\/\d{2}\//.test(o.key.slice(base.key.length)));
  } else {
    objects = (await listS3Prefix(s3, base)).filter((o) => all || (o.lastModified?.getTime() ?? 0) >= from.getTime());
  }
  return {
    layout: hourly ? 'hourly' : 'flat',
    objects: objects.map((o) => ({ ...o, uri: `s3://${base.bucket}/${o.key}` })),
    bytes: objects.reduce((n, o) => n + o.size, 0),
  };
}
