/**
 * The shapes of a table pass: its options and its result. A module of their own, below
 * the pass (./table-accumulator), the parallel scan (./parallel-scan) and its worker
 * (./scan-worker), so that each of these imports them downward and none imports another
 * back.
 */
import type { ColumnAccumulator } from './column-accumulator';
import type { BadValuePolicy, ColumnType } from './column-types';
import type { EcdfReference } from './value-counts';

/** Options of a parallel scan. */
export interface ParallelScanOptions {
  /** Byte ranges (one worker thread each). @default min(2, os.availableParallelism()); fewer than 2: no parallel scan */
  readonly workers?: number;
  /** Smallest file read in parallel, in bytes. @default 32 MiB */
  readonly minBytes?: number;
}

/** Options of `accumulateTable` (./table-accumulator). */
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
