/**
 * Streaming data readers: CSV, JSON Lines, SageMaker data capture and Parquet, optionally
 * gzipped, from a local file or directory or an S3 object or prefix.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../../vocabulary/errors';
import { ColumnBatchBuilder, type ColumnBatch, type ColumnPlan } from './column-batch';
import { capturePlan } from '../../../vocabulary/capture-presets';
import { openCsv } from './csv';
import { detectFormat, hasGzipSuffix } from './detect';
import type { FileReadOptions, FileTable } from './file-table';
import { openJsonLines } from './jsonl';
import { openParquet } from './parquet';
import { resolveSource, type InputFile } from './sources';
export { s3File, type InputFile } from './sources';
import type { DataFormat, LocalCsvFile, ReadOptions, RowBatch, Table } from './types';

export { detectFormat } from './detect';
export type { Cell, DataFormat, LocalCsvFile, ReadOptions, RowBatch, Table } from './types';
export { COLUMN_KINDS, MAX_INTERNED_CATEGORIES } from './column-batch';
export type { CategoryColumn, CellColumn, ColumnBatch, ColumnData, ColumnKind, ColumnPlan, NumberColumn } from './column-batch';

/** Rows per batch when `batchSize` is not given. */
export const DEFAULT_BATCH_SIZE = 4096;

/** Options of {@link openTable}. */
export interface OpenTableOptions extends ReadOptions {
  /** Client for `s3://` sources. @default a new S3Client with the default credential chain */
  readonly s3?: S3Client;
}

/**
 * Opens a table: a local file, a local directory (every file under it, sorted by path), an
 * `s3://bucket/key` object, or an `s3://bucket/prefix/` (every object under it, sorted by key,
 * skipping zero-byte folder keys). The first file is opened at once, so the columns are known
 * and a bad header fails here; the other files are opened in turn while iterating, and each
 * must have the same columns (else an InputError naming it, raised from the iterator).
 *
 * Memory stays bounded: one batch and one read chunk (for Parquet, one row group) at a time.
 *
 * @throws InputError / ParseError for a missing source, unknown format or bad first file.
 */
export async function openTable(source: string, options: OpenTableOptions = {}): Promise<Table> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InputError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  let client = options.s3;
  const files = await resolveSource(source, () => (client ??= new S3Client({})));
  return openFiles(source, files, options);
}

/**
 * Opens the given files as one table, like {@link openTable} opens the files of a
 * source: `source` names the table in messages.
 *
 * @throws InputError when `files` is empty; as openTable for a bad first file.
 */
export async function openFiles(source: string, files: readonly InputFile[], options: OpenTableOptions = {}): Promise<Table> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (files.length === 0) throw new InputError('no files found', { file: source });
  const capturePlanOf = capturePlan(options.capture);
  const opts: FileReadOptions = {
    batchSize,
    captureFeatureNames: options.captureFeatureNames,
    ...(capturePlanOf ? { capturePlan: capturePlanOf } : {}),
    ...(options.captureWindow ? { captureWindow: options.captureWindow } : {}),
  };
  const first = await openFile(files[0]!, options.format, opts);
  const columns = first.columns;
  let used = false;

  /** The files in order: the first, then each opened in turn with the same columns. */
  async function* eachFile(): AsyncGenerator<FileTable> {
    if (used) throw new InputError('a table can be iterated only once', { file: source });
    used = true;
    yield first;
    for (const input of files.slice(1)) {
      const next = await openFile(input, options.format, opts);
      if (!sameColumns(next.columns, columns)) {
        await next.close();
        throw new InputError(
          `columns differ from the first file's (expected ${columns.join(',')}; found ${next.columns.join(',')})`,
          { file: input.name },
        );
      }
      yield next;
    }
  }

  const only = files[0]!;
  const isLocalCsv =
    files.length === 1 && only.local === true && !hasGzipSuffix(only.name) && (options.format ?? detectFormat(only.name).format) === 'csv';

  return {
    source,
    columns,
    ...(first.metaColumns ? { metaColumns: first.metaColumns } : {}),
    localCsv: isLocalCsv
      ? (): LocalCsvFile | undefined =>
          used
            ? undefined
            : {
                path: only.name,
                batchSize,
                claim: async () => {
                  used = true;
                  await first.close();
                },
              }
      : undefined,
    async *batches(): AsyncGenerator<RowBatch> {
      for await (const f of eachFile()) yield* f.batches();
    },
    async *columnBatches(plan: ColumnPlan): AsyncGenerator<ColumnBatch> {
      for await (const f of eachFile()) {
        if (f.columnBatches) yield* f.columnBatches(plan);
        else yield* rowsAsColumns(f, plan, batchSize);
      }
    },
  };
}

/** A file's row batches converted to column batches (same sizes and lines). */
async function* rowsAsColumns(f: FileTable, plan: ColumnPlan, batchSize: number): AsyncGenerator<ColumnBatch> {
  const builder = new ColumnBatchBuilder(f.file, batchSize, f.columns.length, plan);
  for await (const batch of f.batches()) {
    const { rows, lines } = batch;
    for (let r = 0; r < rows.length; r++) {
      builder.push(rows[r]!, lines[r]!);
      // Keep the reader's batch boundaries.
      if (builder.full && r < rows.length - 1) yield builder.take();
    }
    if (!builder.empty) yield builder.take();
  }
}

async function openFile(input: InputFile, format: DataFormat | undefined, opts: FileReadOptions): Promise<FileTable> {
  const chosen = format ?? detectFormat(input.name).format;
  switch (chosen) {
    case 'csv':
      return openCsv(input, opts);
    case 'jsonl':
      return openJsonLines(input, opts, format === 'jsonl' ? 'jsonl' : 'auto');
    case 'capture':
      return openJsonLines(input, opts, 'capture');
    case 'parquet':
      return openParquet(input, opts);
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
export { CAPTURE_PRESETS, CAPTURE_PRESET_NAMES, capturePlan, type CapturePlan, type CapturePresetName, type CaptureSettings } from '../../../vocabulary/capture-presets';
export type { CaptureAttributes } from '../../../vocabulary/capture-attributes';
