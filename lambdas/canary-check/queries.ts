/**
 * The GetMetricData queries of a canary check: per variant (dimensions EndpointName and
 * VariantName in AWS/SageMaker) Invocations and Invocation5XXErrors as Sums and
 * ModelLatency as p95 and p99, plus the optional custom metric.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';

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

/** The bake window: `bakeMinutes` (at least 1) ending at `now`, and one period covering it. */
export function metricWindow(now: Date, bakeMinutes: number): { start: Date; end: Date; period: number } {
  const minutes = Math.max(1, Math.ceil(bakeMinutes));
  return { start: new Date(now.getTime() - minutes * 60_000), end: now, period: minutes * 60 };
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
