import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeChannel } from '../../../../lambdas/core/dataset';
import { openTable } from '../../../../lambdas/core/readers';
import type { Cell } from '../../../../lambdas/core/readers/types';
import { SCHEMA, scratch } from './fixtures';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  dir = await scratch();
});
afterEach(async () => {
  await dir.cleanup();
});

const ROWS: Cell[][] = [
  [31, 12, 'basic', 1],
  [45.5, 3, 'pro, yearly', 0],
];
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('Function: writeChannel', () => {
  it('writes CSV with a header naming the features then the label', () => {
    // Act
    const file = writeChannel(ROWS, SCHEMA, { format: 'csv', header: true }, 'training');

    // Assess
    expect(text(file.bytes)).toBe('age,tenure,plan,churned\n31,12,basic,1\n45.5,3,"pro, yearly",0\n');
    expect(file.contentType).toBe('text/csv');
    expect(file.columns).toEqual(['age', 'tenure', 'plan', 'churned']);
  });

  it('writes CSV without a header with the label in the first column (built-in algorithms)', () => {
    // Act
    const file = writeChannel(ROWS, SCHEMA, { format: 'csv', header: false }, 'training');

    // Assess
    expect(text(file.bytes)).toBe('1,31,12,basic\n0,45.5,3,"pro, yearly"\n');
    expect(file.columns).toEqual(['churned', 'age', 'tenure', 'plan']);
  });

  it('writes Parquet that the readers give back row for row', async () => {
    // Prepare
    const file = writeChannel(ROWS, SCHEMA, { format: 'parquet', header: true }, 'training');
    const path = await dir.write(`train${file.extension}`, file.bytes);

    // Act
    const table = await openTable(path);
    const rows: Cell[][] = [];
    for await (const batch of table.batches()) rows.push(...batch.rows);

    // Assess
    expect(table.columns).toEqual(['age', 'tenure', 'plan', 'churned']);
    expect(rows).toEqual(ROWS);
  });

  it('rejects a numeric value that is not a number in Parquet, naming the row and column', () => {
    expect(() => writeChannel([[31, 'ten', 'basic', 1]], SCHEMA, { format: 'parquet', header: true }, 'training')).toThrow(
      /training, row 0, column "tenure": "ten" is not a number/,
    );
  });

  it('gives the same bytes for the same rows', () => {
    const a = writeChannel(ROWS, SCHEMA, { format: 'parquet', header: true }, 'training');
    const b = writeChannel(ROWS.map((r) => [...r]), SCHEMA, { format: 'parquet', header: true }, 'training');
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });
});
