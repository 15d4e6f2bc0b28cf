/**
 * In-memory `Table`s for tests: rows or column arrays in, batches out, with the line
 * numbers a CSV reader would give (header on line 1, first row on line 2).
 */
import type { Cell, RowBatch, Table } from '../../lambdas/core/readers/types';

/** Options of {@link memoryTable}. */
export interface MemoryTableOptions {
  /** The table's source and every batch's file. @default 'memory.csv' */
  readonly source?: string;
  /** Rows per batch. @default 4096 */
  readonly batchSize?: number;
  /** Line of the first row. @default 2 */
  readonly firstLine?: number;
}

/** A table over `rows` (each aligned with `columns`). Unlike a reader's, it can be iterated many times. */
export function memoryTable(columns: readonly string[], rows: readonly (readonly Cell[])[], options: MemoryTableOptions = {}): Table {
  const source = options.source ?? 'memory.csv';
  const batchSize = options.batchSize ?? 4096;
  const firstLine = options.firstLine ?? 2;
  return {
    source,
    columns,
    async *batches(): AsyncIterable<RowBatch> {
      for (let i = 0; i < rows.length; i += batchSize) {
        const slice = rows.slice(i, i + batchSize).map((r) => [...r]);
        yield { rows: slice, lines: slice.map((_, k) => firstLine + i + k), file: source };
      }
    },
  };
}

/** A table from named columns of equal length (a shorter column is padded with null). */
export function columnsTable(data: Readonly<Record<string, readonly Cell[]>>, options: MemoryTableOptions = {}): Table {
  const columns = Object.keys(data);
  const n = Math.max(0, ...columns.map((c) => data[c]!.length));
  const rows: Cell[][] = [];
  for (let i = 0; i < n; i++) rows.push(columns.map((c) => data[c]![i] ?? null));
  return memoryTable(columns, rows, options);
}

/** Numbers as the strings a CSV reader yields. */
export function asCsvStrings(values: readonly number[]): string[] {
  return values.map((v) => String(v));
}
