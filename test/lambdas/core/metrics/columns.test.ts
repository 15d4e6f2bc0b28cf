/**
 * Reading evaluation columns from a table, and the errors that name file, line and column.
 */
import { describe, expect, it } from 'vitest';
import { InputError, ValueTypeError } from '../../../../vocabulary/errors';
import type { Cell, RowBatch, Table } from '../../../../lambdas/core/readers/types';
import { readEvaluationColumns, readProbabilityColumn } from '../../../../lambdas/core/metrics';

/** An in-memory table; lines start at 2 (line 1 is the CSV header), two rows per batch. */
function tableOf(columns: string[], rows: Cell[][], file = 'holdout.csv', firstLine = 2): Table {
  return {
    source: file,
    columns,
    async *batches(): AsyncIterable<RowBatch> {
      for (let i = 0; i < rows.length; i += 2) {
        const slice = rows.slice(i, i + 2);
        yield { rows: slice, lines: slice.map((_, j) => firstLine + i + j), file };
      }
    },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('Function: readEvaluationColumns', () => {
  it('reads numbers and numeric strings into Float64Arrays, across batches', async () => {
    // Prepare
    const table = tableOf(
      ['id', 'y', 'p'],
      [
        ['a', '1', '0.9'],
        ['b', 0, 0.25],
        ['c', ' 1 ', '1e-1'],
        ['d', true, '.5'],
        ['e', false, '0'],
      ],
    );

    // Act
    const cols = await readEvaluationColumns(table, 'y', ['p'], 'binary');

    // Assess
    expect(Array.from(cols.label)).toEqual([1, 0, 1, 1, 0]);
    expect(Array.from(cols.scores[0]!)).toEqual([0.9, 0.25, 0.1, 0.5, 0]);
    expect(cols.rows).toBe(5);
    expect(cols.label).toBeInstanceOf(Float64Array);
  });

  it('reads several score columns in the order asked for, and regression targets of any sign', async () => {
    const table = tableOf(['p1', 'y', 'p0'], [['0.3', '2', '0.7'], ['0.6', '0', '0.4']]);
    const multi = await readEvaluationColumns(table, 'y', ['p0', 'p1'], 'multiclass', { classes: 3 });
    expect(Array.from(multi.scores[0]!)).toEqual([0.7, 0.4]);
    expect(Array.from(multi.scores[1]!)).toEqual([0.3, 0.6]);

    const reg = await readEvaluationColumns(tableOf(['y', 'yhat'], [['-12.5', '300']]), 'y', ['yhat'], 'regression');
    expect(Array.from(reg.label)).toEqual([-12.5]);
    expect(Array.from(reg.scores[0]!)).toEqual([300]);
  });

  it('names a missing label or score column', async () => {
    const table = tableOf(['y', 'p'], [['1', '0.5']]);
    const missingLabel = await errorOf(readEvaluationColumns(table, 'label', ['p'], 'binary'));
    expect(missingLabel).toBeInstanceOf(InputError);
    expect(missingLabel.message).toMatch(/^holdout\.csv, column "label": missing column/);
    const missingScore = await errorOf(readEvaluationColumns(table, 'y', ['score'], 'binary'));
    expect(missingScore.message).toContain('column "score"');
  });

  it('rejects a non-numeric value with a ValueTypeError naming file, line and column', async () => {
    // The third row (line 4) has "high" as its probability.
    const table = tableOf(['y', 'p'], [['1', '0.5'], ['0', '0.2'], ['1', 'high']]);
    const error = await errorOf(readEvaluationColumns(table, 'y', ['p'], 'binary'));
    expect(error).toBeInstanceOf(ValueTypeError);
    expect(error.message).toBe('holdout.csv:4, column "p": expected a number, got "high"');
  });

  it.each([['NaN'], ['Infinity'], ['-inf'], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects the non-finite value %s', async (cell) => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'yhat'], [['1', cell]]), 'y', ['yhat'], 'regression'));
    expect(error).toBeInstanceOf(ValueTypeError);
    expect(error.message).toMatch(/^holdout\.csv:2, column "yhat": expected a finite number/);
  });

  it.each([[null], [''], ['  ']])('rejects a missing label (%j)', async (cell) => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], [['1', '0.5'], [cell, '0.5']]), 'y', ['p'], 'binary'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('holdout.csv:3, column "y": missing value');
  });

  it('rejects a missing score, including a row shorter than the header', async () => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], [['1']]), 'y', ['p'], 'binary'));
    expect(error.message).toBe('holdout.csv:2, column "p": missing value');
  });

  it('rejects a binary label other than 0 or 1', async () => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], [['2', '0.5']]), 'y', ['p'], 'binary'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('holdout.csv:2, column "y": label 2 is not 0 or 1');
  });

  it('rejects a multiclass label that is not an integer 0..K-1', async () => {
    const cols = ['y', 'a', 'b', 'c'];
    for (const [label, text] of [['3', 'label 3'], ['-1', 'label -1'], ['1.5', 'label 1.5']] as const) {
      const error = await errorOf(readEvaluationColumns(tableOf(cols, [[label, '0.2', '0.3', '0.5']]), 'y', ['a', 'b', 'c'], 'multiclass'));
      expect(error.message).toBe(`holdout.csv:2, column "y": ${text} is not a class index: expected an integer in 0..2`);
    }
  });

  it('limits multiclass labels to options.classes when the columns hold two models', async () => {
    const cols = ['y', 'a', 'b', 'c', 'd'];
    const error = await errorOf(readEvaluationColumns(tableOf(cols, [['2', '0.5', '0.5', '0.5', '0.5']]), 'y', ['a', 'b', 'c', 'd'], 'multiclass', { classes: 2 }));
    expect(error.message).toMatch(/label 2 is not a class index/);
  });

  it('rejects probabilities outside [0, 1] for classifiers but not predictions for regression', async () => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], [['1', '1.01']]), 'y', ['p'], 'binary'));
    expect(error.message).toBe('holdout.csv:2, column "p": probability 1.01 is outside [0, 1]');
    const below = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], [['1', -0.1]]), 'y', ['p'], 'binary'));
    expect(below.message).toMatch(/probability -0\.1 is outside/);
    await expect(readEvaluationColumns(tableOf(['y', 'p'], [['1', '1.01']]), 'y', ['p'], 'regression')).resolves.toBeDefined();
  });

  it('rejects booleans as scores', async () => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], [['1', true]]), 'y', ['p'], 'binary'));
    expect(error).toBeInstanceOf(ValueTypeError);
  });

  it('rejects a table without data rows', async () => {
    const error = await errorOf(readEvaluationColumns(tableOf(['y', 'p'], []), 'y', ['p'], 'binary'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('holdout.csv: no data rows to evaluate');
  });

  it('locates Parquet rows by 0-based row index', async () => {
    const table = tableOf(['y', 'p'], [['1', '0.5'], ['1', 'x']], 's3://bucket/holdout.parquet', 0);
    const error = await errorOf(readEvaluationColumns(table, 'y', ['p'], 'binary'));
    expect(error.message).toBe('s3://bucket/holdout.parquet, row 1, column "p": expected a number, got "x"');
  });
});

