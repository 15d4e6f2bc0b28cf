/** Opening the CLI's data arguments: a table from a path or s3:// URI, or a baseline profile. */
import { open, readFile } from 'node:fs/promises';
import { InputError } from '../../vocabulary/errors';
import { S3Client } from '@aws-sdk/client-s3';
import { openFiles, openTable } from '../../lambdas/core/readers';
import { resolveSource } from '../../lambdas/core/readers/sources';
import { meteredFile, meteredTable, readMeter } from './read-progress';
import type { CaptureSettings } from '../../vocabulary/capture-presets';
import type { DataFormat, Table } from '../../lambdas/core/readers/types';
import { parseProfile, type Profile } from '../../lambdas/core/profile';

/**
 * Opens `<data>`; the format comes from `--format` or the extension; `capture` says where a
 * data capture's features and prediction are; `progress` hears of long reads.
 */
export async function openData(
  source: string,
  format?: DataFormat,
  captureFeatureNames?: readonly string[],
  capture?: CaptureSettings,
  progress?: (message: string) => void,
): Promise<Table> {
  const options = { format, captureFeatureNames, ...(capture ? { capture } : {}) };
  if (!progress) return openTable(source, options);
  const meter = readMeter(source, progress);
  let client: S3Client | undefined;
  const files = await resolveSource(source, () => (client ??= new S3Client({})));
  return meteredTable(await openFiles(source, files.map((f) => meteredFile(f, meter)), options), meter);
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
export async function openReference(source: string, format?: DataFormat, progress?: (message: string) => void): Promise<Table | Profile> {
  if (format === undefined && (await isProfileFile(source))) return readProfile(source);
  return openData(source, format, undefined, undefined, progress);
}
