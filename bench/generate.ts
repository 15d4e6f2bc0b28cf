/**
 * Writes the benchmark's synthetic data: N rows of 20 numeric and 5 categorical
 * features as CSV, and the same rows as SageMaker data-capture JSONL (CSV-encoded
 * input, the way an endpoint captures a CSV request).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRandom } from '../examples/data/prng';

export const NUMERIC = 20;
export const CATEGORICAL = 5;
const CATEGORIES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

export function featureNames(): string[] {
  return [...Array.from({ length: NUMERIC }, (_, i) => `x${i}`), ...Array.from({ length: CATEGORICAL }, (_, i) => `c${i}`)];
}

async function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Writes `rows` rows; `shift` moves every numeric feature's mean (0 for reference data). */
export async function generate(csvPath: string, capturePath: string | undefined, rows: number, seed: number, shift = 0): Promise<void> {
  // The project's seeded generator: every run measures the same bytes.
  const random = createRandom(seed);
  const next = () => random.next();
  const normal = () => random.normal();
  const csv = createWriteStream(csvPath);
  const cap = capturePath ? createWriteStream(capturePath) : undefined;
  await write(csv, featureNames().join(',') + '\n');
  const start = Date.UTC(2026, 10, 23);
  let csvBuf = '';
  let capBuf = '';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let i = 0; i < NUMERIC; i++) cells.push((normal() * (1 + i / 10) + i + shift).toFixed(4));
    for (let i = 0; i < CATEGORICAL; i++) cells.push(CATEGORIES[Math.floor(next() * next() * CATEGORIES.length)]!);
    const line = cells.join(',');
    csvBuf += line + '\n';
    if (cap) {
      const record = {
        captureData: {
          endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: line, encoding: 'CSV' },
          endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: next().toFixed(4), encoding: 'CSV' },
        },
        eventMetadata: { eventId: `e-${seed}-${r}`, inferenceTime: new Date(start + r * 100).toISOString() },
        eventVersion: '0',
      };
      capBuf += JSON.stringify(record) + '\n';
    }
    if (csvBuf.length > 1 << 20) {
      await write(csv, csvBuf);
      csvBuf = '';
      if (cap) {
        await write(cap, capBuf);
        capBuf = '';
      }
    }
  }
  await write(csv, csvBuf);
  csv.end();
  await once(csv, 'finish');
  if (cap) {
    await write(cap, capBuf);
    cap.end();
    await once(cap, 'finish');
  }
}
