/**
 * Local training jobs under the SageMaker training container contract.
 *
 * Each job gets a root laid out like `/opt/ml` (`input/data/<channel>/`,
 * `input/config/{hyperparameters,inputdataconfig,resourceconfig}.json`, `model/`,
 * `output/`, `output/data/`) and runs the image's `train` command with the usual
 * `SM_*` variables. Exit 0 packs `model/` as `<S3OutputPath>/<job>/output/model.tar.gz`
 * (and a non-empty `output/data/` as `output.tar.gz`); any other exit fails the job
 * with the text of `output/failure` as its reason. `MaxRuntimeInSeconds` is enforced:
 * the command is stopped, the job ends `Stopped` with SecondaryStatus
 * `MaxRuntimeExceeded`, and whatever `model/` holds is still uploaded, like SageMaker.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sageMakerArn, type ResolvedOptions } from './deps';
import { messageOf, validationError } from './errors';
import { commandsOf } from './model-server';
import { startProcess, type ManagedProcess } from './process';
import { downloadPrefix, joinS3Uri, parseS3Uri } from './s3';
import { packDirectory } from './tar';

/** Training job statuses. */
export const TRAINING_STATUS = {
  inProgress: 'InProgress',
  completed: 'Completed',
  failed: 'Failed',
  stopping: 'Stopping',
  stopped: 'Stopped',
} as const;

interface Channel {
  ChannelName: string;
  DataSource?: { S3DataSource?: { S3Uri?: string; S3DataType?: string; S3DataDistributionType?: string } };
  ContentType?: string;
  CompressionType?: string;
  InputMode?: string;
}

/** The CreateTrainingJob request fields the local SageMaker reads. */
export interface CreateTrainingJobInput {
  TrainingJobName: string;
  AlgorithmSpecification: {
    TrainingImage: string;
    TrainingInputMode?: string;
    MetricDefinitions?: { Name: string; Regex: string }[];
  };
  RoleArn?: string;
  HyperParameters?: Record<string, unknown>;
  InputDataConfig?: Channel[];
  OutputDataConfig: { S3OutputPath: string; KmsKeyId?: string };
  ResourceConfig?: { InstanceType?: string; InstanceCount?: number; VolumeSizeInGB?: number };
  StoppingCondition?: { MaxRuntimeInSeconds?: number; MaxWaitTimeInSeconds?: number };
  EnableManagedSpotTraining?: boolean;
  Environment?: Record<string, string>;
  [key: string]: unknown;
}

interface Transition {
  Status: string;
  StartTime: Date;
  EndTime?: Date;
  StatusMessage: string;
}

interface TrainingJob {
  readonly input: CreateTrainingJobInput;
  readonly arn: string;
  readonly created: Date;
  status: string;
  secondary: string;
  transitions: Transition[];
  failureReason?: string;
  artifacts?: string;
  started?: Date;
  ended?: Date;
  modified: Date;
  metrics: Map<string, { value: number; time: Date }>;
  process?: ManagedProcess;
  stopRequested?: 'user' | 'runtime';
  done: Promise<void>;
}

