/**
 * The GetMetricData queries of a canary check: per variant (dimensions EndpointName and
 * VariantName in AWS/SageMaker) Invocations and Invocation5XXErrors as Sums and
 * ModelLatency as p95 and p99, plus the optional custom metric.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { InputError } from '../../vocabulary/errors';

/** SageMaker's endpoint metrics namespace. */
export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';

/** The per-variant series and their statistics. */
export const VARIANT_SERIES = {
  invocations: { metricName: 'Invocations', stat: 'Sum' },
  errors5xx: { metricName: 'Invocation5XXErrors', stat: 'Sum' },
  latencyP95: { metricName: 'ModelLatency', stat: 'p95' },
  latencyP99: { metricName: 'ModelLatency', stat: 'p99' },
} as const;
export type VariantSeries = keyof typeof VARIANT_SERIES;

/** Query id of a variant series (ids must start with a lowercase letter). */
export function queryId(role: 'candidate' | 'production', series: VariantSeries): string {
  return `${role}_${series.toLowerCase()}`;
}

/** Query id of the custom metric. */
export const CUSTOM_QUERY_ID = 'custom';

/** A minute in milliseconds. */
const MINUTE_MS = 60_000;

/**
 * Seconds to which a window is aligned: CloudWatch keeps SageMaker's endpoint metrics
 * per minute (and rounds a StartTime within the last 15 days down to the minute), so
 * by default 60. The local CloudWatch keeps one-second samples: local mode sets
 * `PITSTOP_METRIC_RESOLUTION_SECONDS=1`.
 */
export function metricResolutionSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PITSTOP_METRIC_RESOLUTION_SECONDS;
  if (raw === undefined || raw === '') return 60;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 60) throw new InputError(`PITSTOP_METRIC_RESOLUTION_SECONDS: expected an integer from 1 to 60, got "${raw}"`);
  return n;
}

/**
 * A stage's own metric window: from `startedAt` (its weights in service) rounded up to
 * the minute, so no earlier request (the smoke test's, or the previous stage's) counts,
 * to `lagMinutes` before `now` rounded down to the minute, since SageMaker's one-minute
 * endpoint metrics arrive a few minutes late (both aligned to `resolutionSeconds`).
 * One period covers it: its length rounded up to a multiple of 60 seconds, as
 * GetMetricData takes. `empty` when the window holds no whole step yet.
 */
export function metricWindow(
  now: Date,
  startedAt: Date,
  lagMinutes: number,
  resolutionSeconds = 60,
): { start: Date; end: Date; period: number; empty: boolean } {
  const step = resolutionSeconds * 1000;
  const start = Math.ceil(startedAt.getTime() / step) * step;
  const end = Math.floor((now.getTime() - lagMinutes * MINUTE_MS) / step) * step;
  const empty = end <= start;
  return { start: new Date(start), end: new Date(empty ? start : end), period: empty ? 60 : Math.ceil((end - start) / MINUTE_MS) * 60, empty };
}

/** The custom metric of the limits. */
export interface CustomMetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
}

/** Builds every query of a check. */
export function canaryQueries(
  endpointName: string,
  variants: { readonly production: string; readonly candidate: string },
  period: number,
  custom?: CustomMetricSpec,
): MetricDataQuery[] {
  const queries: MetricDataQuery[] = [];
  for (const role of ['candidate', 'production'] as const) {
    for (const [series, { metricName, stat }] of Object.entries(VARIANT_SERIES) as [VariantSeries, (typeof VARIANT_SERIES)[VariantSeries]][]) {
      queries.push({
        Id: queryId(role, series),
        MetricStat: {
          Metric: {
            Namespace: SAGEMAKER_NAMESPACE,
            MetricName: metricName,
            Dimensions: [
              { Name: 'EndpointName', Value: endpointName },
              { Name: 'VariantName', Value: variants[role] },
            ],
          },
          Period: period,
          Stat: stat,
        },
        ReturnData: true,
      });
    }
  }
  if (custom) {
    queries.push({
      Id: CUSTOM_QUERY_ID,
      MetricStat: {
        Metric: {
          Namespace: custom.namespace,
          MetricName: custom.metricName,
          Dimensions: Object.entries(custom.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: period,
        Stat: custom.statistic,
      },
      ReturnData: true,
    });
  }
  return queries;
}
