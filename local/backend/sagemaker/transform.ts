/**
 * Local batch transform jobs.
 *
 * A job starts a temporary model server (the image's `serve` command, as an endpoint
 * variant would), sends it the records of every object under
 * `TransformInput.DataSource.S3DataSource.S3Uri` and writes, per input object,
 * `<S3OutputPath>/<path relative to the input prefix>.out`. With `SplitType: 'Line'`
 * each non-blank line is one `POST /invocations` (BatchStrategy SingleRecord, up to
 * `MaxConcurrentTransforms` at once) and the output holds one line per record, in
 * input order (a trailing newline of an answer is dropped); with `SplitType: 'None'`
 * the whole object is one record. Blank lines are not records.
 *
 * Header lines: SageMaker sends every line, header included. The local SageMaker does
 * the same by default (`transformHeader: 'send'`); with `'skip'` the first line of
 * each input object is taken as a header: it is not sent and gets no output line, so
 * the `.out` lines align with the data rows.
 *
 * A model answer other than 2XX fails the job with the model's message.
 */
import { join } from 'node:path';
import { sageMakerArn, type ResolvedOptions } from './deps';
import { messageOf, validationError } from './errors';
import { startModelServer, type ModelServer } from './model-server';
import type { LocalModels } from './models';
import { getObjectBytes, joinS3Uri, listPrefix, parseS3Uri } from './s3';

/** Transform job statuses. */
export const TRANSFORM_STATUS = {
  inProgress: 'InProgress',
  completed: 'Completed',
  failed: 'Failed',
} as const;

/** The CreateTransformJob request fields the local SageMaker reads. */
export interface CreateTransformJobInput {
  TransformJobName: string;
  ModelName: string;
  TransformInput: {
    DataSource: { S3DataSource: { S3Uri: string; S3DataType?: string } };
    ContentType?: string;
    SplitType?: string;
    CompressionType?: string;
  };
  TransformOutput: { S3OutputPath: string; Accept?: string; AssembleWith?: string };
  TransformResources?: { InstanceType?: string; InstanceCount?: number };
  BatchStrategy?: string;
  MaxConcurrentTransforms?: number;
  Environment?: Record<string, string>;
  [key: string]: unknown;
}

interface TransformJob {
  readonly input: CreateTransformJobInput;
  readonly arn: string;
  readonly created: Date;
  status: string;
  failureReason?: string;
  started?: Date;
  ended?: Date;
  done: Promise<void>;
}

/** Splits an object into records: lines (blank ones dropped) or the whole text. */
export function splitRecords(text: string, splitType: string, header: 'send' | 'skip'): string[] {
  if (splitType === 'None') return text.trim() === '' ? [] : [text];
  const lines = text.split(/\r?\n/);
  if (header === 'skip') lines.shift();
  return lines.filter((l) => l.trim() !== '');
}

/** The transform jobs of one local SageMaker. */
export class LocalTransformJobs {
  private readonly jobs = new Map<string, TransformJob>();
  private readonly servers = new Set<ModelServer>();

  public constructor(
    private readonly options: ResolvedOptions,
    private readonly models: LocalModels,
  ) {}

  /** Starts a transform job; it runs in the background. */
  public async CreateTransformJob(input: CreateTransformJobInput): Promise<{ TransformJobArn: string }> {
    const name = input.TransformJobName;
    if (!name || !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
      throw validationError(`expected a TransformJobName of 1..63 letters, digits and dashes, got ${JSON.stringify(name)}`);
    }
    if (this.jobs.has(name)) throw validationError(`Job name must be unique within an AWS account and region, and a job with this name already exists (${sageMakerArn(this.options, 'transform-job', name)})`);
    const model = this.models.get(input.ModelName);
    const source = input.TransformInput?.DataSource?.S3DataSource;
    if (!source?.S3Uri) throw validationError('TransformInput.DataSource.S3DataSource.S3Uri is required');
    if ((source.S3DataType ?? 'S3Prefix') !== 'S3Prefix') throw validationError(`S3DataType ${source.S3DataType} is not supported locally (S3Prefix only)`);
    parseS3Uri(source.S3Uri);
    if (!input.TransformOutput?.S3OutputPath) throw validationError('TransformOutput.S3OutputPath is required');
    parseS3Uri(input.TransformOutput.S3OutputPath);
    const split = input.TransformInput.SplitType ?? 'None';
    if (split !== 'Line' && split !== 'None') throw validationError(`SplitType ${split} is not supported locally (Line or None)`);
    if ((input.TransformInput.CompressionType ?? 'None') !== 'None') throw validationError('compressed transform input is not supported locally');
    const job: TransformJob = {
      input,
      arn: sageMakerArn(this.options, 'transform-job', name),
      created: new Date(),
      status: TRANSFORM_STATUS.inProgress,
      done: Promise.resolve(),
    };
    this.jobs.set(name, job);
    job.done = this.run(job, { ...model, Environment: { ...model.Environment, ...(input.Environment ?? {}) } }).then(
      () => {
        job.status = TRANSFORM_STATUS.completed;
        job.ended = new Date();
      },
      (e: unknown) => {
        job.status = TRANSFORM_STATUS.failed;
        job.failureReason = messageOf(e).slice(0, 1024);
        job.ended = new Date();
      },
    );
    return { TransformJobArn: job.arn };
  }

