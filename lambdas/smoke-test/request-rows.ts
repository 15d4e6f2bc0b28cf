/**
 * The request bodies of the smoke test: holdout rows without the label, as CSV lines.
 */
import { InputError } from '../../vocabulary/errors';
import type { Cell, Table } from '../core/readers/types';

/** A cell as a CSV field: quoted when it holds a comma, a quote or a line break; empty for null. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The first `count` rows of `table` as CSV lines the model takes: the `features` in
 * that order (the holdout may hold other columns, and the model may read its features
 * in another order than the file), or every column but the `label` when none are given.
 * When the table has fewer rows, they are repeated in order until there are `count`.
 *
 * @throws InputError when the table has no rows, or lacks a listed feature
 */
export async function requestBodies(table: Table, label: string, count: number, features: readonly string[] = []): Promise<string[]> {
  const labelIndex = table.columns.indexOf(label);
  const indexes =
    features.length > 0
      ? features.map((f) => {
          const i = table.columns.indexOf(f);
          if (i < 0) throw new InputError(`feature column is absent (the columns are: ${table.columns.join(', ')})`, { file: table.source, column: f });
          return i;
        })
      : table.columns.map((_, j) => j).filter((j) => j !== labelIndex);
  const lines: string[] = [];
  outer: for await (const batch of table.batches()) {
    for (const row of batch.rows) {
      lines.push(indexes.map((j) => csvField(row[j] ?? null)).join(','));
      if (lines.length >= count) break outer;
    }
  }
  if (lines.length === 0) throw new InputError('the holdout has no rows to send', { file: table.source });
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) bodies.push(lines[i % lines.length]!);
  return bodies;
}
