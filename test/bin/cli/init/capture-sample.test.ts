import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleCapture, variantCapturePrefix } from '../../../../bin/cli/init/capture-sample';
import { listObjectsV2, type ListedObject } from './s3-listing';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

/** One capture record of a CSV request, as SageMaker writes it. */
const record = (row: string) => JSON.stringify({
  captureData: {
    endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: row, encoding: 'CSV' },
    endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: '0.5', encoding: 'CSV' },
  },
  eventMetadata: { eventId: row, inferenceTime: '2026-11-30T10:00:00Z' },
  eventVersion: '0',
});

const pad = (n: number) => String(n).padStart(2, '0');

describe('Function: variantCapturePrefix', () => {
  it('is <dest>/<endpoint>/<variant>/ whether or not the destination ends in /', () => {
    // Assess
    expect(variantCapturePrefix('s3://acme-ml/capture', 'churn-prod', 'AllTraffic')).toBe('s3://acme-ml/capture/churn-prod/AllTraffic/');
    expect(variantCapturePrefix('s3://acme-ml/capture/', 'churn-prod', 'AllTraffic')).toBe('s3://acme-ml/capture/churn-prod/AllTraffic/');
  });
});

describe('Function: sampleCapture', () => {
  it('reads the newest files of its own endpoint and variant on a busy endpoint, walking the hours newest first', async () => {
    // Prepare: 30 days x 24 hours x 3 files of churn-prod (2,160 keys, more than two pages), the
    // newest hour with a numeric row; a newer file of another endpoint and of another variant.
    const bodies = new Map<string, string>();
    const objects: ListedObject[] = [];
    const add = (key: string, modified: string, body: string) => {
      bodies.set(key, body);
      objects.push({ key, modified, size: Buffer.byteLength(body) });
    };
    for (let day = 1; day <= 30; day++) {
      for (let hour = 0; hour < 24; hour++) {
        for (let i = 0; i < 3; i++) {
          const newest = day === 30 && hour === 23;
          add(`capture/churn-prod/AllTraffic/2026/11/${pad(day)}/${pad(hour)}/${pad(hour)}-${pad(i * 10)}-000-f${day}h${hour}i${i}.jsonl`,
            `2026-11-${pad(day)}T${pad(hour)}:${pad(i * 10)}:00Z`, `${record(newest ? `${i},pro,1.5` : 'old,basic,x')}\n`);
        }
      }
    }
    add('capture/churn-prod/AllTraffic/2026/11/30/23/capture-manifest.json', '2026-11-30T23:59:00Z', '{}');
    add('capture/fraud-prod/AllTraffic/2026/12/01/00/00-00-000-other.jsonl', '2026-12-01T00:05:00Z', `${record('a,b,c,d')}\n`);
    add('capture/churn-prod/Shadow/2026/12/01/00/00-00-000-shadow.jsonl', '2026-12-01T00:05:00Z', `${record('s,s,s')}\n`);
    s3.on(ListObjectsV2Command).callsFake(listObjectsV2('acme-ml', objects));
    s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => ({ Body: sdkStreamMixin(Readable.from([Buffer.from(bodies.get(Key)!)])), ContentLength: Buffer.byteLength(bodies.get(Key)!) }));

    // Act
    const sample = await sampleCapture(new S3Client({ region: 'eu-west-1' }), 's3://acme-ml/capture', 'churn-prod', 'AllTraffic');

    // Assess: the three files of the newest hour; the other endpoint and variant untouched
    const hour = 's3://acme-ml/capture/churn-prod/AllTraffic/2026/11/30/23/';
    expect(sample!.files.sort()).toEqual(['23-00-000-f30h23i0.jsonl', '23-10-000-f30h23i1.jsonl', '23-20-000-f30h23i2.jsonl'].map((f) => hour + f));
    expect(sample!.features.map((f) => f.type)).toEqual(['numeric', 'categorical', 'numeric']);
    const listed = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    for (const l of listed) expect(l.Prefix!.startsWith('capture/churn-prod/AllTraffic/')).toBe(true);
    // year, month, day and hour folders, then the hour's files: not the 2,160 keys page by page.
    expect(listed).toHaveLength(5);
    expect(listed.slice(0, 4).every((l) => l.Delimiter === '/')).toBe(true);
  });

  it('goes back to older hours when the newest holds fewer files than wanted', async () => {
    // Prepare
    const objects: ListedObject[] = [
      { key: 'c/e/v/2026/11/29/22/22-00-000-a.jsonl', modified: '2026-11-29T22:00:00Z', size: 10 },
      { key: 'c/e/v/2026/11/30/09/09-00-000-b.jsonl', modified: '2026-11-30T09:00:00Z', size: 10 },
      { key: 'c/e/v/2026/11/30/10/10-00-000-c.jsonl', modified: '2026-11-30T10:00:00Z', size: 10 },
    ];
    s3.on(ListObjectsV2Command).callsFake(listObjectsV2('b', objects, 1));
    s3.on(GetObjectCommand).callsFake(() => ({ Body: sdkStreamMixin(Readable.from([Buffer.from(`${record('1,x')}\n`)])) }));
    // Act
    const sample = await sampleCapture(new S3Client({ region: 'eu-west-1' }), 's3://b/c/', 'e', 'v', { files: 2 });
    // Assess
    expect(sample!.files).toEqual(['s3://b/c/e/v/2026/11/30/10/10-00-000-c.jsonl', 's3://b/c/e/v/2026/11/30/09/09-00-000-b.jsonl']);
    // Pages of one entry: the continuation token is echoed.
    const tokens = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.ContinuationToken).filter(Boolean);
    expect(tokens.length).toBeGreaterThan(0);
  });
});
