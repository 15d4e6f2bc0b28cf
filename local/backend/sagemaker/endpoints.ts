/**
 * Local endpoint configs and endpoints.
 *
 * Each production variant runs one model server (see ./model-server),
 * whatever its instance count (`CurrentInstanceCount` reports the count asked for).
 * CreateEndpoint goes `Creating` → `InService`, or `Failed` with a FailureReason when
 * a variant's server does not start. UpdateEndpoint is blue/green like SageMaker's:
 * the new config's servers start while the old ones keep serving (`Updating`); when
 * all are healthy traffic moves to them and the old ones stop. When a new server fails,
 * the endpoint goes `Failed` with a FailureReason and keeps serving with the old
 * config. UpdateEndpointWeightsAndCapacities goes through `Updating` too.
 *
 * Test hook: {@link LocalEndpoints.failNextUpdate} makes the next UpdateEndpoint of an
 * endpoint fail (`Failed`, FailureReason) or roll back silently (`InService`, the old
 * EndpointConfigName, no reason), without starting anything.
 */
import { join } from 'node:path';
import { sageMakerArn, type ResolvedOptions } from './deps';
import { messageOf, validationError } from './errors';
import { startModelServer } from './model-server';
import type { DataCaptureConfig } from './capture';
import type { LocalModels } from './models';
import { parseS3Uri } from './s3';
import { ENDPOINT_STATUS, type EndpointConfigRecord, type EndpointRecord, type LiveVariant, type ProductionVariant, type RoutableEndpoint, type UpdateOutcome } from './endpoint-records';

export { ENDPOINT_STATUS, type LiveVariant, type ProductionVariant, type RoutableEndpoint, type UpdateOutcome } from './endpoint-records';

/** The endpoint configs and endpoints of one local SageMaker. */
export class LocalEndpoints {
  private readonly configs = new Map<string, EndpointConfigRecord>();
  private readonly endpoints = new Map<string, EndpointRecord>();
  private readonly hooks = new Map<string, { outcome: UpdateOutcome; reason: string }>();

  public constructor(
    private readonly options: ResolvedOptions,
    private readonly models: LocalModels,
  ) {}

  // ---- endpoint configs ------------------------------------------------------------

  /** Stores an endpoint config; its models must exist. */
  public async CreateEndpointConfig(input: {
    EndpointConfigName: string;
    ProductionVariants: ProductionVariant[];
    DataCaptureConfig?: DataCaptureConfig;
    [key: string]: unknown;
  }): Promise<{ EndpointConfigArn: string }> {
    const name = input.EndpointConfigName;
    if (!name) throw validationError('EndpointConfigName is required');
    if (this.configs.has(name)) {
      throw validationError(`Cannot create already existing endpoint configuration "${sageMakerArn(this.options, 'endpoint-config', name)}".`);
    }
    const variants = input.ProductionVariants ?? [];
    if (variants.length === 0) throw validationError('ProductionVariants must hold at least one variant');
    const seen = new Set<string>();
    for (const v of variants) {
      if (!v.VariantName) throw validationError('every production variant needs a VariantName');
      if (seen.has(v.VariantName)) throw validationError(`duplicate VariantName ${v.VariantName}`);
      seen.add(v.VariantName);
      this.models.get(v.ModelName);
      const w = v.InitialVariantWeight ?? 1;
      if (!(w >= 0)) throw validationError(`variant ${v.VariantName}: expected InitialVariantWeight >= 0, got ${w}`);
    }
    const capture = input.DataCaptureConfig;
    if (capture) {
      parseS3Uri(capture.DestinationS3Uri);
      const p = capture.InitialSamplingPercentage;
      if (!(p >= 0 && p <= 100)) throw validationError(`expected InitialSamplingPercentage in 0..100, got ${p}`);
      if (!capture.CaptureOptions?.length) throw validationError('DataCaptureConfig.CaptureOptions must not be empty');
    }
    const arn = sageMakerArn(this.options, 'endpoint-config', name);
    this.configs.set(name, {
      name,
      arn,
      variants: variants.map((v) => ({ ...v })),
      ...(capture ? { capture: structuredClone(capture) } : {}),
      input: structuredClone(input),
      created: new Date(),
    });
    return { EndpointConfigArn: arn };
  }

