/**
 * The shape every reader yields. Readers stream: a table is a header and then
 * batches of rows, each row an array aligned with the header, so that no reader
 * ever holds a whole file.
 */

/** One cell (defined with the capture format in vocabulary/, which reads cells too). */
import type { Cell } from '../../../vocabulary/cell';
export type { Cell };

import type { CaptureSettings } from '../../../vocabulary/capture-presets';
import type { ColumnBatch, ColumnPlan } from './column-batch';

/**
 * A batch of rows with the 1-based physical line (CSV/JSONL/capture) or 0-based row (Parquet)
 * each started at. A batch never spans two files and holds at most `batchSize` rows.
 */
export interface RowBatch {
  readonly rows: Cell[][];
  /** Same length as rows: where each row came from, for error messages. */
  readonly lines: number[];
  /** The file (path or s3:// URI) these rows came from. */
  readonly file: string;
}

export type DataFormat = 'csv' | 'jsonl' | 'capture' | 'parquet';

export interface ReadOptions {
  /** Format; by default chosen from the extension (`.csv`, `.jsonl`/`.json`/`.ndjson`, `.parquet`, each optionally `.gz`). */
  readonly format?: DataFormat;
  /**
   * Data capture only: the names of the features in `endpointInput.data` when it is CSV
   * (which has no header). @default f0, f1, ...
   */
  readonly captureFeatureNames?: readonly string[];
  /**
   * Data capture only: where the features and the prediction are (the model's `capture`
   * attributes or preset). @default none: only unambiguous payloads are read
   */
  readonly capture?: CaptureSettings;
  /** Rows per batch. @default 4096 */
  readonly batchSize?: number;
  /**
   * Data capture only: keep the records whose `eventMetadata.inferenceTime` falls in
   * `[start, end)` (epoch milliseconds); a record without a readable time is an error.
   * @default every record
   */
  readonly captureWindow?: CaptureWindow;
}

/** A half-open time range of capture records, in epoch milliseconds. */
export interface CaptureWindow {
  readonly start: number;
  readonly end: number;
}

/** A readable table: a header known before the first batch, then batches. */
export interface Table {
  /** The source as given (path, s3:// URI or prefix). */
  readonly source: string;
  /** Column names, in order. */
  readonly columns: readonly string[];
  /**
   * Columns carried for joins and time windows that are not features (data capture's
   * `eventId`, `inferenceId`, `inferenceTime`): never profiled, drifted or checked for
   * missing values. @default none
   */
  readonly metaColumns?: readonly string[];
  /**
   * Batches in file order. Can be iterated once. Bad input found while reading (a ragged row,
   * a bad JSON line, a truncated gzip, a later file with other columns) is thrown from the
   * iterator as an InputError/ParseError before it completes, so a completed iteration means
   * every row was read. Ending the iteration early (break) releases the open file.
   */
  batches(): AsyncIterable<RowBatch>;
  /**
   * Optional columnar reading of the same rows: the batches (same sizes, same lines) with
   * only `plan.columns`, each in the kind the plan asks for at that batch. Iterated once,
   * instead of `batches()`; bad input is thrown as from `batches()`, before the batch
   * that holds it. A batch's arrays are reused: consume it before asking for the next.
   * Tables without it are read with `batches()`. @default absent
   */
  columnBatches?(plan: ColumnPlan): AsyncIterable<ColumnBatch>;
  /**
   * Optional: when the table is one local CSV file not named `.gz`, that file, so that a
   * consumer may read it in byte ranges on several threads instead of iterating the table.
   * Undefined once the table has been iterated or claimed. @default absent
   */
  localCsv?(): LocalCsvFile | undefined;
}

/** A table that is one local CSV file, offered for reading by byte ranges (see {@link Table.localCsv}). */
export interface LocalCsvFile {
  /** The file's local path (also its name in messages). */
  readonly path: string;
  /** Rows per batch that `columnBatches()` would give. */
  readonly batchSize: number;
  /** Takes the table over: it can no longer be iterated, and its open file is released. */
  claim(): Promise<void>;
  /** Told how many rows a scan by byte ranges read (a counting wrapper listens here). @default absent */
  rowsRead?(rows: number): void;
}
