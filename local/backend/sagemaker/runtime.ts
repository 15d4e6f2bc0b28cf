/**
 * The local SageMaker Runtime: InvokeEndpoint.
 *
 * A request goes to the variant named by `TargetVariant`, or else to one picked by
 * weight with a seeded PRNG, and is forwarded to that variant's model server
 * (`POST /invocations`). A non-2XX answer from the model is a `ModelError` (carrying
 * `OriginalStatusCode` and `OriginalMessage`). Every invocation is counted in
 * CloudWatch (see ./metrics) and, when the endpoint's config enables data
 * capture, sampled into S3 (see ./capture); both are buffered and written
 * every `flushIntervalMs`, or on demand with {@link LocalSageMakerRuntime.flushMetrics}.
 */
import { LocalAwsError, unknownOperation } from '../errors';
import { CaptureBuffer, captureRecord } from './capture';
import type { ResolvedOptions } from './deps';
import type { LocalEndpoints } from './endpoints';
import { ENDPOINT_STATUS } from './endpoints';
import { messageOf, validationError } from './errors';
import { EndpointMetricsBuffer } from './metrics';
import { mulberry32 } from '../../../lambdas/core/stats/random';
import { pickVariant } from './router';

const SERVICE = 'sagemaker-runtime';

/** The InvokeEndpoint request fields the local runtime reads. */
export interface InvokeEndpointInput {
  EndpointName: string;
  Body: Uint8Array | string;
  ContentType?: string;
  Accept?: string;
  TargetVariant?: string;
  CustomAttributes?: string;
  /** The caller's id of the request; data capture records it as `eventMetadata.inferenceId`. */
  InferenceId?: string;
  [key: string]: unknown;
}

/** The InvokeEndpoint response. */
export interface InvokeEndpointOutput {
  Body: Uint8Array;
  ContentType: string;
  InvokedProductionVariant: string;
  CustomAttributes?: string;
}

/** The `ModelError` SageMaker Runtime throws when the model answers with an error. */
export class ModelError extends LocalAwsError {
  public readonly OriginalStatusCode: number;
  public readonly OriginalMessage: string;
  public readonly LogStreamArn: string;
  public constructor(message: string, status: number, original: string, logStreamArn: string) {
    super('ModelError', message, SERVICE, { httpStatusCode: 424 });
    this.OriginalStatusCode = status;
    this.OriginalMessage = original;
    this.LogStreamArn = logStreamArn;
  }
}

/** The actions {@link LocalSageMakerRuntime.call} dispatches. */
export const SAGEMAKER_RUNTIME_ACTIONS = ['InvokeEndpoint'] as const;

/** The parts of the local SageMaker the runtime uses. */
export interface RuntimeHost {
  readonly endpoints: LocalEndpoints;
  readonly options: ResolvedOptions;
}

/** The local `sagemaker-runtime` service. */
export class LocalSageMakerRuntime {
  public readonly serviceName = SERVICE;
  private readonly random: () => number;
  private readonly sampling: () => number;
  private readonly metrics: EndpointMetricsBuffer;
  private readonly capture: CaptureBuffer;
  private readonly timer: NodeJS.Timeout;

  /**
   * @param host the local SageMaker whose endpoints this runtime serves
   */
  public constructor(private readonly host: RuntimeHost) {
    const o = host.options;
    this.random = mulberry32(o.seed);
    this.sampling = mulberry32(o.seed ^ 0x5f3759df);
    this.metrics = new EndpointMetricsBuffer(o.cloudwatch);
    this.capture = new CaptureBuffer(o.s3);
    this.timer = setInterval(() => {
      this.flushMetrics().catch((e: unknown) => o.onLog(`flushing metrics/capture failed: ${messageOf(e)}`, { kind: 'endpoint', name: '*', stream: 'stderr' }));
    }, o.flushIntervalMs);
    this.timer.unref();
  }

