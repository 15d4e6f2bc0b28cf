import { describe, expect, it } from 'vitest';
import { ColumnAccumulator } from '../../../../lambdas/core/columns/column-accumulator';
import { ColumnBatchBuilder } from '../../../../lambdas/core/readers/column-batch';

describe('Function: ColumnAccumulator bins past the value budget', () => {
  it('counts every value in a bin when the store turns to a sketch (add and addColumn alike)', () => {
    // Prepare: 1000 values 0..999 against cut 500, budget 128: bins must be [500, 500]
    const one = new ColumnAccumulator('x', { type: 'numeric', budget: 128, cuts: [500] });
    const col = new ColumnAccumulator('x', { type: 'numeric', budget: 128, cuts: [500] });
    const b = new ColumnBatchBuilder('mem.csv', 1000, 1, { columns: [0], kinds: ['number'] });
    // Act
    for (let i = 0; i < 1000; i++) {
      one.add(String(i), 'mem.csv', i + 2);
      const text = String(i);
      b.pushText(text, 0, text.length, i + 2);
    }
    const batch = b.take();
    col.addColumn(batch.columns[0]!, batch.length, batch.lines, batch.file);
    // Assess
    expect(one.binCounts).toEqual([500, 500]);
    expect(col.binCounts).toEqual([500, 500]);
    expect(col.moments).toEqual(one.moments);
    expect(col.store!.sample()).toEqual(one.store!.sample());
  });

  it('reports a non-number of a number column at its line, as add does', () => {
    // Prepare
    const acc = new ColumnAccumulator('x', { type: 'numeric' });
    const b = new ColumnBatchBuilder('mem.csv', 10, 2, { columns: [1], kinds: ['number'] });
    for (const [i, t] of ['a,1.5', 'b,', 'c,abc', 'd,2'].entries()) b.pushText(t, 0, t.length, i + 2);
    const batch = b.take();
    // Act / Assess: line 4 holds "abc"; the missing cell on line 3 only counts as missing
    expect(() => acc.addColumn(batch.columns[0]!, batch.length, batch.lines, batch.file)).toThrow(
      /mem\.csv:4, column "x": non-numeric value "abc" in numeric column/,
    );
    expect(acc.missing).toBe(1);
    expect(acc.count).toBe(2);
  });
});
