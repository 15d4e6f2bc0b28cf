import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleCacheFile, readCachedBundle, writeCachedBundle } from '../../../../lambdas/core/columns/worker-bundle';

const ENTRY = join(import.meta.dirname, '..', '..', '..', '..', 'lambdas', 'core', 'columns', 'scan-worker.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pitstop-bundle-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A source file last modified `secondsAgo` seconds ago. */
function source(name: string, text: string, secondsAgo: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, when, when);
  return path;
}

describe('Function: bundleCacheFile', () => {
  it('keeps the bundle under node_modules/.cache/pitstop, one file per entry, esbuild version and Node', () => {
    // Act
    const file = bundleCacheFile(ENTRY, '0.25.0');

    // Assess
    expect(file).toMatch(/node_modules[\\/]\.cache[\\/]pitstop[\\/]scan-worker-[0-9a-f]{16}\.json$/);
    expect(bundleCacheFile(ENTRY, '0.25.0')).toBe(file);
    expect(bundleCacheFile(ENTRY, '0.25.1')).not.toBe(file);
    expect(bundleCacheFile(join(import.meta.dirname, 'x.ts'), '0.25.0')).not.toBe(file);
  });
});

describe('Function: writeCachedBundle / readCachedBundle', () => {
  it('gives the kept code back while every source is unchanged', () => {
    // Prepare
    const a = source('a.ts', 'export const a = 1;', 60);
    const b = source('b.ts', 'export const b = 2;', 60);
    const cache = join(dir, 'cache', 'bundle.json');

    // Act
    writeCachedBundle(cache, [a, b], 'the code', Date.now());

    // Assess
    expect(readCachedBundle(cache)).toBe('the code');
  });

  it('refuses the kept code once a source changed its size or its modification time, or is gone', () => {
    // Prepare
    const a = source('a.ts', 'export const a = 1;', 60);
    const b = source('b.ts', 'export const b = 2;', 60);
    const cache = join(dir, 'bundle.json');
    writeCachedBundle(cache, [a, b], 'the code', Date.now());

    // Act + Assess: same size, newer time
    const later = new Date(Date.now() - 30_000);
    utimesSync(b, later, later);
    expect(readCachedBundle(cache)).toBeUndefined();

    // Act + Assess: kept again, then the size changes
    writeCachedBundle(cache, [a, b], 'the code', Date.now());
    expect(readCachedBundle(cache)).toBe('the code');
    source('a.ts', 'export const a = 10;', 60);
    expect(readCachedBundle(cache)).toBeUndefined();

    // Act + Assess: kept again, then a source is removed
    writeCachedBundle(cache, [a, b], 'the code', Date.now());
    rmSync(b);
    expect(readCachedBundle(cache)).toBeUndefined();
  });

  it('does not keep a bundle whose sources changed during its build', () => {
    // Prepare: the build started before the source's last change
    const a = source('a.ts', 'export const a = 1;', 5);
    const cache = join(dir, 'bundle.json');

    // Act
    writeCachedBundle(cache, [a], 'older text', Date.now() - 60_000);

    // Assess
    expect(readCachedBundle(cache)).toBeUndefined();
    expect(() => readFileSync(cache)).toThrow();
  });

  it('reads no code from a missing or damaged cache file, and ignores a cache it cannot write', () => {
    // Prepare
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"inputs": [');
    const noCode = join(dir, 'no-code.json');
    writeFileSync(noCode, JSON.stringify({ inputs: [], code: 7 }));
    const a = source('a.ts', 'x', 60);

    // Act + Assess
    expect(readCachedBundle(join(dir, 'absent.json'))).toBeUndefined();
    expect(readCachedBundle(damaged)).toBeUndefined();
    expect(readCachedBundle(noCode)).toBeUndefined();
    // A cache path under a file (not a folder) cannot be written: no throw, nothing kept.
    expect(() => writeCachedBundle(join(a, 'bundle.json'), [a], 'code', Date.now())).not.toThrow();
  });
});
