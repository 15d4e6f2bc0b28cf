/**
 * ListObjectsV2 over a fixed set of keys, as the S3 API reference describes it: keys in
 * ascending UTF-8 order, `Prefix` filtering, `Delimiter` rolling keys up into
 * `CommonPrefixes` (each counted once against `MaxKeys`), and pages joined by an opaque
 * continuation token that the next response echoes as `ContinuationToken`.
 */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput, _Object } from '@aws-sdk/client-s3';

export interface ListedObject {
  readonly key: string;
  readonly modified: string;
  readonly size: number;
}

export function listObjectsV2(bucket: string, objects: readonly ListedObject[], pageSize = 1000) {
  const sorted = [...objects].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  return (input: ListObjectsV2CommandInput): Omit<ListObjectsV2CommandOutput, '$metadata'> => {
    if (input.Bucket !== bucket) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    const prefix = input.Prefix ?? '';
    const maxKeys = Math.min(input.MaxKeys ?? 1000, pageSize);
    const after = input.ContinuationToken ? Buffer.from(input.ContinuationToken, 'base64').toString('utf8') : input.StartAfter ?? '';
    // Entries in key order: objects, or the common prefix standing for the keys it rolls up.
    const entries: ({ object: ListedObject } | { prefix: string })[] = [];
    for (const o of sorted) {
      if (!o.key.startsWith(prefix)) continue;
      const cut = input.Delimiter ? o.key.indexOf(input.Delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = o.key.slice(0, cut + input.Delimiter!.length);
        const last = entries.at(-1);
        if (!(last && 'prefix' in last && last.prefix === common)) entries.push({ prefix: common });
      } else entries.push({ object: o });
    }
    const marker = (e: (typeof entries)[number]) => ('prefix' in e ? e.prefix : e.object.key);
    const rest = entries.filter((e) => marker(e) > after && !('prefix' in e && after.startsWith(e.prefix)));
    const page = rest.slice(0, maxKeys);
    const truncated = rest.length > page.length;
    const contents: _Object[] = page.flatMap((e) => ('object' in e ? [{ Key: e.object.key, LastModified: new Date(e.object.modified), ETag: '"0f343b0931126a20f133d67c2b018a3b"', Size: e.object.size, StorageClass: 'STANDARD' as const }] : []));
    const commonPrefixes = page.flatMap((e) => ('prefix' in e ? [{ Prefix: e.prefix }] : []));
    return {
      IsTruncated: truncated,
      Name: bucket,
      Prefix: prefix,
      MaxKeys: input.MaxKeys ?? 1000,
      KeyCount: page.length,
      ...(input.Delimiter ? { Delimiter: input.Delimiter } : {}),
      ...(contents.length ? { Contents: contents } : {}),
      ...(commonPrefixes.length ? { CommonPrefixes: commonPrefixes } : {}),
      ...(input.ContinuationToken ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(truncated ? { NextContinuationToken: Buffer.from(marker(page.at(-1)!)).toString('base64') } : {}),
    };
  };
}
