import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { LocalS3 } from '../../../local/backend/s3';
import { tempRoot } from './helpers';

let root: string;
let cleanup: () => void;
let s3: LocalS3;
beforeEach(() => {
  ({ root, cleanup } = tempRoot());
  s3 = new LocalS3({ root });
});
afterEach(() => cleanup());

describe('Function: LocalS3', () => {
  it('stores objects at <root>/s3/<bucket>/<key> and reads them back as SDK streams', async () => {
    // Act
    await s3.PutObject({ Bucket: 'data', Key: 'a/b/c.txt', Body: 'hello', ContentType: 'text/plain' });
    const out = await s3.GetObject({ Bucket: 'data', Key: 'a/b/c.txt' });
    // Assess
    expect(readFileSync(join(root, 's3', 'data', 'a', 'b', 'c.txt'), 'utf8')).toBe('hello');
    expect(await (out.Body as { transformToString(): Promise<string> }).transformToString()).toBe('hello');
    expect(out.ContentType).toBe('text/plain');
    expect(out.ContentLength).toBe(5);
    // md5("hello")
    expect(out.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
  });

  it('accepts Buffer, Uint8Array and stream bodies', async () => {
    await s3.PutObject({ Bucket: 'bkt', Key: 'buf', Body: Buffer.from([1, 2, 3]) });
    await s3.PutObject({ Bucket: 'bkt', Key: 'u8', Body: new Uint8Array([4, 5]) });
    await s3.PutObject({ Bucket: 'bkt', Key: 'stream', Body: Readable.from([Buffer.from('ab'), Buffer.from('cd')]) });
    const bytes = async (Key: string) =>
      [...(await ((await s3.GetObject({ Bucket: 'bkt', Key })).Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())];
    expect(await bytes('buf')).toEqual([1, 2, 3]);
    expect(await bytes('u8')).toEqual([4, 5]);
    expect(Buffer.from(await bytes('stream')).toString()).toBe('abcd');
  });

  it('serves byte ranges a-b, a- and -n with ContentRange', async () => {
    await s3.PutObject({ Bucket: 'bkt', Key: 'k', Body: '0123456789' });
    const read = async (Range: string) => {
      const out = await s3.GetObject({ Bucket: 'bkt', Key: 'k', Range });
      return { text: await (out.Body as { transformToString(): Promise<string> }).transformToString(), range: out.ContentRange };
    };
    expect(await read('bytes=2-4')).toEqual({ text: '234', range: 'bytes 2-4/10' });
    expect(await read('bytes=7-')).toEqual({ text: '789', range: 'bytes 7-9/10' });
    expect(await read('bytes=-3')).toEqual({ text: '789', range: 'bytes 7-9/10' });
    expect(await read('bytes=8-100')).toEqual({ text: '89', range: 'bytes 8-9/10' });
    await expect(s3.GetObject({ Bucket: 'bkt', Key: 'k', Range: 'bytes=10-12' })).rejects.toMatchObject({ name: 'InvalidRange' });
  });

  it('raises NoSuchKey, NoSuchBucket and NotFound (HEAD) with 404', async () => {
    await s3.PutObject({ Bucket: 'bkt', Key: 'k', Body: 'x' });
    await expect(s3.GetObject({ Bucket: 'bkt', Key: 'missing' })).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await expect(s3.GetObject({ Bucket: 'nobucket', Key: 'k' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.HeadObject({ Bucket: 'bkt', Key: 'missing' })).rejects.toMatchObject({ name: 'NotFound' });
    expect((await s3.HeadObject({ Bucket: 'bkt', Key: 'k' })).ContentLength).toBe(1);
  });

  it('lists keys under a prefix in order, paging with MaxKeys and ContinuationToken', async () => {
    // Prepare: written out of order
    for (const key of ['p/c', 'p/a', 'q/z', 'p/b/1', 'p/b/0']) await s3.PutObject({ Bucket: 'bkt', Key: key, Body: key });
    // Act
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.ListObjectsV2({ Bucket: 'bkt', Prefix: 'p/', MaxKeys: 2, ContinuationToken: token });
      seen.push(...(page.Contents as Array<{ Key: string }>).map((c) => c.Key));
      token = page.IsTruncated ? (page.NextContinuationToken as string) : undefined;
      pages += 1;
    } while (token);
    // Assess
    expect(seen).toEqual(['p/a', 'p/b/0', 'p/b/1', 'p/c']);
    expect(pages).toBe(2);
    const delimited = await s3.ListObjectsV2({ Bucket: 'bkt', Prefix: 'p/', Delimiter: '/' });
    expect(delimited.CommonPrefixes).toEqual([{ Prefix: 'p/b/' }]);
    expect((delimited.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['p/a', 'p/c']);
  });

  it('copies and deletes objects; deleting a missing key is not an error', async () => {
    await s3.PutObject({ Bucket: 'bkt', Key: 'src', Body: 'payload' });
    await s3.CopyObject({ Bucket: 'cpy', Key: 'dst', CopySource: 'bkt/src' });
    await s3.CreateBucket({ Bucket: 'cpy' });
    expect(readFileSync(join(root, 's3', 'cpy', 'dst'), 'utf8')).toBe('payload');
    await s3.DeleteObject({ Bucket: 'bkt', Key: 'src' });
    await s3.DeleteObject({ Bucket: 'bkt', Key: 'src' });
    expect(existsSync(join(root, 's3', 'bkt', 'src'))).toBe(false);
    await expect(s3.CopyObject({ Bucket: 'cpy', Key: 'x', CopySource: 'bkt/src' })).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('rejects keys that would escape the bucket directory', async () => {
    await expect(s3.PutObject({ Bucket: 'bkt', Key: '../etc/passwd', Body: 'x' })).rejects.toMatchObject({ name: 'InvalidArgument' });
  });

  it('dispatches call() by action name and rejects unknown actions', async () => {
    await s3.call('PutObject', { Bucket: 'bkt', Key: 'k', Body: 'v' });
    await expect(s3.call('GetBucketPolicy', { Bucket: 'bkt' })).rejects.toMatchObject({ name: 'UnknownOperationException' });
    await expect(s3.call('call', {})).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