/** Hyperparameters as the container sees them: every value a string. */
export function stringHyperParameters(hp: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(hp ?? {})) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/** The `SM_CHANNEL_<NAME>` variable of a channel. */
export function channelVariable(channel: string): string {
  return `SM_CHANNEL_${channel.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The training jobs of one local SageMaker. */
export class LocalTrainingJobs {
  private readonly jobs = new Map<string, TrainingJob>();

  public constructor(private readonly options: ResolvedOptions) {}

  /** Starts a training job; it runs in the background. */
  public async CreateTrainingJob(input: CreateTrainingJobInput): Promise<{ TrainingJobArn: string }> {
    const name = input.TrainingJobName;
    if (!name || !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
      throw validationError(`expected a TrainingJobName of 1..63 letters, digits and dashes, got ${JSON.stringify(name)}`);
    }
    if (this.jobs.has(name)) {
      throw validationError(`Training job names must be unique within an AWS account and region, and a training job with this name already exists (${sageMakerArn(this.options, 'training-job', name)})`);
    }
    const image = input.AlgorithmSpecification?.TrainingImage;
    const commands = commandsOf(this.options, image);
    if (!input.OutputDataConfig?.S3OutputPath) throw validationError('OutputDataConfig.S3OutputPath is required');
    parseS3Uri(input.OutputDataConfig.S3OutputPath);
    for (const c of input.InputDataConfig ?? []) {
      const type = c.DataSource?.S3DataSource?.S3DataType ?? 'S3Prefix';
      if (type !== 'S3Prefix') throw validationError(`channel ${c.ChannelName}: S3DataType ${type} is not supported locally (S3Prefix only)`);
      parseS3Uri(c.DataSource?.S3DataSource?.S3Uri ?? '');
    }
    const now = new Date();
    const job: TrainingJob = {
      input,
      arn: sageMakerArn(this.options, 'training-job', name),
      created: now,
      status: TRAINING_STATUS.inProgress,
      secondary: 'Starting',
      transitions: [{ Status: 'Starting', StartTime: now, StatusMessage: 'Preparing the instances for training' }],
      modified: now,
      metrics: new Map(),
      done: Promise.resolve(),
    };
    this.jobs.set(name, job);
    job.done = this.run(job, commands.train).catch((e: unknown) => {
      this.finish(job, TRAINING_STATUS.failed, 'Failed', `ClientError: ${messageOf(e)}`);
    });
    return { TrainingJobArn: job.arn };
  }

  /** The job in DescribeTrainingJob's output shape. */
  public async DescribeTrainingJob(input: { TrainingJobName: string }): Promise<Record<string, unknown>> {
    const job = this.get(input.TrainingJobName);
    const i = job.input;
    const seconds = job.started ? Math.round(((job.ended ?? new Date()).getTime() - job.started.getTime()) / 1000) : 0;
    const metrics = [...job.metrics.entries()].map(([MetricName, m]) => ({ MetricName, Value: m.value, Timestamp: m.time }));
    return {
      TrainingJobName: i.TrainingJobName,
      TrainingJobArn: job.arn,
      TrainingJobStatus: job.status,
      SecondaryStatus: job.secondary,
      ...(job.failureReason ? { FailureReason: job.failureReason } : {}),
      ModelArtifacts: { S3ModelArtifacts: job.artifacts ?? '' },
      HyperParameters: stringHyperParameters(i.HyperParameters),
      AlgorithmSpecification: { TrainingInputMode: 'File', ...i.AlgorithmSpecification },
      ...(i.RoleArn ? { RoleArn: i.RoleArn } : {}),
      InputDataConfig: i.InputDataConfig ?? [],
      OutputDataConfig: i.OutputDataConfig,
      ResourceConfig: i.ResourceConfig ?? { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: i.StoppingCondition ?? { MaxRuntimeInSeconds: 86400 },
      EnableManagedSpotTraining: i.EnableManagedSpotTraining ?? false,
      CreationTime: job.created,
      ...(job.started ? { TrainingStartTime: job.started } : {}),
      ...(job.ended ? { TrainingEndTime: job.ended } : {}),
      LastModifiedTime: job.modified,
      SecondaryStatusTransitions: job.transitions.map((t) => ({ ...t })),
      ...(metrics.length ? { FinalMetricDataList: metrics } : {}),
      TrainingTimeInSeconds: seconds,
      BillableTimeInSeconds: seconds,
    };
  }

  /** Stops a running job (Stopping → Stopped). */
  public async StopTrainingJob(input: { TrainingJobName: string }): Promise<Record<string, never>> {
    const job = this.get(input.TrainingJobName);
    if (job.status !== TRAINING_STATUS.inProgress) {
      throw validationError(`The training job ${input.TrainingJobName} is not in progress (status ${job.status})`);
    }
    job.stopRequested = 'user';
    job.status = TRAINING_STATUS.stopping;
    job.secondary = 'Stopping';
    job.modified = new Date();
    void job.process?.stop(this.options.stopGraceMs);
    return {};
  }

  /** Summaries of every job, newest first. */
  public async ListTrainingJobs(input: { StatusEquals?: string; NameContains?: string } = {}): Promise<Record<string, unknown>> {
    const list = [...this.jobs.values()]
      .filter((j) => !input.StatusEquals || j.status === input.StatusEquals)
      .filter((j) => !input.NameContains || j.input.TrainingJobName.includes(input.NameContains))
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .map((j) => ({
        TrainingJobName: j.input.TrainingJobName,
        TrainingJobArn: j.arn,
        CreationTime: j.created,
        ...(j.ended ? { TrainingEndTime: j.ended } : {}),
        LastModifiedTime: j.modified,
        TrainingJobStatus: j.status,
        SecondaryStatus: j.secondary,
      }));
    return { TrainingJobSummaries: list };
  }

  /** Resolves with the final DescribeTrainingJob output once the job has ended. */
  public async waitForTrainingJob(name: string): Promise<Record<string, unknown>> {
    await this.get(name).done;
    return this.DescribeTrainingJob({ TrainingJobName: name });
  }

  /** Stops every running job and waits for them to end. */
  public async shutdown(): Promise<void> {
    for (const job of this.jobs.values()) {
      if (job.status === TRAINING_STATUS.inProgress && job.process) {
        job.stopRequested = 'user';
        void job.process.stop(this.options.stopGraceMs);
      }
    }
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private get(name: string): TrainingJob {
    const job = this.jobs.get(name);
    if (!job) throw validationError(`Requested resource not found: training job ${name}`);
    return job;
  }

  private transition(job: TrainingJob, status: string, message: string): void {
    const now = new Date();
    const last = job.transitions[job.transitions.length - 1];
    if (last && !last.EndTime) last.EndTime = now;
    job.transitions.push({ Status: status, StartTime: now, StatusMessage: message });
    job.secondary = status;
    job.modified = now;
  }

  /** Ends a job; `reason` becomes the FailureReason unless the job completed. */
  private finish(job: TrainingJob, status: string, secondary: string, reason?: string): void {
    if (job.ended) return;
    this.transition(job, secondary, reason ?? `Training job ${status.toLowerCase()}`);
    const last = job.transitions[job.transitions.length - 1]!;
    last.EndTime = last.StartTime;
    job.status = status;
    if (reason && status !== TRAINING_STATUS.completed) job.failureReason = reason.slice(0, 1024);
    job.ended = new Date();
    job.modified = job.ended;
  }

  private async run(job: TrainingJob, command: string[]): Promise<void> {
    const i = job.input;
    const name = i.TrainingJobName;
    const root = join(this.options.workDir, 'training', name);
    await rm(root, { recursive: true, force: true });
    const dirs = {
      data: join(root, 'input', 'data'),
      config: join(root, 'input', 'config'),
      model: join(root, 'model'),
      output: join(root, 'output'),
      outputData: join(root, 'output', 'data'),
    };
    for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
    const hyperparameters = stringHyperParameters(i.HyperParameters);
    const channels = i.InputDataConfig ?? [];
    await writeFile(join(dirs.config, 'hyperparameters.json'), JSON.stringify(hyperparameters));
    await writeFile(
      join(dirs.config, 'inputdataconfig.json'),
      JSON.stringify(
        Object.fromEntries(
          channels.map((c) => [
            c.ChannelName,
            {
              TrainingInputMode: c.InputMode ?? i.AlgorithmSpecification.TrainingInputMode ?? 'File',
              S3DistributionType: c.DataSource?.S3DataSource?.S3DataDistributionType ?? 'FullyReplicated',
              RecordWrapperType: 'None',
              ...(c.ContentType ? { ContentType: c.ContentType } : {}),
            },
          ]),
        ),
      ),
    );
    await writeFile(
      join(dirs.config, 'resourceconfig.json'),
      JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'], network_interface_name: 'eth0' }),
    );

    this.transition(job, 'Downloading', 'Downloading input data');
    const channelEnv: Record<string, string> = {};
    for (const c of channels) {
      const dir = join(dirs.data, c.ChannelName);
      await downloadPrefix(this.options.s3, c.DataSource!.S3DataSource!.S3Uri!, dir);
      channelEnv[channelVariable(c.ChannelName)] = dir;
    }
    if (job.stopRequested) {
      this.finish(job, TRAINING_STATUS.stopped, 'Stopped');
      return;
    }

    this.transition(job, 'Training', 'Training image download completed. Training in progress.');
    job.started = new Date();
    const definitions = (i.AlgorithmSpecification.MetricDefinitions ?? []).map((d) => ({ name: d.Name, regex: new RegExp(d.Regex) }));
    const hpEnv = Object.fromEntries(Object.entries(hyperparameters).map(([k, v]) => [`SM_HP_${k.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, v]));
    const proc = startProcess(command, {
      cwd: this.options.cwd,
      env: {
        ...(i.Environment ?? {}),
        ...hpEnv,
        ...channelEnv,
        TRAINING_JOB_NAME: name,
        SM_ROOT: root,
        SM_MODEL_DIR: dirs.model,
        SM_OUTPUT_DIR: dirs.output,
        SM_OUTPUT_DATA_DIR: dirs.outputData,
        SM_INPUT_DIR: join(root, 'input'),
        SM_INPUT_DATA_DIR: dirs.data,
        SM_INPUT_CONFIG_DIR: dirs.config,
        SM_CHANNELS: JSON.stringify(channels.map((c) => c.ChannelName)),
        SM_HPS: JSON.stringify(hyperparameters),
        SM_CURRENT_HOST: 'algo-1',
        SM_HOSTS: JSON.stringify(['algo-1']),
      },
      onLine: (line, stream) => {
        for (const d of definitions) {
          const m = d.regex.exec(line);
          const value = m?.[1] !== undefined ? Number(m[1]) : Number.NaN;
          if (Number.isFinite(value)) job.metrics.set(d.name, { value, time: new Date() });
        }
        this.options.onLog(line, { kind: 'training', name, stream });
      },
    });
    job.process = proc;
    const maxRuntime = i.StoppingCondition?.MaxRuntimeInSeconds;
    const timer =
      maxRuntime !== undefined
        ? setTimeout(() => {
            job.stopRequested = 'runtime';
            void proc.stop(this.options.stopGraceMs);
          }, maxRuntime * 1000)
        : undefined;
    const exit = await proc.exited;
    if (timer) clearTimeout(timer);

    if (job.stopRequested === 'user') {
      this.finish(job, TRAINING_STATUS.stopped, 'Stopped');
      return;
    }
    if (job.stopRequested === 'runtime') {
      this.transition(job, 'Uploading', 'Uploading the model of the stopped job');
      job.artifacts = await this.upload(i, dirs.model, dirs.outputData);
      this.finish(job, TRAINING_STATUS.stopped, 'MaxRuntimeExceeded', `Training job reached the maximum runtime of ${maxRuntime} seconds and was stopped`);
      return;
    }
    if (exit.code !== 0) {
      const reason = (await readFile(join(dirs.output, 'failure'), 'utf8').catch(() => '')).trim();
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      const tail = proc.stderrTail().slice(-3).join(' | ');
      this.finish(
        job,
        TRAINING_STATUS.failed,
        'Failed',
        reason ? `AlgorithmError: ${reason}` : `AlgorithmError: the training command ended with ${how}${tail ? `: ${tail}` : ''}`,
      );
      return;
    }
    this.transition(job, 'Uploading', 'Uploading generated training model');
    job.artifacts = await this.upload(i, dirs.model, dirs.outputData);
    this.finish(job, TRAINING_STATUS.completed, 'Completed', 'Training job completed');
  }

  /** Packs and uploads model/ (and output/data/ when not empty); returns the model.tar.gz URI. */
  private async upload(i: CreateTrainingJobInput, modelDir: string, outputDataDir: string): Promise<string> {
    const base = joinS3Uri(i.OutputDataConfig.S3OutputPath, i.TrainingJobName, 'output');
    const modelUri = `${base}/model.tar.gz`;
    const put = async (uri: string, body: Uint8Array) => {
      const { bucket, key } = parseS3Uri(uri);
      await this.options.s3.PutObject({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-tar' });
    };
    await put(modelUri, await packDirectory(modelDir));
    if ((await readdir(outputDataDir)).length > 0) await put(`${base}/output.tar.gz`, await packDirectory(outputDataDir));
    return modelUri;
  }
}