  /** The config in DescribeEndpointConfig's output shape. */
  public async DescribeEndpointConfig(input: { EndpointConfigName: string }): Promise<Record<string, unknown>> {
    const c = this.getConfig(input.EndpointConfigName);
    return {
      EndpointConfigName: c.name,
      EndpointConfigArn: c.arn,
      ProductionVariants: c.variants.map((v) => ({ InitialVariantWeight: 1, InitialInstanceCount: 1, ...v })),
      ...(c.capture ? { DataCaptureConfig: { EnableCapture: true, ...c.capture } } : {}),
      CreationTime: c.created,
    };
  }

  /** Removes an endpoint config (endpoints using it keep running, as in SageMaker). */
  public async DeleteEndpointConfig(input: { EndpointConfigName: string }): Promise<Record<string, never>> {
    this.getConfig(input.EndpointConfigName);
    this.configs.delete(input.EndpointConfigName);
    return {};
  }

  /** Summaries of every endpoint config, newest first. */
  public async ListEndpointConfigs(input: { NameContains?: string } = {}): Promise<Record<string, unknown>> {
    const list = [...this.configs.values()]
      .filter((c) => !input.NameContains || c.name.includes(input.NameContains))
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .map((c) => ({ EndpointConfigName: c.name, EndpointConfigArn: c.arn, CreationTime: c.created }));
    return { EndpointConfigs: list };
  }

  // ---- endpoints ---------------------------------------------------------------------

  /** Creates an endpoint; its variants start in the background (`Creating`). */
  public async CreateEndpoint(input: { EndpointName: string; EndpointConfigName: string; [key: string]: unknown }): Promise<{ EndpointArn: string }> {
    const name = input.EndpointName;
    if (!name || !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
      throw validationError(`expected an EndpointName of 1..63 letters, digits and dashes, got ${JSON.stringify(name)}`);
    }
    if (this.endpoints.has(name)) {
      throw validationError(`Cannot create already existing endpoint "${sageMakerArn(this.options, 'endpoint', name)}".`);
    }
    const config = this.getConfig(input.EndpointConfigName);
    const now = new Date();
    const ep: EndpointRecord = {
      name,
      arn: sageMakerArn(this.options, 'endpoint', name),
      created: now,
      modified: now,
      status: ENDPOINT_STATUS.creating,
      configName: config.name,
      ...(config.capture ? { capture: config.capture } : {}),
      variants: [],
      pending: Promise.resolve(),
      generation: 0,
    };
    this.endpoints.set(name, ep);
    ep.pending = (async () => {
      try {
        ep.variants = await this.startVariants(ep, config);
        ep.status = ENDPOINT_STATUS.inService;
      } catch (e) {
        ep.status = ENDPOINT_STATUS.failed;
        ep.failureReason = messageOf(e);
      }
      ep.modified = new Date();
    })();
    return { EndpointArn: ep.arn };
  }

  /** Moves an endpoint to another config, blue/green (`Updating`). */
  public async UpdateEndpoint(input: { EndpointName: string; EndpointConfigName: string; [key: string]: unknown }): Promise<{ EndpointArn: string }> {
    const ep = this.get(input.EndpointName);
    if (ep.status !== ENDPOINT_STATUS.inService && ep.status !== ENDPOINT_STATUS.failed) {
      throw validationError(`Cannot update in-progress endpoint "${ep.arn}".`);
    }
    const config = this.getConfig(input.EndpointConfigName);
    ep.status = ENDPOINT_STATUS.updating;
    ep.modified = new Date();
    const hook = this.hooks.get(ep.name);
    this.hooks.delete(ep.name);
    ep.pending = (async () => {
      if (hook) {
        await new Promise((r) => setTimeout(r, 10));
        if (hook.outcome === 'fail') {
          ep.status = ENDPOINT_STATUS.failed;
          ep.failureReason = hook.reason;
        } else {
          ep.status = ENDPOINT_STATUS.inService;
          delete ep.failureReason;
        }
        ep.modified = new Date();
        return;
      }
      let fresh: LiveVariant[];
      try {
        fresh = await this.startVariants(ep, config);
      } catch (e) {
        ep.status = ENDPOINT_STATUS.failed;
        ep.failureReason = messageOf(e);
        ep.modified = new Date();
        return;
      }
      const old = ep.variants;
      ep.variants = fresh;
      ep.configName = config.name;
      if (config.capture) ep.capture = config.capture;
      else delete ep.capture;
      ep.status = ENDPOINT_STATUS.inService;
      delete ep.failureReason;
      ep.modified = new Date();
      await Promise.all(old.map((v) => v.server.stop()));
    })();
    return { EndpointArn: ep.arn };
  }

