/**
 * The local environment of one run: the local backend (S3, CloudWatch, DynamoDB, SNS,
 * EventBridge) and the local SageMaker under one root directory, every AWS SDK client
 * of the process routed to them, and the model's stack synthesized from its config and
 * "deployed": tables, alarms and rules loaded, state machines ready to run, Lambdas
 * ready in-process. {@link LocalEnvironment.teardown} stops every server and job and
 * restores the SDK clients; call it in a `finally`.
 */
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Console } from 'node:console';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeRef, resolveExpression, resolveStateMachines } from '../asl';
import { LocalBackend } from '../backend';
import { installLocalBackend, type InstalledBackend } from '../backend/sdk-middleware';
import { resourcesOfType } from '../backend/template';
import { LocalSageMaker, type LogSource, type TransformHeader } from '../backend/sagemaker/index';
import { synthesizeModel, type SynthesizedModel } from '../synth';
import { findModel, parseConfig, parseS3Uri, type Compliance, type ModelConfig } from '../../vocabulary/config/index';
import { InputError } from '../../vocabulary/errors';
import { SimulatedClock } from './clock';
import { ExecutionRunner, localMachines, type ExecutionRunnerOptions } from './executions';
import { localLambdas, type LambdaCall } from './lambdas';
import { ScopedEnvironment } from './process-env';
import { localImages } from './sagemaker-images';
import { Timeline } from './timeline';

/** The repository root (where examples/ lives). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The example config. */
export const EXAMPLE_CONFIG = join(REPO_ROOT, 'examples', 'pitstop.config.json');

export { EXAMPLE_IMAGE_COMMANDS } from './sagemaker-images';

/** A raw model entry of the config file, before validation. */
export type RawModel = Record<string, unknown>;

/**
 * Reads a config file and returns one model, validated, after `patch` changed its raw
 * JSON (so the config's defaults apply to the patched values) and the local canary
 * evidence settings were applied ({@link localCanaryEvidence}).
 * @param name the model @default the first model of the config
 */
export async function loadModel(path: string, name?: string, patch?: (raw: RawModel) => RawModel): Promise<ModelConfig> {
  return (await loadLocalConfig(path, name, patch)).model;
}

/** A model of a config file and the config's compliance mode (the stack is synthesized in it). */
export interface LocalConfig {
  readonly model: ModelConfig;
  readonly compliance: Compliance;
}

/** Candidate requests a local stage needs unless the config says: what a 1.5 s bake of the background traffic gives at 5 %. */
export const LOCAL_MIN_REQUESTS = 2;

/**
 * Extensions a local stage may take unless the config says. A local stage's window grows
 * with each 1.5 s extension, and a slow local model server (the scikit-learn and XGBoost
 * stand-ins answer one request at a time) can leave a 5 % stage a request short after the
 * default three; twenty keep such a stage waiting for evidence, as a real one would.
 */
export const LOCAL_MAX_EXTENSIONS = 20;

/**
 * The canary's evidence settings in local mode, where a bake lasts about a second and a
 * half instead of minutes and the endpoint metrics are flushed to the local CloudWatch
 * before each check: no metric lag, and `minRequests` scaled down to what such a bake
 * receives, with more extensions ({@link LOCAL_MAX_EXTENSIONS}) — unless the model's
 * config sets them.
 */
export function localCanaryEvidence(raw: RawModel): RawModel {
  const canary = (raw.canary ?? {}) as Record<string, unknown>;
  return { ...raw, canary: { metricLagMinutes: 0, minRequests: LOCAL_MIN_REQUESTS, maxExtensions: LOCAL_MAX_EXTENSIONS, ...canary } };
}

/** Like {@link loadModel}, also returning the config's `compliance`. */
export async function loadLocalConfig(path: string, name?: string, patch?: (raw: RawModel) => RawModel): Promise<LocalConfig> {
  let json: { models?: RawModel[] };
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as { models?: RawModel[] };
  } catch (cause) {
    throw new InputError(`cannot read the config (${(cause as Error).message})`, { file: path }, { cause });
  }
  if (Array.isArray(json.models)) {
    const index = name === undefined ? 0 : json.models.findIndex((m) => m.name === name);
    const local = (raw: RawModel) => localCanaryEvidence(patch ? patch(raw) : raw);
    if (index >= 0) json.models[index] = local(structuredClone(json.models[index]!));
  }
  const config = parseConfig(json, path);
  return { model: name === undefined ? config.models[0]! : findModel(config, name), compliance: config.compliance };
}

