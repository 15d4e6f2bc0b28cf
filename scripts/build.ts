/**
 * Builds the package into `dist/`: what `npm pack` ships.
 *
 * - JavaScript: every source of the layered folders (index.ts, bin/, local/, infra/,
 *   statemachines/, lambdas/, vocabulary/, examples/data/) transpiled one file to one file
 *   by esbuild (ESM for Node 22+), so `dist/` mirrors the sources and the paths the code
 *   finds beside itself with `import.meta.url` still hold. No bundling: the CLI loads its
 *   commands on demand, file by file.
 * - Type declarations: `tsc -p tsconfig.build.json` (declarations only).
 * - Relative specifiers: the sources write `./x` (TypeScript's bundler resolution); Node's
 *   ESM loader needs the file, so each becomes `./x.js` or `./x/index.js` in every `.js`
 *   and `.d.ts` file (see {@link rewriteSpecifiers}).
 * - The Lambda handlers, bundled ahead by esbuild with the options the CDK app uses
 *   (`LAMBDA_BUNDLING`), one folder per handler under `dist/lambda-bundles/<dir>/index.js`:
 *   `PitstopLambdaFunctions` running from `dist/` deploys these folders as they are, so a
 *   user's synth needs neither TypeScript nor esbuild of pitstop's sources.
 *
 * Usage: npm run build            (npx tsx scripts/build.ts [--no-declarations])
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { FUNCTION_DIRS, type FunctionKey } from '../infra/functions';
import { LAMBDA_BUNDLES_DIR_NAME } from '../infra/lambda-code';
import { esbuildOptions } from './bundle-sizes';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the package is built, under the root. */
export const DIST = 'dist';
/** The sources compiled into the package (files and folders under the root). */
export const PACKAGE_SOURCES = ['index.ts', 'bin/pitstop.ts', 'bin/app.ts', 'bin/cli', 'infra', 'statemachines', 'lambdas', 'vocabulary', 'local', 'examples/data'] as const;

/** Every `.ts` source (not `.d.ts`) under `paths`, as absolute paths. */
export function sourceFiles(root: string, paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) found.push(path);
  };
  for (const p of paths) walk(join(root, p));
  return found.sort();
}

/**
 * The specifier Node's ESM loader needs for relative `specifier` written in the built
 * file `file`: `x` → `x.js` when `x.js` (or for a declaration file `x.d.ts`) was built,
 * `x/index.js` when `x/` holds the index; anything else (a package, `node:`, a
 * specifier with its extension) unchanged.
 * @throws Error when a relative specifier names nothing that was built
 */
export function resolvedSpecifier(file: string, specifier: string, exists: (path: string) => boolean): string {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  if (/\.(m?js|json|node)$/.test(specifier)) return specifier;
  const base = resolve(dirname(file), specifier);
  const declaration = file.endsWith('.d.ts');
  const probe = (stem: string) => exists(`${stem}.js`) || (declaration && exists(`${stem}.d.ts`));
  if (probe(base)) return `${specifier}.js`;
  if (probe(join(base, 'index'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`${file}: the import "${specifier}" names no built file (${base}.js or ${base}/index.js)`);
}

/** `text` with every relative module specifier resolved as {@link resolvedSpecifier} says. */
export function rewriteSpecifiers(file: string, text: string, exists: (path: string) => boolean): string {
  const refs = ts.preProcessFile(text, true, true).importedFiles;
  let out = '';
  let at = 0;
  for (const ref of refs) {
    const replaced = resolvedSpecifier(file, ref.fileName, exists);
    if (replaced === ref.fileName) continue;
    // `pos` is at the string literal (its opening quote); the specifier follows.
    const start = text.indexOf(ref.fileName, ref.pos);
    out += text.slice(at, start) + replaced;
    at = start + ref.fileName.length;
  }
  return out + text.slice(at);
}

function filesUnder(dir: string, suffixes: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (suffixes.some((s) => entry.name.endsWith(s))) found.push(full);
    }
  };
  walk(dir);
  return found;
}

/** Transpiles the sources into `outDir`, one `.js` per `.ts`, ESM. */
async function transpile(root: string, outDir: string): Promise<void> {
  await build({
    entryPoints: sourceFiles(root, PACKAGE_SOURCES),
    outdir: outDir,
    outbase: root,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: false,
    logLevel: 'error',
    absWorkingDir: root,
  });
}

/** Writes the type declarations with tsc (tsconfig.build.json). */
function declarations(root: string): void {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${run.stdout}${run.stderr}`);
}

/** Bundles every Lambda handler into `<outDir>/lambda-bundles/<dir>/index.js`. */
async function bundleHandlers(outDir: string): Promise<void> {
  await Promise.all(
    (Object.keys(FUNCTION_DIRS) as FunctionKey[]).map(async (key) => {
      const outfile = join(outDir, LAMBDA_BUNDLES_DIR_NAME, FUNCTION_DIRS[key], 'index.js');
      await build({ ...esbuildOptions(key), write: true, outfile });
    }),
  );
}

/** What {@link buildPackage} built. */
export interface BuildResult {
  readonly outDir: string;
  readonly files: number;
  readonly millis: number;
}

/** Builds the package into `<root>/dist` (emptied first). */
export async function buildPackage(root: string = ROOT, options: { declarations?: boolean } = {}): Promise<BuildResult> {
  const started = Date.now();
  const outDir = join(root, DIST);
  rmSync(outDir, { recursive: true, force: true });
  await transpile(root, outDir);
  if (options.declarations !== false) declarations(root);
  const built = filesUnder(outDir, ['.js', '.d.ts']);
  for (const file of built) {
    const text = readFileSync(file, 'utf8');
    const rewritten = rewriteSpecifiers(file, text, existsSync);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  await bundleHandlers(outDir);
  chmodSync(join(outDir, 'bin', 'pitstop.js'), 0o755);
  return { outDir, files: built.length, millis: Date.now() - started };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildPackage(ROOT, { declarations: !process.argv.includes('--no-declarations') }).then(
    (r) => process.stderr.write(`built ${r.files} files into ${relative(process.cwd(), r.outDir) || '.'} in ${(r.millis / 1000).toFixed(1)} s\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
