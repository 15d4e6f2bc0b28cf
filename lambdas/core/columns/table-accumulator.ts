/**
 * One pass over a table's batches, feeding chosen columns into {@link ColumnAccumulator}s.
 */
import { InputError } from '../../../vocabulary/errors';
import type { Table } from '../readers/types';
import { accumulateColumnBatches, createAccumulators, settleValueCounts } from './accumulate-batches';
import type { ColumnType } from './column-types';
import { scanCsvInParallel } from './parallel-scan';
import type { AccumulateTableOptions, TableAccumulator } from './table-options';

export { createAccumulators } from './accumulate-batches';
export type { AccumulateTableOptions, ParallelScanOptions, TableAccumulator } from './table-options';

/**
 * Index of each name in `header`; a name that is absent is an `InputError` naming the
 * column and `file`.
 */
export function columnIndexes(header: readonly string[], names: readonly string[], file: string): number[] {
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    if (!at.has(h)) at.set(h, i);
  });
  return names.map((name) => {
    const i = at.get(name);
    if (i === undefined) throw new InputError('column is absent from the data', { file, column: name });
    return i;
  });
}

/**
 * Reads every batch of `table` once and accumulates the chosen columns. Types are not
 * settled: call `finish()` on each column (or use {@link finishTypes}) when done, after
 * any merging.
 */
export async function accumulateTable(table: Table, options: AccumulateTableOptions = {}): Promise<TableAccumulator> {
  const names = options.columns ?? table.columns;
  const indexes = columnIndexes(table.columns, names, table.source);
  const accumulators = createAccumulators(names, options);
  const n = accumulators.length;
  let rowCount = 0;
  if (table.columnBatches !== undefined && new Set(indexes).size === indexes.length) {
    const kinds = accumulators.map((a) => a.wantedKind);
    const local = options.parallel === false ? undefined : table.localCsv?.();
    if (local !== undefined && options.budget !== 0 && names.every((name) => options.types?.[name] !== undefined)) {
      const scanned = await scanCsvInParallel(local, table.columns, names, indexes, kinds, options, options.parallel || {});
      if (scanned !== undefined) return { ...scanned, source: table.source };
    }
    // Columnar: numbers parsed without a string per cell, categories interned.
    rowCount = await accumulateColumnBatches(table.columnBatches({ columns: indexes, kinds }), accumulators, kinds);
    settleValueCounts(accumulators, true);
    return { source: table.source, rowCount, columns: accumulators };
  }
  for await (const batch of table.batches()) {
    const { rows, lines, file } = batch;
    const nRows = rows.length;
    for (let k = 0; k < n; k++) {
      // Column-major within a batch: one accumulator stays hot in the inner loop.
      const acc = accumulators[k]!;
      const j = indexes[k]!;
      for (let r = 0; r < nRows; r++) acc.add(rows[r]![j], file, lines[r]!);
    }
    rowCount += nRows;
  }
  settleValueCounts(accumulators, true);
  return { source: table.source, rowCount, columns: accumulators };
}

/** Settles every column's type (throwing pending type errors) and returns the types by name. */
export function finishTypes(acc: TableAccumulator): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const c of acc.columns) types[c.name] = c.finish();
  return types;
}

/**
 * Merges `b` (rows after `a`'s) into `a` column by column and returns `a`. Both must
 * have the same columns in the same order, made with the same options.
 */
export function mergeTableAccumulators(a: TableAccumulator, b: TableAccumulator): TableAccumulator {
  if (a.columns.length !== b.columns.length || a.columns.some((c, i) => c.name !== b.columns[i]!.name)) {
    throw new InputError(`cannot merge accumulators of different columns: [${a.columns.map((c) => c.name).join(', ')}] and [${b.columns.map((c) => c.name).join(', ')}]`, { file: b.source });
  }
  a.columns.forEach((c, i) => c.merge(b.columns[i]!));
  a.rowCount += b.rowCount;
  return a;
}
