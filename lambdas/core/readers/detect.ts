/**
 * Telling a file's format from its name.
 */
import { InputError } from '../../../vocabulary/errors';
import type { DataFormat } from './types';

/** File name endings (after an optional `.gz`) and the format each means. */
export const FORMAT_BY_EXTENSION = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.json': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
} as const satisfies Record<string, DataFormat>;

/** The magic bytes that start every gzip member. */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Tells a source's format and compression from its name: `.csv`, `.jsonl`/`.json`/`.ndjson`
 * or `.parquet`, each optionally followed by `.gz`. Data-capture JSONL is reported as `jsonl`;
 * the reader recognises capture records by their content.
 *
 * @throws InputError when the name ends in none of these.
 */
export function detectFormat(source: string): { format: DataFormat; gzip: boolean } {
  const name = source.replace(/[?#].*$/, '').toLowerCase();
  const gzip = name.endsWith('.gz');
  const base = gzip ? name.slice(0, -3) : name;
  for (const [ext, format] of Object.entries(FORMAT_BY_EXTENSION)) {
    if (base.endsWith(ext)) return { format, gzip };
  }
  throw new InputError(
    'cannot tell the format from the file name (expected .csv, .jsonl, .json, .ndjson or .parquet, optionally .gz); give the format explicitly',
    { file: source },
  );
}

/** Whether a file name says gzip. */
export function hasGzipSuffix(name: string): boolean {
  return name.toLowerCase().endsWith('.gz');
}

/** Whether bytes start with the gzip magic number. */
export function startsWithGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}
