/**
 * The canary's breach policy: judging the candidate variant by its own CloudWatch
 * metrics over a stage's bake window.
 *
 * - Error rate = Invocation5XXErrors / Invocations (both Sums over the window). A
 *   variant with no invocation has no error rate: that is not a breach (a 5 % stage on
 *   a quiet endpoint may see no request in a short bake), but it is reported in
 *   `notes` and as `invocations: 0`, so the run record shows the stage was not tested.
 * - Latency: SageMaker's ModelLatency is in microseconds; the p95 and p99 are converted
 *   to milliseconds before comparing with the limits. No datapoint, no comparison.
 * - Each limit is breached when the value is strictly above it (a rate exactly at
 *   `maxErrorRate` passes).
 * - The optional custom metric breaches when `value <comparison> threshold` holds, like
 *   a CloudWatch alarm; without a datapoint it is reported and not a breach.
 */

/** Microseconds per millisecond. */
export const MICROSECONDS_PER_MS = 1000;

/** SageMaker reports ModelLatency in microseconds; the limits are in milliseconds. */
export function microsecondsToMs(us: number): number {
  return us / MICROSECONDS_PER_MS;
}

/** 5XX errors per invocation; undefined with no invocation. */
export function errorRate(invocations: number, errors5xx: number): number | undefined {
  return invocations > 0 ? errors5xx / invocations : undefined;
}

/** What CloudWatch said about one variant over the window. */
export interface VariantReadings {
  /** Sum of Invocations. */
  readonly invocations: number;
  /** Sum of Invocation5XXErrors. */
  readonly errors5xx: number;
  /** ModelLatency p95 in microseconds; undefined without datapoints. */
  readonly latencyP95Us?: number;
  /** ModelLatency p99 in microseconds; undefined without datapoints. */
  readonly latencyP99Us?: number;
}

/** CloudWatch alarm comparisons, as the config names them. */
export const COMPARISONS = {
  GreaterThanThreshold: (v: number, t: number) => v > t,
  GreaterThanOrEqualToThreshold: (v: number, t: number) => v >= t,
  LessThanThreshold: (v: number, t: number) => v < t,
  LessThanOrEqualToThreshold: (v: number, t: number) => v <= t,
} as const;
export type Comparison = keyof typeof COMPARISONS;

/** Whether `value` breaches `threshold` under `comparison`. */
export function compareWithThreshold(value: number, comparison: Comparison, threshold: number): boolean {
  return COMPARISONS[comparison](value, threshold);
}

/** The canary limits (the config's `canary`). */
export interface CanaryLimits {
  readonly maxErrorRate: number;
  readonly maxLatencyP95Ms: number;
  readonly maxLatencyP99Ms: number;
}

/** The custom metric's reading and its rule. */
export interface CustomReading {
  readonly metricName: string;
  /** The value over the window; undefined without datapoints. */
  readonly value?: number;
  readonly threshold: number;
  readonly comparison: Comparison;
}

/** The verdict on the candidate. */
export interface CanaryVerdict {
  readonly breached: boolean;
  /** Every breached limit, `; `-separated; present when breached. */
  readonly reason?: string;
  /** The values read, for the run record: errorRate, latencyP95Ms, latencyP99Ms, invocations, errors5xx, custom (each when known). */
  readonly metrics: Record<string, number>;
  /** What could not be judged (no traffic, no custom datapoint). */
  readonly notes: string[];
}

/** The values of one variant, in the units of the limits. */
export function variantMetrics(r: VariantReadings): Record<string, number> {
  const out: Record<string, number> = { invocations: r.invocations, errors5xx: r.errors5xx };
  const rate = errorRate(r.invocations, r.errors5xx);
  if (rate !== undefined) out.errorRate = rate;
  if (r.latencyP95Us !== undefined) out.latencyP95Ms = microsecondsToMs(r.latencyP95Us);
  if (r.latencyP99Us !== undefined) out.latencyP99Ms = microsecondsToMs(r.latencyP99Us);
  return out;
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));

/** Judges the candidate's readings against the limits (see the module comment). */
export function judgeCanary(candidate: VariantReadings, limits: CanaryLimits, custom?: CustomReading): CanaryVerdict {
  const metrics = variantMetrics(candidate);
  const reasons: string[] = [];
  const notes: string[] = [];
  if (metrics.errorRate === undefined) {
    notes.push('the candidate received no invocation in the window: error rate not judged');
  } else if (metrics.errorRate > limits.maxErrorRate) {
    reasons.push(`5XX error rate ${fmt(metrics.errorRate)} (${candidate.errors5xx} of ${candidate.invocations}) is above ${limits.maxErrorRate}`);
  }
  if (metrics.latencyP95Ms !== undefined && metrics.latencyP95Ms > limits.maxLatencyP95Ms) {
    reasons.push(`p95 ModelLatency ${fmt(metrics.latencyP95Ms)} ms is above ${limits.maxLatencyP95Ms} ms`);
  }
  if (metrics.latencyP99Ms !== undefined && metrics.latencyP99Ms > limits.maxLatencyP99Ms) {
    reasons.push(`p99 ModelLatency ${fmt(metrics.latencyP99Ms)} ms is above ${limits.maxLatencyP99Ms} ms`);
  }
  if (custom) {
    if (custom.value === undefined) {
      notes.push(`custom metric ${custom.metricName} has no datapoint in the window: not judged`);
    } else {
      metrics.custom = custom.value;
      if (compareWithThreshold(custom.value, custom.comparison, custom.threshold)) {
        reasons.push(`${custom.metricName} ${fmt(custom.value)} is ${custom.comparison.replace(/Threshold$/, '')} ${custom.threshold}`);
      }
    }
  }
  return { breached: reasons.length > 0, ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}), metrics, notes };
}

/**
 * Combines the datapoints of one metric over the window: Sums and SampleCounts add
 * up; otherwise the worst one counts (the highest, or the lowest when lower is the
 * breach direction). Undefined without datapoints.
 */
export function combineDatapoints(values: readonly number[], statistic: string, lowerBreaches = false): number | undefined {
  if (values.length === 0) return undefined;
  if (statistic === 'Sum' || statistic === 'SampleCount') return values.reduce((a, b) => a + b, 0);
  if (statistic === 'Minimum') return Math.min(...values);
  return lowerBreaches ? Math.min(...values) : Math.max(...values);
}
