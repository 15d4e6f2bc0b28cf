/**
 * Bundles every Lambda handler exactly as infra/functions.ts does (the shared
 * `LAMBDA_BUNDLING` options) and prints each bundle's minified size; exits 1 when any
 * is over 1 MB.
 *
 * Usage: npx tsx scripts/bundle-sizes.ts [--json]
 */
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTION_DIRS, LAMBDA_BUNDLING, handlerEntry, type FunctionKey } from '../infra/functions';

/** Largest acceptable bundle: 1 MB. */
export const MAX_BUNDLE_BYTES = 1024 * 1024;

/** The esbuild options of one handler, in memory (`write: false`). */
export function esbuildOptions(key: FunctionKey): BuildOptions & { write: false } {
  return {
    entryPoints: [handlerEntry(key)],
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    format: LAMBDA_BUNDLING.format,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.externalModules],
    write: false,
    logLevel: 'silent',
  };
}

/** One bundle's size. */
export interface BundleSize {
  readonly key: FunctionKey;
  readonly bytes: number;
}

/** Bundles one handler in memory and measures it. */
export async function bundleSize(key: FunctionKey): Promise<BundleSize> {
  const result = await build(esbuildOptions(key));
  return { key, bytes: result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0) };
}

/** Bundles every handler. */
export async function bundleSizes(): Promise<BundleSize[]> {
  return Promise.all((Object.keys(FUNCTION_DIRS) as FunctionKey[]).map(bundleSize));
}

async function main(): Promise<number> {
  const sizes = await bundleSizes();
  const over = sizes.filter((s) => s.bytes > MAX_BUNDLE_BYTES);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(sizes.map((s) => ({ ...s, kb: s.bytes / 1024 })), null, 2)}\n`);
  } else {
    const width = Math.max(...sizes.map((s) => s.key.length));
    for (const s of sizes) process.stdout.write(`${s.key.padEnd(width)} ${(s.bytes / 1024).toFixed(1).padStart(8)} KB${s.bytes > MAX_BUNDLE_BYTES ? '  over 1 MB' : ''}\n`);
  }
  if (over.length > 0) process.stderr.write(`${over.length} bundle(s) over ${MAX_BUNDLE_BYTES / 1024} KB: ${over.map((s) => s.key).join(', ')}\n`);
  return over.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
