/**
 * The package as a user gets it: `npm pack` (which builds it, scripts/build.ts), the
 * tarball installed with npm into a temporary copy of examples/consumer-app, and the
 * consumer's CDK app synthesized with plain Node: no TypeScript, no esbuild.
 *
 * Offline: the machine has no network, and npm's cache holds the packages' tarballs but
 * not the registry's metadata a fresh resolution needs. The consumer's node_modules
 * therefore starts as hard links of the repository's (the packages npm would fetch, at
 * the locked versions); npm keeps those that satisfy the consumer's tree, adds the
 * tarball and prunes the rest, so a dependency the package forgot to declare is pruned
 * and the synth fails. npm rewrites its hidden lockfile in place, so that file is a copy,
 * never a link (the test checks the repository's is untouched).
 *
 * Cost: about 50 s of CPU in all: the build (esbuild, tsc declarations; about 20 s),
 * npm install (about 5 s), the synth (about 10 s) and the bin runs. On a 2-core machine
 * shared with other work it has taken 3 to 4 minutes of wall time.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_DIRS } from '../../infra/functions';

const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pitstop-consumer-'));
const app = join(work, 'app');
const hiddenLockfile = join(ROOT, 'node_modules', '.package-lock.json');
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const out = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
  return out;
}

interface PackedFile {
  readonly path: string;
}
let packed: readonly PackedFile[] = [];
let lockBefore = '';

beforeAll(() => {
  lockBefore = existsSync(hiddenLockfile) ? digest(hiddenLockfile) : '';
  // npm pack runs `prepack`: the build.
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: PackedFile[] }[];
  packed = info!.files;
  const tarball = join(work, info!.filename);

  cpSync(join(ROOT, 'examples', 'consumer-app'), app, { recursive: true, filter: (src) => !src.includes('node_modules') && !src.includes('cdk.out') });
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies.pitstop = `file:${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  // Hard links where the temporary folder shares the repository's file system, else a copy.
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(app, 'node_modules')]);
  if (linked.status !== 0) {
    rmSync(join(app, 'node_modules'), { recursive: true, force: true });
    run('cp', ['-a', join(ROOT, 'node_modules'), join(app, 'node_modules')], work);
  }
  rmSync(join(app, 'node_modules', '.package-lock.json'), { force: true });
  if (existsSync(hiddenLockfile)) copyFileSync(hiddenLockfile, join(app, 'node_modules', '.package-lock.json'));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', '--loglevel=error'], app);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Function: npm pack', () => {
  it('ships compiled JavaScript with declarations, the bin, and one pre-bundled handler per Lambda; no TypeScript sources or tests', () => {
    // Prepare
    const paths = new Set(packed.map((f) => f.path));
    // Assess
    for (const file of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/bin/pitstop.js', 'dist/infra/pipeline.js', 'dist/infra/pipeline.d.ts', 'examples/pitstop.config.json', 'examples/pitstop.xgboost.json', 'examples/pitstop.sklearn.json', 'examples/sklearn/train.py']) {
      expect(paths, file).toContain(file);
    }
    for (const dir of Object.values(FUNCTION_DIRS)) expect(paths, dir).toContain(`dist/lambda-bundles/${dir}/index.js`);
    const sources = [...paths].filter((p) => /\.ts$/.test(p) && !p.endsWith('.d.ts'));
    expect(sources).toEqual([]);
    expect([...paths].filter((p) => p.startsWith('test/') || p.includes('.test.'))).toEqual([]);
  });
});

describe('Function: the installed package', () => {
  it('resolves its entry and declarations through exports, with specifiers Node can load', () => {
    // Prepare
    const dir = join(app, 'node_modules', 'pitstop');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: { '.': { types: string; import: string } }; peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    const types = readFileSync(join(dir, pkg.exports['.'].types), 'utf8');
    // Assess
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(pkg.dependencies['aws-cdk-lib']).toBeUndefined();
    const relative = [...types.matchAll(/from '(\.[^']*)'/g)].map((m) => m[1]!);
    expect(relative.length).toBeGreaterThan(5);
    for (const spec of relative) {
      expect(spec).toMatch(/\.js$/);
      expect(existsSync(join(dir, 'dist', spec.replace(/\.js$/, '.d.ts'))), spec).toBe(true);
    }
    // What the consumer's synth could not do without: no TypeScript, no esbuild installed.
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'esbuild'))).toBe(false);
  });

  it('links a pitstop bin that answers --version with the package version and --help with the commands', () => {
    // Act
    const version = run(process.execPath, [join(app, 'node_modules', '.bin', 'pitstop'), '--version'], app);
    const help = run(process.execPath, [join(app, 'node_modules', '.bin', 'pitstop'), '--help'], app);
    // Assess
    const { version: expected } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(`pitstop ${expected}`);
    expect(help.stdout).toMatch(/^Usage: pitstop <command>/);
    expect(help.stdout).toMatch(/^\s+drift\s/m);
  });

  it('runs init --example and drift from the installed bin, and refuses demo (local mode) with how to clone', () => {
    // Prepare
    const bin = join(app, 'node_modules', '.bin', 'pitstop');
    const cli = (args: readonly string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });
    const rows = (shift: number) => ['x,c', ...Array.from({ length: 60 }, (_, i) => `${i + shift},${i % 2 ? 'a' : 'b'}`)].join('\n') + '\n';
    writeFileSync(join(work, 'ref.csv'), rows(0));
    writeFileSync(join(work, 'cur.csv'), rows(1000));
    // Act
    const init = cli(['init', '--example', '--out', join(work, 'example.json')]);
    const drift = cli(['drift', '--reference', join(work, 'ref.csv'), '--current', join(work, 'cur.csv'), '--json']);
    const demo = cli(['demo']);
    // The README's quick start: an example config named as in the package, its script folder copied beside the copy.
    const data = cli(['example-data', '--out', join(work, 'data'), '--rows', '50', '--config', 'examples/pitstop.sklearn.json', '--config-out', join(work, 'pitstop.json')]);
    // Assess
    expect(init.status, init.stderr).toBe(0);
    expect(readFileSync(join(work, 'example.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'examples', 'pitstop.config.json'), 'utf8'));
    expect(init.stdout).not.toMatch(/Run it locally with: pitstop demo/);
    // x moved entirely out of its reference range: drift (exit 1), with x among the drifted features.
    expect(drift.status, drift.stderr).toBe(1);
    const features = (JSON.parse(drift.stdout) as { features: { name: string; drifted: boolean }[] }).features;
    expect(features.map((f) => [f.name, f.drifted])).toEqual([['x', true], ['c', false]]);
    expect(data.status, data.stderr).toBe(0);
    const written = JSON.parse(readFileSync(join(work, 'pitstop.json'), 'utf8')) as { models: { training: { sourceDir: string } }[] };
    expect(written.models[0]!.training.sourceDir).toBe('sklearn');
    expect(readFileSync(join(work, 'sklearn', 'train.py'), 'utf8')).toBe(readFileSync(join(ROOT, 'examples', 'sklearn', 'train.py'), 'utf8'));
    expect(demo.status).toBe(2);
    expect(demo.stderr).toMatch(/runs from a clone of the repository/);
    expect(demo.stderr).toMatch(/git clone .* && npm install && npm start/);
  });

  it('synthesizes the consumer app with plain Node: four state machines, every Lambda from a pre-bundled folder', () => {
    // Prepare
    const out = join(work, 'cdk.out');
    // Act
    run(process.execPath, ['bin/app.mjs'], app, { CDK_OUTDIR: out });
    // Assess
    const template = JSON.parse(readFileSync(join(out, 'ChurnModel.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const resources = Object.values(template.Resources);
    const machines = resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(4);
    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
    // The example model has no data.dataset: every function but prepareDataset.
    expect(functions).toHaveLength(Object.keys(FUNCTION_DIRS).length - 1);
    const assets = readdirSync(out).filter((f) => f.startsWith('asset.'));
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      const key = String((fn.Properties.Code as { S3Key: unknown }).S3Key);
      const asset = assets.find((a) => key.startsWith(a.slice('asset.'.length)));
      expect(asset, key).toBeDefined();
      expect(readdirSync(join(out, asset!))).toEqual(['index.js']);
    }
  });

  it('leaves the repository\'s node_modules as it was', () => {
    // Assess
    expect(existsSync(hiddenLockfile) ? digest(hiddenLockfile) : '').toBe(lockBefore);
  });
});
