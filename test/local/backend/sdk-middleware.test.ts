import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../local/backend';
import { installLocalBackend, type InstalledBackend } from '../../../local/backend/sdk-middleware';
import { tempRoot } from './helpers';

let cleanup: () => void;
let backend: LocalBackend;
let installed: InstalledBackend | undefined;
// Created before install: the patch must reach existing clients too.
const early = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const originalSend = S3Client.prototype.send;
const config = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 };

beforeEach(() => {
  const t = tempRoot();
  cleanup = t.cleanup;
  backend = new LocalBackend({ root: t.root });
  installed = installLocalBackend(backend);
});
afterEach(() => {
  installed?.uninstall();
  cleanup();
});

describe('Function: installLocalBackend', () => {
  it('round-trips an object through a real S3Client', async () => {
    const s3 = new S3Client(config);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'x/y.json', Body: '{"a":1}' }));
    const got = await early.send(new GetObjectCommand({ Bucket: 'data', Key: 'x/y.json' }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(await got.Body!.transformToString()).toBe('{"a":1}');
    const ranged = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'x/y.json', Range: 'bytes=1-3' }));
    expect(await ranged.Body!.transformToString()).toBe('"a"');
  });

  it('throws SDK-like errors a handler can catch by name or class', async () => {
    const s3 = new S3Client(config);
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'k', Body: 'v' }));
    const err = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'missing' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 } });
    expect(err).toBeInstanceOf(NoSuchKey);
  });

  it('puts metrics and reads p95/p99 through a real CloudWatchClient', async () => {
    const cw = new CloudWatchClient(config);
    const t = new Date('2024-01-01T00:00:30Z');
    const values = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000); // microseconds
    const dimensions = [
      { Name: 'EndpointName', Value: 'ep' },
      { Name: 'VariantName', Value: 'candidate' },
    ];
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/SageMaker', MetricData: [{ MetricName: 'ModelLatency', Dimensions: dimensions, Values: values, Timestamp: t, Unit: 'Microseconds' }] }));
    const metric = { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Dimensions: dimensions };
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date('2024-01-01T00:00:00Z'),
        EndTime: new Date('2024-01-01T00:05:00Z'),
        MetricDataQueries: [
          { Id: 'p95', MetricStat: { Metric: metric, Period: 300, Stat: 'p95' } },
          { Id: 'p99', MetricStat: { Metric: metric, Period: 300, Stat: 'p99' } },
        ],
      }),
    );
    expect(out.MetricDataResults!.map((r) => r.Values)).toEqual([[95_000], [99_000]]);
  });

  it('surfaces a failed DynamoDB condition as ConditionalCheckFailedException', async () => {
    const ddb = new DynamoDBClient(config);
    const put = () =>
      ddb.send(new PutItemCommand({ TableName: 'locks', Item: { pk: { S: 'LOCK#m' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await put();
    let caught: string | undefined;
    try {
      await put();
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') caught = 'lock held';
    }
    expect(caught).toBe('lock held');
  });

  it('replaces send while installed', () => {
    expect(S3Client.prototype.send).not.toBe(originalSend);
  });

  it('routes SNS Publish and restores the network client on uninstall', async () => {
    const sns = new SNSClient(config);
    const out = await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'hi', Subject: 's' }));
    expect(out.MessageId).toBe(backend.sns.messages[0]!.MessageId);
    installed!.uninstall();
    installed = undefined;
    expect(S3Client.prototype.send).toBe(originalSend);
  });
});
