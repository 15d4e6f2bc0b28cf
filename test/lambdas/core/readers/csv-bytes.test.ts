import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../../vocabulary/errors';
import { ColumnBatchBuilder, type ColumnBatch, type ColumnKind } from '../../../../lambdas/core/readers/column-batch';
import { CsvByteRange } from '../../../../lambdas/core/readers/csv-bytes';

const dir = mkdtempSync(join(tmpdir(), 'pitstop-csv-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** What a batch holds, in plain form. */
function plain(batch: ColumnBatch) {
  return {
    length: batch.length,
    lines: Array.from(batch.lines.subarray(0, batch.length)),
    columns: batch.columns.map((c) => {
      if (c.kind === 'number') {
        const values = Array.from(c.values.subarray(0, batch.length)).map((v, r) => (c.exceptionRows.includes(r) ? 'exception' : v));
        return { kind: c.kind, values, rows: [...c.exceptionRows], cells: [...c.exceptionCells] };
      }
      if (c.kind === 'category') return { kind: c.kind, texts: Array.from(c.codes.subarray(0, batch.length)).map((k) => (k < 0 ? null : c.names[k])) };
      return { kind: c.kind, cells: [...c.cells] };
    }),
  };
}

const textField = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(4)),
  fc.integer({ min: -99999, max: 99999 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('', '-', '.', '1.', '.5', '1e3', ' 2', 'NaN', 'inf', 'abc', 'é', 'naïve', '\u{1F600}', '\uFEFF1.5', '1\r2', '0001.5000', '1234567890123456', 'x y'),
);
const kindArb = fc.constantFrom<ColumnKind>('number', 'category', 'cell');

describe('Method: ColumnBatchBuilder.pushBytes', () => {
  it('fills the batch pushText fills from the same record, field for field', () => {
    fc.assert(
      fc.property(fc.array(kindArb, { minLength: 1, maxLength: 5 }), fc.array(fc.array(textField, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 30 }), (kinds, records) => {
        const width = kinds.length;
        const plan = { columns: kinds.map((_, i) => i), kinds: [...kinds] };
        const fromText = new ColumnBatchBuilder('f', 64, width, plan);
        const fromBytes = new ColumnBatchBuilder('f', 64, width, { columns: plan.columns, kinds: [...kinds] });
        const counts: [number, number][] = [];
        records.forEach((fields, r) => {
          const text = fields.join(',');
          const bytes = Buffer.from(`${text}\n`);
          counts.push([fromText.pushText(text, 0, text.length, r + 1), fromBytes.pushBytes(bytes, 0, bytes.length - 1, r + 1)]);
        });
        for (const [a, b] of counts) expect(b).toBe(a);
        expect(plain(fromBytes.take())).toEqual(plain(fromText.take()));
      }),
      { numRuns: 300 },
    );
  });
});

/** Writes `text` and reads all of it (after a header line) as a byte range. */
function readRange(text: string, width: number, kinds: ColumnKind[], chunkBytes: number) {
  const path = join(dir, `r${fileNo++}.csv`);
  writeFileSync(path, text);
  const start = Buffer.from(text).indexOf(10) + 1;
  const builder = new ColumnBatchBuilder(path, 3, width, { columns: kinds.map((_, i) => i), kinds });
  const range = new CsvByteRange(path, start, Buffer.byteLength(text), 1, width, builder, chunkBytes);
  // A batch is valid until the next one: each taken in plain form as it comes.
  const batches: ReturnType<typeof plain>[] = [];
  for (const b of range.batches()) batches.push(plain(b));
  return { range, lines: batches.flatMap((b) => b.lines), values: batches.flatMap((b) => (b.columns[0] as { values: unknown[] }).values), texts: batches.flatMap((b) => (b.columns[1] as { texts: unknown[] }).texts) };
}

describe('Class: CsvByteRange', () => {
  it('reads records across chunk ends, with CRLF, empty lines, a line longer than a chunk and no final line end', () => {
    const long = 'x'.repeat(100);
    const text = `a,b\n1.5,p\r\n\n-2,q\n\r\n3,${long}\n4,r`;
    for (const chunk of [4, 7, 16, 1 << 20]) {
      const { range, lines, values, texts } = readRange(text, 2, ['number', 'category'], chunk);
      expect(range.quoted).toBe(false);
      expect(lines).toEqual([2, 4, 6, 7]);
      expect(values).toEqual([1.5, -2, 3, 4]);
      expect(texts).toEqual(['p', 'q', long, 'r']);
      expect(range.lastLine).toBe(7);
    }
  });

  it('stops at a chunk with a quote character, for the text reader to handle quoting', () => {
    const { range } = readRange('a,b\n1,"p"\n2,q\n', 2, ['number', 'category'], 1 << 20);
    expect(range.quoted).toBe(true);
  });

  it('names the line of a record with the wrong field count', () => {
    expect(() => readRange('a,b\n1,p\n2,q,r\n', 2, ['number', 'category'], 1 << 20)).toThrow(ParseError);
    try {
      readRange('a,b\n1,p\n2,q,r\n', 2, ['number', 'category'], 5);
      expect.unreachable();
    } catch (err) {
      expect((err as ParseError).location).toMatchObject({ line: 3 });
      expect((err as Error).message).toContain('expected 2 fields, found 3');
    }
  });
});
