/**
 * Moving files between the local S3 and the local SageMaker's work directory: channel
 * downloads, artifact uploads, object listings under an S3 URI.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix, sep } from 'node:path';
import type { ObjectBody, S3Like } from './deps';
import { splitS3Uri, type S3Location } from '../../../vocabulary/s3-uri';
import { validationError } from './errors';

export { joinS3Uri, type S3Location } from '../../../vocabulary/s3-uri';

/** Splits `s3://bucket/key`. @throws ValidationException, as SageMaker answers, when `uri` is not an S3 URI */
export function parseS3Uri(uri: string): S3Location {
  try {
    return splitS3Uri(uri);
  } catch {
    throw validationError(`expected an s3:// URI, got ${JSON.stringify(uri)}`);
  }
}

/** An object under an S3 prefix, with its path relative to the prefix. */
export interface PrefixObject {
  readonly key: string;
  /** Path relative to the prefix (POSIX separators). */
  readonly relative: string;
}

/**
 * Every object an `S3Prefix` data source names, in key order. Relative paths follow
 * SageMaker: below a prefix ending in `/` they are relative to it; a prefix naming one
 * object (or a partial name) is relative to the prefix's parent folder.
 */
export async function listPrefix(s3: S3Like, uri: string): Promise<PrefixObject[]> {
  const { bucket, key: prefix } = parseS3Uri(uri);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.ListObjectsV2({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) });
    const contents = Array.isArray(page.Contents) ? (page.Contents as { Key?: unknown }[]) : [];
    for (const o of contents) if (typeof o.Key === 'string' && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated === true && typeof page.NextContinuationToken === 'string' ? page.NextContinuationToken : undefined;
  } while (token);
  keys.sort();
  const base = prefix === '' || prefix.endsWith('/') ? prefix : prefix.slice(0, prefix.lastIndexOf('/') + 1);
  return keys.map((key) => ({ key, relative: key.slice(base.length) }));
}

/** The bytes of one object. */
export async function getObjectBytes(s3: S3Like, bucket: string, key: string): Promise<Uint8Array> {
  const out = await s3.GetObject({ Bucket: bucket, Key: key });
  const body = out.Body as ObjectBody | Uint8Array | string | undefined;
  if (body === undefined) return new Uint8Array();
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return body.transformToByteArray();
}

/**
 * Downloads every object under `uri` into `dir`, keeping relative paths.
 * @returns the number of files written
 */
export async function downloadPrefix(s3: S3Like, uri: string, dir: string): Promise<number> {
  const { bucket } = parseS3Uri(uri);
  const objects = await listPrefix(s3, uri);
  await mkdir(dir, { recursive: true });
  for (const o of objects) {
    const target = join(dir, ...o.relative.split(posix.sep));
    if (!target.startsWith(dir + sep) && target !== dir) throw validationError(`object key escapes the channel: ${o.key}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await getObjectBytes(s3, bucket, o.key));
  }
  return objects.length;
}
