/**
 * Progress of long reads: bytes and rows read so far, reported through the command's
 * progress sink (stderr, only when it is a terminal) once a read has lasted a few
 * seconds, then at most once a second. Short reads print nothing.
 */
import type { InputFile } from '../../lambdas/core/readers';
import type { Table } from '../../lambdas/core/readers/types';

/** How long a read runs before progress is shown, and how often it is shown after. */
export const PROGRESS_AFTER_MS = 3000;
export const PROGRESS_EVERY_MS = 1000;

export interface ReadMeter {
  bytes(n: number): void;
  rows(n: number): void;
}

/** A meter for one source; `now` is injectable for tests. */
export function readMeter(source: string, report: (message: string) => void, now: () => number = Date.now): ReadMeter {
  const start = now();
  let bytes = 0;
  let rows = 0;
  let last = -Infinity;
  const tick = () => {
    const t = now();
    if (t - start < PROGRESS_AFTER_MS || t - last < PROGRESS_EVERY_MS) return;
    last = t;
    report(`reading ${source}: ${formatBytes(bytes)}, ${rows.toLocaleString('en-US')} rows (${Math.round((t - start) / 1000)} s)`);
  };
  return {
    bytes(n) {
      bytes += n;
      tick();
    },
    rows(n) {
      rows += n;
      tick();
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** The file with its streamed bytes counted. */
export function meteredFile(file: InputFile, meter: ReadMeter): InputFile {
  return {
    ...file,
    async *bytes() {
      for await (const chunk of file.bytes()) {
        meter.bytes(chunk.byteLength);
        yield chunk;
      }
    },
    randomAccess: () => file.randomAccess(),
  };
}

/** The table with its rows counted, whichever way it is read. */
export function meteredTable(table: Table, meter: ReadMeter): Table {
  const columnBatches = table.columnBatches?.bind(table);
  return {
    ...table,
    source: table.source,
    columns: table.columns,
    ...(table.metaColumns ? { metaColumns: table.metaColumns } : {}),
    async *batches() {
      for await (const batch of table.batches()) {
        meter.rows(batch.rows.length);
        yield batch;
      }
    },
    ...(columnBatches
      ? {
          async *columnBatches(plan) {
            for await (const batch of columnBatches(plan)) {
              meter.rows(batch.length);
              yield batch;
            }
          },
        }
      : {}),
    ...(table.localCsv ? { localCsv: table.localCsv.bind(table) } : {}),
  };
}