  /** Sets variant weights (and instance counts) in place (`Updating` briefly). */
  public async UpdateEndpointWeightsAndCapacities(input: {
    EndpointName: string;
    DesiredWeightsAndCapacities: { VariantName: string; DesiredWeight?: number; DesiredInstanceCount?: number }[];
  }): Promise<{ EndpointArn: string }> {
    const ep = this.get(input.EndpointName);
    if (ep.status !== ENDPOINT_STATUS.inService) {
      throw validationError(`Cannot update in-progress endpoint "${ep.arn}".`);
    }
    const changes = input.DesiredWeightsAndCapacities ?? [];
    if (changes.length === 0) throw validationError('DesiredWeightsAndCapacities must not be empty');
    for (const c of changes) {
      const v = ep.variants.find((x) => x.name === c.VariantName);
      if (!v) throw validationError(`The variant name(s) [${c.VariantName}] is/are not present on the endpoint ${ep.name}.`);
      if (c.DesiredWeight !== undefined && !(c.DesiredWeight >= 0)) throw validationError(`expected DesiredWeight >= 0, got ${c.DesiredWeight}`);
    }
    for (const c of changes) {
      const v = ep.variants.find((x) => x.name === c.VariantName)!;
      if (c.DesiredWeight !== undefined) v.desiredWeight = c.DesiredWeight;
      if (c.DesiredInstanceCount !== undefined) v.desiredInstanceCount = c.DesiredInstanceCount;
    }
    ep.status = ENDPOINT_STATUS.updating;
    ep.modified = new Date();
    ep.pending = (async () => {
      await new Promise((r) => setTimeout(r, 10));
      for (const v of ep.variants) {
        v.weight = v.desiredWeight;
        v.instanceCount = v.desiredInstanceCount;
      }
      ep.status = ENDPOINT_STATUS.inService;
      ep.modified = new Date();
    })();
    return { EndpointArn: ep.arn };
  }

  /** The endpoint in DescribeEndpoint's output shape. */
  public async DescribeEndpoint(input: { EndpointName: string }): Promise<Record<string, unknown>> {
    const ep = this.get(input.EndpointName);
    const capture = ep.capture;
    return {
      EndpointName: ep.name,
      EndpointArn: ep.arn,
      EndpointConfigName: ep.configName,
      ProductionVariants: ep.variants.map((v) => ({
        VariantName: v.name,
        DeployedImages: [{ SpecifiedImage: v.image, ResolvedImage: v.image }],
        CurrentWeight: v.weight,
        DesiredWeight: v.desiredWeight,
        CurrentInstanceCount: v.instanceCount,
        DesiredInstanceCount: v.desiredInstanceCount,
      })),
      ...(capture
        ? {
            DataCaptureConfig: {
              EnableCapture: capture.EnableCapture ?? true,
              CaptureStatus: (capture.EnableCapture ?? true) ? 'Started' : 'Stopped',
              CurrentSamplingPercentage: capture.InitialSamplingPercentage,
              DestinationS3Uri: capture.DestinationS3Uri,
            },
          }
        : {}),
      EndpointStatus: ep.status,
      ...(ep.failureReason ? { FailureReason: ep.failureReason } : {}),
      CreationTime: ep.created,
      LastModifiedTime: ep.modified,
    };
  }

  /** Stops an endpoint's servers and removes it. */
  public async DeleteEndpoint(input: { EndpointName: string }): Promise<Record<string, never>> {
    const ep = this.get(input.EndpointName);
    ep.status = ENDPOINT_STATUS.deleting;
    this.endpoints.delete(ep.name);
    await ep.pending;
    await Promise.all(ep.variants.map((v) => v.server.stop()));
    ep.variants = [];
    return {};
  }

