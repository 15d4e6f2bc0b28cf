/**
 * The scan worker's code as one CommonJS bundle, for a process that runs the TypeScript
 * sources (tests, tsx): a worker thread does not get the TypeScript transform its parent
 * runs under (vitest transforms modules inside its own process, not through a Node loader
 * a worker would inherit), and loading the sources through tsx in each worker would cost
 * more than the scan saves.
 * The bundle is built with esbuild (a development dependency) once per process and kept on
 * disk beside esbuild, keyed by the entry file and esbuild's and Node's versions, and it
 * is reused only while every source it was built from has the size and modification time
 * it had; a bundle whose sources changed during the build is not kept. Every failure
 * (no esbuild, an unwritable cache) gives undefined or an uncached build: the caller then
 * reads on one thread, or only pays the build again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The worker code bundled from TypeScript sources (tests, tsx), once per process. */
let bundled: Promise<string | undefined> | undefined;

/** A bundle kept on disk with the sources it was built from (path, size, mtime). */
interface CachedBundle {
  readonly inputs: readonly (readonly [string, number, number])[];
  readonly code: string;
}

/**
 * Bundles the TypeScript worker entry with esbuild (a development dependency): a worker
 * does not get its parent's TypeScript transform, and loading the sources
 * through tsx in each worker would cost more than the scan saves. The bundle is kept (see
 * {@link bundleCacheFile}) and reused while none of its sources changed (bundling costs
 * about a sixth of a second, more than the rest of a small scan).
 */
export function bundleWorker(file: string): Promise<string | undefined> {
  return (bundled ??= (async () => {
    try {
      const esbuild = (await import('esbuild')) as typeof import('esbuild');
      const cacheFile = bundleCacheFile(file, esbuild.version);
      const cached = cacheFile === undefined ? undefined : readCachedBundle(cacheFile);
      if (cached !== undefined) return cached;
      const started = Date.now();
      const out = await esbuild.build({ entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent', target: 'node20', metafile: true, absWorkingDir: process.cwd() });
      const code = out.outputFiles[0]?.text;
      if (code !== undefined && cacheFile !== undefined) writeCachedBundle(cacheFile, Object.keys(out.metafile.inputs).map((p) => resolve(process.cwd(), p)), code, started);
      return code;
    } catch {
      return undefined;
    }
  })());
}

/**
 * Where the bundle of `file` is kept: in the project's `node_modules/.cache/pitstop/`
 * beside esbuild (the convention of build tools; a directory of the project's owner, not
 * a shared temporary one, since the bundle is run), named by the entry, esbuild's and
 * Node's versions; undefined when esbuild's folder is not found.
 */
export function bundleCacheFile(file: string, esbuildVersion: string): string | undefined {
  try {
    const modules = dirname(dirname(createRequire(file).resolve('esbuild/package.json')));
    const key = createHash('sha256').update(`${file}\0${esbuildVersion}\0${process.version}`).digest('hex').slice(0, 16);
    return join(modules, '.cache', 'pitstop', `scan-worker-${key}.json`);
  } catch {
    return undefined;
  }
}

/** The cached bundle's code when every source it was built from is unchanged. */
export function readCachedBundle(cacheFile: string): string | undefined {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedBundle;
    for (const [path, size, mtime] of cached.inputs) {
      const st = statSync(path);
      if (st.size !== size || st.mtimeMs !== mtime) return undefined;
    }
    return typeof cached.code === 'string' ? cached.code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a bundle on disk (written aside, then renamed into place), unless a source changed
 * after the build `started` (the bundle may hold the older text); failures are ignored.
 */
export function writeCachedBundle(cacheFile: string, inputs: readonly string[], code: string, started: number): void {
  try {
    const stats = inputs.map((p) => [p, statSync(p)] as const);
    if (stats.some(([, st]) => st.mtimeMs >= started)) return;
    const entry: CachedBundle = { inputs: stats.map(([p, st]) => [p, st.size, st.mtimeMs] as const), code };
    mkdirSync(dirname(cacheFile), { recursive: true });
    const aside = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(entry));
    renameSync(aside, cacheFile);
  } catch {
    // a cache that cannot be written is only slower
  }
}
