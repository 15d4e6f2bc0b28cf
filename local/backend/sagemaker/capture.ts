/**
 * Endpoint data capture in SageMaker's layout: JSON Lines records
 * `{"captureData":{"endpointInput":{...},"endpointOutput":{...}},"eventMetadata":{"eventId","inferenceTime"},"eventVersion":"0"}`
 * under `<DestinationS3Uri>/<EndpointName>/<VariantName>/yyyy/mm/dd/hh/<file>.jsonl`
 * (UTC hour of the records; files named `mm-ss-mmm-<uuid>.jsonl` after the first
 * record's minute, second and millisecond, like SageMaker's).
 *
 * Payload encoding follows `CaptureContentTypeHeader`: a content type listed under
 * `CsvContentTypes` is stored as text with encoding `CSV`, one under
 * `JsonContentTypes` as text with `JSON`, anything else base64 with `BASE64` (and, as in
 * SageMaker, everything is base64 when the header is absent).
 */
import { randomUUID } from 'node:crypto';
import type { S3Like } from './deps';
import { joinS3Uri, parseS3Uri } from './s3';

/** DataCaptureConfig of CreateEndpointConfig. */
export interface DataCaptureConfig {
  EnableCapture?: boolean;
  InitialSamplingPercentage: number;
  DestinationS3Uri: string;
  CaptureOptions: { CaptureMode: 'Input' | 'Output' | string }[];
  CaptureContentTypeHeader?: { CsvContentTypes?: string[]; JsonContentTypes?: string[] };
  KmsKeyId?: string;
}

/** One captured payload. */
export interface CapturedPayload {
  observedContentType: string;
  mode: 'INPUT' | 'OUTPUT';
  data: string;
  encoding: 'CSV' | 'JSON' | 'BASE64';
}

/** One capture record. */
export interface CaptureRecord {
  captureData: { endpointInput?: CapturedPayload; endpointOutput?: CapturedPayload };
  eventMetadata: { eventId: string; inferenceId?: string; inferenceTime: string };
  eventVersion: '0';
}

function baseType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** Encodes a payload as SageMaker's capture does. */
export function capturePayload(
  config: DataCaptureConfig,
  mode: 'INPUT' | 'OUTPUT',
  contentType: string,
  body: Uint8Array,
): CapturedPayload {
  const header = config.CaptureContentTypeHeader;
  const type = baseType(contentType);
  const listed = (list: string[] | undefined) => (list ?? []).some((t) => baseType(t) === type);
  const encoding = listed(header?.CsvContentTypes) ? 'CSV' : listed(header?.JsonContentTypes) ? 'JSON' : 'BASE64';
  const data = encoding === 'BASE64' ? Buffer.from(body).toString('base64') : Buffer.from(body).toString('utf8');
  return { observedContentType: contentType, mode, data, encoding };
}

/** The capture record of one invocation, with the sides `CaptureOptions` asks for. */
export function captureRecord(
  config: DataCaptureConfig,
  time: Date,
  input: { contentType: string; body: Uint8Array },
  output: { contentType: string; body: Uint8Array } | undefined,
  inferenceId?: string,
): CaptureRecord {
  const modes = new Set(config.CaptureOptions.map((o) => o.CaptureMode.toLowerCase()));
  return {
    captureData: {
      ...(modes.has('input') ? { endpointInput: capturePayload(config, 'INPUT', input.contentType, input.body) } : {}),
      ...(modes.has('output') && output ? { endpointOutput: capturePayload(config, 'OUTPUT', output.contentType, output.body) } : {}),
    },
    eventMetadata: {
      eventId: randomUUID(),
      ...(inferenceId ? { inferenceId } : {}),
      inferenceTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    eventVersion: '0',
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The S3 URI of a capture file whose first record is at `time`. */
export function captureFileUri(destination: string, endpointName: string, variantName: string, time: Date, id: string): string {
  const hourPath = `${time.getUTCFullYear()}/${pad(time.getUTCMonth() + 1)}/${pad(time.getUTCDate())}/${pad(time.getUTCHours())}`;
  const file = `${pad(time.getUTCMinutes())}-${pad(time.getUTCSeconds())}-${pad(time.getUTCMilliseconds(), 3)}-${id}.jsonl`;
  return joinS3Uri(destination, endpointName, variantName, hourPath, file);
}

interface Pending {
  uri: string;
  lines: string[];
}

/** Buffers capture records and writes one file per endpoint, variant and hour on flush. */
export class CaptureBuffer {
  private pending = new Map<string, Pending>();
  private flushing: Promise<void> = Promise.resolve();

  public constructor(private readonly s3: S3Like) {}

  /** Adds a record for `<endpoint>/<variant>` to be written under `destination`. */
  public add(destination: string, endpointName: string, variantName: string, time: Date, record: CaptureRecord): void {
    const hour = Math.floor(time.getTime() / 3_600_000);
    const key = JSON.stringify([destination, endpointName, variantName, hour]);
    let p = this.pending.get(key);
    if (!p) {
      p = { uri: captureFileUri(destination, endpointName, variantName, time, randomUUID()), lines: [] };
      this.pending.set(key, p);
    }
    p.lines.push(JSON.stringify(record));
  }

  /** Writes every buffered file; concurrent calls are serialized. */
  public flush(): Promise<void> {
    const next = this.flushing.then(() => this.write());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    const files = [...this.pending.values()];
    this.pending = new Map();
    for (const f of files) {
      const { bucket, key } = parseS3Uri(f.uri);
      await this.s3.PutObject({ Bucket: bucket, Key: key, Body: `${f.lines.join('\n')}\n`, ContentType: 'application/jsonlines' });
    }
  }
}
