/**
 * Training entry point of the example model, under the SageMaker training container
 * contract:
 *
 *   node --import tsx examples/model/train.ts
 *
 * - reads `<input config>/hyperparameters.json` (string values; `SM_HPS` when the file
 *   is absent; none at all is fine), see {@link parseHyperparameters};
 * - reads every file of the `train` channel (CSV with a header; features and the label
 *   by name), and of the `validation` channel when it exists;
 * - writes `<model dir>/model.json` and `<output data dir>/metrics.json`;
 * - prints `epoch i/n loss=x` per iteration and then one line of final metrics,
 *   `train:logloss=0.4123; train:auc=0.8012; train:accuracy=0.7950;` (plus
 *   `validation:*` with a validation channel) for metric-definition regexes such as
 *   `train:auc=([0-9.]+);`;
 * - on failure writes the reason to `<output dir>/failure`, prints it to stderr and
 *   exits 2 for bad input (data or hyperparameters), 1 otherwise (including `fail`).
 *
 * Paths: see {@link trainingPaths} (`SM_ROOT`, `SM_INPUT_CONFIG_DIR`, `SM_CHANNEL_TRAIN`,
 * `SM_CHANNEL_VALIDATION`, `SM_MODEL_DIR`, `SM_OUTPUT_DIR`, `SM_OUTPUT_DATA_DIR`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../vocabulary/errors';
import { openTable } from '../../lambdas/core/readers';
import { MODEL_FILE, type ModelArtifact } from './artifact';
import { parseHyperparameters, type Hyperparameters } from './hyperparameters';
import { trainingPaths, type TrainingPaths } from './sagemaker-paths';
import { trainModel, TrainingSetBuilder, type TrainingSet } from './train-model';

/** Reads hyperparameters.json (or `SM_HPS`), `{}` when neither exists. */
export function readRawHyperparameters(paths: TrainingPaths, env: Readonly<Record<string, string | undefined>> = process.env): Record<string, unknown> {
  const file = join(paths.inputConfigDir, 'hyperparameters.json');
  let text: string | undefined;
  let source = file;
  if (existsSync(file)) text = readFileSync(file, 'utf8');
  else if (env.SM_HPS) [text, source] = [env.SM_HPS, 'SM_HPS'];
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`hyperparameters are not JSON: ${(err as Error).message}`, { file: source }, { cause: err });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InputError('hyperparameters must be a JSON object', { file: source });
  }
  return json as Record<string, unknown>;
}

/**
 * Reads every CSV file under a channel directory into a training set.
 *
 * @throws InputError / ValueTypeError naming file, line and column on bad data
 */
export async function readChannel(dir: string, hp: Hyperparameters): Promise<TrainingSet> {
  const table = await openTable(dir, { format: 'csv' });
  const builder = new TrainingSetBuilder(hp, table.columns, dir);
  for await (const batch of table.batches()) {
    batch.rows.forEach((row, i) => builder.add(row, { file: batch.file, line: batch.lines[i] }));
  }
  return builder.build();
}

/** Formats metrics as `name=value;` pairs on one line. */
export function formatMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .filter(([k]) => k.includes(':'))
    .map(([k, v]) => `${k}=${v.toFixed(6)};`)
    .join(' ');
}

/** Runs one training under the contract. Throws on failure; the caller reports it. */
export async function runTraining(paths: TrainingPaths, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<ModelArtifact> {
  const { hyperparameters: hp, ignored } = parseHyperparameters(readRawHyperparameters(paths));
  if (ignored.length > 0) process.stderr.write(`ignoring unknown hyperparameters: ${ignored.join(', ')}\n`);
  if (hp.fail !== undefined) {
    // Fail before reading data, so a failing training is quick.
    return trainModel({ columns: [], labels: new Uint8Array() }, hp);
  }
  if (!existsSync(paths.trainChannel)) throw new InputError('the train channel does not exist', { file: paths.trainChannel });
  const train = await readChannel(paths.trainChannel, hp);
  log(`read ${train.labels.length} training rows from ${paths.trainChannel}`);
  const validation = existsSync(paths.validationChannel) ? await readChannel(paths.validationChannel, hp) : undefined;
  const every = hp.solver === 'newton' ? 1 : Math.max(1, Math.floor(hp.maxIter / 20));
  const model = trainModel(train, hp, {
    validation,
    onIteration: (i, n, loss) => {
      if (i % every === 0 || i === n) log(`epoch ${i}/${n} loss=${loss.toFixed(6)}`);
    },
  });
  mkdirSync(paths.modelDir, { recursive: true });
  writeFileSync(join(paths.modelDir, MODEL_FILE), `${JSON.stringify(model, null, 2)}\n`);
  mkdirSync(paths.outputDataDir, { recursive: true });
  writeFileSync(join(paths.outputDataDir, 'metrics.json'), `${JSON.stringify(model.metrics, null, 2)}\n`);
  log(formatMetrics(model.metrics));
  return model;
}

/** The entry point: runs the training, and on failure writes the failure file and sets the exit code. */
async function main(): Promise<void> {
  const paths = trainingPaths();
  try {
    await runTraining(paths);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    try {
      mkdirSync(paths.outputDir, { recursive: true });
      writeFileSync(paths.failureFile, reason);
    } catch (writeErr) {
      process.stderr.write(`cannot write ${paths.failureFile}: ${(writeErr as Error).message}\n`);
    }
    process.stderr.write(`training failed: ${reason}\n`);
    process.exitCode = err instanceof InputError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
