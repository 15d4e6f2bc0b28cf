/**
 * Test plumbing for the handlers: an in-memory S3 behind aws-sdk-client-mock
 * (GetObject, HeadObject, ListObjectsV2, PutObject; ETags are the MD5 of the body, as S3 gives for a single-part upload), capture and ground-truth record builders, and
 * environment save/restore.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach } from 'vitest';
import { logger } from '../../lambdas/runtime/logger';
import { MODEL_CONFIG_ENV, type ModelSettings } from '../../lambdas/runtime/model-settings';

// Keep test output readable: the handlers' structured logs are not under test.
logger.setLogLevel('SILENT');

type S3Stub = AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An in-memory bucket store: `s3://bucket/key` → content. Writes land in `written`. */
export class FakeS3 {
  public readonly objects = new Map<string, string>();
  public readonly written = new Map<string, { body: string; contentType?: string }>();

  public constructor(stub: S3Stub) {
    stub.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
      const uri = `s3://${input.Bucket}/${input.Key}`;
      const content = this.objects.get(uri) ?? this.written.get(uri)?.body;
      if (content === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: sdkStreamMixin(Readable.from([Buffer.from(content)])), ContentLength: Buffer.byteLength(content) };
    });
    stub.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix?: string }) => {
      const base = `s3://${input.Bucket}/`;
      const contents = [...this.objects.entries()]
        .filter(([uri]) => uri.startsWith(base + (input.Prefix ?? '')))
        .map(([uri, body]) => ({ Key: uri.slice(base.length), Size: Buffer.byteLength(body), ETag: etagOf(body) }));
      return { Contents: contents, IsTruncated: false };
    });
    stub.on(HeadObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
      const content = this.objects.get(`s3://${input.Bucket}/${input.Key}`);
      if (content === undefined) throw Object.assign(new Error('Not Found'), { name: 'NotFound' });
      return { ContentLength: Buffer.byteLength(content), ETag: etagOf(content) };
    });
    stub.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string; Body: string | Uint8Array; ContentType?: string }) => {
      const body = typeof input.Body === 'string' ? input.Body : Buffer.from(input.Body).toString('utf8');
      this.written.set(`s3://${input.Bucket}/${input.Key}`, { body, contentType: input.ContentType });
      return {};
    });
  }

  /** Adds objects. */
  public put(objects: Record<string, string>): this {
    for (const [uri, body] of Object.entries(objects)) this.objects.set(uri, body);
    return this;
  }

  /** The JSON written to `uri`. */
  public json(uri: string): unknown {
    const w = this.written.get(uri);
    if (!w) throw new Error(`nothing written to ${uri}; written: ${[...this.written.keys()].join(', ')}`);
    return JSON.parse(w.body);
  }
}

/** The ETag S3 gives a single-part upload: the body's MD5 in quotes. */
export function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** The S3Client class, for `mockClient`. */
export { S3Client };

/** One SageMaker data-capture line with CSV input and CSV output. */
export function captureLine(eventId: string, features: readonly (string | number)[], prediction?: string | number): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: features.join(','), encoding: 'CSV' },
      ...(prediction === undefined
        ? {}
        : { endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: String(prediction), encoding: 'CSV' } }),
    },
    eventMetadata: { eventId, inferenceTime: '2026-01-01T00:00:00Z' },
    eventVersion: '0',
  });
}

/** One SageMaker Model Monitor ground-truth line. */
export function groundTruthLine(eventId: string, label: string): string {
  return JSON.stringify({ groundTruthData: { data: label, encoding: 'CSV' }, eventMetadata: { eventId }, eventVersion: '0' });
}

/** Settings of a small binary model. */
export const BINARY_SETTINGS: ModelSettings = {
  name: 'churn',
  problemType: 'binary',
  label: 'label',
  features: [
    { name: 'x', type: 'numeric' },
    { name: 'y', type: 'numeric' },
  ],
  validation: { minRows: 3 },
  drift: { method: 'psi', threshold: 0.2, driftedFeatures: 1 },
};

/** Sets `PITSTOP_MODEL_CONFIG` for a test. */
export function useSettings(settings: ModelSettings): void {
  process.env[MODEL_CONFIG_ENV] = JSON.stringify(settings);
}

/** Snapshot of process.env, restored by `restoreEnv`. */
export function saveEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}

/** The common run fields of every event. */
export const RUN = { model: 'churn', runId: 'churn-0123456789ab' } as const;

/**
 * The fixture of a handler test file: S3 mocked by a fresh {@link FakeS3} for each test
 * (the mock reset after it), `process.env` saved and restored, and with `settings` the
 * model settings set for each test. Returns the current test's FakeS3.
 */
export function useHandlerFixture(settings?: ModelSettings): () => FakeS3 {
  const s3Mock = mockClient(S3Client);
  let s3: FakeS3 | undefined;
  let restore: () => void = () => undefined;
  beforeEach(() => {
    restore = saveEnv();
    s3 = new FakeS3(s3Mock);
    if (settings) useSettings(settings);
  });
  afterEach(() => {
    s3Mock.reset();
    restore();
  });
  return () => s3!;
}
