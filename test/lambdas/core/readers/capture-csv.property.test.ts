import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitPlainCsv } from '../../../../lambdas/core/readers/capture';
import { CSV_PARSE_OPTIONS } from '../../../../lambdas/core/readers/csv-records';

describe('Function: splitPlainCsv', () => {
  it('splits quote-free text exactly as csv-parse does (CR, LF, CRLF, blanks, empty fields)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '1', ',', '\r', '\n', '\r\n', ' ', '.5', 'é', '\t'), { maxLength: 40 }), (parts) => {
        // Prepare
        const text = parts.join('');
        const expected = (parse(text, CSV_PARSE_OPTIONS) as string[][]).map((r) => r.map((v) => (v === '' ? null : v)));
        // Act / Assess
        expect(splitPlainCsv(text)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
