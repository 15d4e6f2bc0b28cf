/**
 * Local S3: objects are files under `<root>/s3/<bucket>/<key>`; content types live
 * beside them under `<root>/s3-meta/`. Buckets are created on first PutObject.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sdkStreamMixin } from '@smithy/core/serde';
import { LocalAwsError } from './errors';
import { callAction, type LocalService } from './service';
import { bodyBytes, readJsonFile, writeFileAtomic, writeJsonFile } from './store';

const SERVICE = 's3';

/** Stored metadata of one object. */
interface ObjectMeta {
  ContentType?: string;
  Metadata?: Record<string, string>;
}

function s3Error(name: string, message: string): LocalAwsError {
  return new LocalAwsError(name, message, SERVICE);
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw s3Error('InvalidArgument', `expected ${field} to be a non-empty string`);
  return value;
}

/** Rejects keys that would leave the bucket directory or cannot be files. */
function checkKey(key: string): void {
  const parts = key.split('/');
  if (key.startsWith('/') || parts.some((p) => p === '..' || p === '.') || key.includes('\0') || key.includes('\\')) {
    throw s3Error('InvalidArgument', `the local S3 cannot store the key ${JSON.stringify(key)} (., .. or absolute segments)`);
  }
}

function checkBucket(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,62}$/.test(bucket)) throw s3Error('InvalidBucketName', `invalid bucket name ${JSON.stringify(bucket)}`);
}

/** Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against an object of `size` bytes. */
export function parseRange(range: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) throw s3Error('InvalidRange', `unsupported Range ${range}`);
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
    if (suffix === 0) throw s3Error('InvalidRange', `The requested range is not satisfiable: ${range} of ${size} bytes`);
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return { start: 0, end: size - 1 }; // invalid: S3 ignores it
  }
  if (start >= size) throw s3Error('InvalidRange', `The requested range is not satisfiable: ${range} of ${size} bytes`);
  return { start, end };
}

/** Options of {@link LocalS3}. */
export interface LocalS3Options {
  /** Root directory of local mode (objects go under `<root>/s3`). */
  readonly root: string;
}

/** The local S3 service. */
export class LocalS3 implements LocalService {
  public readonly serviceName = SERVICE;
  private readonly dir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;

  public constructor(options: LocalS3Options) {
    this.dir = join(options.root, 's3');
    this.metaDir = join(options.root, 's3-meta');
    this.tmpDir = join(options.root, 'tmp');
  }

