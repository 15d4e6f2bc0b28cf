/** Not a test: shared helpers for the reader tests. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openTable, type OpenTableOptions } from '../../../../lambdas/core/readers/index';
import type { Cell, RowBatch } from '../../../../lambdas/core/readers/types';

/** A temp dir for one test file; `write` creates files (and folders) in it. */
export async function tempDir(): Promise<{
  dir: string;
  write: (name: string, content: string | Buffer) => Promise<string>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'pitstop-readers-'));
  return {
    dir,
    write: async (name, content) => {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** gzip of a string. */
export const gz = (text: string | Buffer): Buffer => gzipSync(text);

/** Every batch of a table. */
export async function allBatches(source: string, options?: OpenTableOptions): Promise<RowBatch[]> {
  const table = await openTable(source, options);
  const out: RowBatch[] = [];
  for await (const b of table.batches()) out.push(b);
  return out;
}

/** Columns, rows and lines of a whole table. */
export async function readAll(
  source: string,
  options?: OpenTableOptions,
): Promise<{ columns: readonly string[]; rows: Cell[][]; lines: number[]; files: string[] }> {
  const table = await openTable(source, options);
  const rows: Cell[][] = [];
  const lines: number[] = [];
  const files: string[] = [];
  for await (const b of table.batches()) {
    rows.push(...b.rows);
    lines.push(...b.lines);
    for (const _ of b.rows) files.push(b.file);
  }
  return { columns: table.columns, rows, lines, files };
}
