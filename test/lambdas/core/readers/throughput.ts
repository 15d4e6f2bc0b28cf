/**
 * Not a test: measures the CSV reader's throughput against a raw pass (read the file, split
 * lines) on a generated CSV of 20 numeric and 5 categorical columns.
 *
 *   npx tsx test/lambdas/core/readers/throughput.ts [megabytes=100] [gzip]
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openTable } from '../../../../lambdas/core/readers/index';

async function generate(path: string, megabytes: number): Promise<number> {
  const out = createWriteStream(path);
  const header = [...Array.from({ length: 20 }, (_, i) => `num${i}`), ...Array.from({ length: 5 }, (_, i) => `cat${i}`)];
  out.write(header.join(',') + '\n');
  const cats = ['red', 'green', 'blue', 'amber', 'violet', 'teal'];
  let bytes = 0;
  let rows = 0;
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  while (bytes < megabytes * 1e6) {
    const parts: string[] = [];
    for (let i = 0; i < 20; i++) parts.push((rand() * 1000 - 500).toFixed(4));
    for (let i = 0; i < 5; i++) parts.push(cats[Math.floor(rand() * cats.length)]);
    const line = parts.join(',') + '\n';
    bytes += line.length;
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function rawPass(path: string): Promise<number> {
  let lines = 0;
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines += parts.length;
  }
  return lines;
}

async function readerPass(path: string): Promise<number> {
  const table = await openTable(path);
  let rows = 0;
  for await (const batch of table.batches()) rows += batch.rows.length;
  return rows;
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

const megabytes = Number(process.argv[2] ?? 100);
const dir = await mkdtemp(join(tmpdir(), 'pitstop-throughput-'));
try {
  const path = join(dir, 'data.csv');
  const rows = await generate(path, megabytes);
  const mb = (await stat(path)).size / 1e6;
  for (let round = 0; round < 2; round++) {
    const [lines, raw] = await time(() => rawPass(path));
    const [read, reader] = await time(() => readerPass(path));
    console.log(
      `${mb.toFixed(1)} MB, ${rows} rows: raw pass ${(mb / raw).toFixed(0)} MB/s (${lines} lines), ` +
        `reader ${(mb / reader).toFixed(0)} MB/s (${read} rows), reader/raw = ${(raw / reader).toFixed(2)}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
