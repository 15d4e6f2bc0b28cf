/**
 * Ground truth for captured traffic: reads the endpoint's data-capture JSONL, finds
 * the label of each captured request by its body, and writes SageMaker ground-truth
 * records (`{"groundTruthData":{"data","encoding":"CSV"},"eventMetadata":{"eventId"},"eventVersion":"0"}`)
 * under the model's ground-truth URI in the hour partition of their arrival, as a
 * labeling job would when labels arrive.
 */
import { ListObjectsV2Command, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { hourPartition } from '../../lambdas/core/window/monitor-window';
import { splitS3Uri } from '../../vocabulary/s3-uri';

/** The fields of a capture record this module reads. */
interface CaptureLine {
  captureData?: { endpointInput?: { data?: string; encoding?: string } };
  eventMetadata?: { eventId?: string };
}

/** Ground-truth JSON lines for the capture lines whose request body has a known label. */
export function groundTruthLines(captureLines: readonly string[], labels: ReadonlyMap<string, string>, seen: Set<string> = new Set()): string[] {
  const out: string[] = [];
  for (const line of captureLines) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as CaptureLine;
    const input = record.captureData?.endpointInput;
    const eventId = record.eventMetadata?.eventId;
    if (!input?.data || !eventId || seen.has(eventId)) continue;
    const body = input.encoding === 'BASE64' ? Buffer.from(input.data, 'base64').toString('utf8') : input.data;
    const label = labels.get(body.replace(/\r?\n$/, ''));
    if (label === undefined) continue;
    seen.add(eventId);
    out.push(JSON.stringify({ groundTruthData: { data: label, encoding: 'CSV' }, eventMetadata: { eventId }, eventVersion: '0' }));
  }
  return out;
}


/** Writes ground truth for captured events not labeled yet; remembers which were. */
export class GroundTruthWriter {
  private readonly seen = new Set<string>();
  private readonly s3 = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1' });
  private batch = 0;

  /**
   * @param clock when labels arrive: their records go to that hour's `yyyy/mm/dd/hh/`
   * partition, SageMaker's ground-truth layout. @default () => new Date()
   */
  public constructor(
    private readonly captureUri: string,
    private readonly groundTruthUri: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Labels every new captured event; returns how many records were written. */
  public async write(labels: ReadonlyMap<string, string>): Promise<number> {
    const cap = splitS3Uri(this.captureUri);
    const lines: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: cap.bucket, Prefix: cap.key, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        if (!o.Key?.endsWith('.jsonl')) continue;
        const got = await this.s3.send(new GetObjectCommand({ Bucket: cap.bucket, Key: o.Key }));
        lines.push(...(await got.Body!.transformToString()).split('\n'));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const out = groundTruthLines(lines, labels, this.seen);
    if (out.length === 0) return 0;
    const gt = splitS3Uri(this.groundTruthUri);
    this.batch += 1;
    const key = `${gt.key.replace(/\/?$/, '/')}${hourPartition(this.clock())}/labels-${String(this.batch).padStart(4, '0')}.jsonl`;
    await this.s3.send(new PutObjectCommand({ Bucket: gt.bucket, Key: key, Body: `${out.join('\n')}\n` }));
    return out.length;
  }
}
