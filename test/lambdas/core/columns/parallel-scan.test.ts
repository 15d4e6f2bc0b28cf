import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCsvInParallel } from '../../../../lambdas/core/columns/parallel-scan';
import { computeDrift } from '../../../../lambdas/core/drift';
import { buildProfile } from '../../../../lambdas/core/profile';
import { openTable } from '../../../../lambdas/core/readers';

const dir = mkdtempSync(join(tmpdir(), 'pitstop-pscan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const TYPES = { a: 'numeric', b: 'numeric', c: 'categorical' } as const;
const FORCE = { minBytes: 0, workers: 3 } as const;

/** A CSV text with header a,b,c and the given rows. */
function csv(rows: readonly (readonly [string, string, string])[], crlf: boolean): string {
  const nl = crlf ? '\r\n' : '\n';
  return ['a,b,c', ...rows.map((r) => r.join(','))].join(nl) + nl;
}

function write(text: string): string {
  const path = join(dir, `f${fileNo++}.csv`);
  writeFileSync(path, text);
  return path;
}

const num = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String), fc.constant(''));
const cat = fc.oneof(fc.constantFrom('x', 'y', 'zz', ''), fc.string({ unit: fc.constantFrom('p', 'q'), maxLength: 2 }));
const rowArb = fc.tuple(num, num, cat);

describe('Function: scanCsvInParallel', () => {
  it('reads the file in ranges on worker threads and counts every row', async () => {
    // Prepare: 300 rows, cut into 3 ranges
    const rows = Array.from({ length: 300 }, (_, i) => [String(i), String(-i), i % 2 ? 'x' : 'y'] as const);
    const table = await openTable(write(csv(rows, false)));
    // Act
    const acc = await scanCsvInParallel(table.localCsv!()!, table.columns, ['a', 'c'], [0, 2], ['number', 'category'], { types: TYPES }, FORCE);
    // Assess: sums known by hand (0 + 1 + ... + 299 = 44850)
    expect(acc).toBeDefined();
    expect(acc!.rowCount).toBe(300);
    expect(acc!.columns[0]!.moments.count).toBe(300);
    expect(acc!.columns[0]!.moments.mean * 300).toBeCloseTo(44850, 6);
    expect(acc!.columns[1]!.categoryCounts()).toEqual(new Map([['y', 150], ['x', 150]]));
    expect(table.localCsv!()).toBeUndefined();
  }, 30_000);

  it('declines a file with a quote character', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => [String(i), '1', i === 150 ? '"q"' : 'x'] as const);
    const table = await openTable(write(csv(rows, false)));
    const acc = await scanCsvInParallel(table.localCsv!()!, table.columns, ['a'], [0], ['number'], { types: TYPES }, FORCE);
    expect(acc).toBeUndefined();
  }, 30_000);
});

describe('Function: computeDrift and buildProfile over a parallel scan', () => {
  it('give byte-identical results to the one-thread scan on random CSV files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 400 }), fc.array(rowArb, { minLength: 1, maxLength: 400 }), fc.boolean(), async (ref, cur, crlf) => {
        const refPath = write(csv(ref, crlf));
        const curPath = write(csv(cur, crlf));
        const now = new Date(0);
        const profiles = await Promise.all(
          ([false, FORCE] as const).map(async (parallel) => JSON.stringify(await buildProfile(await openTable(refPath), { types: TYPES, now, parallel }))),
        );
        expect(profiles[1]).toBe(profiles[0]);
        const reference = JSON.parse(profiles[0]!);
        const drifts = await Promise.all(
          ([false, FORCE] as const).map(async (parallel) => JSON.stringify(await computeDrift({ reference, current: await openTable(curPath), parallel }))),
        );
        expect(drifts[1]).toBe(drifts[0]);
      }),
      { numRuns: Number(process.env.PITSTOP_PSCAN_RUNS ?? 8) },
    );
  }, 120_000);

  it('names the same line as the one-thread scan for a bad value in the second half', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 150, max: 299 }), fc.constantFrom('abc', 'NaN'), async (badRow, bad) => {
        // Prepare: line 1 is the header, data row i is on line i + 2
        const rows = Array.from({ length: 300 }, (_, i) => [i === badRow ? bad : String(i), '1', 'x'] as const);
        const path = write(csv(rows, false));
        const run = async (parallel: false | typeof FORCE): Promise<string> => {
          try {
            await buildProfile(await openTable(path), { types: TYPES, parallel });
            return 'no error';
          } catch (err) {
            return (err as Error).message;
          }
        };
        const sequential = await run(false);
        const parallel = await run(FORCE);
        // Assess: the line is known independently of the code
        expect(sequential).toContain(`:${badRow + 2},`);
        expect(parallel).toBe(sequential);
      }),
      { numRuns: 5 },
    );
  }, 120_000);
});
