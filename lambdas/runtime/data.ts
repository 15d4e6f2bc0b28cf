/**
 * Opening data sets for the handlers: an S3 prefix that holds nothing yet (an endpoint
 * that captured no request) reads as an empty table instead of an error.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { openTable, type OpenTableOptions } from '../core/readers';
import { listS3Prefix } from '../core/readers/s3';
import { isS3Uri, splitS3Uri } from '../../vocabulary/s3-uri';
import type { RowBatch, Table } from '../core/readers/types';

/** A table with no column and no row. */
export function emptyTable(source: string): Table {
  return {
    source,
    columns: [],
    async *batches(): AsyncGenerator<RowBatch> {},
  };
}

/**
 * Opens `source` like `openTable`, except that an S3 prefix (ending in `/`) with no
 * object under it gives an empty table. An object key that does not exist is still an
 * InputError.
 */
export async function openTableOrEmpty(source: string, options: OpenTableOptions & { readonly s3: S3Client }): Promise<Table> {
  if (isS3Uri(source)) {
    const loc = splitS3Uri(source);
    if (loc.key === '' || loc.key.endsWith('/')) {
      const objects = await listS3Prefix(options.s3, loc);
      if (objects.length === 0) return emptyTable(source);
    }
  }
  return openTable(source, options);
}

/** A table that counts the rows read through it. */
export interface CountingTable extends Table {
  /** Rows yielded so far. */
  readonly rows: number;
}

/** Wraps a table to count its rows as they are read. */
export function countingTable(table: Table): CountingTable {
  let rows = 0;
  return {
    source: table.source,
    columns: table.columns,
    ...(table.metaColumns ? { metaColumns: table.metaColumns } : {}),
    get rows() {
      return rows;
    },
    async *batches() {
      for await (const batch of table.batches()) {
        rows += batch.rows.length;
        yield batch;
      }
    },
    columnBatches: table.columnBatches?.bind(table) && countColumnBatches(table.columnBatches.bind(table), (n) => (rows += n)),
    localCsv: table.localCsv?.bind(table) && countLocalCsv(table.localCsv.bind(table), (n) => (rows += n)),
  };
}

function countColumnBatches(inner: NonNullable<Table['columnBatches']>, count: (n: number) => void): NonNullable<Table['columnBatches']> {
  return async function* (plan) {
    for await (const batch of inner(plan)) {
      count(batch.length);
      yield batch;
    }
  };
}

function countLocalCsv(inner: NonNullable<Table['localCsv']>, count: (n: number) => void): NonNullable<Table['localCsv']> {
  return () => {
    const file = inner();
    return file && { ...file, rowsRead: (n: number) => (count(n), file.rowsRead?.(n)) };
  };
}
