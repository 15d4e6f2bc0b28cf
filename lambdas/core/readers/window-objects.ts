/**
 * The S3 objects of a time window: the hour partitions SageMaker writes
 * (`<prefix>yyyy/mm/dd/hh/`), one ListObjectsV2 (with its pages) per hour, so a run
 * lists and reads only its own hours however much history the prefix keeps.
 *
 * A prefix whose objects are not hour-partitioned (a pipeline of the user's that
 * writes flat files) is read by object `LastModified` within the range instead; which
 * layout a prefix has is told by its first key (one call with MaxKeys 1).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { TimeRange } from '../window/monitor-window';
import { listS3Prefix, type S3ObjectSummary } from './s3';
import { splitS3Uri, type S3Location } from '../../../vocabulary/s3-uri';

/** Objects found for a window. */
export interface WindowObjects {
  /** `hourly` when the prefix is hour-partitioned (or empty), else `flat`. */
  readonly layout: 'hourly' | 'flat';
  /** The objects, oldest partition first, by key within one. */
  readonly objects: readonly (S3ObjectSummary & { readonly uri: string })[];
  /** Their total size in bytes. */
  readonly bytes: number;
}

/**
 * The objects of `partitions` under `prefixUri` (an `s3://bucket/prefix/` ending in
 * `/`), or, for a prefix that is not hour-partitioned, every object under it whose
 * LastModified is in `flatRange`.
 */
export async function listWindowObjects(
  s3: S3Client,
  prefixUri: string,
  partitions: readonly string[],
  flatRange: TimeRange,
): Promise<WindowObjects> {
  const base = splitS3Uri(prefixUri.endsWith('/') ? prefixUri : `${prefixUri}/`);
  const withUri = (o: S3ObjectSummary) => ({ ...o, uri: `s3://${base.bucket}/${o.key}` });
  const total = (objects: readonly S3ObjectSummary[]) => objects.reduce((n, o) => n + o.size, 0);
  if (await isHourlyPrefix(s3, base)) {
    const objects: S3ObjectSummary[] = [];
    for (const hour of partitions) objects.push(...(await listS3Prefix(s3, { bucket: base.bucket, key: `${base.key}${hour}/` })));
    return { layout: 'hourly', objects: objects.map(withUri), bytes: total(objects) };
  }
  const from = flatRange.start.getTime();
  const to = flatRange.end.getTime();
  const objects = (await listS3Prefix(s3, base)).filter((o) => {
    const t = o.lastModified?.getTime();
    return t !== undefined && t >= from && t < to;
  });
  return { layout: 'flat', objects: objects.map(withUri), bytes: total(objects) };
}

/**
 * Whether a prefix holds SageMaker's hour partitions: its first key (one ListObjectsV2
 * call, MaxKeys 2) starts with a year folder (`2026/...`), or it holds nothing yet. The
 * S3 console's "Create folder" writes a zero-byte key equal to the prefix itself, which
 * lists first: it is passed over. A console folder of the hour layout (`2026/`) counts
 * as hourly.
 */
export async function isHourlyPrefix(s3: S3Client, base: S3Location): Promise<boolean> {
  const probe = await listS3Prefix(s3, base, { maxKeys: 2, includeFolders: true });
  const first = probe.find((o) => o.key !== base.key)?.key;
  return first === undefined || /^\d{4}\//.test(first.slice(base.key.length));
}
