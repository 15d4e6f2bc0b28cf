/**
 * Resolves a source (local file, local directory, S3 object or S3 prefix) into the list of
 * files to read, in order, each able to stream its bytes or give random access.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { InputError } from '../../../vocabulary/errors';
import { listS3Prefix, s3AsyncBuffer, s3ObjectBytes, s3ObjectSize } from './s3';
import { isS3Uri, splitS3Uri } from '../../../vocabulary/s3-uri';

/** Bytes read at a time from local files. */
export const LOCAL_CHUNK_BYTES = 1 << 20;

/** Random access to a file, released with `close`. */
export interface RandomAccess {
  readonly buffer: AsyncBuffer;
  close(): Promise<void>;
}

/** One file of a source. */
export interface InputFile {
  /** Local path or `s3://` URI, as used in messages and `RowBatch.file`. */
  readonly name: string;
  /** Streams the file's raw (possibly compressed) bytes. */
  bytes(): AsyncIterable<Uint8Array>;
  /** Random access to the file (Parquet). */
  randomAccess(): Promise<RandomAccess>;
  /** True for a file on the local file system (its name is its path). @default false */
  readonly local?: boolean;
}

/**
 * Lists the files of a source, sorted by path or key.
 *
 * @param getS3 gives the S3 client, created only when the source is on S3.
 * @throws InputError when the source does not exist or holds no files.
 */
export async function resolveSource(source: string, getS3: () => S3Client): Promise<InputFile[]> {
  const files = isS3Uri(source) ? await resolveS3(source, getS3()) : await resolveLocal(source);
  if (files.length === 0) throw new InputError('no files found', { file: source });
  return files;
}

async function resolveLocal(source: string): Promise<InputFile[]> {
  let info;
  try {
    info = await stat(source);
  } catch (err) {
    throw new InputError('no such file or directory', { file: source }, { cause: err });
  }
  if (!info.isDirectory()) return [localFile(source)];
  const paths: string[] = [];
  await walk(source, paths);
  return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(localFile);
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

function localFile(path: string): InputFile {
  return {
    name: path,
    local: true,
    bytes: () => createReadStream(path, { highWaterMark: LOCAL_CHUNK_BYTES }),
    async randomAccess() {
      const handle = await open(path, 'r');
      const { size } = await handle.stat();
      let closed: Promise<void> | undefined;
      return {
        buffer: {
          byteLength: size,
          async slice(start: number, end?: number): Promise<ArrayBuffer> {
            const stop = Math.min(end ?? size, size);
            const out = new Uint8Array(Math.max(0, stop - start));
            let done = 0;
            while (done < out.length) {
              const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
              if (bytesRead === 0) break;
              done += bytesRead;
            }
            return out.buffer;
          },
        },
        close: () => (closed ??= handle.close()),
      };
    },
  };
}

async function resolveS3(source: string, s3: S3Client): Promise<InputFile[]> {
  const loc = splitS3Uri(source);
  if (loc.key === '' || loc.key.endsWith('/')) {
    const objects = await listS3Prefix(s3, loc);
    return objects.map((o) => s3File(s3, loc.bucket, o.key, o.size));
  }
  return [s3File(s3, loc.bucket, loc.key)];
}

/** An S3 object as an input file (`size` spares a HeadObject for random access). */
export function s3File(s3: S3Client, bucket: string, key: string, size?: number): InputFile {
  const loc = { bucket, key };
  return {
    name: `s3://${bucket}/${key}`,
    bytes: () => s3ObjectBytes(s3, loc),
    async randomAccess() {
      const length = size ?? (await s3ObjectSize(s3, loc));
      return { buffer: s3AsyncBuffer(s3, loc, length), close: async () => {} };
    },
  };
}
