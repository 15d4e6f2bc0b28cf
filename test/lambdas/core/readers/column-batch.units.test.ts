import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnBatchBuilder } from '../../../../lambdas/core/readers/column-batch';

/** Plain decimals (the fast path) and a few that are not. */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(4)),
  fc.integer({ min: -99999, max: 99999 }).map(String),
  fc.constantFrom('-0', '0.', '.5', '-.25', '-', '.', '', '1e3', '123456789012345', '1234567890123456', 'abc'),
);

/** What a row reader's cell becomes in a number column: Number() for a finite decimal, else an exception. */
function expected(s: string): { value: number } | { cell: string | null } {
  const x = Number(s);
  const decimal = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(s) && Number.isFinite(x);
  return decimal ? { value: x } : { cell: s === '' ? null : s };
}

describe('Function: ColumnBatchBuilder.pushText', () => {
  it('stops every field at the record end, whatever text follows it', () => {
    fc.assert(
      fc.property(
        fc.array(numberText, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', '7', '.5', ',9', '12.25,3', '\n1', '\r\n'),
        (cells, after) => {
          // Prepare: the record is followed (within the same text) by digits, a dot, a comma or nothing
          const plan = { columns: cells.map((_, i) => i), kinds: cells.map(() => 'number' as const) };
          const b = new ColumnBatchBuilder('mem.csv', 4, cells.length, plan);
          const record = cells.join(',');
          const text = record + after;
          // Act
          const count = b.pushText(text, 0, record.length, 1);
          const batch = b.take();
          // Assess
          expect(count).toBe(cells.length);
          cells.forEach((s, i) => {
            const col = batch.columns[i]!;
            if (col.kind !== 'number') throw new Error('expected a number column');
            const e = expected(s);
            if ('value' in e) {
              expect(col.exceptionRows).toEqual([]);
              expect(Object.is(col.values[0], e.value)).toBe(true);
            } else expect(col.exceptionCells).toEqual([e.cell]);
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads each new text, long or short, not the units of the one before', () => {
    // Prepare: a long text, then shorter texts of which the last has the same length as the one before it
    const plan = { columns: [0, 1], kinds: ['number' as const, 'category' as const] };
    const b = new ColumnBatchBuilder('mem.csv', 8, 2, plan);
    const long = `${'9'.repeat(30)}.5,${'z'.repeat(3000)}\n`;
    const texts = [long, '12.5,alpha\n', '3,é\n', '4,beta\n', '5,gamma\n'];
    // Act
    texts.forEach((t, r) => b.pushText(t, 0, t.indexOf('\n'), r + 2));
    const batch = b.take();
    // Assess
    const [num, cat] = batch.columns;
    if (num?.kind !== 'number' || cat?.kind !== 'category') throw new Error('unexpected kinds');
    expect(num.exceptionRows).toEqual([]);
    expect(Array.from(num.values.subarray(0, 5))).toEqual([Number(`${'9'.repeat(30)}.5`), 12.5, 3, 4, 5]);
    expect(Array.from(cat.codes.subarray(0, 5), (c) => cat.names[c])).toEqual(['z'.repeat(3000), 'alpha', 'é', 'beta', 'gamma']);
  });
});
