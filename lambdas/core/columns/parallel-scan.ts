/**
 * A one-pass accumulation of a local, plain CSV file on several threads: the file is cut
 * into byte ranges at line ends, one worker thread per range parses the bytes of its rows
 * and accumulates them (./scan-worker), and the workers then merge the parts in file
 * order, the columns shared out among them. The result is the one the one-thread pass
 * gives (same counts, categories, bins, moments, exact values and decimal histograms,
 * hence the same drift and profile), as long as every column's type is known and the
 * values fit the budget; beyond the budget the merged sketch is another valid sketch with
 * its own bound.
 *
 * Whenever that cannot be promised, the scan declines (returns undefined) before the
 * table is touched, and the caller reads the table on one thread: a quote character in
 * the data, a file that is small or gzipped, one core, a worker that cannot start, and
 * bad input after the first range (the one-thread pass then gives its own message). Bad
 * input in the first range is thrown as the one-thread pass would throw it.
 */
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, ParseError, ValueTypeError } from '../../../vocabulary/errors';
import type { ColumnKind } from '../readers/column-batch';
import type { LocalCsvFile } from '../readers/types';
import type { ColumnAccumulator } from './column-accumulator';
import { SCAN_WORKER_MARKER, accumulatorTransferables, reviveAccumulator, scanWorkerEntry, type MergeReply, type MergeTask, type ScanReply, type ScanTask } from './scan-worker';
import type { AccumulateTableOptions, ParallelScanOptions, TableAccumulator } from './table-options';
import { bundleWorker } from './worker-bundle';

/** Below this size a file is read on one thread (starting workers costs tens of milliseconds). */
export const PARALLEL_SCAN_MIN_BYTES = 32 << 20;

/** Longest header line, and longest search for a line end at a cut, in bytes. */
const MAX_LINE_SEARCH_BYTES = 1 << 20;

/**
 * Accumulates the columns `names` (at `indexes` of `header`) of the local CSV file in
 * parallel, or returns undefined to let the caller read the table on one thread (see the
 * module documentation). On success the table is claimed (see {@link LocalCsvFile.claim}).
 *
 * @throws InputError / ParseError / ValueTypeError for bad input in the first range, as
 *   the one-thread pass would throw it
 */
