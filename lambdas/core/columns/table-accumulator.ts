/**
 * One pass over a table's batches, feeding chosen columns into {@link ColumnAccumulator}s.
 */
import { InputError } from '../../../vocabulary/errors';
import type { Table } from '../readers/types';
import type { EcdfReference } from './value-counts';
import { accumulateColumnBatches, createAccumulators, settleValueCounts } from './accumulate-batches';
import type { ColumnAccumulator } from './column-accumulator';
import type { BadValuePolicy, ColumnType } from './column-types';
import { scanCsvInParallel, type ParallelScanOptions } from './parallel-scan';

export { createAccumulators } from './accumulate-batches';
export type { ParallelScanOptions } from './parallel-scan';

/** Options of {@link accumulateTable}. */
export interface AccumulateTableOptions {
  /** The columns to accumulate, in this order; each must be in the table. @default every column of the table */
  readonly columns?: readonly string[];
  /** Known types per column; columns not listed are inferred. @default {} */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Budget of each numeric column's `ValueStore`. @default 1_000_000 */
  readonly budget?: number;
  /** Cut points per numeric column to bin values against while reading. @default {} */
  readonly cuts?: Readonly<Record<string, readonly number[]>>;
  /**
   * Keep a decimal histogram of each numeric column (see `ValueCounts`); a column whose
   * values it holds all keeps it instead of its exact values (store null, moments and
   * bins from the histogram; see `ColumnAccumulator.releaseValues`). @default false
   */
  readonly histogram?: boolean;
  /** References per numeric column for the histogram's ECDF statistics (see `ValueCounts`). @default {} */
  readonly ecdfReferences?: Readonly<Record<string, EcdfReference>>;
  /** Ranges per numeric column to count values outside of. @default {} */
  readonly ranges?: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  /** What to do with a non-number in a column known to be numeric. @default 'throw' */
  readonly onBadValue?: BadValuePolicy;
  /** Distinct values kept while inferring a numeric-so-far column. @default 10_000 */
  readonly distinctCap?: number;
  /**
   * Reading a local, plain CSV file in byte ranges on several threads (same result; see
   * ./parallel-scan), when every column's type is known and the budget is not 0; false
   * reads on one thread. @default {} (the defaults of ParallelScanOptions)
   */
  readonly parallel?: ParallelScanOptions | false;
}

/** The accumulated columns of a table (or of several tables, after merging). */
export interface TableAccumulator {
  /** The table's source (after a merge, the first one's). */
  readonly source: string;
  /** Rows read. */
  rowCount: number;
  /** One accumulator per requested column, in the requested order. */
  readonly columns: ColumnAccumulator[];
}

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