/** Options of {@link createEnvironment}. */
export interface EnvironmentOptions {
  /** The model to deploy. */
  readonly model: ModelConfig;
  /** The config's compliance mode: the stack is synthesized in it, as `cdk deploy` would. @default 'standard' */
  readonly compliance?: Compliance;
  /** Root directory of the local backend. @default `.pitstop/local` of the working directory */
  readonly root?: string;
  /** Remove the root first. @default true */
  readonly fresh?: boolean;
  /** Receives every line a training job, endpoint or transform prints. @default dropped */
  readonly onLog?: (line: string, source: LogSource) => void;
  /** Receives every Lambda call. @default none */
  readonly onLambdaCall?: (call: LambdaCall) => void;
  /** Options of the execution runner (waits, callbacks). @default its defaults */
  readonly executions?: Omit<ExecutionRunnerOptions, 'backend' | 'lambdas' | 'timeline' | 'clock'>;
  /** How batch transform treats a header line. @default 'send' (SageMaker's behaviour: every line is a record; the retrain's Prepare holdout step writes no header) */
  readonly transformHeader?: TransformHeader;
  /** How often endpoint metrics and capture are written. @default 250 ms */
  readonly flushIntervalMs?: number;
}

/** A running local environment. */
export interface LocalEnvironment {
  readonly root: string;
  readonly clock: SimulatedClock;
  readonly backend: LocalBackend;
  readonly sagemaker: LocalSageMaker;
  readonly timeline: Timeline;
  readonly runner: ExecutionRunner;
  /** The model as currently deployed. */
  readonly model: ModelConfig;
  readonly synthesized: SynthesizedModel;
  /** Synthesizes `model` and replaces the deployed state machines, Lambdas, alarms and rules with its (a `cdk deploy` of a changed config). */
  redeploy(model: ModelConfig): Promise<void>;
  /** Stops every endpoint, job and server, restores the SDK clients. Safe to call twice. */
  teardown(): Promise<void>;
}

/** The Powertools logger the handlers share, whose output goes to a log file in local mode. */
async function redirectLambdaLogs(file: string): Promise<{ restore: () => Promise<void> }> {
  const { logger } = await import('../../lambdas/runtime/logger');
  // Powertools writes through its private `console`; in local mode the handlers' JSON
  // logs go to a file so that stdout stays for the CLI's own output.
  const target = logger as unknown as { console: Console };
  const previous = target.console;
  mkdirSync(dirname(file), { recursive: true });
  const stream: WriteStream = createWriteStream(file, { flags: 'a' });
  target.console = new Console({ stdout: stream, stderr: stream });
  return {
    restore: () =>
      new Promise<void>((done) => {
        target.console = previous;
        stream.end(() => done());
      }),
  };
}

/** Buckets a model's stack and data use. */
function bucketsOf(synth: SynthesizedModel): string[] {
  const names = new Set<string>();
  for (const [id, r] of Object.entries(synth.template.Resources)) if (r.Type === 'AWS::S3::Bucket') names.add(fakeRef(id, r.Type));
  const d = synth.model.data as unknown as Record<string, unknown>;
  for (const v of Object.values(d)) {
    if (typeof v !== 'string') continue;
    const loc = parseS3Uri(v);
    if ('bucket' in loc) names.add(loc.bucket);
  }
  return [...names];
}

