/**
 * The local SageMaker: training jobs, models, endpoint configs, endpoints, batch
 * transform and the model registry, each action a method named and shaped like the
 * SageMaker API's. Container images map to local commands (`images` option) that
 * follow SageMaker's training and inference container contracts; see
 * ./training, ./endpoints, ./transform and
 * ./registry for what each part does, and ./runtime for
 * InvokeEndpoint (the `sagemaker-runtime` service is {@link LocalSageMaker.runtime}).
 *
 * Call {@link LocalSageMaker.shutdown} when done: it stops every server and job.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unknownOperation } from '../errors';
import type { LocalSageMakerOptions, ResolvedOptions } from './deps';
import { LocalEndpoints, type UpdateOutcome } from './endpoints';
import { LocalModels } from './models';
import { LocalModelRegistry } from './registry';
import { LocalSageMakerRuntime } from './runtime';
import { LocalTrainingJobs } from './training';
import { LocalTransformJobs } from './transform';

export type { ImageCommands, LocalSageMakerOptions, LogSource, TransformHeader } from './deps';
export { TRANSFORM_HEADER } from './deps';
export { LocalSageMakerRuntime, ModelError } from './runtime';

/** The actions {@link LocalSageMaker.call} dispatches, each to the method of that name. */
export const SAGEMAKER_ACTIONS = [
  'CreateTrainingJob',
  'DescribeTrainingJob',
  'StopTrainingJob',
  'ListTrainingJobs',
  'CreateModel',
  'DescribeModel',
  'DeleteModel',
  'ListModels',
  'CreateEndpointConfig',
  'DescribeEndpointConfig',
  'DeleteEndpointConfig',
  'ListEndpointConfigs',
  'CreateEndpoint',
  'UpdateEndpoint',
  'UpdateEndpointWeightsAndCapacities',
  'DescribeEndpoint',
  'DeleteEndpoint',
  'ListEndpoints',
  'CreateTransformJob',
  'DescribeTransformJob',
  'CreateModelPackageGroup',
  'DescribeModelPackageGroup',
  'CreateModelPackage',
  'UpdateModelPackage',
  'DescribeModelPackage',
  'ListModelPackages',
] as const;

/** An action of {@link SAGEMAKER_ACTIONS}. */
export type SageMakerAction = (typeof SAGEMAKER_ACTIONS)[number];

type Handler = (input: never) => Promise<Record<string, unknown>>;

/** Applies the defaults of {@link LocalSageMakerOptions}. */
export function resolveSageMakerOptions(o: LocalSageMakerOptions): ResolvedOptions & { ownsWorkDir: boolean } {
  return {
    s3: o.s3,
    cloudwatch: o.cloudwatch,
    images: o.images,
    workDir: o.workDir ?? mkdtempSync(join(tmpdir(), 'pitstop-sagemaker-')),
    ownsWorkDir: o.workDir === undefined,
    cwd: o.cwd ?? process.cwd(),
    onLog: o.onLog ?? (() => undefined),
    seed: o.seed ?? 42,
    startupTimeoutMs: o.startupTimeoutMs ?? 60_000,
    account: o.account ?? '123456789012',
    region: o.region ?? 'us-east-1',
    flushIntervalMs: o.flushIntervalMs ?? 1000,
    transformHeader: o.transformHeader ?? 'send',
    stopGraceMs: o.stopGraceMs ?? 2000,
    captureClock: o.captureClock ?? (() => new Date()),
  };
}

/** The local `sagemaker` service. */
export class LocalSageMaker {
  public readonly serviceName = 'sagemaker';
  /** The options with defaults applied. */
  public readonly options: ResolvedOptions;
  public readonly training: LocalTrainingJobs;
  public readonly models: LocalModels;
  public readonly endpoints: LocalEndpoints;
  public readonly transforms: LocalTransformJobs;
  public readonly registry: LocalModelRegistry;
  /** The `sagemaker-runtime` service serving this SageMaker's endpoints. */
  public readonly runtime: LocalSageMakerRuntime;
  private readonly ownsWorkDir: boolean;
  private readonly handlers: Record<SageMakerAction, Handler>;