describe('Function: readProbabilityColumn', () => {
  it('reads one probability column across batches, without a label', async () => {
    // Prepare
    const table = tableOf(['id', 'p'], [['a', '0.9'], ['b', 0.25], ['c', ' 1 '], ['d', '0']]);
    // Act
    const p = await readProbabilityColumn(table, 'p');
    // Assess
    expect(p).toBeInstanceOf(Float64Array);
    expect(Array.from(p)).toEqual([0.9, 0.25, 1, 0]);
  });

  it('names the file, line and column of a missing, non-numeric or out-of-range value', async () => {
    // Act
    const missing = await errorOf(readProbabilityColumn(tableOf(['p'], [['0.1'], [null]]), 'p'));
    const text = await errorOf(readProbabilityColumn(tableOf(['p'], [['0.1'], ['0.2'], ['high']]), 'p'));
    const range = await errorOf(readProbabilityColumn(tableOf(['p'], [['1.2']]), 'p'));
    const column = await errorOf(readProbabilityColumn(tableOf(['q'], [['0.5']]), 'p'));
    const empty = await errorOf(readProbabilityColumn(tableOf(['p'], []), 'p'));
    // Assess
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.message).toMatch(/holdout\.csv:3.*"p".*missing value/);
    expect(text).toBeInstanceOf(ValueTypeError);
    expect(text.message).toMatch(/holdout\.csv:4/);
    expect(range.message).toMatch(/outside \[0, 1\]/);
    expect(column.message).toMatch(/missing column/);
    expect(empty.message).toMatch(/no data rows/);
  });
});
