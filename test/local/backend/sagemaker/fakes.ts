/**
 * In-memory stand-ins for the S3 and CloudWatch services the local SageMaker uses,
 * plus helpers shared by its tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CloudWatchLike, MetricDatum, S3Like } from '../../../../local/backend/sagemaker/deps';

/** Directory of the stand-in scripts. */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The image the stand-in scripts play. */
export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/pitstop-test:1.0.0';

/** Images option mapping {@link IMAGE} to the stand-in scripts. */
export const IMAGES = {
  [IMAGE]: { train: [process.execPath, join(FIXTURES, 'train.mjs')], serve: [process.execPath, join(FIXTURES, 'serve.mjs')] },
};

/** S3 kept in a map of `bucket/key` → bytes. */
export class MemoryS3 implements S3Like {
  public readonly objects = new Map<string, Uint8Array>();

  public async GetObject(input: { Bucket: string; Key: string }) {
    const bytes = this.objects.get(`${input.Bucket}/${input.Key}`);
    if (!bytes) throw Object.assign(new Error(`NoSuchKey ${input.Key}`), { name: 'NoSuchKey' });
    return { Body: { transformToByteArray: async () => bytes } };
  }

  public async PutObject(input: { Bucket: string; Key: string; Body: Uint8Array | string }) {
    this.put(`s3://${input.Bucket}/${input.Key}`, input.Body);
    return {};
  }

  public async ListObjectsV2(input: { Bucket: string; Prefix?: string; ContinuationToken?: string }) {
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(`${input.Bucket}/${input.Prefix ?? ''}`))
      .map((k) => k.slice(input.Bucket.length + 1))
      .sort();
    // pages of 2 keys, so pagination is exercised
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const page = keys.slice(start, start + 2);
    const more = start + 2 < keys.length;
    return { Contents: page.map((Key) => ({ Key })), IsTruncated: more, ...(more ? { NextContinuationToken: String(start + 2) } : {}) };
  }

  /** Stores an object by URI. */
  public put(uri: string, body: Uint8Array | string): void {
    this.objects.set(uri.replace(/^s3:\/\//, ''), typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  /** The text of an object by URI. */
  public text(uri: string): string {
    const bytes = this.objects.get(uri.replace(/^s3:\/\//, ''));
    if (!bytes) throw new Error(`no object ${uri}`);
    return Buffer.from(bytes).toString('utf8');
  }

  /** URIs of every object under a URI prefix. */
  public list(prefix: string): string[] {
    const p = prefix.replace(/^s3:\/\//, '');
    return [...this.objects.keys()].filter((k) => k.startsWith(p)).sort().map((k) => `s3://${k}`);
  }
}

/** CloudWatch that records every PutMetricData call. */
export class MemoryCloudWatch implements CloudWatchLike {
  public readonly calls: { Namespace: string; MetricData: MetricDatum[] }[] = [];
  public async PutMetricData(input: { Namespace: string; MetricData: MetricDatum[] }) {
    this.calls.push(structuredClone(input));
    return {};
  }

  /** Sum of a count metric of one variant over every call. */
  public sum(metric: string, endpoint: string, variant: string): number {
    let total = 0;
    for (const d of this.datums(metric, endpoint, variant)) total += d.Value ?? 0;
    return total;
  }

  /** Every datum of a metric of one variant. */
  public datums(metric: string, endpoint: string, variant: string): MetricDatum[] {
    return this.calls.flatMap((c) =>
      c.MetricData.filter(
        (d) =>
          d.MetricName === metric &&
          d.Dimensions.some((x) => x.Name === 'EndpointName' && x.Value === endpoint) &&
          d.Dimensions.some((x) => x.Name === 'VariantName' && x.Value === variant),
      ),
    );
  }
}

/**
 * A `model.tar.gz` holding `files`, made with the system `tar` (independent of the
 * local SageMaker's own tar writer).
 */
export function systemTarGz(files: Record<string, string>): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-tar-'));
  try {
    const src = join(dir, 'src');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(src, name)), { recursive: true });
      writeFileSync(join(src, name), text);
    }
    execFileSync('tar', ['-czf', join(dir, 'model.tar.gz'), '-C', src, '.']);
    return new Uint8Array(readFileSync(join(dir, 'model.tar.gz')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a process id is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
