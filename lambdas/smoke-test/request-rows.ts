/**
 * The request bodies of the smoke test: the rows the gate scored, written exactly as
 * Prepare holdout writes the batch transform's input (core/transform-input): the
 * config's features in the config's order (or every column but the label, in file
 * order, when the config lists none), one header-less CSV line per row, fields quoted
 * by the same rules. A holdout with other columns (an id) or its columns in another
 * order than the model reads them gives the same lines to both.
 */
import { InputError } from '../../vocabulary/errors';
import type { Cell, Table } from '../core/readers/types';
import { cellLocation, csvLine, holdoutColumns } from '../core/transform-input';

/**
 * The first `count` rows of `table` as the CSV lines Prepare holdout writes for them.
 * When the table has fewer rows, they are repeated in order until there are `count`.
 *
 * @param features the model's features in inference order; empty: every column but the label, in file order
 * @throws InputError when the table has no rows, lacks the label or a listed feature,
 *   or a value cannot be written on one line (each naming the file and column)
 */
export async function requestBodies(table: Table, label: string, count: number, features: readonly string[] = []): Promise<string[]> {
  const columns = holdoutColumns(table, label, features);
  const cells: Cell[] = new Array<Cell>(columns.featureIndexes.length);
  const lines: string[] = [];
  outer: for await (const batch of table.batches()) {
    for (let r = 0; r < batch.rows.length; r++) {
      const row = batch.rows[r]!;
      columns.featureIndexes.forEach((j, f) => (cells[f] = row[j] ?? null));
      lines.push(csvLine(cells, (f) => cellLocation(batch, r, columns.features[f]!)));
      if (lines.length >= count) break outer;
    }
  }
  if (lines.length === 0) throw new InputError('the holdout has no rows to send', { file: table.source });
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) bodies.push(lines[i % lines.length]!);
  return bodies;
}
