/**
 * `pitstop example-data`: writes the example churn data where a deployed pipeline reads
 * it (a local directory or an s3:// prefix), in the layout of the example configs:
 * `training/train.csv` and `holdout/holdout.csv` (CSV with a header: pitstop validates,
 * profiles and splits these; the label-first copies SageMaker's containers read are
 * made by the Retrain), and the `data` block pointing there. With `--config`, also a
 * copy of an example config whose `data` points at `--out`; a `--config` name not found
 * locally is read from the pitstop package (its `examples/`), and a training `sourceDir`
 * the package holds is copied beside `--config-out`.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { generateRows, splitHoldout, toCsv } from '../../../examples/data/generate';
import { awsSettings } from '../aws';
import { ExitCode, type Command } from '../command';
import { UsageError, optNumber, optString, reqString } from '../options';
import { packageRoot } from '../version';

/**
 * The file `--config` names: the path itself when it exists, else the same path under the
 * pitstop package's folder (`examples/pitstop.xgboost.json` from an installed package).
 * @throws UsageError when neither exists
 */
export function resolveExampleConfig(config: string, root: URL | undefined = packageRoot()): { path: string; fromPackage: string | undefined } {
  if (existsSync(config)) return { path: config, fromPackage: undefined };
  const pkg = root && !isAbsolute(config) ? fileURLToPath(new URL('.', root)).replace(/\/$/, '') : undefined;
  if (pkg && existsSync(join(pkg, config))) return { path: join(pkg, config), fromPackage: pkg };
  throw new UsageError(`--config: ${config} does not exist (nor in the pitstop package${pkg ? ` at ${pkg}` : ''})`);
}

/**
 * For a config read from the package: each model's relative `training.sourceDir` (resolved
 * from the working directory at synth) copied from the package to beside `configOut`,
 * and the config pointed at the copy. Returns the folders copied.
 */
export function copySourceDirs(models: { training?: { sourceDir?: unknown } }[], pkg: string, configOut: string): string[] {
  const copied: string[] = [];
  for (const m of models) {
    const dir = m.training?.sourceDir;
    if (typeof dir !== 'string' || dir.startsWith('s3://') || isAbsolute(dir) || existsSync(dir) || !existsSync(join(pkg, dir))) continue;
    const target = join(dirname(configOut), basename(dir));
    if (!existsSync(target)) cpSync(join(pkg, dir), target, { recursive: true });
    m.training!.sourceDir = relative(process.cwd(), target) || '.';
    copied.push(target);
  }
  return copied;
}

/** The objects and prefixes under `--out`, as the example configs name them. */
export const EXAMPLE_LAYOUT = {
  training: 'training/train.csv',
  holdout: 'holdout/holdout.csv',
  captureUri: 'capture/',
  groundTruthUri: 'ground-truth/',
} as const;

/** The `data` block of a config for data under `out` (ending in `/`). */
export function exampleDataBlock(out: string): Record<keyof typeof EXAMPLE_LAYOUT, string> {
  return {
    training: `${out}training/`,
    holdout: `${out}${EXAMPLE_LAYOUT.holdout}`,
    captureUri: `${out}${EXAMPLE_LAYOUT.captureUri}`,
    groundTruthUri: `${out}${EXAMPLE_LAYOUT.groundTruthUri}`,
  };
}

async function put(target: string, key: string, body: string, s3: S3Client | undefined): Promise<string> {
  if (target.startsWith('s3://')) {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(`${target}${key}`)!;
    await s3!.send(new PutObjectCommand({ Bucket: m[1], Key: m[2], Body: body, ContentType: 'text/csv; charset=utf-8' }));
    return `${target}${key}`;
  }
  const path = join(target, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  return path;
}

export const exampleDataCommand: Command = {
  name: 'example-data',
  usage: 'example-data --out DIR|s3://BUCKET/PREFIX/ [--rows N] [--seed N] [--config FILE --config-out FILE]',
  help: [
    ['--out DIR|s3://BUCKET/PREFIX/', 'where to write training/train.csv and holdout/holdout.csv'],
    ['--rows N', 'rows in total, 80 % training and 20 % holdout (default 5000)'],
    ['--seed N', 'seed of the generator (default 1)'],
    ['--config FILE', 'an example config to copy with its data pointing at --out (e.g. examples/pitstop.xgboost.json)'],
    ['--config-out FILE', 'where to write that copy'],
  ],
  examples: ['pitstop example-data --out s3://my-bucket/churn/ --config examples/pitstop.xgboost.json --config-out pitstop.json'],
  options: { out: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string' }, config: { type: 'string' }, 'config-out': { type: 'string' } },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  async run(values, _positionals, ctx) {
    const raw = reqString(values, 'out');
    const out = raw.endsWith('/') ? raw : `${raw}/`;
    if (out.startsWith('s3://') && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\//.test(out)) throw new UsageError(`--out expects s3://BUCKET/PREFIX/, got "${raw}"`);
    const rows = optNumber(values, 'rows', { min: 10, max: 10_000_000, integer: true }) ?? 5000;
    const seed = optNumber(values, 'seed', { integer: true }) ?? 1;
    const config = optString(values, 'config');
    const configOut = optString(values, 'config-out');
    if ((config === undefined) !== (configOut === undefined)) throw new UsageError('--config and --config-out go together');
    const { train, holdout } = splitHoldout(generateRows({ rows, seed }));
    const s3 = out.startsWith('s3://') ? new S3Client(awsSettings(values)) : undefined;
    const written = [
      await put(out, EXAMPLE_LAYOUT.training, toCsv(train), s3),
      await put(out, EXAMPLE_LAYOUT.holdout, toCsv(holdout), s3),
    ];
    ctx.progress(`wrote ${train.length} training and ${holdout.length} holdout rows`);
    const data = exampleDataBlock(out);
    const copied: string[] = [];
    if (config !== undefined && configOut !== undefined) {
      const source = resolveExampleConfig(config);
      const json = JSON.parse(readFileSync(source.path, 'utf8')) as { models?: { data?: Record<string, unknown>; training?: { sourceDir?: unknown } }[] };
      for (const m of json.models ?? []) m.data = { ...m.data, ...data };
      if (source.fromPackage) copied.push(...copySourceDirs(json.models ?? [], source.fromPackage, configOut));
      writeFileSync(configOut, `${JSON.stringify(json, null, 2)}\n`);
    }
    return {
      exitCode: ExitCode.Ok,
      json: { written, trainingRows: train.length, holdoutRows: holdout.length, data, ...(configOut ? { config: configOut } : {}), ...(copied.length ? { copied } : {}) },
      text: [
        `Wrote ${train.length} training rows to ${written[0]}`,
        `Wrote ${holdout.length} holdout rows to ${written[1]}`,
        `The config's "data": ${JSON.stringify(data, null, 2)}`,
        ...(configOut ? [`Wrote ${configOut} (${config} with that data block)`] : []),
        ...copied.map((d) => `Copied the training script folder to ${d}`),
      ].join('\n'),
    };
  },
};
