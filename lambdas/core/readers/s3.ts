/**
 * S3 access for the readers: listing prefixes, streaming objects and random access
 * (ranged GetObject) for Parquet. URIs are split by `vocabulary/s3-uri.ts`.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { InputError } from '../../../vocabulary/errors';
import type { S3Location } from '../../../vocabulary/s3-uri';


/** One object found under a prefix. */
export interface S3ObjectSummary {
  readonly key: string;
  readonly size: number;
  /** When S3 last wrote the object (ListObjectsV2 `LastModified`). */
  readonly lastModified?: Date;
}

/**
 * Lists every object under a prefix (following ListObjectsV2 continuation tokens), sorted
 * by key, without the zero-byte "folder" placeholders whose key ends with `/`. With
 * `maxKeys`, one call returning at most that many keys (the first in key order); with
 * `startAfter`, only the keys after that one (ListObjectsV2's StartAfter); with
 * `includeFolders`, the folder placeholders too.
 */
export async function listS3Prefix(
  s3: S3Client,
  loc: S3Location,
  options: { readonly maxKeys?: number; readonly startAfter?: string; readonly includeFolders?: boolean } = {},
): Promise<S3ObjectSummary[]> {
  const found: S3ObjectSummary[] = [];
  let token: string | undefined;
  do {
    const page = await callS3(`s3://${loc.bucket}/${loc.key}`, () =>
      s3.send(
        new ListObjectsV2Command({
          Bucket: loc.bucket,
          Prefix: loc.key,
          ContinuationToken: token,
          ...(options.maxKeys === undefined ? {} : { MaxKeys: options.maxKeys }),
          ...(options.startAfter === undefined || token ? {} : { StartAfter: options.startAfter }),
        }),
      ),
    );
    for (const obj of page.Contents ?? []) {
      if (obj.Key === undefined) continue;
      if (obj.Key.endsWith('/') && (obj.Size ?? 0) === 0 && !options.includeFolders) continue;
      found.push({ key: obj.Key, size: obj.Size ?? 0, ...(obj.LastModified ? { lastModified: obj.LastModified } : {}) });
    }
    // With maxKeys, one page is all that was asked for.
    token = page.IsTruncated && options.maxKeys === undefined ? page.NextContinuationToken : undefined;
  } while (token);
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Streams one object's bytes. */
export async function* s3ObjectBytes(s3: S3Client, loc: S3Location): AsyncGenerator<Uint8Array> {
  const uri = `s3://${loc.bucket}/${loc.key}`;
  const out = await callS3(uri, () => s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
  if (!out.Body) return;
  yield* out.Body as AsyncIterable<Uint8Array>;
}

/** An object's size in bytes (HeadObject). */
export async function s3ObjectSize(s3: S3Client, loc: S3Location): Promise<number> {
  const uri = `s3://${loc.bucket}/${loc.key}`;
  const head = await callS3(uri, () => s3.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
  return head.ContentLength ?? 0;
}

/** Random access to an object through ranged GetObject calls, for hyparquet. */
export function s3AsyncBuffer(s3: S3Client, loc: S3Location, byteLength: number): AsyncBuffer {
  const uri = `s3://${loc.bucket}/${loc.key}`;
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = (end ?? byteLength) - 1;
      if (last < start) return new ArrayBuffer(0);
      const out = await callS3(uri, () =>
        s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: `bytes=${start}-${last}` })),
      );
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/** S3 errors that mean the user named something that is not there or not theirs to read. */
const USER_ERRORS = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket', 'AccessDenied', 'Forbidden']);

/** Runs an S3 call, turning "not found"/"access denied" into an InputError naming the URI. */
async function callS3<T>(uri: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (USER_ERRORS.has(name)) {
      const hint = name === 'NoSuchKey' || name === 'NotFound' ? ' (to read every object under a prefix, end it with /)' : '';
      throw new InputError(`cannot read from S3: ${name}${hint}`, { file: uri }, { cause: err });
    }
    throw err;
  }
}
