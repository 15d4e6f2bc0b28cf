/**
 * The features an endpoint receives, from a few of its data capture files: `pitstop init`
 * without training data. SageMaker writes capture as JSON Lines objects under
 * `<DestinationS3Uri>/<EndpointName>/<VariantName>/yyyy/mm/dd/hh/`, one record per request
 * (`captureData.endpointInput` with `data`, `encoding` and `observedContentType`).
 * The newest files are found by walking the hour folders newest first with ListObjectsV2
 * (a bounded number of pages per listing) and read with GetObject, at most a few records each; the records are decoded by the capture reader the
 * monitor uses. CSV requests carry no names: their features are named f0, f1, ... and the
 * user is told to rename them.
 */
import { GetObjectCommand, ListObjectsV2Command, type _Object, type S3Client } from '@aws-sdk/client-s3';
import type { Cell } from '../../../vocabulary/cell';
import { InputError } from '../../../vocabulary/errors';
import { formatS3Uri, splitS3Uri } from '../../../vocabulary/s3-uri';
import { CAPTURE_META_COLUMNS, captureColumns, captureRows, PREDICTION_COLUMN, type CaptureLayout } from '../../../lambdas/core/readers/capture';
import { inferFeatures, type InferredFeature } from './starting-config';

/** How much of the capture is read. */
export interface CaptureSampleLimits {
  /** Capture files read (the newest). @default 3 */
  readonly files?: number;
  /** Records read per file. @default 200 */
  readonly recordsPerFile?: number;
  /** ListObjectsV2 pages (1,000 keys or prefixes each) per listing of a folder. @default 5 */
  readonly pages?: number;
}

/** What the captured requests tell. */
export interface CaptureSample {
  readonly features: InferredFeature[];
  /** The capture files read. */
  readonly files: string[];
  readonly records: number;
  /** True when the requests are positional (CSV): the names are f0, f1, ... */
  readonly positional: boolean;
}

/** Hour folders of the capture layout below `<endpoint>/<variant>/`: yyyy/, mm/, dd/, hh/. */
const DATE_LEVELS = 4;

/** The common prefixes (with `Delimiter: '/'`) and objects of one listing, over at most `pages` pages. */
async function listAll(s3: S3Client, bucket: string, prefix: string, delimiter: boolean, pages: number): Promise<{ prefixes: string[]; objects: _Object[] }> {
  const prefixes: string[] = [];
  const objects: _Object[] = [];
  let token: string | undefined;
  for (let page = 0; page < pages; page++) {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(delimiter ? { Delimiter: '/' } : {}), ...(token ? { ContinuationToken: token } : {}) }));
    for (const p of out.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
    objects.push(...(out.Contents ?? []));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
    if (!token) break;
  }
  return { prefixes, objects };
}

/**
 * The newest `count` `.jsonl` objects under `prefix` (`<dest>/<endpoint>/<variant>/`):
 * ListObjectsV2 returns keys in ascending order, so the yyyy/mm/dd/hh folders are walked
 * newest first with `Delimiter: '/'`, and only the newest hours are listed in full.
 */
async function newestCaptureObjects(s3: S3Client, bucket: string, prefix: string, count: number, pages: number): Promise<_Object[]> {
  const found: _Object[] = [];
  const walk = async (at: string, depth: number): Promise<void> => {
    if (depth === DATE_LEVELS) {
      const { objects } = await listAll(s3, bucket, at, false, pages);
      const files = objects.filter((o) => o.Key?.endsWith('.jsonl') && (o.Size ?? 1) > 0);
      files.sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0) || (b.Key! < a.Key! ? -1 : 1));
      found.push(...files.slice(0, count - found.length));
      return;
    }
    const { prefixes } = await listAll(s3, bucket, at, true, pages);
    for (const next of prefixes.sort().reverse()) {
      if (found.length >= count) return;
      await walk(next, depth + 1);
    }
  };
  await walk(prefix, 0);
  return found;
}

/** The first `max` records of a capture file's text, with their line numbers. */
function records(text: string, max: number): { value: unknown; line: number }[] {
  const out: { value: unknown; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const line = lines[i]!.trim();
    if (line !== '') out.push({ value: JSON.parse(line) as unknown, line: i + 1 });
  }
  return out;
}

/**
 * The prefix SageMaker captures one variant's requests under: `<dest>/<endpoint>/<variant>/`
 * (the form the monitor reads, statemachines/monitor.ts).
 */
export function variantCapturePrefix(captureUri: string, endpointName: string, variant: string): string {
  return `${captureUri.replace(/\/+$/, '')}/${endpointName}/${variant}/`;
}

/**
 * Reads the newest capture files of one endpoint's variant under the capture destination
 * `captureUri` and infers the features' types.
 * @returns undefined when the prefix holds no capture file yet
 * @throws InputError naming the file and line of a record the capture reader cannot decode
 */
export async function sampleCapture(s3: S3Client, captureUri: string, endpointName: string, variant: string, limits: CaptureSampleLimits = {}): Promise<CaptureSample | undefined> {
  const { bucket, key: prefix } = splitS3Uri(variantCapturePrefix(captureUri, endpointName, variant));
  const objects = await newestCaptureObjects(s3, bucket, prefix, limits.files ?? 3, limits.pages ?? 5);
  if (objects.length === 0) return undefined;
  let layout: CaptureLayout | undefined;
  const rows: Cell[][] = [];
  const files: string[] = [];
  for (const object of objects) {
    const file = formatS3Uri({ bucket, key: object.Key! });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
    const text = (await got.Body?.transformToString('utf8')) ?? '';
    try {
      for (const { value, line } of records(text, limits.recordsPerFile ?? 200)) {
        layout ??= captureColumns(value, file, line);
        rows.push(...captureRows(value, layout, file, line));
      }
    } catch (err) {
      if (err instanceof SyntaxError) throw new InputError(`not a data capture file: ${err.message}`, { file }, { cause: err });
      throw err;
    }
    files.push(file);
  }
  if (!layout) return undefined;
  const featureIndexes = layout.columns.flatMap((c, i) => ((CAPTURE_META_COLUMNS as readonly string[]).includes(c) || c === PREDICTION_COLUMN || c.startsWith(`${PREDICTION_COLUMN}_`) ? [] : [i]));
  const columns = featureIndexes.map((i) => layout!.columns[i]!);
  const featureRows = rows.map((r) => featureIndexes.map((i) => r[i] ?? null));
  return { features: inferFeatures(columns, featureRows, ''), files, records: rows.length, positional: layout.featureKeys === undefined };
}
