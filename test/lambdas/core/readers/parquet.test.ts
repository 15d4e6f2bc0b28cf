import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../../vocabulary/errors';
import { openTable } from '../../../../lambdas/core/readers/index';
import { writeParquet } from './parquet-writer';
import { allBatches, readAll, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('Function: openTable (Parquet)', () => {
  it('reads typed columns with nulls across row groups, rows numbered from 0', async () => {
    // Prepare: 7 rows in row groups of 3
    const buf = writeParquet(
      [
        { name: 'id', type: 'INT64', values: [1, 2, 3, 4, 5, 6, 7] },
        { name: 'x', type: 'DOUBLE', values: [0.5, null, 2.5, -1, 1e10, null, 3], optional: true },
        { name: 'c', type: 'UTF8', values: ['a', 'bé', null, 'd', '', 'f', 'g'], optional: true },
        { name: 'ok', type: 'BOOLEAN', values: [true, false, true, true, false, false, true] },
      ],
      3,
    );
    const file = await tmp.write('t.parquet', buf);
    // Act
    const t = await readAll(file, { batchSize: 2 });
    const batches = await allBatches(file, { batchSize: 2 });
    // Assess
    expect(t.columns).toEqual(['id', 'x', 'c', 'ok']);
    expect(t.rows).toEqual([
      [1, 0.5, 'a', true],
      [2, null, 'bé', false],
      [3, 2.5, null, true],
      [4, -1, 'd', true],
      [5, 1e10, '', false],
      [6, null, 'f', false],
      [7, 3, 'g', true],
    ]);
    expect(t.lines).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // one row group at a time: batches never straddle row groups (3 rows -> 2 + 1)
    expect(batches.map((b) => b.rows.length)).toEqual([2, 1, 2, 1, 1]);
  });

  it('rejects a nested (group) column, naming it', async () => {
    const buf = writeParquet(
      [
        { name: 'id', type: 'INT64', values: [1] },
        { name: 'inner', type: 'DOUBLE', values: [1.5], group: 'outer' },
      ],
      10,
    );
    const file = await tmp.write('nested.parquet', buf);
    await expect(openTable(file)).rejects.toThrow(`${file}, column "outer": nested (group) column is not supported`);
  });

  it('rejects a file that is not Parquet', async () => {
    const file = await tmp.write('fake.parquet', 'a,b\n1,2\n');
    const err = await openTable(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toContain(`${file}: not a readable Parquet file`);
  });
});
