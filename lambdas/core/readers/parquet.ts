/**
 * Parquet reader on hyparquet. Reads the footer, then one row group at a time (hyparquet
 * fetches only that row group's column chunks), handing rows out in batches.
 *
 * Memory limit: one decoded row group (plus one batch) is held at a time, so a file written
 * with very large row groups costs that much memory. Local files and S3 objects are read by
 * random access (positional reads; ranged GetObject), never downloaded whole.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { InputError, ParseError } from '../../../vocabulary/errors';
import { BatchBuilder } from './batcher';
import type { FileReadOptions, FileTable } from './file-table';
import type { InputFile } from './sources';
import type { Cell } from './types';

/**
 * Opens a Parquet file and reads its schema.
 *
 * @throws ParseError when the file is not Parquet or has a nested (group) column.
 */
export async function openParquet(input: InputFile, opts: FileReadOptions): Promise<FileTable> {
  const file = input.name;
  const access = await input.randomAccess();
  let metadata;
  let columns: string[];
  try {
    if (access.buffer.byteLength === 0) throw new InputError('empty file', { file });
    try {
      metadata = await parquetMetadataAsync(access.buffer);
    } catch (err) {
      throw new ParseError(`not a readable Parquet file (${(err as Error).message})`, { file }, { cause: err });
    }
    const schema = parquetSchema(metadata);
    columns = schema.children.map((c) => {
      if (c.children.length > 0) {
        throw new ParseError('nested (group) column is not supported', { file, column: c.element.name });
      }
      return c.element.name;
    });
  } catch (err) {
    await access.close();
    throw err;
  }
  const meta = metadata;
  return {
    file,
    columns,
    close: () => access.close(),
    async *batches() {
      try {
        let rowStart = 0;
        for (const group of meta.row_groups) {
          const rowEnd = rowStart + Number(group.num_rows);
          let rows: unknown[][] = [];
          try {
            await parquetRead({
              file: access.buffer,
              metadata: meta,
              rowStart,
              rowEnd,
              rowFormat: 'array',
              onComplete: (r: unknown[][]) => {
                rows = r;
              },
            });
          } catch (err) {
            throw new ParseError(`cannot read row group (${(err as Error).message})`, { file, row: rowStart }, { cause: err });
          }
          const batch = new BatchBuilder(file, opts.batchSize);
          for (let i = 0; i < rows.length; i++) {
            const src = rows[i];
            const row: Cell[] = new Array(columns.length);
            for (let c = 0; c < columns.length; c++) row[c] = toCell(src[c], file, rowStart + i, columns[c]);
            batch.push(row, rowStart + i);
            if (batch.full) yield batch.take();
          }
          if (!batch.empty) yield batch.take();
          rowStart = rowEnd;
        }
      } finally {
        await access.close();
      }
    },
  };
}

/** A Parquet value as a cell: bigint -> number, Date -> ISO string, bytes -> ParseError. */
function toCell(v: unknown, file: string, row: number, column: string): Cell {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
    case 'undefined':
      return null;
    default:
      if (v === null) return null;
      if (v instanceof Date) return v.toISOString();
      throw new ParseError('unsupported value (binary or nested)', { file, row, column });
  }
}
