/** Opening the CLI's data arguments: a table from a path or s3:// URI, or a baseline profile. */
import { open, readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../vocabulary/errors';
import { isS3Uri } from '../../vocabulary/s3-uri';
import { openFiles } from '../../lambdas/core/readers';
import { resolveSource } from '../../lambdas/core/readers/sources';
import type { AwsClientSettings } from './aws';
import { meteredFile, meteredTable, readMeter } from './read-progress';
import type { CaptureSettings } from '../../vocabulary/capture-presets';
import type { DataFormat, Table } from '../../lambdas/core/readers/types';
import { parseProfile, type Profile } from '../../lambdas/core/profile';

/** How {@link openData} reads a source. */
export interface OpenDataOptions {
  /** `--format`. @default from the extension */
  readonly format?: DataFormat;
  /** The features of a data capture (its records carry values only). */
  readonly captureFeatureNames?: readonly string[];
  /** Where a data capture's features and prediction are. */
  readonly capture?: CaptureSettings;
  /** Hears of long reads (bytes and rows). */
  readonly progress?: (message: string) => void;
  /** `--region` / `--profile` of the S3 client for `s3://` sources. @default the SDK's chain */
  readonly aws?: AwsClientSettings;
  /** The S3 client (tests). @default a new S3Client with `aws` */
  readonly s3?: S3Client;
}

/**
 * The S3 client of the CLI's reads, made on first use: a command on local files never
 * loads the AWS SDK.
 */
export function lazyS3Client(settings: AwsClientSettings = {}, given?: S3Client): () => Promise<S3Client> {
  let client: Promise<S3Client> | undefined = given ? Promise.resolve(given) : undefined;
  return () => (client ??= import('@aws-sdk/client-s3').then(({ S3Client }) => new S3Client(settings)));
}

/** Opens `<data>`; the format comes from `--format` or the extension. */
export async function openData(source: string, options: OpenDataOptions = {}): Promise<Table> {
  const { progress } = options;
  const tableOptions = { format: options.format, captureFeatureNames: options.captureFeatureNames, ...(options.capture ? { capture: options.capture } : {}) };
  const client = isS3Uri(source) ? await lazyS3Client(options.aws, options.s3)() : undefined;
  const files = await resolveSource(source, () => {
    if (!client) throw new Error(`no S3 client for ${source}`);
    return client;
  });
  if (!progress) return openFiles(source, files, tableOptions);
  const meter = readMeter(source, progress);
  return meteredTable(await openFiles(source, files.map((f) => meteredFile(f, meter)), tableOptions), meter);
}

/** The first line of a local file (at most 64 KiB of it). */
async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    const nl = text.indexOf('\n');
    return nl === -1 ? text : text.slice(0, nl);
  } finally {
    await handle.close();
  }
}

/**
 * True when a local `.json` file holds a profile rather than JSON Lines data: a
 * pretty-printed profile's first line is not a JSON value on its own, and a compact
 * one is a single object with `version` and `features`.
 */
async function isProfileFile(source: string): Promise<boolean> {
  if (!/\.json$/i.test(source) || source.startsWith('s3://')) return false;
  const line = (await firstLine(source)).trim();
  if (!line.startsWith('{')) return false;
  try {
    const obj = JSON.parse(line) as Record<string, unknown>;
    return 'version' in obj && Array.isArray(obj.features);
  } catch {
    return true;
  }
}

/** Reads a baseline profile written by `pitstop profile`. */
export async function readProfile(file: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the profile: ${(err as Error).message}`, { file }, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not a profile: invalid JSON (${(err as Error).message})`, { file }, { cause: err });
  }
  return parseProfile(json, file);
}

/**
 * `--reference` takes data or a profile. A local `.json` file whose content is one
 * JSON object with a `features` array is a profile; anything else is data.
 */
export async function openReference(source: string, options: Pick<OpenDataOptions, 'format' | 'progress' | 'aws' | 's3'> = {}): Promise<Table | Profile> {
  if (options.format === undefined && (await isProfileFile(source))) return readProfile(source);
  return openData(source, options);
}
