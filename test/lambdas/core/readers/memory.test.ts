import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { openTable } from '../../../../lambdas/core/readers/index';

const s3Mock = mockClient(S3Client);
afterEach(() => {
  s3Mock.reset();
});

/** Every row has this exact byte length, so bytes consumed per row are known. */
const ROW = (i: number) => `${String(i).padStart(9, '0')},${String(i % 997).padStart(5, '0')},cat${i % 7}\n`;
const ROW_BYTES = ROW(0).length;
const HEADER = 'id,v,c\n';

/** A CSV body generated on demand, counting how many bytes the reader has pulled. */
function countingBody(rows: number): { body: Readable; pulled: () => number } {
  let pulled = 0;
  async function* gen() {
    yield Buffer.from(HEADER);
    pulled += HEADER.length;
    const perChunk = 1000;
    for (let start = 0; start < rows; start += perChunk) {
      let s = '';
      for (let i = start; i < Math.min(rows, start + perChunk); i++) s += ROW(i);
      pulled += s.length;
      yield Buffer.from(s);
    }
  }
  return { body: Readable.from(gen(), { objectMode: false, highWaterMark: 64 * 1024 }), pulled: () => pulled };
}

describe('Function: openTable (bounded memory)', () => {
  it('streams a large object: full batches, and never reads far ahead of the batches handed out', async () => {
    // Prepare: ~31 MB of CSV, generated while it is read
    const rows = 1_500_000;
    const batchSize = 5000;
    const { body, pulled } = countingBody(rows);
    s3Mock.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(body) });
    const table = await openTable('s3://bkt/big.csv', { s3: new S3Client({}), batchSize });
    // Act
    let seen = 0;
    let batches = 0;
    let maxAhead = 0;
    let lastId = -1;
    for await (const batch of table.batches()) {
      batches++;
      seen += batch.rows.length;
      // every batch but the last is exactly batchSize rows, in order
      if (seen < rows) expect(batch.rows.length).toBe(batchSize);
      expect(Number(batch.rows[0][0])).toBe(lastId + 1);
      lastId = Number(batch.rows[batch.rows.length - 1][0]);
      maxAhead = Math.max(maxAhead, pulled() - HEADER.length - seen * ROW_BYTES);
    }
    // Assess
    expect(seen).toBe(rows);
    expect(batches).toBe(Math.ceil(rows / batchSize));
    const total = HEADER.length + rows * ROW_BYTES;
    expect(total).toBeGreaterThan(30e6);
    // Read-ahead is bounded by a few chunks (stream buffers plus one decoded chunk),
    // not by the file: under 4 MB of a 31 MB file.
    expect(maxAhead).toBeLessThan(4e6);
  });
});
