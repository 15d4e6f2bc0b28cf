import { readFile, writeFile, access } from 'node:fs/promises';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InputError } from '../../../vocabulary/errors';
import { awsSettings, explainAwsError, type AwsClientSettings } from '../aws';
import { ExitCode, type Command, type ParsedValues } from '../command';
import { lazyS3Client, openData } from '../data';
import { sampleCapture } from '../init/capture-sample';
import { describeEndpoint } from '../init/endpoint';
import { inferFeatures, startingConfig, type InferredFeature, type InitAnswers } from '../init/starting-config';
import { optChoice, optString, reqString, UsageError } from '../options';
import { packageRoot } from '../version';
import { runsFromSources } from './clone-only';

const PROBLEM_TYPES = ['binary', 'multiclass', 'regression'] as const;
/** Rows of the training data read to infer the feature types. */
const SAMPLE_ROWS = 1000;

async function refuseOverwrite(out: string, force: boolean): Promise<void> {
  if (force) return;
  const exists = await access(out).then(() => true, () => false);
  if (exists) throw new UsageError(`${out} exists: choose another --out, or --force to replace it`);
}

/** The first rows of the training data, for the feature types. */
async function sampleTraining(source: string, label: string, aws: AwsClientSettings) {
  const table = await openData(source, { aws });
  if (!table.columns.includes(label)) throw new InputError(`no column ${JSON.stringify(label)} (the --label) in the training data; columns: ${table.columns.join(', ')}`, { file: source });
  const rows: (readonly (string | number | boolean | null)[])[] = [];
  for await (const batch of table.batches()) {
    rows.push(...batch.rows);
    if (rows.length >= SAMPLE_ROWS) break;
  }
  return inferFeatures(table.columns, rows.slice(0, SAMPLE_ROWS), label);
}

function answersOf(values: ParsedValues, endpoint: string): InitAnswers {
  const name = optString(values, 'name') ?? endpoint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 32);
  const problemType = optChoice(values, 'problem-type', PROBLEM_TYPES);
  if (!problemType) throw new UsageError(`--problem-type is required (${PROBLEM_TYPES.join(', ')})`);
  const opt = (flag: string) => optString(values, flag);
  return {
    name,
    label: reqString(values, 'label'),
    problemType,
    ...(opt('training') ? { training: opt('training')! } : {}),
    ...(opt('holdout') ? { holdout: opt('holdout')! } : {}),
    ...(opt('ground-truth') ? { groundTruth: opt('ground-truth')! } : {}),
    ...(opt('image') ? { image: opt('image')! } : {}),
  };
}

