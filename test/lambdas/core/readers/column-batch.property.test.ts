import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accumulateTable, type AccumulateTableOptions, type TableAccumulator } from '../../../../lambdas/core/columns/table-accumulator';
import { ColumnBatchBuilder } from '../../../../lambdas/core/readers/column-batch';
import { openTable } from '../../../../lambdas/core/readers/index';
import type { Table } from '../../../../lambdas/core/readers/types';
import { gz, tempDir } from './helpers';

/** The same table without its columnar method: read through the row batches. */
function rowsOnly(t: Table): Table {
  return { source: t.source, columns: t.columns, batches: () => t.batches() };
}

/** Everything an accumulator holds that drift, profiles and validation read. */
function snapshot(acc: TableAccumulator) {
  return {
    rowCount: acc.rowCount,
    columns: acc.columns.map((c) => {
      let type: string;
      try {
        type = c.finish();
      } catch (err) {
        type = `error: ${(err as Error).message}`;
      }
      const sample = c.store?.sample();
      return {
        name: c.name,
        type,
        count: c.count,
        missing: c.missing,
        moments: { ...c.moments },
        bins: c.binCounts,
        outOfRange: c.outOfRange,
        badCount: c.badCount,
        firstBad: c.firstBad,
        distinctCapped: c.distinctCapped,
        sample: sample ? { values: Array.from(sample.values), weights: sample.weights && Array.from(sample.weights) } : null,
        exact: c.store?.exact,
        // insertion order matters (validation lists the first unseen categories)
        categories: type === 'categorical' ? [...c.categoryCounts().entries()] : null,
      };
    }),
  };
}

async function outcome(table: Table, options: AccumulateTableOptions) {
  try {
    return snapshot(await accumulateTable(table, options));
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(4)),
  fc.integer({ min: -99999, max: 99999 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), // exponents, 17 digits
  fc.constantFrom('-0', '0.', '.5', '-.25', '1e3', '+1', ' 2', '0001.5000', '1234567890123456', '123456789012345', '9007199254740993', '-', '.'),
);
const weird = fc.constantFrom('NaN', 'nan', 'inf', '-Infinity', 'abc', 'true', ' ', '"1,5"', '"4.5"', '"x""y"', '"multi\nline"', '');
const category = fc.constantFrom('alpha', 'bravo', 'charlie', 'é', '"quoted, comma"', 'x', '', '12');

/** A CSV field: mostly numbers in numeric-looking columns, sometimes anything. */
const field = (numeric: boolean) => (numeric ? fc.oneof({ weight: 8, arbitrary: numberText }, { weight: 2, arbitrary: weird }, { weight: 1, arbitrary: category }) : fc.oneof({ weight: 6, arbitrary: category }, { weight: 1, arbitrary: numberText }, { weight: 1, arbitrary: weird }));

const csvCase = fc
  .record({
    kinds: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
    rows: fc.integer({ min: 0, max: 60 }),
    crlf: fc.boolean(),
    seed: fc.integer(),
  })
  .chain(({ kinds, rows, crlf }) =>
    fc.record({
      kinds: fc.constant(kinds),
      body: fc.array(fc.tuple(...kinds.map((k) => field(k))), { minLength: rows, maxLength: rows }),
      crlf: fc.constant(crlf),
      ragged: fc.option(fc.integer({ min: 0, max: Math.max(0, rows - 1) }), { freq: 8 }),
      declared: fc.array(fc.constantFrom('numeric', 'categorical', undefined), { minLength: kinds.length, maxLength: kinds.length }),
      policy: fc.constantFrom('throw', 'count'),
      batchSize: fc.integer({ min: 1, max: 7 }),
      cuts: fc.boolean(),
      gzip: fc.boolean(),
    }),
  );

describe('Function: Table.columnBatches (CSV) against the row batches', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('gives the accumulators the same statistics, category order and errors', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(csvCase, async ({ kinds, body, crlf, ragged, declared, policy, batchSize, cuts, gzip }) => {
        // Prepare: a CSV with quotes, missing cells, NaN tokens and text in numeric columns
        const names = kinds.map((_, i) => `c${i}`);
        const lines = body.map((r) => r.join(','));
        if (ragged !== null && lines.length > 0) lines[ragged] += ',extra';
        const nl = crlf ? '\r\n' : '\n';
        const text = names.join(',') + nl + lines.join(nl) + (lines.length % 2 ? nl : '');
        const path = await dir.write(`case-${n++}.csv${gzip ? '.gz' : ''}`, gzip ? gz(text) : text);
        const types: Record<string, 'numeric' | 'categorical'> = {};
        names.forEach((c, i) => {
          if (declared[i]) types[c] = declared[i]!;
        });
        const options: AccumulateTableOptions = {
          types,
          budget: 128,
          distinctCap: 20,
          onBadValue: policy,
          cuts: cuts ? Object.fromEntries(names.map((c) => [c, [-1, 0, 0.5, 100]])) : undefined,
          ranges: Object.fromEntries(names.map((c) => [c, { min: -10, max: 10 }])),
        };
        // Act
        const columnar = await outcome(await openTable(path, { batchSize }), options);
        const rows = await outcome(rowsOnly(await openTable(path, { batchSize })), options);
        // Assess
        expect(columnar).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it('parses plain decimals to exactly Number(text), bit for bit', () => {
    fc.assert(
      fc.property(fc.array(numberText, { minLength: 1, maxLength: 30 }), (cells) => {
        // Prepare
        const plan = { columns: cells.map((_, i) => i), kinds: cells.map(() => 'number' as const) };
        const b = new ColumnBatchBuilder('mem.csv', 4, cells.length, plan);
        const text = `x,${cells.join(',')},y`;
        // Act
        const count = b.pushText(text, 2, text.length - 2, 1);
        const batch = b.take();
        // Assess: the field count, and each cell either a number equal to Number() or an exception
        expect(count).toBe(cells.length);
        cells.forEach((s, i) => {
          const col = batch.columns[i]!;
          if (col.kind !== 'number') throw new Error('expected a number column');
          const expected = Number(s);
          const decimal = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(s) && Number.isFinite(expected);
          if (decimal) {
            expect(col.exceptionRows).not.toContain(0);
            expect(Object.is(col.values[0], expected)).toBe(true);
          } else {
            expect(col.exceptionCells).toEqual([s === '' ? null : s]);
          }
        });
      }),
      { numRuns: 2000 },
    );
  });
});
