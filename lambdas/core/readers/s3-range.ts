/**
 * A line-aligned byte range of an S3 object as an input file, for a fan-out child that
 * reads part of a large object (see core/fanout/plan.ts).
 *
 * A line belongs to the range that holds its first byte. So a range `[start, end)`:
 * - unless start = 0, reads from `start - 1` and skips through the first newline: the
 *   bytes before it finish a line that began in an earlier range (when byte start - 1
 *   is itself a newline, only it is skipped and the range's first line starts at start);
 * - reads past `end` (ranged GetObject calls of {@link TAIL_BLOCK_BYTES}) until the
 *   newline that ends its last line, unless byte end - 1 is a newline or the object ends;
 * - holds no line at all when no newline follows start - 1 inside it (one long line that
 *   began earlier): it then reads nothing past end.
 * The ranges of a plan together read every line of the object exactly once.
 *
 * Line numbers in messages count from the range's first line: the file name says so
 * (`s3://bucket/key#bytes=start-end`).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../../vocabulary/errors';
import type { S3Location } from '../../../vocabulary/s3-uri';
import { s3ObjectBytes } from './s3';
import type { InputFile } from './sources';

/** Bytes asked for at a time past a range's end, looking for the end of its last line. */
export const TAIL_BLOCK_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

/** A byte range of an object: `[start, end)` of an object of `size` bytes. */
export interface ObjectRange extends S3Location {
  readonly start: number;
  readonly end: number;
  readonly size: number;
}

/** The lines of `range` as an input file (the whole object, plainly, when the range covers it). */
export function s3RangeFile(s3: S3Client, range: ObjectRange): InputFile {
  const whole = range.start === 0 && range.end >= range.size;
  const name = whole ? `s3://${range.bucket}/${range.key}` : `s3://${range.bucket}/${range.key}#bytes=${range.start}-${range.end}`;
  if (!(range.start >= 0 && range.start < range.end && range.end <= range.size)) {
    throw new InputError(`expected a byte range with 0 <= start < end <= size, got ${range.start}-${range.end} of ${range.size}`, { file: name });
  }
  return {
    name,
    bytes: () => (whole ? s3ObjectBytes(s3, range) : rangeLines(s3, range, name)),
    randomAccess: () => Promise.reject(new InputError('a byte range of an object has no random access (Parquet objects are never split)', { file: name })),
  };
}

async function getRange(s3: S3Client, loc: S3Location, first: number, last: number, name: string): Promise<Iterable<Uint8Array> | AsyncIterable<Uint8Array>> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: `bytes=${first}-${last}` }));
    return (out.Body as AsyncIterable<Uint8Array> | undefined) ?? [];
  } catch (err) {
    const code = (err as { name?: string }).name ?? 'Error';
    throw new InputError(`cannot read bytes ${first}-${last} from S3: ${code}`, { file: name }, { cause: err });
  }
}

async function* rangeLines(s3: S3Client, range: ObjectRange, name: string): AsyncGenerator<Uint8Array> {
  const from = range.start > 0 ? range.start - 1 : 0;
  let started = range.start === 0;
  let last = -1;
  for await (const chunk of await getRange(s3, range, from, range.end - 1, name)) {
    if (chunk.length === 0) continue;
    last = chunk[chunk.length - 1]!;
    if (started) {
      yield chunk;
      continue;
    }
    const nl = chunk.indexOf(NEWLINE);
    if (nl < 0) continue;
    started = true;
    if (nl + 1 < chunk.length) yield chunk.subarray(nl + 1);
  }
  // No line starts in the range, or its last line ends at its end, or the object ends.
  if (!started || last === NEWLINE || range.end >= range.size) return;
  for (let at = range.end; at < range.size; at += TAIL_BLOCK_BYTES) {
    const stop = Math.min(range.size, at + TAIL_BLOCK_BYTES) - 1;
    for await (const chunk of await getRange(s3, range, at, stop, name)) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl >= 0) {
        yield chunk.subarray(0, nl + 1);
        return;
      }
      yield chunk;
    }
  }
}
