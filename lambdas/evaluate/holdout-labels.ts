/**
 * Reading the label column of a table in row order: the labels file `prepareHoldout`
 * writes (or any holdout table).
 */
import { InputError } from '../../vocabulary/errors';
import type { ProblemType } from '../../vocabulary/evaluation-names';
import { parseLabel } from '../core/quality';
import type { Table } from '../core/readers/types';

/**
 * The labels of `table`, one per row in file order (the order of the transform input lines).
 *
 * @throws InputError when the label column is absent or a label does not fit the problem type
 */
export async function readHoldoutLabels(table: Table, label: string, problem: ProblemType): Promise<number[]> {
  const index = table.columns.indexOf(label);
  if (index < 0) throw new InputError(`label column is absent (the columns are: ${table.columns.join(', ')})`, { file: table.source, column: label });
  const labels: number[] = [];
  for await (const batch of table.batches()) {
    batch.rows.forEach((row, r) => {
      const where = /\.parquet(\.gz)?$/i.test(batch.file)
        ? { file: batch.file, row: batch.lines[r], column: label }
        : { file: batch.file, line: batch.lines[r], column: label };
      const cell = row[index];
      if (cell === null || cell === undefined || cell === '') throw new InputError('missing label', where);
      labels.push(parseLabel(cell, problem, where));
    });
  }
  if (labels.length === 0) throw new InputError('the holdout has no rows', { file: table.source });
  return labels;
}