  /** The job in DescribeTransformJob's output shape. */
  public async DescribeTransformJob(input: { TransformJobName: string }): Promise<Record<string, unknown>> {
    const job = this.get(input.TransformJobName);
    const i = job.input;
    return {
      TransformJobName: i.TransformJobName,
      TransformJobArn: job.arn,
      TransformJobStatus: job.status,
      ...(job.failureReason ? { FailureReason: job.failureReason } : {}),
      ModelName: i.ModelName,
      MaxConcurrentTransforms: i.MaxConcurrentTransforms ?? 1,
      BatchStrategy: i.BatchStrategy ?? 'SingleRecord',
      TransformInput: { ContentType: 'text/csv', SplitType: 'None', CompressionType: 'None', ...i.TransformInput },
      TransformOutput: i.TransformOutput,
      TransformResources: i.TransformResources ?? { InstanceType: 'ml.m5.large', InstanceCount: 1 },
      CreationTime: job.created,
      ...(job.started ? { TransformStartTime: job.started } : {}),
      ...(job.ended ? { TransformEndTime: job.ended } : {}),
    };
  }

  /** Resolves with the final DescribeTransformJob output once the job has ended. */
  public async waitForTransformJob(name: string): Promise<Record<string, unknown>> {
    await this.get(name).done;
    return this.DescribeTransformJob({ TransformJobName: name });
  }

  /** Stops every running transform server and waits for the jobs to end. */
  public async shutdown(): Promise<void> {
    await Promise.all([...this.servers].map((s) => s.stop()));
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private get(name: string): TransformJob {
    const job = this.jobs.get(name);
    if (!job) throw validationError(`Could not find requested job with name ${name}`);
    return job;
  }

  private async run(job: TransformJob, model: Parameters<typeof startModelServer>[1]): Promise<void> {
    const i = job.input;
    const objects = await listPrefix(this.options.s3, i.TransformInput.DataSource.S3DataSource.S3Uri);
    if (objects.length === 0) throw new Error(`ClientError: no input objects under ${i.TransformInput.DataSource.S3DataSource.S3Uri}`);
    const { bucket } = parseS3Uri(i.TransformInput.DataSource.S3DataSource.S3Uri);
    const dir = join(this.options.workDir, 'transform', i.TransformJobName);
    const server = await startModelServer(this.options, model, dir, i.TransformJobName, 'transform');
    this.servers.add(server);
    job.started = new Date();
    try {
      const headers: Record<string, string> = { 'content-type': i.TransformInput.ContentType ?? 'application/octet-stream' };
      if (i.TransformOutput.Accept) headers.accept = i.TransformOutput.Accept;
      const concurrency = Math.max(1, i.MaxConcurrentTransforms ?? 4);
      for (const o of objects) {
        const text = Buffer.from(await getObjectBytes(this.options.s3, bucket, o.key)).toString('utf8');
        const records = splitRecords(text, i.TransformInput.SplitType ?? 'None', this.options.transformHeader);
        const answers = new Array<string>(records.length);
        let next = 0;
        const worker = async () => {
          while (next < records.length) {
            const index = next++;
            const res = await server.invoke(new TextEncoder().encode(records[index]!), headers);
            const body = Buffer.from(res.body).toString('utf8');
            if (res.status < 200 || res.status >= 300) {
              throw new Error(`ClientError: the model answered ${res.status} to record ${index + 1} of ${o.key}: ${body.slice(0, 200)}`);
            }
            answers[index] = body.replace(/\r?\n$/, '');
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
        const out = answers.length ? `${answers.join('\n')}\n` : '';
        const target = parseS3Uri(joinS3Uri(i.TransformOutput.S3OutputPath, `${o.relative}.out`));
        await this.options.s3.PutObject({ Bucket: target.bucket, Key: target.key, Body: out, ContentType: i.TransformOutput.Accept ?? 'text/plain' });
      }
    } finally {
      this.servers.delete(server);
      await server.stop();
    }
  }
}
