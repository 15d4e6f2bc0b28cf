import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client, type GetObjectCommandInput } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { packShards } from '../../../../lambdas/core/fanout/plan';
import { TAIL_BLOCK_BYTES, s3RangeFile } from '../../../../lambdas/core/readers/s3-range';

const s3Mock = mockClient(S3Client);
afterEach(() => {
  s3Mock.reset();
});

/** Serves `body` as S3 does, honouring `Range: bytes=a-b`, in chunks of `chunk` bytes; records the ranges asked. */
function serve(body: Buffer, chunk: number): string[] {
  const asked: string[] = [];
  s3Mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '');
    const [start, end] = m ? [Number(m[1]), Math.min(body.length - 1, Number(m[2]))] : [0, body.length - 1];
    asked.push(input.Range ?? 'all');
    const slice = body.subarray(start, end + 1);
    const parts: Buffer[] = [];
    for (let i = 0; i < slice.length; i += chunk) parts.push(slice.subarray(i, i + chunk));
    return { Body: sdkStreamMixin(Readable.from(parts)) };
  });
  return asked;
}

async function readAll(iter: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of iter) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('Function: s3RangeFile', () => {
  it('reads every line exactly once across the ranges of a plan, whatever the cuts', async () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', '{', '"', '1'), maxLength: 40 }).map((s) => `${s}\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 7 }), async (lines, trailing, shardBytes, chunk) => {
        // Prepare: an object of lines, its last one with or without a newline
        let text = lines.join('');
        if (!trailing) text = text.slice(0, -1) || 'x';
        const body = Buffer.from(text);
        serve(body, chunk);
        const s3 = new S3Client({});

        // Act: the pieces of one object, each read as a child reads it
        const shards = packShards([{ uri: 's3://b/k.jsonl', size: body.length }], { shardBytes });
        let read = '';
        for (const piece of shards.flatMap((s) => s.pieces)) read += await readAll(s3RangeFile(s3, { bucket: 'b', key: 'k.jsonl', ...piece }).bytes());

        // Assess
        expect(read).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it('reads past its end in blocks only as far as the end of its last line', async () => {
    // Prepare: one line of 3 blocks, then more lines
    const long = `${'x'.repeat(TAIL_BLOCK_BYTES * 2 + 10)}\n`;
    const body = Buffer.from(`${long}next\nlast\n`);
    const asked = serve(body, 4096);

    // Act
    const read = await readAll(s3RangeFile(new S3Client({}), { bucket: 'b', key: 'k', start: 0, end: 100, size: body.length }).bytes());

    // Assess: the long line whole; its newline (byte 2 blocks + 10) lies in the second tail block, the last asked
    expect(read).toBe(long);
    const second = 100 + TAIL_BLOCK_BYTES;
    expect(asked).toEqual(['bytes=0-99', `bytes=100-${second - 1}`, `bytes=${second}-${Math.min(body.length - 1, second + TAIL_BLOCK_BYTES - 1)}`]);
  });

  it('names the range in its file name, and refuses an empty or outside range', () => {
    const s3 = new S3Client({});
    expect(s3RangeFile(s3, { bucket: 'b', key: 'k', start: 10, end: 20, size: 30 }).name).toBe('s3://b/k#bytes=10-20');
    expect(s3RangeFile(s3, { bucket: 'b', key: 'k', start: 0, end: 30, size: 30 }).name).toBe('s3://b/k');
    expect(() => s3RangeFile(s3, { bucket: 'b', key: 'k', start: 20, end: 20, size: 30 })).toThrow(/^s3:\/\/b\/k#bytes=20-20: expected a byte range/);
    expect(() => s3RangeFile(s3, { bucket: 'b', key: 'k', start: 0, end: 31, size: 30 })).toThrow(/expected a byte range/);
  });
});