export const initCommand: Command = {
  name: 'init',
  usage: 'init (--endpoint NAME --label COL --problem-type TYPE [--training SRC] | --example) [--out FILE] [--force]',
  help: [
    ['--endpoint NAME', 'the SageMaker endpoint: its variant and data capture are read with DescribeEndpoint / DescribeEndpointConfig'],
    ['--label COL', 'the label column'],
    ['--problem-type TYPE', 'binary, multiclass or regression'],
    ['--training SRC', 'training data (path or s3:// URI): the features and their types come from its first rows (default: from a few captured requests)'],
    ['--holdout URI', 'holdout data for the gate'],
    ['--ground-truth URI', 'where ground truth labels arrive'],
    ['--image URI', 'the ECR training image'],
    ['--name NAME', 'the model name (default: from the endpoint name)'],
    ['--example', 'write the example config local mode runs (no AWS)'],
    ['--out FILE', 'where to write (default pitstop.config.json)'],
    ['--force', 'replace --out when it exists'],
  ],
  examples: [
    'pitstop init --endpoint churn-prod --label churned --problem-type binary --training s3://bucket/churn/train.csv',
    'pitstop init --example --out example.config.json',
  ],
  options: {
    endpoint: { type: 'string' },
    label: { type: 'string' },
    'problem-type': { type: 'string' },
    training: { type: 'string' },
    holdout: { type: 'string' },
    'ground-truth': { type: 'string' },
    image: { type: 'string' },
    name: { type: 'string' },
    example: { type: 'boolean', default: false },
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  async run(values, _positionals, ctx) {
    const out = optString(values, 'out') ?? 'pitstop.config.json';
    const endpoint = optString(values, 'endpoint');
    if (values.example === true) {
      if (endpoint !== undefined) throw new UsageError('--example and --endpoint exclude each other');
      await refuseOverwrite(out, values.force === true);
      const root = packageRoot();
      if (!root) throw new InputError('cannot find the pitstop package folder holding examples/pitstop.config.json');
      await writeFile(out, await readFile(new URL('examples/pitstop.config.json', root), 'utf8'));
      return { exitCode: ExitCode.Ok, json: { out, example: true }, text: `Wrote the example config to ${out}.\n${runsFromSources() ? `Run it locally with: npm run --silent pitstop -- demo --config ${out}` : 'Local mode (pitstop demo) runs from a clone of the repository; to deploy it, use a CDK app of your own (see the README\'s quick start).'}` };
    }
    if (endpoint === undefined) throw new UsageError('give --endpoint NAME (an endpoint that serves) or --example');
    const answers = answersOf(values, endpoint);
    await refuseOverwrite(out, values.force === true);
    ctx.progress(`reading endpoint ${endpoint} ...`);
    const aws = awsSettings(values);
    const facts = await describeEndpoint(new SageMakerClient(aws), endpoint);
    // The features: from the training data when given, else from the requests the endpoint captured.
    let features: InferredFeature[] | undefined;
    let featuresFrom: 'training' | 'capture' | undefined;
    const captureNotes: string[] = [];
    if (answers.training) {
      features = await sampleTraining(answers.training, answers.label, aws);
      featuresFrom = 'training';
    } else if (facts.captureUri) {
      ctx.progress(`reading captured requests under ${facts.captureUri} ...`);
      const sample = await sampleCapture(await lazyS3Client(aws)(), facts.captureUri, endpoint, facts.variant).catch((err: unknown) => {
        // The config is still worth writing: say why the features are missing.
        captureNotes.push(`Could not read the captured requests under ${facts.captureUri}: ${explainAwsError(err) ?? (err instanceof Error ? err.message : String(err))}. Pass --training for the features.`);
        return undefined;
      });
      if (sample && sample.features.length > 0) {
        features = sample.features;
        featuresFrom = 'capture';
        captureNotes.push(`Features inferred from ${sample.records} captured requests in ${sample.files.length} file(s).`);
        if (sample.positional) captureNotes.push(`The requests are CSV rows without names: the features are named f0..f${sample.features.length - 1}; rename them in the order the model reads them.`);
      }
    }
    const { json, placeholders } = startingConfig(facts, answers, features);
    await writeFile(out, `${JSON.stringify(json, null, 2)}\n`);
    const notes = [
      ...(facts.captureEnabled ? [] : [`Data capture is OFF on ${endpoint}: turn it on (an endpoint config with DataCaptureConfig EnableCapture true, Input and Output) or the monitor has nothing to read.`]),
      ...(facts.captureEnabled && !facts.capturesInput ? [`${endpoint} captures responses only: capture Input too, or drift has no features to read.`] : []),
      ...captureNotes,
      ...(features ? [] : ['No --training and no captured requests yet: features are inferred from the baseline at the first retrain.']),
      ...(placeholders.length ? [`Fill in: ${placeholders.join(', ')} (placeholders now).`] : []),
    ];
    return {
      exitCode: ExitCode.Ok,
      json: { out, endpoint: facts, features: features ?? null, featuresFrom: featuresFrom ?? null, placeholders, notes },
      text: [`Wrote ${out} for endpoint ${endpoint} (variant ${facts.variant}${facts.captureUri ? `, capture ${facts.captureUri}` : ''}).`, ...notes].join('\n'),
    };
  },
};