  public constructor(options: LocalSageMakerOptions) {
    const { ownsWorkDir, ...resolved } = resolveSageMakerOptions(options);
    this.options = resolved;
    this.ownsWorkDir = ownsWorkDir;
    this.training = new LocalTrainingJobs(resolved);
    this.models = new LocalModels(resolved);
    this.endpoints = new LocalEndpoints(resolved, this.models);
    this.transforms = new LocalTransformJobs(resolved, this.models);
    this.registry = new LocalModelRegistry(resolved);
    this.runtime = new LocalSageMakerRuntime(this);
    const t = this.training;
    const m = this.models;
    const e = this.endpoints;
    const x = this.transforms;
    const r = this.registry;
    this.handlers = {
      CreateTrainingJob: t.CreateTrainingJob.bind(t),
      DescribeTrainingJob: t.DescribeTrainingJob.bind(t),
      StopTrainingJob: t.StopTrainingJob.bind(t),
      ListTrainingJobs: t.ListTrainingJobs.bind(t),
      CreateModel: m.CreateModel.bind(m),
      DescribeModel: m.DescribeModel.bind(m),
      DeleteModel: m.DeleteModel.bind(m),
      ListModels: m.ListModels.bind(m),
      CreateEndpointConfig: e.CreateEndpointConfig.bind(e),
      DescribeEndpointConfig: e.DescribeEndpointConfig.bind(e),
      DeleteEndpointConfig: e.DeleteEndpointConfig.bind(e),
      ListEndpointConfigs: e.ListEndpointConfigs.bind(e),
      CreateEndpoint: e.CreateEndpoint.bind(e),
      UpdateEndpoint: e.UpdateEndpoint.bind(e),
      UpdateEndpointWeightsAndCapacities: e.UpdateEndpointWeightsAndCapacities.bind(e),
      DescribeEndpoint: e.DescribeEndpoint.bind(e),
      DeleteEndpoint: e.DeleteEndpoint.bind(e),
      ListEndpoints: e.ListEndpoints.bind(e),
      CreateTransformJob: x.CreateTransformJob.bind(x),
      DescribeTransformJob: x.DescribeTransformJob.bind(x),
      CreateModelPackageGroup: r.CreateModelPackageGroup.bind(r),
      DescribeModelPackageGroup: r.DescribeModelPackageGroup.bind(r),
      CreateModelPackage: r.CreateModelPackage.bind(r),
      UpdateModelPackage: r.UpdateModelPackage.bind(r),
      DescribeModelPackage: r.DescribeModelPackage.bind(r),
      ListModelPackages: r.ListModelPackages.bind(r),
    };
  }

