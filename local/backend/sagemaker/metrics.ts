/**
 * Endpoint invocation metrics, as SageMaker publishes them: namespace `AWS/SageMaker`,
 * dimensions `EndpointName` and `VariantName`, metrics `Invocations`,
 * `Invocation4XXErrors`, `Invocation5XXErrors` (counts) and `ModelLatency`
 * (microseconds). Observations are buffered per second and written in one
 * PutMetricData call per flush: counts as the second's sum, latencies as distinct
 * values with counts (so percentiles stay computable).
 */
import type { CloudWatchLike, MetricDatum } from './deps';

/** Namespace of endpoint metrics. */
export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';

/** Names of the endpoint metrics. */
export const ENDPOINT_METRICS = {
  invocations: 'Invocations',
  errors4xx: 'Invocation4XXErrors',
  errors5xx: 'Invocation5XXErrors',
  modelLatency: 'ModelLatency',
} as const;

/** One invocation's outcome. */
export interface InvocationObservation {
  readonly endpointName: string;
  readonly variantName: string;
  readonly time: Date;
  /** HTTP status class of the model's answer: 2, 4 or 5. */
  readonly statusClass: 2 | 4 | 5;
  /** Model latency in microseconds (undefined when the model did not answer). */
  readonly latencyMicros?: number;
}

interface Bucket {
  endpointName: string;
  variantName: string;
  second: number;
  invocations: number;
  errors4xx: number;
  errors5xx: number;
  latencies: Map<number, number>;
}

/** CloudWatch's limit of datums per PutMetricData call. */
const MAX_DATUMS = 1000;
/** CloudWatch's limit of distinct values per datum. */
const MAX_VALUES = 150;

/** Buffers endpoint metrics and writes them to CloudWatch. */
export class EndpointMetricsBuffer {
  private buckets = new Map<string, Bucket>();
  private flushing: Promise<void> = Promise.resolve();

  public constructor(private readonly cloudwatch: CloudWatchLike) {}

  /** Records one invocation. */
  public record(o: InvocationObservation): void {
    const second = Math.floor(o.time.getTime() / 1000);
    const key = JSON.stringify([o.endpointName, o.variantName, second]);
    let b = this.buckets.get(key);
    if (!b) {
      b = { endpointName: o.endpointName, variantName: o.variantName, second, invocations: 0, errors4xx: 0, errors5xx: 0, latencies: new Map() };
      this.buckets.set(key, b);
    }
    b.invocations += 1;
    if (o.statusClass === 4) b.errors4xx += 1;
    if (o.statusClass === 5) b.errors5xx += 1;
    if (o.latencyMicros !== undefined) b.latencies.set(o.latencyMicros, (b.latencies.get(o.latencyMicros) ?? 0) + 1);
  }

  /** Writes everything buffered; concurrent calls are serialized. */
  public flush(): Promise<void> {
    const next = this.flushing.then(() => this.write());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    if (this.buckets.size === 0) return;
    const buckets = [...this.buckets.values()];
    this.buckets = new Map();
    const data: MetricDatum[] = [];
    for (const b of buckets) {
      const Dimensions = [
        { Name: 'EndpointName', Value: b.endpointName },
        { Name: 'VariantName', Value: b.variantName },
      ];
      const Timestamp = new Date(b.second * 1000);
      data.push({ MetricName: ENDPOINT_METRICS.invocations, Dimensions, Timestamp, Unit: 'None', Value: b.invocations });
      data.push({ MetricName: ENDPOINT_METRICS.errors4xx, Dimensions, Timestamp, Unit: 'None', Value: b.errors4xx });
      data.push({ MetricName: ENDPOINT_METRICS.errors5xx, Dimensions, Timestamp, Unit: 'None', Value: b.errors5xx });
      const entries = [...b.latencies.entries()];
      for (let i = 0; i < entries.length; i += MAX_VALUES) {
        const part = entries.slice(i, i + MAX_VALUES);
        data.push({
          MetricName: ENDPOINT_METRICS.modelLatency,
          Dimensions,
          Timestamp,
          Unit: 'Microseconds',
          Values: part.map(([v]) => v),
          Counts: part.map(([, c]) => c),
        });
      }
    }
    for (let i = 0; i < data.length; i += MAX_DATUMS) {
      await this.cloudwatch.PutMetricData({ Namespace: SAGEMAKER_NAMESPACE, MetricData: data.slice(i, i + MAX_DATUMS) });
    }
  }
}