/** Starts a local environment and deploys the model's stack in it. */
export async function createEnvironment(options: EnvironmentOptions): Promise<LocalEnvironment> {
  const root = resolve(options.root ?? join(process.cwd(), '.pitstop', 'local'));
  if (options.fresh ?? true) rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  process.env.AWS_REGION ??= 'us-east-1';
  const clock = new SimulatedClock();
  const backend = new LocalBackend({ root, clock: () => clock.now() });
  // The local region: the stack's region mapping resolves SageMaker's images in it.
  const images = (model: ModelConfig) => localImages(model, process.env.AWS_REGION ?? 'us-east-1');
  const sagemaker = new LocalSageMaker({
    s3: backend.s3 as never,
    cloudwatch: backend.cloudwatch as never,
    images: images(options.model) as never,
    cwd: REPO_ROOT,
    workDir: join(root, 'sagemaker'),
    transformHeader: options.transformHeader ?? 'send',
    flushIntervalMs: options.flushIntervalMs ?? 250,
    captureClock: () => clock.now(),
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  backend.register(sagemaker);
  backend.register(sagemaker.runtime);
  const timeline = new Timeline(Date.now());
  const scoped = new ScopedEnvironment();
  // Local mode calls no AWS service: the SDK's notice about future Node support is
  // noise here (it still shows for the commands that reach AWS).
  const sdkNotice = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const sdkNoticeBefore = process.env[sdkNotice];
  process.env[sdkNotice] = 'true';
  const logs = await redirectLambdaLogs(join(root, 'logs', 'lambdas.jsonl'));
  let installed: InstalledBackend | undefined = installLocalBackend(backend);
  let runner: ExecutionRunner | undefined;
  const current = { model: options.model, synthesized: undefined as unknown as SynthesizedModel };

  const deploy = async (model: ModelConfig) => {
    const synthesized = synthesizeModel(model, { compliance: options.compliance ?? 'standard' });
    Object.assign(sagemaker.options.images, images(model));
    backend.dynamodb.createTablesFromTemplate(synthesized.template);
    await backend.cloudwatch.putAlarmsFromTemplate(synthesized.template);
    backend.eventbridge.loadRules(synthesized.template);
    for (const b of bucketsOf(synthesized)) await backend.s3.CreateBucket({ Bucket: b });
    // What `cdk deploy` uploads (a framework's sourcedir.tar.gz) goes to the local S3.
    for (const asset of synthesized.fileAssets) {
      const bucket = resolveExpression({ 'Fn::Sub': asset.bucketName }, synthesized.template);
      await backend.s3.CreateBucket({ Bucket: bucket }).catch(() => undefined);
      await backend.s3.PutObject({ Bucket: bucket, Key: asset.objectKey, Body: asset.bytes });
    }
    for (const { properties } of resourcesOfType(synthesized.template, 'AWS::SageMaker::ModelPackageGroup')) {
      const name = String(properties.ModelPackageGroupName);
      const exists = await sagemaker.registry.DescribeModelPackageGroup({ ModelPackageGroupName: name }).then(() => true, () => false);
      if (!exists) await sagemaker.registry.CreateModelPackageGroup(properties as never);
    }
    const lambdas = await localLambdas(synthesized.template, {
      environment: scoped,
      ...(options.onLambdaCall ? { onCall: options.onLambdaCall } : {}),
      // Endpoint metrics reach CloudWatch on a timer; a canary check reads them right after the bake.
      before: { canaryCheck: () => sagemaker.flushMetrics(), smokeTest: () => sagemaker.flushMetrics() },
    });
    const machines = localMachines(resolveStateMachines(synthesized.template));
    if (!runner) {
      runner = new ExecutionRunner({ ...options.executions, backend, lambdas, timeline, clock: () => clock.now() });
    }
    runner.deploy(machines, lambdas);
    current.model = model;
    current.synthesized = synthesized;
  };

  let torn = false;
  const teardown = async () => {
    if (torn) return;
    torn = true;
    runner?.abortAll();
    try {
      await sagemaker.shutdown();
    } finally {
      installed?.uninstall();
      installed = undefined;
      await logs.restore();
      if (sdkNoticeBefore === undefined) delete process.env[sdkNotice];
      else process.env[sdkNotice] = sdkNoticeBefore;
    }
  };

  try {
    await deploy(options.model);
  } catch (err) {
    await teardown();
    throw err;
  }
  return {
    root,
    clock,
    backend,
    sagemaker,
    timeline,
    get runner() {
      return runner!;
    },
    get model() {
      return current.model;
    },
    get synthesized() {
      return current.synthesized;
    },
    redeploy: deploy,
    teardown,
  };
}
