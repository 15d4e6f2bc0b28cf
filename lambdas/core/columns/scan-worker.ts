/**
 * The worker side of a parallel CSV scan (see ./parallel-scan): reads one byte range of a
 * local CSV file, starting at a line start, and accumulates the planned columns as the
 * one-thread pass would. Loaded as a worker's entry module: in development the module
 * itself (TypeScript, through tsx), in an esbuild bundle the bundle file, whose copy of
 * this module starts the scan when it finds its marker in `workerData`.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InputError, type InputLocation } from '../errors';
import { ColumnBatchBuilder, type ColumnKind } from '../readers/column-batch';
import { CsvByteRange } from '../readers/csv-bytes';
import { accumulateColumnBatches, createAccumulators, settleValueCounts } from './accumulate-batches';
import type { ColumnAccumulator } from './column-accumulator';
import type { AccumulateTableOptions } from './table-accumulator';

/** Key of `workerData` that marks a scan worker. */
export const SCAN_WORKER_MARKER = 'pitstopCsvScan';

/** One worker's job. */
export interface ScanTask {
  /** Local path of the CSV file. */
  readonly path: string;
  /** Byte range [start, end), starting at a line start. */
  readonly start: number;
  readonly end: number;
  /** Lines before the range, as far as known (errors and bad values name lines from here). */
  readonly lineBase: number;
  /** Field count of every record. */
  readonly width: number;
  /** Indexes of the planned columns and their kinds. */
  readonly columns: readonly number[];
  readonly kinds: ColumnKind[];
  /** Names of the planned columns. */
  readonly names: readonly string[];
  /** Accumulation options (plain data: types, budget, cuts, ranges, policy, cap). */
  readonly options: AccumulateTableOptions;
  /** Rows per batch. */
  readonly batchSize: number;
}

/** A worker's answer. */
export type ScanReply =
  | { readonly kind: 'done'; readonly rowCount: number; readonly lastLine: number; readonly columns: ColumnAccumulator[] }
  /** The range holds a quote character: only the one-thread reader handles quoting. */
  | { readonly kind: 'quoted' }
  /** Bad input (as the one-thread pass would throw it for these lines). */
  | { readonly kind: 'input-error'; readonly name: string; readonly message: string; readonly location: InputLocation }
  /** Anything else went wrong. */
  | { readonly kind: 'failed'; readonly message: string };

/** Scans one range (runs on the worker thread; pure apart from reading the file). */
export async function scanRange(task: ScanTask): Promise<ScanReply> {
  const kinds = [...task.kinds];
  const builder = new ColumnBatchBuilder(task.path, task.batchSize, task.width, { columns: task.columns, kinds });
  const range = new CsvByteRange(task.path, task.start, task.end, task.lineBase, task.width, builder);
  const columns = createAccumulators(task.names, task.options);
  try {
    const rowCount = await accumulateColumnBatches(range.batches(), columns, kinds);
    if (range.quoted) return { kind: 'quoted' };
    settleValueCounts(columns, task.options);
    return { kind: 'done', rowCount, lastLine: range.lastLine, columns };
  } catch (err) {
    if (range.quoted) return { kind: 'quoted' };
    if (err instanceof InputError) return { kind: 'input-error', name: err.name, message: err.message, location: { ...err.location } };
    return { kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

/**
 * The file a scan worker loads: this module's file, or in a CommonJS bundle the bundle.
 */
export function scanWorkerEntry(): string | URL {
  // CommonJS (an esbuild bundle): this code lives in __filename.
  if (typeof __filename === 'string' && __filename !== '') return __filename;
  return new URL(import.meta.url);
}

if (!isMainThread && parentPort !== null && (workerData as Record<string, unknown> | null)?.[SCAN_WORKER_MARKER] !== undefined) {
  const port = parentPort;
  const task = (workerData as Record<string, unknown>)[SCAN_WORKER_MARKER] as ScanTask;
  scanRange(task).then(
    (reply) => port.postMessage(reply),
    (err: unknown) => port.postMessage({ kind: 'failed', message: String(err) } satisfies ScanReply),
  );
}
