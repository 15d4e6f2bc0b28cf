/**
 * The worker side of a parallel CSV scan (see ./parallel-scan): reads one byte range of a
 * local CSV file, starting at a line start, and accumulates the planned columns as the
 * one-thread pass would. Loaded as a worker's entry module: in development the module
 * itself (TypeScript, through tsx), in an esbuild bundle the bundle file, whose copy of
 * this module starts the scan when it finds its marker in `workerData`.
 *
 * Accumulators travel between threads as structured clones (`postMessage`): plain data
 * keeps, classes do not, so the receiver gives each part its class back
 * ({@link reviveAccumulator}); the decimal histograms' tables are handed over rather than
 * copied ({@link accumulatorTransferables}), after which the sender must not touch them.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InputError, type InputLocation } from '../../../vocabulary/errors';
import { ColumnBatchBuilder, type ColumnKind } from '../readers/column-batch';
import { CsvByteRange } from '../readers/csv-bytes';
import { accumulateColumnBatches, createAccumulators, settleValueCounts } from './accumulate-batches';
import { CategoricalColumn } from './categorical-column';
import { ColumnAccumulator } from './column-accumulator';
import { NumericColumn } from './numeric-column';
import { TypeInference } from './type-inference';
import type { AccumulateTableOptions } from './table-options';

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

/**
 * After its scan, a worker merges the parts of some columns (every worker's
 * accumulators of those columns, in file order) and hands back the merged columns.
 */
export interface MergeTask {
  readonly kind: 'merge';
  /** The columns to merge: their index and their parts (one per range, in file order). */
  readonly columns: readonly { readonly index: number; readonly parts: readonly object[] }[];
  /** Lines before each range's first line (each part numbered its lines from its start). */
  readonly offsets: readonly number[];
}

/** A worker's answer to a {@link MergeTask}. */
export type MergeReply =
  | { readonly kind: 'merged'; readonly columns: readonly { readonly index: number; readonly acc: ColumnAccumulator }[] }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Gives back its class to an accumulator that went through a structured clone
 * (`postMessage` from or to a worker thread), and to each of its parts.
 */
export function reviveAccumulator(clone: object): ColumnAccumulator {
  const acc = Object.setPrototypeOf(clone, ColumnAccumulator.prototype) as ColumnAccumulator;
  if (typeof acc.name !== 'string' || typeof acc.count !== 'number') throw new TypeError('not a cloned ColumnAccumulator');
  const { numeric, categorical, inference } = acc.parts;
  if (numeric !== null) NumericColumn.revive(numeric);
  if (categorical !== null) CategoricalColumn.revive(categorical);
  if (inference !== null) Object.setPrototypeOf(inference, TypeInference.prototype);
  return acc;
}

/** The buffers a thread can hand over with an accumulator instead of copying them. */
export function accumulatorTransferables(acc: ColumnAccumulator): ArrayBuffer[] {
  return acc.parts.numeric?.transferables() ?? [];
}

/**
 * Does the work a worker thread can do before handing an accumulator over: counts owed
 * values, drops exact values its histogram holds, and works out the ECDF statistics of
 * its histogram (see `ValueCounts.statistics`).
 */
export function prepareForTransfer(acc: ColumnAccumulator): void {
  acc.countValues();
  acc.releaseValues();
  try {
    acc.parts.numeric?.valueCounts?.statistics();
  } catch {
    // Left to the caller, who gets the error when it asks (see ValueCounts.statistics).
  }
}

/**
 * Merges the parts of one column (structured clones, in file order; part k's lines
 * shifted by offsets[k]) and prepares the result (see {@link prepareForTransfer}).
 */
export function mergeParts(parts: readonly object[], offsets: readonly number[]): ColumnAccumulator {
  const accs = parts.map((p) => reviveAccumulator(p));
  // Where histograms hold every value between them, the values need not be merged at all.
  ColumnAccumulator.releaseTogether(accs);
  const merged = accs[0]!;
  for (let k = 1; k < accs.length; k++) {
    const acc = accs[k]!;
    acc.shiftLines(offsets[k]!);
    merged.merge(acc);
  }
  prepareForTransfer(merged);
  return merged;
}

/** Scans one range (runs on the worker thread; pure apart from reading the file). */
export async function scanRange(task: ScanTask): Promise<ScanReply> {
  const kinds = [...task.kinds];
  const builder = new ColumnBatchBuilder(task.path, task.batchSize, task.width, { columns: task.columns, kinds });
  const range = new CsvByteRange(task.path, task.start, task.end, task.lineBase, task.width, builder);
  const columns = createAccumulators(task.names, task.options);
  try {
    const rowCount = await accumulateColumnBatches(range.batches(), columns, kinds);
    if (range.quoted) return { kind: 'quoted' };
    settleValueCounts(columns, false);
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
    (reply) => port.postMessage(reply, reply.kind === 'done' ? reply.columns.flatMap(accumulatorTransferables) : []),
    (err: unknown) => port.postMessage({ kind: 'failed', message: String(err) } satisfies ScanReply),
  );
  port.on('message', (merge: MergeTask) => {
    try {
      const columns = merge.columns.map((c) => ({ index: c.index, acc: mergeParts(c.parts, merge.offsets) }));
      port.postMessage({ kind: 'merged', columns } satisfies MergeReply, columns.flatMap((c) => accumulatorTransferables(c.acc)));
    } catch (err) {
      port.postMessage({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies MergeReply);
    }
  });
}
