import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSageMaker } from '../../../../local/backend/sagemaker/index';
import type { TransformHeader } from '../../../../local/backend/sagemaker/deps';
import { splitRecords } from '../../../../local/backend/sagemaker/transform';
import { IMAGE, IMAGES, MemoryCloudWatch, MemoryS3, systemTarGz } from './fakes';

let s3: MemoryS3;
let sm: LocalSageMaker;

async function setup(transformHeader?: TransformHeader) {
  s3 = new MemoryS3();
  sm = new LocalSageMaker({ s3, cloudwatch: new MemoryCloudWatch(), images: IMAGES, stopGraceMs: 500, ...(transformHeader ? { transformHeader } : {}) });
  s3.put('s3://artifacts/m/model.tar.gz', systemTarGz({ 'model.json': JSON.stringify({ scale: 2 }) }));
  await sm.CreateModel({ ModelName: 'm', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://artifacts/m/model.tar.gz' } });
}

afterEach(async () => {
  await sm.shutdown();
});

const job = (name: string, input: string, output: string) => ({
  TransformJobName: name,
  ModelName: 'm',
  TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: input } }, ContentType: 'text/csv', SplitType: 'Line' },
  TransformOutput: { S3OutputPath: output, AssembleWith: 'Line' },
  TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
});

describe('Function: CreateTransformJob', () => {
  beforeEach(async () => setup());

  it('writes <input file>.out per input file, one output line per input line, in order', async () => {
    // Prepare: 30 lines in one file (more than the concurrency), a nested second file, a blank line
    const big = Array.from({ length: 30 }, (_, i) => `${i},x`).join('\n');
    s3.put('s3://data/holdout/part-1.csv', `${big}\n`);
    s3.put('s3://data/holdout/sub/part-2.csv', '7,a\n\n8,b\n');

    // Act
    await sm.CreateTransformJob(job('t-1', 's3://data/holdout/', 's3://out/preds/'));
    const status = (await sm.DescribeTransformJob({ TransformJobName: 't-1' })).TransformJobStatus;
    const out = await sm.waitForTransformJob('t-1');

    // Assess
    expect(status).toBe('InProgress');
    expect(out.TransformJobStatus).toBe('Completed');
    expect(s3.list('s3://out/')).toEqual(['s3://out/preds/part-1.csv.out', 's3://out/preds/sub/part-2.csv.out']);
    expect(s3.text('s3://out/preds/part-1.csv.out')).toBe(Array.from({ length: 30 }, (_, i) => `${2 * i}\n`).join(''));
    expect(s3.text('s3://out/preds/sub/part-2.csv.out')).toBe('14\n16\n');
  });

  it('sends a header line to the model by default, like SageMaker, and fails on its error', async () => {
    s3.put('s3://data/h/holdout.csv', 'x,y\n1,2\n');
    await sm.CreateTransformJob(job('t-2', 's3://data/h/holdout.csv', 's3://out/h/'));
    const out = await sm.waitForTransformJob('t-2');
    expect(out.TransformJobStatus).toBe('Failed');
    expect(out.FailureReason).toMatch(/400.*record 1 of h\/holdout.csv.*not a number: x/);
  });

  it('rejects a missing model and an unsupported split type', async () => {
    await expect(sm.CreateTransformJob({ ...job('t-3', 's3://d/', 's3://o/'), ModelName: 'nope' })).rejects.toMatchObject({ name: 'ValidationException' });
    const bad = job('t-4', 's3://d/', 's3://o/');
    await expect(
      sm.CreateTransformJob({ ...bad, TransformInput: { ...bad.TransformInput, SplitType: 'RecordIO' } }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('Function: CreateTransformJob with transformHeader skip', () => {
  beforeEach(async () => setup('skip'));

  it('drops the first line of each file so .out lines align with data rows', async () => {
    s3.put('s3://data/h/holdout.csv', 'x,y\n1,2\n3,4\n');
    await sm.CreateTransformJob(job('t-5', 's3://data/h/holdout.csv', 's3://out/h'));
    expect((await sm.waitForTransformJob('t-5')).TransformJobStatus).toBe('Completed');
    expect(s3.text('s3://out/h/holdout.csv.out')).toBe('2\n6\n');
  });
});

describe('Function: splitRecords', () => {
  it('splits lines, drops blanks and, on request, the header', () => {
    expect(splitRecords('a\r\nb\n\n c \n', 'Line', 'send')).toEqual(['a', 'b', ' c ']);
    expect(splitRecords('h\na\nb', 'Line', 'skip')).toEqual(['a', 'b']);
    expect(splitRecords('a\nb\n', 'None', 'send')).toEqual(['a\nb\n']);
    expect(splitRecords('  \n', 'None', 'send')).toEqual([]);
  });
});

describe('Function: CreateTransformJob (container environment)', () => {
  it('runs the model server with SAGEMAKER_BATCH set, as SageMaker does for a batch transform', async () => {
    // Prepare: a server that answers each record with the SAGEMAKER_BATCH it was started with
    const echo = [
      "const http = require('node:http');",
      "http.createServer((q, r) => {",
      "  if (q.url === '/ping') { r.end('ok'); return; }",
      "  let b = ''; q.on('data', (c) => (b += c));",
      "  q.on('end', () => { r.setHeader('content-type', 'text/csv'); r.end(b.split('\\n').filter(Boolean).map(() => process.env.SAGEMAKER_BATCH ?? 'unset').join('\\n') + '\\n'); });",
      "}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT));",
    ].join('\n');
    s3 = new MemoryS3();
    sm = new LocalSageMaker({ s3, cloudwatch: new MemoryCloudWatch(), images: { [IMAGE]: { ...IMAGES[IMAGE], serve: [process.execPath, '-e', echo] } }, stopGraceMs: 500 });
    s3.put('s3://artifacts/m/model.tar.gz', systemTarGz({ 'model.json': '{}' }));
    await sm.CreateModel({ ModelName: 'm', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://artifacts/m/model.tar.gz' } });
    s3.put('s3://data/e/rows.csv', '1,2\n3,4\n');
    // Act
    await sm.CreateTransformJob(job('t-env', 's3://data/e/rows.csv', 's3://out/e/'));
    const out = await sm.waitForTransformJob('t-env');
    // Assess
    expect(out.TransformJobStatus, String(out.FailureReason)).toBe('Completed');
    expect(s3.text('s3://out/e/rows.csv.out')).toBe('true\ntrue\n');
  });
});
