/**
 * CSV reader: header row, then records, streamed through {@link CsvRecordSplitter}.
 */
import { InputError, ParseError } from '../../../vocabulary/errors';
import { BatchBuilder } from './batcher';
import { ColumnBatchBuilder, type ColumnBatch, type ColumnPlan } from './column-batch';
import { CsvRecordSplitter, type RecordSink } from './csv-records';
import type { FileReadOptions, FileTable } from './file-table';
import type { InputFile } from './sources';
import { textChunks } from './text';
import type { Cell } from './types';

/**
 * Opens a CSV file and reads its header. A header-only file is a table with no rows.
 *
 * @throws InputError for an empty file; ParseError for duplicate or empty header names.
 */
export async function openCsv(input: InputFile, opts: FileReadOptions): Promise<FileTable> {
  const file = input.name;
  const chunks = textChunks(file, input.bytes());
  const splitter = new CsvRecordSplitter(file);
  const header = new BatchBuilder(file, 1);
  try {
    while (header.empty) {
      splitter.take(header);
      if (!header.empty) break;
      const next = await chunks.next();
      if (next.done) {
        splitter.end();
        splitter.take(header);
        if (header.empty) throw new InputError('empty file: no header row', { file });
        break;
      }
      splitter.feed(next.value);
    }
  } catch (err) {
    await chunks.return(undefined);
    throw err;
  }
  const columns = checkHeader(header.rows[0], file, header.lines[0]);
  splitter.width = columns.length;

  return {
    file,
    columns,
    close: async () => {
      await chunks.return(undefined);
    },
    batches() {
      return splitIntoBatches(splitter, chunks, new BatchBuilder(file, opts.batchSize));
    },
    columnBatches(plan: ColumnPlan): AsyncGenerator<ColumnBatch> {
      return csvColumnBatches(splitter, chunks, new ColumnBatchBuilder(file, opts.batchSize, columns.length, plan));
    },
  };
}

/**
 * Column batches of the records `splitter` splits from `chunks` (after the header), filled
 * by `batch`; releases `chunks` when done or abandoned.
 */
export function csvColumnBatches(
  splitter: CsvRecordSplitter,
  chunks: AsyncGenerator<string>,
  batch: ColumnBatchBuilder,
): AsyncGenerator<ColumnBatch> {
  return splitIntoBatches(splitter, chunks, batch);
}

/** A sink that fills batches of type `T`: row batches or column batches. */
interface BatchSink<T> extends RecordSink {
  readonly empty: boolean;
  take(): T;
}

/**
 * The batches `batch` fills with the records `splitter` splits from `chunks`, in order;
 * releases `chunks` when done or abandoned.
 */
async function* splitIntoBatches<T>(splitter: CsvRecordSplitter, chunks: AsyncGenerator<string>, batch: BatchSink<T>): AsyncGenerator<T> {
  try {
    for (;;) {
      splitter.take(batch);
      if (batch.full) {
        yield batch.take();
        continue;
      }
      if (splitter.done) break;
      const next = await chunks.next();
      if (next.done) splitter.end();
      else splitter.feed(next.value);
    }
    if (!batch.empty) yield batch.take();
  } finally {
    await chunks.return(undefined);
  }
}

function checkHeader(names: Cell[], file: string, line: number): string[] {
  const seen = new Set<string>();
  return names.map((name, i) => {
    if (name === null || name === '') throw new ParseError('empty column name in header', { file, line, column: i + 1 });
    const n = String(name);
    if (seen.has(n)) throw new ParseError('duplicate column name in header', { file, line, column: n });
    seen.add(n);
    return n;
  });
}