export async function scanCsvInParallel(
  local: LocalCsvFile,
  header: readonly string[],
  names: readonly string[],
  indexes: readonly number[],
  kinds: readonly ColumnKind[],
  options: AccumulateTableOptions,
  parallel: ParallelScanOptions = {},
): Promise<TableAccumulator | undefined> {
  const n = parallel.workers ?? Math.min(2, availableParallelism());
  if (!(n >= 2)) return undefined;
  const path = local.path;
  const ranges = await cutRanges(path, header, n, parallel.minBytes ?? PARALLEL_SCAN_MIN_BYTES);
  if (ranges === undefined) return undefined;
  const taskOptions: AccumulateTableOptions = {
    types: options.types,
    budget: options.budget,
    cuts: options.cuts,
    ecdfReferences: options.ecdfReferences,
    histogram: options.histogram,
    ranges: options.ranges,
    onBadValue: options.onBadValue,
    distinctCap: options.distinctCap,
  };
  const workers: Worker[] = [];
  const replies: Promise<ScanReply>[] = [];
  try {
    for (let k = 0; k < ranges.cuts.length - 1; k++) {
      const task: ScanTask = {
        path,
        start: ranges.cuts[k]!,
        end: ranges.cuts[k + 1]!,
        lineBase: k === 0 ? ranges.headerLines : 0,
        width: header.length,
        columns: indexes,
        kinds: [...kinds],
        names,
        options: taskOptions,
        batchSize: local.batchSize,
      };
      const started = await startWorker(task);
      if (started === undefined) return undefined;
      workers.push(started.worker);
      replies.push(started.reply);
    }
    const parts: Extract<ScanReply, { kind: 'done' }>[] = [];
    for (let k = 0; k < replies.length; k++) {
      const reply = await replies[k]!;
      if (reply.kind === 'done') parts.push(reply);
      else if (reply.kind === 'input-error' && k === 0) throw rebuildError(reply);
      else return undefined;
    }
    // Merge in file order (later parts numbered their lines from their own start), the
    // columns shared out among the workers.
    const offsets: number[] = [];
    let rowCount = 0;
    let lastLine = 0;
    for (const part of parts) {
      offsets.push(lastLine);
      rowCount += part.rowCount;
      lastLine += part.lastLine;
    }
    const columns = await mergeInWorkers(workers, parts, offsets);
    if (columns === undefined) return undefined;
    await local.claim();
    local.rowsRead?.(rowCount);
    return { source: path, rowCount, columns };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Merges every column's parts on the workers, column k on worker k mod n, each part
 * handed over rather than copied; undefined when a worker fails (the parts are gone:
 * the caller reads the table on one thread).
 */
async function mergeInWorkers(
  workers: readonly Worker[],
  parts: readonly Extract<ScanReply, { kind: 'done' }>[],
  offsets: readonly number[],
): Promise<ColumnAccumulator[] | undefined> {
  const width = parts[0]!.columns.length;
  if (workers.some((w) => exited.get(w) !== false)) return undefined;
  const replies = workers.map((worker, w) => {
    const columns: { index: number; parts: object[] }[] = [];
    for (let index = w; index < width; index += workers.length) columns.push({ index, parts: parts.map((p) => p.columns[index]!) });
    const transfer = columns.flatMap((c) => c.parts.flatMap((p) => accumulatorTransferables(reviveAccumulator(p))));
    const reply = new Promise<MergeReply>((resolve) => {
      worker.once('message', (m: MergeReply) => resolve(m));
      worker.once('error', (err) => resolve({ kind: 'failed', message: String(err) }));
      worker.once('exit', (code) => resolve({ kind: 'failed', message: `worker exited with code ${code}` }));
    });
    const task: MergeTask = { kind: 'merge', columns, offsets };
    worker.postMessage(task, transfer);
    return reply;
  });
  const merged = new Array<ColumnAccumulator>(width);
  for (const reply of await Promise.all(replies)) {
    if (reply.kind !== 'merged') return undefined;
    for (const { index, acc } of reply.columns) merged[index] = reviveAccumulator(acc);
  }
  return merged;
}

/**
 * Heap limits of a scan worker: small, so that its garbage is collected early and memory
 * stays flat with file size (the exact values live in shared buffers outside the heap).
 * A worker that runs out fails, and the table is read on one thread.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 } as const;

/** Whether each started worker has exited (a merge task is not sent to one that has). */
const exited = new WeakMap<Worker, boolean>();

/** Starts a worker on `task`; undefined when it cannot start. */
async function startWorker(task: ScanTask): Promise<{ worker: Worker; reply: Promise<ScanReply> } | undefined> {
  const entry = scanWorkerEntry();
  const file = entry instanceof URL ? fileURLToPath(entry) : entry;
  let worker: Worker;
  try {
    const workerData = { [SCAN_WORKER_MARKER]: task };
    if (/\.[cm]?ts$/.test(file)) {
      const code = await bundleWorker(file);
      if (code === undefined) return undefined;
      worker = new Worker(code, { eval: true, workerData, resourceLimits: WORKER_LIMITS });
    } else worker = new Worker(entry, { workerData, resourceLimits: WORKER_LIMITS });
  } catch {
    return undefined;
  }
  exited.set(worker, false);
  worker.once('exit', () => exited.set(worker, true));
  const reply = new Promise<ScanReply>((resolve) => {
    worker.once('message', (m: ScanReply) => resolve(m));
    worker.once('error', (err) => resolve({ kind: 'failed', message: String(err) }));
    worker.once('exit', (code) => resolve({ kind: 'failed', message: `worker exited with code ${code}` }));
  });
  return { worker, reply };
}

/** The error a worker reported, with its class back. */
function rebuildError(reply: Extract<ScanReply, { kind: 'input-error' }>): InputError {
  const { location, message, name } = reply;
  const cls = name === 'ParseError' ? ParseError : name === 'ValueTypeError' ? ValueTypeError : InputError;
  const rebuilt = new cls('', location);
  const prefix = rebuilt.message.slice(0, -': '.length);
  const problem = message.startsWith(`${prefix}: `) ? message.slice(prefix.length + 2) : message;
  return new cls(problem, location);
}

/**
 * Cuts the file after its header into `n` ranges at line ends: byte offsets
 * `cuts[0] < ... < cuts[n]` and the number of lines up to the header; undefined when the
 * file is too small, gzipped, or its header is not a plain line equal to `header`.
 */
async function cutRanges(
  path: string,
  header: readonly string[],
  n: number,
  minBytes: number,
): Promise<{ cuts: number[]; headerLines: number } | undefined> {
  const size = (await stat(path)).size;
  if (size < minBytes || size === 0) return undefined;
  const handle = await open(path, 'r');
  try {
    const read = async (at: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - at)));
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await handle.read(buf, done, buf.length - done, at + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    };
    const head = await read(0, MAX_LINE_SEARCH_BYTES);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return undefined;
    let pos = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    let headerLines = 0;
    let headerText: string | undefined;
    while (headerText === undefined) {
      const nl = head.indexOf(10, pos);
      if (nl === -1) return undefined;
      headerLines++;
      const end = nl > pos && head[nl - 1] === 13 ? nl - 1 : nl;
      if (end > pos) headerText = head.toString('utf8', pos, end);
      pos = nl + 1;
    }
    if (headerText.includes('"') || headerText.split(',').join('\u0000') !== header.join('\u0000')) return undefined;
    const cuts = [pos];
    for (let k = 1; k < n; k++) {
      const target = pos + Math.floor(((size - pos) * k) / n);
      const from = Math.max(target, cuts[cuts.length - 1]!);
      const window = await read(from, MAX_LINE_SEARCH_BYTES);
      const nl = window.indexOf(10);
      if (nl === -1) {
        if (from + window.length >= size) break;
        return undefined;
      }
      const cut = from + nl + 1;
      if (cut < size && cut > cuts[cuts.length - 1]!) cuts.push(cut);
    }
    cuts.push(size);
    if (cuts.length < 3) return undefined;
    return { cuts, headerLines };
  } finally {
    await handle.close();
  }
}
