import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lazyS3Client, openData } from '../../../bin/cli/data';

const s3 = mockClient(S3Client);
const dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-data-'));
afterEach(() => s3.reset());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Function: lazyS3Client', () => {
  it('makes one client, on first use, with --region and --profile', async () => {
    // Prepare
    const get = lazyS3Client({ region: 'eu-west-2', profile: 'ops' });
    // Act
    const [a, b] = await Promise.all([get(), get()]);
    // Assess
    expect(a).toBe(b);
    expect(await a.config.region()).toBe('eu-west-2');
    expect(a.config.profile).toBe('ops');
  });
});

describe('Function: openData', () => {
  it('reads an s3:// source with the client of --region, and a local file with no S3 call', async () => {
    // Prepare
    const body = 'a,b\n1,x\n2,y\n';
    s3.on(HeadObjectCommand).resolves({ ContentLength: body.length, ETag: '"e"', LastModified: new Date(0) });
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false, KeyCount: 1, Contents: [{ Key: 'data/a.csv', Size: body.length, LastModified: new Date(0), ETag: '"e"' }] });
    s3.on(GetObjectCommand).callsFake(() => ({ Body: sdkStreamMixin(Readable.from([Buffer.from(body)])), ContentLength: body.length }));
    const local = join(dir, 'a.csv');
    writeFileSync(local, body);
    // Act
    const remote = await openData('s3://bucket/data/a.csv', { aws: { region: 'ap-southeast-2' } });
    const calls = s3.calls().length;
    const file = await openData(local);
    // Assess
    expect(remote.columns).toEqual(['a', 'b']);
    expect(calls).toBeGreaterThan(0);
    expect(await (s3.call(0).thisValue as S3Client).config.region()).toBe('ap-southeast-2');
    expect(file.columns).toEqual(['a', 'b']);
    expect(s3.calls()).toHaveLength(calls);
  });
});
