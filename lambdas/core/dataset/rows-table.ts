/** An in-memory {@link Table} of rows already read, for the statistics that take tables. */
import type { Cell, Table } from '../readers/types';

/** A table over `rows` (each aligned with `columns`), in batches of `batchSize`. */
export function rowsTable(source: string, columns: readonly string[], rows: readonly (readonly Cell[])[], batchSize = 4096): Table {
  return {
    source,
    columns,
    async *batches() {
      for (let start = 0; start < rows.length; start += batchSize) {
        const slice = rows.slice(start, start + batchSize);
        yield { rows: slice.map((r) => [...r]), lines: slice.map((_, i) => start + i + 1), file: source };
      }
    },
  };
}
