/**
 * `canaryCheck`: after a stage's bake, reads each variant's SageMaker metrics
 * (dimension VariantName) over the last `bakeMinutes` (at least one minute) and judges
 * the candidate with the breach policy of core/canary/policy (5XX rate with zero
 * invocations not a breach but noted; ModelLatency converted from microseconds to
 * milliseconds; optional custom metric). Production's values are read alongside, for
 * the record. A breach is returned (`breached: true`), never thrown.
 */
import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { CanaryCheckInput, type CanaryCheckOutput } from '../../vocabulary/contracts';
import { InputError } from '../../vocabulary/errors';
import { COMPARISONS, combineDatapoints, judgeCanary, variantMetrics, type Comparison, type VariantReadings } from '../core/canary/policy';
import { cloudWatchClient } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { mapAwsError } from '../runtime/errors';
import { CUSTOM_QUERY_ID, canaryQueries, metricWindow, queryId, VARIANT_SERIES } from './queries';

/** Every datapoint of every query, following NextToken. */
async function getMetricData(
  queries: ReturnType<typeof canaryQueries>,
  start: Date,
  end: Date,
): Promise<Map<string, number[]>> {
  const values = new Map<string, number[]>();
  let token: string | undefined;
  do {
    let page;
    try {
      page = await cloudWatchClient().send(
        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, NextToken: token, ScanBy: 'TimestampAscending' }),
      );
    } catch (err) {
      throw mapAwsError(err, 'cloudwatch:GetMetricData');
    }
    for (const r of page.MetricDataResults ?? ([] as MetricDataResult[])) {
      if (!r.Id) continue;
      const list = values.get(r.Id) ?? [];
      list.push(...(r.Values ?? []));
      values.set(r.Id, list);
    }
    token = page.NextToken;
  } while (token);
  return values;
}

function readings(values: Map<string, number[]>, role: 'candidate' | 'production'): VariantReadings {
  const get = (series: keyof typeof VARIANT_SERIES) => combineDatapoints(values.get(queryId(role, series)) ?? [], VARIANT_SERIES[series].stat);
  return {
    invocations: get('invocations') ?? 0,
    errors5xx: get('errors5xx') ?? 0,
    latencyP95Us: get('latencyP95'),
    latencyP99Us: get('latencyP99'),
  };
}

export const handler = defineHandler('canaryCheck', CanaryCheckInput, async (input): Promise<CanaryCheckOutput & { notes: string[] }> => {
  const custom = input.limits.customMetric;
  if (custom && !(custom.comparison in COMPARISONS)) {
    throw new InputError(`limits.customMetric.comparison: expected one of ${Object.keys(COMPARISONS).join(', ')}, got "${custom.comparison}"`);
  }
  const { start, end, period } = metricWindow(new Date(), input.stage.bakeMinutes);
  const values = await getMetricData(canaryQueries(input.endpointName, input.variants, period, custom), start, end);
  const comparison = custom?.comparison as Comparison | undefined;
  const verdict = judgeCanary(
    readings(values, 'candidate'),
    input.limits,
    custom && comparison
      ? {
          metricName: custom.metricName,
          value: combineDatapoints(values.get(CUSTOM_QUERY_ID) ?? [], custom.statistic, comparison.startsWith('Less')),
          threshold: custom.threshold,
          comparison,
        }
      : undefined,
  );
  return {
    breached: verdict.breached,
    ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
    metrics: { candidate: verdict.metrics, production: variantMetrics(readings(values, 'production')) },
    notes: verdict.notes,
  };
});
