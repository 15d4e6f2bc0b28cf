/**
 * The worker side of a parallel CSV scan (see ./parallel-scan): reads one byte range of a
 * local CSV file, starting at a line start, and accumulates the planned columns as the
 * one-thread pass would. Loaded as a worker's entry module: in development the module
 * itself (TypeScript, through tsx), in an esbuild bundle the bundle file, whose copy of
 * this module starts the scan when it finds its marker in `workerData`.
 */
import { open } from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InputError, type InputLocation } from '../errors';
import { ColumnBatchBuilder, type ColumnKind } from '../readers/column-batch';
import { csvColumnBatches } from '../readers/csv';
import { CsvRecordSplitter } from '../readers/csv-records';
import { LOCAL_CHUNK_BYTES } from '../readers/sources';
import { textChunks } from '../readers/text';
import { accumulateColumnBatches, createAccumulators } from './accumulate-batches';
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
  let quoted = false;
  async function* quoteFree(): AsyncGenerator<Uint8Array> {
    for await (const chunk of rangeBytes(task.path, task.start, task.end, LOCAL_CHUNK_BYTES)) {
      if (chunk.indexOf(34) !== -1) {
        quoted = true;
        return;
      }
      yield chunk;
    }
  }
  const splitter = new CsvRecordSplitter(task.path, task.lineBase);
  splitter.width = task.width;
  const chunks = textChunks(task.path, quoteFree(), { part: true });
  const kinds = [...task.kinds];
  const batches = csvColumnBatches(splitter, chunks, new ColumnBatchBuilder(task.path, task.batchSize, task.width, { columns: task.columns, kinds }));
  const columns = createAccumulators(task.names, task.options);
  try {
    const rowCount = await accumulateColumnBatches(batches, columns, kinds);
    if (quoted) return { kind: 'quoted' };
    return { kind: 'done', rowCount, lastLine: splitter.lastLine, columns };
  } catch (err) {
    if (quoted) return { kind: 'quoted' };
    if (err instanceof InputError) return { kind: 'input-error', name: err.name, message: err.message, location: { ...err.location } };
    return { kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

/**
 * The bytes [start, end) of a file in chunks of at most `chunkBytes`, read into two
 * buffers taken in turn (the next chunk is read while the last one is used): a chunk is
 * a view, valid until the generator is resumed. A read stream would allocate a new
 * buffer per chunk, outside the heap, whose memory comes back only when the garbage
 * collector finds the buffer dead: a worker that allocates little else on its heap then
 * piles up tens of megabytes of them, more the longer its range.
 */
export async function* rangeBytes(path: string, start: number, end: number, chunkBytes: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const size = Math.max(0, Math.min(chunkBytes, end - start));
  const buffers = [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)];
  const readAt = async (buf: Buffer, at: number): Promise<number> => {
    const length = Math.min(buf.length, end - at);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buf, done, length - done, at + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  };
  let at = start;
  let k = 0;
  let pending: Promise<number> | undefined = at < end ? readAt(buffers[0]!, at) : undefined;
  try {
    while (pending !== undefined) {
      const n = await pending;
      pending = undefined;
      if (n === 0) break;
      const buf = buffers[k]!;
      at += n;
      k ^= 1;
      // The other buffer holds the chunk handed out last: resuming us, its user is done with it.
      if (at < end) {
        pending = readAt(buffers[k]!, at);
        pending.catch(() => undefined); // a failed read-ahead throws when awaited, not before
      }
      yield buf.subarray(0, n);
    }
  } finally {
    // An abandoned read still writes into its buffer: let it finish before closing.
    if (pending !== undefined) await pending.catch(() => 0);
    await handle.close();
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
