import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError, ParseError } from '../../../../vocabulary/errors';
import { detectFormat, openTable } from '../../../../lambdas/core/readers/index';
import { writeParquet } from './parquet-writer';
import { gz, readAll, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const s3Mock = mockClient(S3Client);
afterEach(() => {
  s3Mock.reset();
});
const body = (content: string | Buffer) => sdkStreamMixin(Readable.from([Buffer.from(content)]));

describe('Function: detectFormat', () => {
  it.each([
    ['x/data.csv', 'csv', false],
    ['s3://b/k/data.CSV.gz', 'csv', true],
    ['a.jsonl', 'jsonl', false],
    ['a.ndjson.gz', 'jsonl', true],
    ['a.json', 'jsonl', false],
    ['a.parquet', 'parquet', false],
  ])('%s -> %s (gzip %s)', (source, format, gzip) => {
    expect(detectFormat(source)).toEqual({ format, gzip });
  });

  it('rejects an unknown extension, naming the file', () => {
    expect(() => detectFormat('data.txt')).toThrow(InputError);
    expect(() => detectFormat('data.txt')).toThrow(/^data\.txt: cannot tell the format/);
  });
});

describe('Function: openTable (directories)', () => {
  it('reads every file under a directory, sorted by path, mixing gzip', async () => {
    await tmp.write('dir/b.csv', 'x,y\n3,4\n');
    await tmp.write('dir/a.csv.gz', gz('x,y\n1,2\n'));
    await tmp.write('dir/sub/c.csv', 'x,y\n5,6\n');
    const t = await readAll(`${tmp.dir}/dir`);
    expect(t.columns).toEqual(['x', 'y']);
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
    expect(t.files.map((f) => f.slice(tmp.dir.length + 5))).toEqual(['a.csv.gz', 'b.csv', 'sub/c.csv']);
  });

  it('rejects a file whose columns differ, naming it', async () => {
    await tmp.write('mixed/1.csv', 'x,y\n1,2\n');
    const odd = await tmp.write('mixed/2.csv', 'x,z\n1,2\n');
    const err = await readAll(`${tmp.dir}/mixed`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`^${odd}: columns differ`));
  });

  it('rejects a missing path', async () => {
    await expect(openTable(`${tmp.dir}/nope.csv`)).rejects.toThrow(`${tmp.dir}/nope.csv: no such file or directory`);
  });
});

describe('Function: openTable (S3)', () => {
  it('reads one object by key', async () => {
    s3Mock.on(GetObjectCommand, { Bucket: 'bkt', Key: 'data/x.csv' }).resolves({ Body: body('a,b\n1,2\n') });
    const t = await readAll('s3://bkt/data/x.csv', { s3: new S3Client({}) });
    expect(t.rows).toEqual([['1', '2']]);
    expect(t.files).toEqual(['s3://bkt/data/x.csv']);
  });

  it('lists a prefix across pages, skips folder keys, sorts by key', async () => {
    // Prepare: two pages, keys out of order, a zero-byte folder key
    s3Mock
      .on(ListObjectsV2Command, { Bucket: 'bkt', Prefix: 'cap/', ContinuationToken: undefined })
      .resolves({
        IsTruncated: true,
        NextContinuationToken: 't1',
        Contents: [
          { Key: 'cap/2024/', Size: 0 },
          { Key: 'cap/2024/b.jsonl', Size: 10 },
        ],
      })
      .on(ListObjectsV2Command, { Bucket: 'bkt', Prefix: 'cap/', ContinuationToken: 't1' })
      .resolves({ IsTruncated: false, Contents: [{ Key: 'cap/2024/a.jsonl.gz', Size: 10 }] });
    s3Mock
      .on(GetObjectCommand, { Bucket: 'bkt', Key: 'cap/2024/a.jsonl.gz' })
      .callsFake(() => ({ Body: body(gz('{"v":1}\n')) }))
      .on(GetObjectCommand, { Bucket: 'bkt', Key: 'cap/2024/b.jsonl' })
      .callsFake(() => ({ Body: body('{"v":2}\n{"v":3}\n') }));
    // Act
    const t = await readAll('s3://bkt/cap/', { s3: new S3Client({}) });
    // Assess
    expect(t.columns).toEqual(['v']);
    expect(t.rows).toEqual([[1], [2], [3]]);
    expect(t.files).toEqual(['s3://bkt/cap/2024/a.jsonl.gz', 's3://bkt/cap/2024/b.jsonl', 's3://bkt/cap/2024/b.jsonl']);
    expect(s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('names the object whose columns differ', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'p/1.csv', Size: 5 }, { Key: 'p/2.csv', Size: 5 }] });
    s3Mock.on(GetObjectCommand, { Key: 'p/1.csv' }).resolves({ Body: body('a\n1\n') });
    s3Mock.on(GetObjectCommand, { Key: 'p/2.csv' }).resolves({ Body: body('b\n1\n') });
    await expect(readAll('s3://bkt/p/', { s3: new S3Client({}) })).rejects.toThrow(/^s3:\/\/bkt\/p\/2\.csv: columns differ/);
  });

  it('reports a truncated gzip object by its URI', async () => {
    const whole = gz('a\n' + '1\n'.repeat(10000));
    s3Mock.on(GetObjectCommand).resolves({ Body: body(whole.subarray(0, whole.length - 20)) });
    const err = await readAll('s3://bkt/t.csv.gz', { s3: new S3Client({}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toContain('s3://bkt/t.csv.gz: truncated or corrupt gzip');
  });

  it('turns a missing key into an InputError naming the URI', async () => {
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchKey' }));
    await expect(openTable('s3://bkt/missing.csv', { s3: new S3Client({}) })).rejects.toThrow(
      /^s3:\/\/bkt\/missing\.csv: cannot read from S3: NoSuchKey/,
    );
  });

  it('reads Parquet through ranged GetObject calls', async () => {
    const buf = writeParquet([{ name: 'n', type: 'INT64', values: [10, 20, 30] }], 2);
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: buf.length });
    s3Mock.on(GetObjectCommand).callsFake((input: { Range?: string }) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '');
      if (!m) throw new Error('expected a ranged GetObject');
      return { Body: body(buf.subarray(Number(m[1]), Number(m[2]) + 1)) };
    });
    const t = await readAll('s3://bkt/t.parquet', { s3: new S3Client({}) });
    expect(t.rows).toEqual([[10], [20], [30]]);
    const ranges = s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Range);
    expect(ranges.every((r) => typeof r === 'string')).toBe(true);
  });
});
