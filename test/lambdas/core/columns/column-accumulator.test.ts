import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnAccumulator, type ColumnAccumulatorOptions } from '../../../../lambdas/core/columns/column-accumulator';
import type { ColumnSummary } from '../../../../lambdas/core/columns/column-summary';
import { ColumnBatchBuilder } from '../../../../lambdas/core/readers/column-batch';
import type { Cell } from '../../../../lambdas/core/readers/types';
import { binCounts, momentsOf } from '../../../../lambdas/core/stats';

const CUTS = [0, 5];
/** Cells of every kind: numbers as text and JSON, missing, NaN-like, text. */
const cell: fc.Arbitrary<Cell | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map((n) => String(n / 4)) },
  { weight: 4, arbitrary: fc.integer({ min: -20, max: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, '', undefined) },
  { weight: 1, arbitrary: fc.constantFrom('NaN', 'inf') },
  { weight: 1, arbitrary: fc.constantFrom('x', 'y', true) },
);

function feed(cells: readonly (Cell | undefined)[], o: ColumnAccumulatorOptions, from = 0): ColumnAccumulator {
  const acc = new ColumnAccumulator('c', o);
  cells.forEach((c, i) => acc.add(c, 'f.csv', from + i + 2));
  return acc;
}

/** What a consumer reads of a finished column, or the error finishing it gave. */
function outcome(run: () => ColumnSummary & { finish(): unknown }) {
  try {
    const acc = run();
    acc.finish();
    const common = { type: acc.type, count: acc.count, missing: acc.missing, badCount: acc.badCount };
    if (acc.type === 'categorical') return { ...common, categories: [...acc.categoryCounts()].sort() };
    return { ...common, moments: { ...acc.moments }, bins: acc.binCounts, sample: acc.store?.sample() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('Function: ColumnAccumulator', () => {
  it('infers the type and keeps the figures an independent count gives', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 60 }), (cells) => {
        // Prepare: independently, which cells are present, numbers, NaN-like or text
        const present = cells.filter((c) => c !== null && c !== undefined && c !== '');
        const numbers = present.filter((c) => typeof c === 'number' || (typeof c === 'string' && c !== 'NaN' && c !== 'inf' && c !== 'x' && c !== 'y')).map(Number);
        const text = present.some((c) => c === 'x' || c === 'y' || c === true);
        const nanLike = present.some((c) => c === 'NaN' || c === 'inf');
        // Act
        const got = outcome(() => feed(cells, { cuts: CUTS }));
        // Assess
        if (text || numbers.length === 0) {
          expect(got).toMatchObject({ type: 'categorical', count: present.length, missing: cells.length - present.length });
        } else if (nanLike) {
          expect(got).toEqual({ error: expect.stringMatching(/non-finite value "(NaN|inf)" in numeric column/) });
        } else {
          expect(got).toMatchObject({ type: 'numeric', count: present.length, moments: momentsOf(numbers), bins: binCounts(CUTS, numbers) });
        }
      }),
    );
  });

  it('merges split parts into what one pass gives, whatever each part inferred', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 3 }), fc.integer({ min: 2, max: 30 }), (cells, at, distinctCap) => {
        // Prepare
        const o = { cuts: CUTS, distinctCap, budget: 1000 };
        const bounds = [0, ...at.map((a) => a % (cells.length + 1)).sort((a, b) => a - b), cells.length];
        // Act / Assess: the same figures, or both an error
        const one = outcome(() => feed(cells, o));
        const merged = outcome(() => {
          const parts = bounds.slice(1).map((end, k) => feed(cells.slice(bounds[k], end), o, bounds[k]));
          return parts.reduce((a, b) => a.merge(b));
        });
        // When both fail, each names a real bad value of the column at its line. The line
        // may differ: a part fails on its own first bad value past the cap, before it can
        // know of a NaN-like value held as pending by an earlier part.
        const reason = / \(the column had more than \d+ distinct numbers, so it is numeric\)$/;
        const error = (o: object) => ('error' in o ? String(o.error) : undefined);
        const namesBadCell = (message: string) => {
          const line = Number(/f\.csv:(\d+)/.exec(message)?.[1]);
          const c = cells[line - 2];
          return typeof c === 'boolean' || (typeof c === 'string' && c !== '' && !Number.isFinite(Number(c)));
        };
        if (error(one) !== undefined && error(merged) !== undefined) expect([namesBadCell(error(one)!), namesBadCell(error(merged)!)]).toEqual([true, true]);
        else if (error(one) !== undefined && reason.test(error(one)!)) {
          // The cap applies to each part: parts that each stayed under it and turned
          // categorical stay categorical when merged, where one pass committed to numeric.
          expect(merged).toMatchObject({ type: 'categorical' });
        } else if (error(merged) !== undefined && reason.test(error(merged)!)) {
          // The converse: a part that passed the cap dropped its distinct counts and is
          // numeric, so merged with a part that turned categorical it fails at the cap,
          // where one pass turned categorical before the cap was reached.
          expect(one).toMatchObject({ type: 'categorical' });
        } else expect(merged).toEqual(one);
      }),
    );
  });

  it('keeps declared numeric columns numeric and counts bad values under the count policy', () => {
    // Prepare
    const acc = feed(['1', 'abc', '2', 'NaN', null], { type: 'numeric', onBadValue: 'count', range: { min: 0, max: 1.5 } });
    // Act
    const summary: ColumnSummary = acc;
    // Assess
    expect(summary.type).toBe('numeric');
    expect([summary.count, summary.missing, summary.badCount, summary.outOfRange, summary.numberCount]).toEqual([4, 1, 2, 1, 2]);
    expect(summary.firstBad).toEqual({ file: 'f.csv', line: 3, value: 'abc', nonFinite: false });
  });

  it('refuses to give a settled type before finish, and categories of a numeric column', () => {
    // Prepare
    const acc = feed(['1', '2'], {});
    // Act / Assess
    expect(() => acc.type).toThrow(/type not settled/);
    expect(acc.typeSoFar).toBe('numeric');
    acc.finish();
    expect(() => acc.categoryCounts()).toThrow(/not categorical/);
  });

  it('throws at a non-number once the distinct cap committed the column to numeric', () => {
    // Prepare
    const acc = feed(['1', '2', '3'], { distinctCap: 2 });
    // Act / Assess
    expect(acc.distinctCapped).toBe(true);
    expect(acc.wantedKind).toBe('number');
    expect(() => acc.add('x', 'f.csv', 9)).toThrow(/f\.csv:9, column "c": non-numeric value "x" in numeric column \(the column had more than 2 distinct numbers/);
  });
});

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
