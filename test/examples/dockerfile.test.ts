/**
 * examples/model/Dockerfile against the example's container contract, without a
 * Docker engine: its COPY sources exist and hold every file the entry points import
 * (esbuild's metafile lists them), its build commands bundle the entry points, the
 * bundle it ships trains under an /opt/ml layout, and the entrypoint dispatches
 * SageMaker's `train` and `serve` to the files the image holds, on the port serve.ts
 * listens on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTrainHoldout } from '../../examples/data/generate';
import { DEFAULT_SM_ROOT } from '../../examples/model/sagemaker-paths';
import { REPO, removeDir, tempDir } from './helpers';

const dockerfile = readFileSync(join(REPO, 'examples', 'model', 'Dockerfile'), 'utf8');
const entrypoint = readFileSync(join(REPO, 'examples', 'model', 'docker-entrypoint.sh'), 'utf8');
/** Instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.join('\n').split(/^FROM /m).slice(1);
const buildStage = stages[0]!;
const finalStage = stages.at(-1)!;

/** `COPY a b dest` lines of a stage (without --from): the sources. */
const copySources = (stage: string) =>
  stage
    .split('\n')
    .filter((l) => l.startsWith('COPY ') && !l.includes('--from'))
    .flatMap((l) => l.slice(5).trim().split(/\s+/).slice(0, -1));

/** The esbuild commands of the build stage: entry point and outfile. */
const bundles = [...buildStage.matchAll(/npx esbuild (\S+) [^&]*?--outfile=(\S+)/g)].map((m) => ({ entry: m[1]!, outfile: m[2]! }));
/** The esbuild options of the build stage, as the JS API takes them. */
const banner = /^ARG BANNER="(.+)"$/m.exec(buildStage)?.[1];
const esbuildOptions = () => {
  const command = /npx esbuild \S+ ([^&]*?)--outfile=/.exec(buildStage)![1]!;
  return {
    bundle: command.includes('--bundle'),
    platform: /--platform=(\w+)/.exec(command)![1] as 'node',
    format: /--format=(\w+)/.exec(command)![1] as 'esm',
    ...(command.includes('--banner:js=$BANNER') && banner ? { banner: { js: banner } } : {}),
    logLevel: 'silent' as const,
  };
};

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('Function: examples/model/Dockerfile', () => {
  it('bundles both entry points of the contract, train.ts and serve.ts', () => {
    // Assess
    expect(bundles.map((b) => b.entry).sort()).toEqual(['examples/model/serve.ts', 'examples/model/train.ts']);
    for (const b of bundles) expect(existsSync(join(REPO, b.entry)), b.entry).toBe(true);
  });

  it('copies into the build stage every file the entry points import', async () => {
    // Prepare
    const sources = copySources(buildStage).map((s) => s.replace(/\/$/, ''));
    for (const s of sources) expect(existsSync(join(REPO, s)), `COPY source ${s}`).toBe(true);
    // Act: esbuild's metafile lists the inputs of each bundle
    const out = tempDir('pitstop-docker-');
    dirs.push(out);
    const result = await build({ ...esbuildOptions(), entryPoints: bundles.map((b) => join(REPO, b.entry)), outdir: out, metafile: true });
    // Assess
    const inputs = Object.keys(result.metafile.inputs).map((p) => relative(REPO, join(process.cwd(), p)));
    const own = inputs.filter((p) => !p.startsWith('node_modules/'));
    expect(own.length).toBeGreaterThan(10);
    const uncovered = own.filter((p) => !sources.some((s) => p === s || p.startsWith(`${s}/`)));
    expect(uncovered).toEqual([]);
  });

  it('ships the bundles where the entrypoint runs them, and exposes the port serve.ts listens on', () => {
    // Prepare
    const shipped = /COPY --from=build (.+) (\/\S+)\/$/m.exec(finalStage);
    const serveSource = readFileSync(join(REPO, 'examples', 'model', 'serve.ts'), 'utf8');
    // Assess
    expect(shipped).not.toBeNull();
    const files = shipped![1]!.trim().split(/\s+/);
    expect(files.sort()).toEqual(bundles.map((b) => b.outfile).sort());
    const dest = shipped![2]!;
    for (const mode of ['train', 'serve']) {
      const outfile = bundles.find((b) => b.entry.endsWith(`/${mode}.ts`))!.outfile;
      expect(entrypoint).toMatch(new RegExp(`\\b${mode}\\)[^;]*; exec node ${dest}/${outfile.split('/').at(-1)!.replace('.', '\\.')} `));
    }
    expect(finalStage).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/docker-entrypoint.sh"\]$/m);
    expect(finalStage).toContain('COPY examples/model/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh');
    const port = /SAGEMAKER_BIND_TO_PORT \?\? '(\d+)'/.exec(serveSource)?.[1];
    expect(finalStage).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    // The image keeps SageMaker's tree where the model looks for it.
    expect(DEFAULT_SM_ROOT).toBe('/opt/ml');
    expect(finalStage).not.toMatch(/SM_ROOT|SM_MODEL_DIR|WORKDIR \/opt\/ml/);
  });

  it('refuses a command other than train or serve (exit 64)', () => {
    // Act
    const run = spawnSync('sh', [join(REPO, 'examples', 'model', 'docker-entrypoint.sh'), 'fit'], { encoding: 'utf8' });
    // Assess
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('expected train or serve, got: fit');
  });

  it('trains with the bundled train.mjs alone, under an /opt/ml layout, and writes the model', async () => {
    // Prepare: the bundle as the image holds it, outside the repository (no node_modules)
    const image = tempDir('pitstop-image-');
    const root = tempDir('pitstop-opt-ml-');
    dirs.push(image, root);
    const train = bundles.find((b) => b.entry.endsWith('/train.ts'))!;
    await build({ ...esbuildOptions(), entryPoints: [join(REPO, train.entry)], outfile: join(image, 'train.mjs') });
    const split = writeTrainHoldout(join(root, 'gen'), { rows: 800, seed: 5 });
    mkdirSync(join(root, 'input', 'data', 'train'), { recursive: true });
    mkdirSync(join(root, 'input', 'config'), { recursive: true });
    writeFileSync(join(root, 'input', 'data', 'train', 'train.csv'), readFileSync(split.train));
    writeFileSync(join(root, 'input', 'config', 'hyperparameters.json'), JSON.stringify({ max_iter: '10' }));
    // Act
    const run = spawnSync(process.execPath, [join(image, 'train.mjs')], { cwd: image, env: { ...process.env, SM_ROOT: root }, encoding: 'utf8' });
    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(root, 'model', 'model.json'))).toBe(true);
  });
});