  /** Summaries of every endpoint, newest first. */
  public async ListEndpoints(input: { NameContains?: string; StatusEquals?: string } = {}): Promise<Record<string, unknown>> {
    const list = [...this.endpoints.values()]
      .filter((e) => !input.NameContains || e.name.includes(input.NameContains))
      .filter((e) => !input.StatusEquals || e.status === input.StatusEquals)
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .map((e) => ({ EndpointName: e.name, EndpointArn: e.arn, CreationTime: e.created, LastModifiedTime: e.modified, EndpointStatus: e.status }));
    return { Endpoints: list };
  }

  /**
   * Test hook: the next UpdateEndpoint of `endpointName` fails (`'fail'`: status
   * `Failed` with `reason`) or rolls back silently (`'rollback'`: `InService`, the
   * EndpointConfigName unchanged, no FailureReason). The old variants keep serving.
   */
  public failNextUpdate(endpointName: string, outcome: UpdateOutcome, reason = 'Injected failure: the new endpoint configuration did not become healthy'): void {
    this.hooks.set(endpointName, { outcome, reason });
  }

  /** Resolves with the DescribeEndpoint output once the endpoint has left Creating/Updating. */
  public async waitForEndpoint(name: string): Promise<Record<string, unknown>> {
    for (;;) {
      const ep = this.get(name);
      const pending = ep.pending;
      await pending;
      if (this.get(name).pending === pending) return this.DescribeEndpoint({ EndpointName: name });
    }
  }

  /** The endpoint as the runtime routes it. @throws ValidationException when there is none */
  public routable(name: string): RoutableEndpoint {
    const ep = this.endpoints.get(name);
    if (!ep) throw validationError(`Endpoint ${name} of account ${this.options.account} not found.`, 'sagemaker-runtime');
    return ep;
  }

  /** PIDs of every running model server (for tests and diagnostics). */
  public serverPids(): number[] {
    return [...this.endpoints.values()].flatMap((e) => e.variants.map((v) => v.server.pid));
  }

  /** Stops every server of every endpoint. */
  public async shutdown(): Promise<void> {
    const all = [...this.endpoints.values()];
    this.endpoints.clear();
    await Promise.all(all.map((e) => e.pending));
    await Promise.all(all.flatMap((e) => e.variants.map((v) => v.server.stop())));
    for (const e of all) e.variants = [];
  }

  private get(name: string): EndpointRecord {
    const ep = this.endpoints.get(name);
    if (!ep) throw validationError(`Could not find endpoint "${sageMakerArn(this.options, 'endpoint', name ?? '')}".`);
    return ep;
  }

  private getConfig(name: string): EndpointConfigRecord {
    const c = this.configs.get(name);
    if (!c) throw validationError(`Could not find endpoint configuration "${sageMakerArn(this.options, 'endpoint-config', name ?? '')}".`);
    return c;
  }

  /** Starts one server per variant; on any failure stops those that started and throws. */
  private async startVariants(ep: EndpointRecord, config: EndpointConfigRecord): Promise<LiveVariant[]> {
    ep.generation += 1;
    const generation = ep.generation;
    const results = await Promise.allSettled(
      config.variants.map(async (v): Promise<LiveVariant> => {
        const model = this.models.get(v.ModelName);
        const dir = join(this.options.workDir, 'endpoints', ep.name, `${generation}-${v.VariantName}`);
        try {
          const server = await startModelServer(this.options, model, dir, `${ep.name}/${v.VariantName}`, 'endpoint');
          const weight = v.InitialVariantWeight ?? 1;
          const count = v.InitialInstanceCount ?? 1;
          return {
            name: v.VariantName,
            modelName: v.ModelName,
            image: model.Image,
            weight,
            desiredWeight: weight,
            instanceCount: count,
            desiredInstanceCount: count,
            server,
          };
        } catch (e) {
          throw new Error(`variant ${v.VariantName} (model ${v.ModelName}): ${messageOf(e)}`);
        }
      }),
    );
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [messageOf(r.reason)] : []));
    if (failures.length) {
      await Promise.all(started.map((v) => v.server.stop()));
      throw new Error(`The primary container for production variant failed to start: ${failures.join('; ')}`);
    }
    return started;
  }
}