  /** Dispatches an action by name. @throws UnknownOperationException for an action not in {@link SAGEMAKER_ACTIONS} */
  public async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const handler = (this.handlers as Record<string, Handler | undefined>)[action];
    if (!handler || !Object.hasOwn(this.handlers, action)) {
      throw unknownOperation('sagemaker', action);
    }
    return (handler as (i: Record<string, unknown>) => Promise<Record<string, unknown>>)(input);
  }

  // ---- the API, as methods (each delegates to its part) --------------------------------

  /** See {@link LocalTrainingJobs.CreateTrainingJob}. */
  public CreateTrainingJob(input: Parameters<LocalTrainingJobs['CreateTrainingJob']>[0]) {
    return this.training.CreateTrainingJob(input);
  }
  /** See {@link LocalTrainingJobs.DescribeTrainingJob}. */
  public DescribeTrainingJob(input: { TrainingJobName: string }) {
    return this.training.DescribeTrainingJob(input);
  }
  /** See {@link LocalTrainingJobs.StopTrainingJob}. */
  public StopTrainingJob(input: { TrainingJobName: string }) {
    return this.training.StopTrainingJob(input);
  }
  /** See {@link LocalModels.CreateModel}. */
  public CreateModel(input: Parameters<LocalModels['CreateModel']>[0]) {
    return this.models.CreateModel(input);
  }
  /** See {@link LocalModels.DescribeModel}. */
  public DescribeModel(input: { ModelName: string }) {
    return this.models.DescribeModel(input);
  }
  /** See {@link LocalModels.DeleteModel}. */
  public DeleteModel(input: { ModelName: string }) {
    return this.models.DeleteModel(input);
  }
  /** See {@link LocalEndpoints.CreateEndpointConfig}. */
  public CreateEndpointConfig(input: Parameters<LocalEndpoints['CreateEndpointConfig']>[0]) {
    return this.endpoints.CreateEndpointConfig(input);
  }
  /** See {@link LocalEndpoints.DescribeEndpointConfig}. */
  public DescribeEndpointConfig(input: { EndpointConfigName: string }) {
    return this.endpoints.DescribeEndpointConfig(input);
  }
  /** See {@link LocalEndpoints.DeleteEndpointConfig}. */
  public DeleteEndpointConfig(input: { EndpointConfigName: string }) {
    return this.endpoints.DeleteEndpointConfig(input);
  }
  /** See {@link LocalEndpoints.CreateEndpoint}. */
  public CreateEndpoint(input: { EndpointName: string; EndpointConfigName: string }) {
    return this.endpoints.CreateEndpoint(input);
  }
  /** See {@link LocalEndpoints.UpdateEndpoint}. */
  public UpdateEndpoint(input: { EndpointName: string; EndpointConfigName: string }) {
    return this.endpoints.UpdateEndpoint(input);
  }
  /** See {@link LocalEndpoints.UpdateEndpointWeightsAndCapacities}. */
  public UpdateEndpointWeightsAndCapacities(input: Parameters<LocalEndpoints['UpdateEndpointWeightsAndCapacities']>[0]) {
    return this.endpoints.UpdateEndpointWeightsAndCapacities(input);
  }
  /** See {@link LocalEndpoints.DescribeEndpoint}. */
  public DescribeEndpoint(input: { EndpointName: string }) {
    return this.endpoints.DescribeEndpoint(input);
  }
  /** See {@link LocalEndpoints.DeleteEndpoint}. */
  public DeleteEndpoint(input: { EndpointName: string }) {
    return this.endpoints.DeleteEndpoint(input);
  }
  /** See {@link LocalTransformJobs.CreateTransformJob}. */
  public CreateTransformJob(input: Parameters<LocalTransformJobs['CreateTransformJob']>[0]) {
    return this.transforms.CreateTransformJob(input);
  }
  /** See {@link LocalTransformJobs.DescribeTransformJob}. */
  public DescribeTransformJob(input: { TransformJobName: string }) {
    return this.transforms.DescribeTransformJob(input);
  }
  /** See {@link LocalModelRegistry.CreateModelPackageGroup}. */
  public CreateModelPackageGroup(input: Parameters<LocalModelRegistry['CreateModelPackageGroup']>[0]) {
    return this.registry.CreateModelPackageGroup(input);
  }
  /** See {@link LocalModelRegistry.CreateModelPackage}. */
  public CreateModelPackage(input: Parameters<LocalModelRegistry['CreateModelPackage']>[0]) {
    return this.registry.CreateModelPackage(input);
  }
  /** See {@link LocalModelRegistry.UpdateModelPackage}. */
  public UpdateModelPackage(input: Parameters<LocalModelRegistry['UpdateModelPackage']>[0]) {
    return this.registry.UpdateModelPackage(input);
  }
  /** See {@link LocalModelRegistry.DescribeModelPackage}. */
  public DescribeModelPackage(input: { ModelPackageName: string }) {
    return this.registry.DescribeModelPackage(input);
  }
  /** See {@link LocalModelRegistry.ListModelPackages}. */
  public ListModelPackages(input: Parameters<LocalModelRegistry['ListModelPackages']>[0] = {}) {
    return this.registry.ListModelPackages(input);
  }

  // ---- local helpers -------------------------------------------------------------------

  /** Resolves with the final DescribeTrainingJob output once the job has ended. */
  public waitForTrainingJob(name: string): Promise<Record<string, unknown>> {
    return this.training.waitForTrainingJob(name);
  }

  /** Resolves with the final DescribeTransformJob output once the job has ended. */
  public waitForTransformJob(name: string): Promise<Record<string, unknown>> {
    return this.transforms.waitForTransformJob(name);
  }

  /** Resolves with the DescribeEndpoint output once the endpoint has left Creating/Updating. */
  public waitForEndpoint(name: string): Promise<Record<string, unknown>> {
    return this.endpoints.waitForEndpoint(name);
  }

  /**
   * Test hook: the next UpdateEndpoint of `endpointName` fails (`'fail'`) or rolls back
   * silently (`'rollback'`); see {@link LocalEndpoints.failNextUpdate}.
   */
  public failNextUpdate(endpointName: string, outcome: UpdateOutcome, reason?: string): void {
    this.endpoints.failNextUpdate(endpointName, outcome, reason);
  }

  /** Writes buffered endpoint metrics and capture records now. */
  public flushMetrics(): Promise<void> {
    return this.runtime.flushMetrics();
  }

  /**
   * Stops every training job, endpoint server and transform server, flushes metrics and
   * capture, and removes the work directory when it was created here.
   */
  public async shutdown(): Promise<void> {
    await Promise.all([this.training.shutdown(), this.endpoints.shutdown(), this.transforms.shutdown()]);
    await this.runtime.shutdown();
    if (this.ownsWorkDir) await rm(this.options.workDir, { recursive: true, force: true });
  }
}
