/**
 * The features an endpoint receives, from a few of its data capture files: `pitstop init`
 * without training data. SageMaker writes capture as JSON Lines objects under
 * `<DestinationS3Uri>/<EndpointName>/<VariantName>/yyyy/mm/dd/hh/`, one record per request
 * (`captureData.endpointInput` with `data`, `encoding` and `observedContentType`).
 * The newest files are listed with ListObjectsV2 (a bounded number of pages) and read with
 * GetObject, at most a few records each; the records are decoded by the capture reader the
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
  /** ListObjectsV2 pages listed (1,000 keys each) before choosing the newest files. @default 5 */
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

/** The newest `.jsonl` objects under the prefix, from at most `pages` pages of ListObjectsV2. */
async function newestCaptureObjects(s3: S3Client, bucket: string, prefix: string, count: number, pages: number): Promise<_Object[]> {
  const objects: _Object[] = [];
  let token: string | undefined;
  for (let page = 0; page < pages; page++) {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of out.Contents ?? []) if (o.Key?.endsWith('.jsonl') && (o.Size ?? 1) > 0) objects.push(o);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
    if (!token) break;
  }
  return objects.sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0)).slice(0, count);
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
 * Reads the newest capture files under `captureUri` and infers the features' types.
 * @returns undefined when the prefix holds no capture file yet
 * @throws InputError naming the file and line of a record the capture reader cannot decode
 */
export async function sampleCapture(s3: S3Client, captureUri: string, limits: CaptureSampleLimits = {}): Promise<CaptureSample | undefined> {
  const { bucket, key: prefix } = splitS3Uri(captureUri);
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
