import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../vocabulary/errors';
import { CsvRecordSplitter } from '../../../../lambdas/core/readers/csv-records';
import type { Cell } from '../../../../lambdas/core/readers/types';

/** csv-parse configured as documented for the reader: comma, double quote, \n or \r\n, skip empty lines. */
const reference = (text: string): Cell[][] =>
  (
    parse(text, {
      delimiter: ',',
      quote: '"',
      record_delimiter: ['\r\n', '\n'],
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][]
  ).map((r) => r.map((v) => (v === '' ? null : v)));

/** Runs the splitter over text fed in the given pieces. */
function split(pieces: string[], width?: number): { rows: Cell[][]; lines: number[] } {
  const s = new CsvRecordSplitter('mem.csv');
  s.width = width;
  const rows: Cell[][] = [];
  const lines: number[] = [];
  const sink = {
    push: (r: Cell[], l: number) => {
      rows.push(r);
      lines.push(l);
    },
    full: false,
  };
  for (const p of pieces) {
    s.feed(p);
    s.take(sink);
  }
  s.end();
  s.take(sink);
  expect(s.done).toBe(true);
  return { rows, lines };
}

/** Cuts text at the given fractions. */
function cut(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const i of at) {
    out.push(text.slice(prev, i));
    prev = i;
  }
  out.push(text.slice(prev));
  return out;
}

const plainField = fc.stringMatching(/^[a-z0-9 .\-]{0,6}$/);
const quotedField = fc
  .array(fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', '\r', 'é', '1'), { maxLength: 8 })
  .map((parts) => parts.join(''));
const field = fc.oneof(
  plainField.map((v) => ({ value: v, text: v })),
  quotedField.map((v) => ({ value: v, text: `"${v.replaceAll('"', '""')}"` })),
);

describe('Function: CsvRecordSplitter (property, against csv-parse)', () => {
  it('gives the same records as csv-parse, at the physical line each starts, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((width) =>
          fc.record({
            width: fc.constant(width),
            records: fc.array(
              fc.record({
                fields: fc.array(field, { minLength: width, maxLength: width }),
                eol: fc.constantFrom('\n', '\r\n'),
                blankBefore: fc.boolean(),
              }),
              { maxLength: 25 },
            ),
            finalEol: fc.boolean(),
            cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
          }),
        ),
        ({ width, records, finalEol, cuts }) => {
          // Build the text, noting the physical line each record starts at.
          let text = '';
          let line = 1;
          const expectedLines: number[] = [];
          const expectedRows: Cell[][] = [];
          records.forEach((r, i) => {
            if (r.blankBefore) {
              text += '\n';
              line++;
            }
            const body = r.fields.map((f) => f.text).join(',');
            expectedLines.push(line);
            expectedRows.push(r.fields.map((f) => (f.value === '' ? null : f.value)));
            const last = i === records.length - 1;
            text += body + (last && !finalEol ? '' : r.eol);
            line += (body.match(/\n/g)?.length ?? 0) + 1;
          });
          const got = split(cut(text, cuts), width);
          expect(got.rows).toEqual(reference(text));
          expect(got.rows).toEqual(expectedRows);
          expect(got.lines).toEqual(expectedLines);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with csv-parse on arbitrary text: same records, or both reject it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' '), { maxLength: 40 }).map((p) => p.join('')),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        (text, cuts) => {
          let expected: Cell[][] | undefined;
          try {
            expected = reference(text);
          } catch {
            expected = undefined;
          }
          if (expected === undefined) {
            expect(() => split(cut(text, cuts))).toThrow(ParseError);
          } else {
            expect(split(cut(text, cuts)).rows).toEqual(expected);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
