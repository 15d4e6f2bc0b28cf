/**
 * One running model server under the SageMaker inference contract: the model's
 * artifacts unpacked into `SM_MODEL_DIR`, the image's `serve` command listening on a
 * free loopback port given in `SAGEMAKER_BIND_TO_PORT`, ready once `GET /ping` answers 200.
 * Endpoint variants and batch transform jobs both run one.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageCommands, ResolvedOptions } from './deps';
import { validationError } from './errors';
import { freePort, httpRequest, startProcess, waitForPing, type HttpResponse, type ManagedProcess } from './process';
import { downloadPrefix, getObjectBytes, parseS3Uri } from './s3';
import { unpackArchive } from './tar';

/** A model as CreateModel stored it. */
export interface ModelRecord {
  readonly ModelName: string;
  readonly ModelArn: string;
  readonly Image: string;
  readonly ModelDataUrl?: string;
  readonly Environment: Record<string, string>;
  readonly input: Record<string, unknown>;
  readonly CreationTime: Date;
}

/** The commands of an image. @throws ValidationException for an image the options do not map */
export function commandsOf(options: ResolvedOptions, image: string): ImageCommands {
  const commands = options.images[image];
  if (!commands) {
    throw validationError(
      `image ${image} has no local commands; known images: ${Object.keys(options.images).join(', ') || '(none)'}`,
    );
  }
  return commands;
}

/** A started model server. */
export interface ModelServer {
  readonly port: number;
  readonly pid: number;
  readonly process: ManagedProcess;
  /** POST /invocations. */
  invoke(body: Uint8Array, headers: Record<string, string>): Promise<HttpResponse>;
  /** Stops the server and removes its model directory. */
  stop(): Promise<void>;
}

/**
 * Puts a model's artifacts into `dir`: a `.tar.gz` object is unpacked, a prefix (ending
 * in `/`) is copied as-is, no `ModelDataUrl` leaves the directory empty.
 */
export async function materializeModel(options: ResolvedOptions, modelDataUrl: string | undefined, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (!modelDataUrl) return;
  if (modelDataUrl.endsWith('/')) {
    await downloadPrefix(options.s3, modelDataUrl, dir);
    return;
  }
  const { bucket, key } = parseS3Uri(modelDataUrl);
  const bytes = await getObjectBytes(options.s3, bucket, key);
  await unpackArchive(bytes, dir);
}

/**
 * Puts a framework container's script directory into `dir` when `submitDirectory` is
 * the S3 URI of a gzipped tar (`sourcedir.tar.gz`): what the framework's toolkit does
 * inside a real container (into /opt/ml/code), done here because a local command has
 * no S3 of its own. Anything else (empty, a local path) is left to the command.
 * @returns whether the archive was unpacked
 */
export async function materializeCode(options: ResolvedOptions, submitDirectory: string | undefined, dir: string): Promise<boolean> {
  if (!submitDirectory?.startsWith('s3://')) return false;
  const { bucket, key } = parseS3Uri(submitDirectory);
  await mkdir(dir, { recursive: true });
  await unpackArchive(await getObjectBytes(options.s3, bucket, key), dir);
  return true;
}

/**
 * Starts a server for `model` in `dir` (created, and removed on stop).
 * The command runs with `SM_ROOT` set to `dir` (its `/opt/ml`): the artifacts in
 * `model/`, a framework's script (the model's `SAGEMAKER_SUBMIT_DIRECTORY`) in `code/`.
 * @param logName the name log lines carry (`<endpoint>/<variant>` or the transform job)
 * @throws Error when the artifacts cannot be read or the server does not become healthy
 */
export async function startModelServer(
  options: ResolvedOptions,
  model: ModelRecord,
  dir: string,
  logName: string,
  kind: 'endpoint' | 'transform',
): Promise<ModelServer> {
  const commands = commandsOf(options, model.Image);
  const modelDir = join(dir, 'model');
  await materializeModel(options, model.ModelDataUrl, modelDir);
  await materializeCode(options, model.Environment.SAGEMAKER_SUBMIT_DIRECTORY, join(dir, 'code'));
  const port = await freePort();
  const proc = startProcess(commands.serve, {
    cwd: options.cwd,
    env: {
      ...model.Environment,
      SAGEMAKER_BIND_TO_PORT: String(port),
      SM_ROOT: dir,
      SM_MODEL_DIR: modelDir,
      // A framework model names its script; otherwise the command is the program.
      SAGEMAKER_PROGRAM: model.Environment.SAGEMAKER_PROGRAM ?? commands.serve.join(' '),
      // Set by SageMaker in a batch transform's container; XGBoost then answers one line per record.
      ...(kind === 'transform' ? { SAGEMAKER_BATCH: 'true' } : {}),
    },
    onLine: (line, stream) => options.onLog(line, { kind, name: logName, stream }),
  });
  const stop = async () => {
    await proc.stop(options.stopGraceMs);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(proc, port, options.startupTimeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    port,
    pid: proc.pid,
    process: proc,
    invoke: (body, headers) => httpRequest(port, 'POST', '/invocations', body, headers),
    stop,
  };
}
