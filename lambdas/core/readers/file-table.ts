/**
 * What each format reader gives for one file: its columns, then its batches.
 */
import type { CaptureWindow } from './types';
import type { CapturePlan } from '../../../vocabulary/capture-presets';
import type { ColumnBatch, ColumnPlan } from './column-batch';
import type { RowBatch } from './types';

/** One opened file: header known, batches still to come. */
export interface FileTable {
  readonly file: string;
  readonly columns: readonly string[];
  /** Columns that are not features (see Table.metaColumns). @default none */
  readonly metaColumns?: readonly string[];
  /** Batches of this file, in order. Iterate once. Ending the iteration early releases the file. */
  batches(): AsyncGenerator<RowBatch>;
  /**
   * The same rows in columnar form (see ./column-batch); use instead of `batches`, not
   * with it. @default absent: rows are converted from `batches`
   */
  columnBatches?(plan: ColumnPlan): AsyncGenerator<ColumnBatch>;
  /** Releases the file without reading it (for a file whose batches are not wanted). */
  close(): Promise<void>;
}

/** Options every format reader receives, defaults applied. */
export interface FileReadOptions {
  readonly batchSize: number;
  readonly captureFeatureNames?: readonly string[];
  readonly captureWindow?: CaptureWindow;
  /** Data capture: the compiled `capture` settings. @default none */
  readonly capturePlan?: CapturePlan;
}