  /** Dispatches an action by name. */
  public async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action === 'InvokeEndpoint') return { ...(await this.InvokeEndpoint(input as unknown as InvokeEndpointInput)) };
    throw unknownOperation(SERVICE, action);
  }

  /** Sends a request to a variant of an endpoint. */
  public async InvokeEndpoint(input: InvokeEndpointInput): Promise<InvokeEndpointOutput> {
    const ep = this.host.endpoints.routable(input.EndpointName);
    if (ep.status !== ENDPOINT_STATUS.inService && ep.status !== ENDPOINT_STATUS.updating && !(ep.status === ENDPOINT_STATUS.failed && ep.variants.length)) {
      throw validationError(`Endpoint ${ep.name} is not in service (status ${ep.status}).`, SERVICE);
    }
    let variant;
    if (input.TargetVariant !== undefined) {
      variant = ep.variants.find((v) => v.name === input.TargetVariant);
      if (!variant) throw validationError(`Variant ${input.TargetVariant} of endpoint ${ep.name} not found.`, SERVICE);
    } else {
      variant = pickVariant(ep.variants, this.random);
      if (!variant) throw validationError(`Endpoint ${ep.name} has no variant with a positive weight.`, SERVICE);
    }
    const body = typeof input.Body === 'string' ? new TextEncoder().encode(input.Body) : (input.Body ?? new Uint8Array());
    const contentType = input.ContentType ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': contentType };
    if (input.Accept) headers.accept = input.Accept;
    if (input.CustomAttributes) headers['x-amzn-sagemaker-custom-attributes'] = input.CustomAttributes;
    const time = new Date();
    const start = process.hrtime.bigint();
    let res;
    try {
      res = await variant.server.invoke(body, headers);
    } catch (e) {
      this.metrics.record({ endpointName: ep.name, variantName: variant.name, time, statusClass: 5 });
      throw new ModelError(
        `Received server error (0) from primary with message "${messageOf(e)}".`,
        0,
        messageOf(e),
        this.logStream(ep.name),
      );
    }
    const latencyMicros = Math.max(1, Math.round(Number(process.hrtime.bigint() - start) / 1000));
    const statusClass = res.status >= 500 ? 5 : res.status >= 400 ? 4 : 2;
    this.metrics.record({ endpointName: ep.name, variantName: variant.name, time, statusClass, latencyMicros });
    const outType = headerValue(res.headers['content-type']) ?? input.Accept ?? 'application/octet-stream';
    if (statusClass !== 2) {
      const text = Buffer.from(res.body).toString('utf8');
      const kind = statusClass === 5 ? 'server' : 'client';
      throw new ModelError(
        `Received ${kind} error (${res.status}) from primary with message "${text}". See ${this.logStream(ep.name)} for more information.`,
        res.status,
        text,
        this.logStream(ep.name),
      );
    }
    const capture = ep.capture;
    if (capture && (capture.EnableCapture ?? true) && this.sampling() * 100 < capture.InitialSamplingPercentage) {
      const captured = this.host.options.captureClock();
      const record = captureRecord(capture, captured, { contentType, body }, { contentType: outType, body: res.body }, input.InferenceId);
      this.capture.add(capture.DestinationS3Uri, ep.name, variant.name, captured, record);
    }
    const custom = headerValue(res.headers['x-amzn-sagemaker-custom-attributes']);
    return {
      Body: res.body,
      ContentType: outType,
      InvokedProductionVariant: variant.name,
      ...(custom ? { CustomAttributes: custom } : {}),
    };
  }

  /** Writes buffered metrics and capture records now. */
  public async flushMetrics(): Promise<void> {
    await Promise.all([this.metrics.flush(), this.capture.flush()]);
  }

  /** Flushes and stops the periodic flush. */
  public async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushMetrics();
  }

  private logStream(endpointName: string): string {
    const o = this.host.options;
    return `arn:aws:logs:${o.region}:${o.account}:log-group:/aws/sagemaker/Endpoints/${endpointName}`;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