  public call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callAction(this, SERVICE, action, input);
  }

  /** The file holding an object. */
  public objectPath(bucket: string, key: string): string {
    checkBucket(bucket);
    checkKey(key);
    return join(this.dir, bucket, ...key.split('/'));
  }

  private metaPath(bucket: string, key: string): string {
    return join(this.metaDir, bucket, `${key}.json`);
  }

  private existing(bucket: string, key: string): { file: string; size: number; mtime: Date } {
    const file = this.objectPath(bucket, key);
    if (!existsSync(join(this.dir, bucket))) throw s3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    if (!existsSync(file) || !statSync(file).isFile()) throw s3Error('NoSuchKey', `The specified key does not exist: ${key}`);
    const stat = statSync(file);
    return { file, size: stat.size, mtime: stat.mtime };
  }

  private etag(file: string): string {
    return `"${createHash('md5').update(readFileSync(file)).digest('hex')}"`;
  }

  /** CreateBucket: makes the bucket directory (no error when it exists). */
  public async CreateBucket(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    checkBucket(bucket);
    mkdirSync(join(this.dir, bucket), { recursive: true });
    return { Location: `/${bucket}` };
  }

  /** PutObject: Body may be a string, bytes, Blob or stream. */
  public async PutObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    const key = requireString(input, 'Key');
    const file = this.objectPath(bucket, key);
    const bytes = await bodyBytes(input.Body);
    if (key.endsWith('/')) {
      mkdirSync(file, { recursive: true });
      return { ETag: '"d41d8cd98f00b204e9800998ecf8427e"' };
    }
    writeFileAtomic(file, bytes, this.tmpDir);
    const meta: ObjectMeta = {};
    if (typeof input.ContentType === 'string') meta.ContentType = input.ContentType;
    if (input.Metadata && typeof input.Metadata === 'object') meta.Metadata = input.Metadata as Record<string, string>;
    writeJsonFile(this.metaPath(bucket, key), meta);
    return { ETag: `"${createHash('md5').update(bytes).digest('hex')}"` };
  }

  /** GetObject, with `Range: bytes=a-b` support. Body is an SDK stream (transformToString/ByteArray, async iteration). */
  public async GetObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    const key = requireString(input, 'Key');
    const { file, size, mtime } = this.existing(bucket, key);
    const meta = readJsonFile<ObjectMeta>(this.metaPath(bucket, key), {});
    const common = {
      ContentType: meta.ContentType ?? 'application/octet-stream',
      Metadata: meta.Metadata ?? {},
      LastModified: mtime,
      ETag: this.etag(file),
      AcceptRanges: 'bytes',
    };
    if (typeof input.Range === 'string') {
      if (size === 0) throw s3Error('InvalidRange', `The requested range is not satisfiable: ${input.Range} of 0 bytes`);
      const { start, end } = parseRange(input.Range, size);
      return {
        ...common,
        Body: sdkStreamMixin(createReadStream(file, { start, end })),
        ContentLength: end - start + 1,
        ContentRange: `bytes ${start}-${end}/${size}`,
      };
    }
    return { ...common, Body: sdkStreamMixin(createReadStream(file)), ContentLength: size };
  }

  /** HeadObject: size, type, ETag; `NotFound` when missing (as S3 answers HEAD). */
  public async HeadObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    const key = requireString(input, 'Key');
    try {
      const { file, size, mtime } = this.existing(bucket, key);
      const meta = readJsonFile<ObjectMeta>(this.metaPath(bucket, key), {});
      return {
        ContentLength: size,
        ContentType: meta.ContentType ?? 'application/octet-stream',
        Metadata: meta.Metadata ?? {},
        LastModified: mtime,
        ETag: this.etag(file),
        AcceptRanges: 'bytes',
      };
    } catch (err) {
      if (err instanceof LocalAwsError && err.name === 'NoSuchKey') throw new LocalAwsError('NotFound', 'Not Found', SERVICE, { httpStatusCode: 404 });
      throw err;
    }
  }

  /** Every key of a bucket, sorted. */
  private keys(bucket: string): string[] {
    const base = join(this.dir, bucket);
    if (!existsSync(base)) throw s3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) out.push(relative(base, path).split(sep).join('/'));
      }
    };
    walk(base);
    return out.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /** ListObjectsV2: Prefix, Delimiter, StartAfter, MaxKeys (default 1000) and ContinuationToken paging, keys in UTF-8 order. */
  public async ListObjectsV2(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
    const delimiter = typeof input.Delimiter === 'string' && input.Delimiter !== '' ? input.Delimiter : undefined;
    const maxKeys = typeof input.MaxKeys === 'number' ? Math.max(0, Math.min(1000, input.MaxKeys)) : 1000;
    let after = typeof input.StartAfter === 'string' ? input.StartAfter : '';
    if (typeof input.ContinuationToken === 'string') {
      try {
        after = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
      } catch {
        throw s3Error('InvalidArgument', 'The continuation token provided is incorrect');
      }
    }
    const afterBytes = Buffer.from(after);
    const contents: Record<string, unknown>[] = [];
    const commonPrefixes: string[] = [];
    let last = '';
    let truncated = false;
    for (const key of this.keys(bucket)) {
      if (!key.startsWith(prefix)) continue;
      if (after !== '' && Buffer.compare(Buffer.from(key), afterBytes) <= 0) continue;
      let entry: { key: string; prefix?: string } = { key };
      if (delimiter) {
        const i = key.indexOf(delimiter, prefix.length);
        if (i >= 0) entry = { key, prefix: key.slice(0, i + delimiter.length) };
      }
      if (entry.prefix && commonPrefixes.at(-1) === entry.prefix) {
        last = key;
        continue;
      }
      if (contents.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (entry.prefix) commonPrefixes.push(entry.prefix);
      else {
        const file = this.objectPath(bucket, key);
        const stat = statSync(file);
        contents.push({ Key: key, Size: stat.size, LastModified: stat.mtime, ETag: this.etag(file), StorageClass: 'STANDARD' });
      }
      last = key;
    }
    return {
      Name: bucket,
      Prefix: prefix,
      ...(delimiter ? { Delimiter: delimiter } : {}),
      MaxKeys: maxKeys,
      KeyCount: contents.length + commonPrefixes.length,
      IsTruncated: truncated,
      Contents: contents,
      ...(commonPrefixes.length ? { CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: p })) } : {}),
      ...(typeof input.ContinuationToken === 'string' ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(truncated ? { NextContinuationToken: Buffer.from(last).toString('base64url') } : {}),
    };
  }

  /** DeleteObject: succeeds whether or not the object exists, like S3. */
  public async DeleteObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    const key = requireString(input, 'Key');
    rmSync(this.objectPath(bucket, key), { force: true });
    rmSync(this.metaPath(bucket, key), { force: true });
    return {};
  }

  /** CopyObject: `CopySource` is `bucket/key` (URL-encoded, an optional leading `/`). */
  public async CopyObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket');
    const key = requireString(input, 'Key');
    const source = decodeURIComponent(requireString(input, 'CopySource').replace(/^\//, '').split('?')[0]!);
    const slash = source.indexOf('/');
    if (slash <= 0) throw s3Error('InvalidArgument', `expected CopySource bucket/key, got ${JSON.stringify(input.CopySource)}`);
    const from = this.existing(source.slice(0, slash), source.slice(slash + 1));
    const target = this.objectPath(bucket, key);
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(from.file, target);
    const meta = readJsonFile<ObjectMeta>(this.metaPath(source.slice(0, slash), source.slice(slash + 1)), {});
    writeJsonFile(this.metaPath(bucket, key), typeof input.ContentType === 'string' ? { ...meta, ContentType: input.ContentType } : meta);
    return { CopyObjectResult: { ETag: this.etag(target), LastModified: statSync(target).mtime } };
  }
}
