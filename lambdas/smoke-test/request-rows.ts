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
 * The first `count` rows of `table` without the `label` column, each as one CSV line.
 * When the table has fewer rows, they are repeated in order until there are `count`.
 *
 * @throws InputError when the table has no rows
 */
export async function requestBodies(table: Table, label: string, count: number): Promise<string[]> {
  const labelIndex = table.columns.indexOf(label);
  const lines: string[] = [];
  outer: for await (const batch of table.batches()) {
    for (const row of batch.rows) {
      lines.push(row.filter((_, j) => j !== labelIndex).map(csvField).join(','));
      if (lines.length >= count) break outer;
    }
  }
  if (lines.length === 0) throw new InputError('the holdout has no rows to send', { file: table.source });
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) bodies.push(lines[i % lines.length]!);
  return bodies;
}
