import type { InputLocation } from '../../../vocabulary/errors';

const PARQUET = /\.parquet(?:\.gz)?$/i;

/**
 * The error location of a cell. Readers report a 1-based line for CSV/JSONL and a
 * 0-based row for Parquet (recognised by the file name), so the number goes to
 * `line` or `row` accordingly.
 */
export function locateCell(file: string, lineOrRow: number, column: string): InputLocation {
  return PARQUET.test(file) ? { file, row: lineOrRow, column } : { file, line: lineOrRow, column };
}
