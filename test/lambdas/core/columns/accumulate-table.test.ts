import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ColumnAccumulator,
  accumulateTable,
  finishTypes,
  mergeTableAccumulators,
} from '../../../../lambdas/core/columns';
import { ValueTypeError } from '../../../../vocabulary/errors';
import { binCounts } from '../../../../lambdas/core/stats/binning';
import { columnsTable, memoryTable } from '../../../helpers/memory-table';

describe('Class: ColumnAccumulator', () => {
  it('infers numeric for numbers given as text or JSON, categorical for anything else', async () => {
    // Prepare
    const table = columnsTable({
      num: ['1.5', '-3', '1e-3', null, ''],
      json: [1, 2.5, null, -4, 0],
      mixed: ['1', '2', 'x', '1', null],
      bool: [true, false, true, null, null],
      empty: [null, null, '', null, null],
      nanOnly: ['NaN', null, 'NaN', null, null],
    });

    // Act
    const acc = await accumulateTable(table);
    const types = finishTypes(acc);

    // Assess
    expect(types).toEqual({ num: 'numeric', json: 'numeric', mixed: 'categorical', bool: 'categorical', empty: 'categorical', nanOnly: 'categorical' });
    const [num, , mixed, bool] = acc.columns;
    expect(num!.count).toBe(3);
    expect(num!.missing).toBe(2);
    expect(num!.moments.min).toBe(-3);
    expect(num!.moments.max).toBe(1.5);
    expect(Object.fromEntries(mixed!.categoryCounts())).toEqual({ '1': 2, '2': 1, x: 1 });
    expect(Object.fromEntries(bool!.categoryCounts())).toEqual({ true: 2, false: 1 });
  });

  it('rejects NaN/Infinity in a column that is numeric, naming file, line and column', async () => {
    // Prepare
    const table = memoryTable(['a'], [['1'], ['Infinity'], ['2']], { source: 'data.csv' });

    // Act
    const acc = await accumulateTable(table);

    // Assess
    expect(() => finishTypes(acc)).toThrow(ValueTypeError);
    expect(() => acc.columns[0]!.finish()).toThrow('data.csv:3, column "a": non-finite value "Infinity" in numeric column');
  });

  it('with a known numeric type, rejects a non-number with its value, or counts it', async () => {
    // Prepare
    const rows = [['1'], ['2'], ['two'], ['NaN']];

    // Act / Assess
    await expect(accumulateTable(memoryTable(['a'], rows, { source: 's3://b/k.csv' }), { types: { a: 'numeric' } })).rejects.toThrow(
      's3://b/k.csv:4, column "a": non-numeric value "two" in numeric column',
    );
    const counted = await accumulateTable(memoryTable(['a'], rows), { types: { a: 'numeric' }, onBadValue: 'count' });
    expect(counted.columns[0]!.badCount).toBe(2);
    expect(counted.columns[0]!.firstBad).toMatchObject({ line: 4, value: 'two', nonFinite: false });
    expect(counted.columns[0]!.moments.count).toBe(2);
  });

  it('names the row of a Parquet file', async () => {
    // Prepare / Act / Assess
    await expect(
      accumulateTable(memoryTable(['a'], [['x']], { source: 'part.parquet', firstLine: 0 }), { types: { a: 'numeric' } }),
    ).rejects.toThrow('part.parquet, row 0, column "a"');
  });

  it('commits a column to numeric past the distinct cap: a later text value is a ValueTypeError', () => {
    // Prepare
    const capped = new ColumnAccumulator('a', { distinctCap: 5 });
    const under = new ColumnAccumulator('a', { distinctCap: 5 });
    for (let i = 0; i < 6; i++) capped.add(String(i), 'f.csv', i + 2);
    for (let i = 0; i < 5; i++) under.add(String(i % 3), 'f.csv', i + 2);

    // Act / Assess
    expect(capped.distinctCapped).toBe(true);
    expect(() => capped.add('x', 'f.csv', 8)).toThrow(/f\.csv:8, column "a": non-numeric value "x".*more than 5 distinct/);
    under.add('x', 'f.csv', 7);
    expect(under.finish()).toBe('categorical');
    expect(Object.fromEntries(under.categoryCounts())).toEqual({ '0': 2, '1': 2, '2': 1, x: 1 });
  });

  it('merges halves into the accumulator of the whole, whatever the split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(fc.integer({ min: -9, max: 9 }).map(String), fc.constant(null)), fc.constantFrom('a', 'b', '1', null)), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.nat(),
        fc.boolean(),
        async (rows, cut, text) => {
          // a column that is numeric in one half and text in the other, when `text`
          const all = rows.map(([x, c], i) => [x, c, text && i === rows.length - 1 ? 'word' : x]);
          const k = cut % (all.length + 1);
          const whole = await accumulateTable(memoryTable(['x', 'c', 'm'], all));
          const a = await accumulateTable(memoryTable(['x', 'c', 'm'], all.slice(0, k)));
          const b = await accumulateTable(memoryTable(['x', 'c', 'm'], all.slice(k)));
          const merged = mergeTableAccumulators(a, b);
          expect(finishTypes(merged)).toEqual(finishTypes(whole));
          expect(merged.rowCount).toBe(whole.rowCount);
          merged.columns.forEach((m, i) => {
            const w = whole.columns[i]!;
            expect([m.count, m.missing]).toEqual([w.count, w.missing]);
            if (w.typeSoFar === 'categorical') expect(new Map(m.categoryCounts())).toEqual(new Map(w.categoryCounts()));
            else {
              expect(m.moments.count).toBe(w.moments.count);
              if (w.moments.count > 0) {
                expect(m.moments.mean).toBeCloseTo(w.moments.mean, 12);
                expect(m.moments.m2).toBeCloseTo(w.moments.m2, 10);
                expect([m.moments.min, m.moments.max]).toEqual([w.moments.min, w.moments.max]);
              }
              expect(Array.from(m.store!.sample().values)).toEqual(Array.from(w.store!.sample().values));
            }
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('counts bins exactly whether the value store stays exact or turns to a sketch, merged or not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -30, max: 30 }), { maxLength: 700 }), fc.nat(), (xs, cut) => {
        // Prepare
        const cuts = [-10, -2.5, 0, 0.5, 7, 20];
        const k = cut % (xs.length + 1);
        const make = () => new ColumnAccumulator('v', { type: 'numeric', budget: 128, cuts });
        const whole = make();
        const a = make();
        const b = make();

        // Act
        xs.forEach((x, i) => whole.add(String(x), 'f', i));
        xs.slice(0, k).forEach((x, i) => a.add(x, 'f', i));
        xs.slice(k).forEach((x, i) => b.add(x, 'f', i));
        a.merge(b);

        // Assess
        const expected = binCounts(cuts, xs);
        expect(whole.binCounts).toEqual(expected);
        expect(a.binCounts).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
