/**
 * `canaryCheck`: after a stage's bake, reads each variant's SageMaker metrics
 * (dimension VariantName) over the stage's own window — from its weight change to
 * `metricLagMinutes` before now, whole minutes (see queries.ts metricWindow) — and
 * judges the stage with core/canary/policy judgeStage: inconclusive below
 * `minRequests` candidate invocations, fail on an absolute limit or an error rate
 * significantly worse than production's over the same minutes, else pass. The
 * verdict is returned (with the rule that decided), never thrown.
 */
import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { CanaryCheckInput, type CanaryCheckOutput } from '../../vocabulary/contracts';
import { InputError } from '../../vocabulary/errors';
import { COMPARISONS, combineDatapoints, judgeStage, variantMetrics, type Comparison, type VariantReadings } from '../core/canary/policy';
import { cloudWatchClient } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { mapAwsError } from '../runtime/errors';
import { CUSTOM_QUERY_ID, canaryQueries, metricResolutionSeconds, metricWindow, queryId, VARIANT_SERIES } from './queries';

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
  const startedAt = new Date(input.stage.startedAt);
  if (Number.isNaN(startedAt.getTime())) throw new InputError(`stage.startedAt: expected an ISO 8601 time or epoch milliseconds, got "${input.stage.startedAt}"`);
  const { start, end, period, empty } = metricWindow(new Date(), startedAt, input.evidence.metricLagMinutes, metricResolutionSeconds());
  // No whole minute in the window yet: nothing to read (GetMetricData refuses EndTime <= StartTime).
  const values = empty ? new Map<string, number[]>() : await getMetricData(canaryQueries(input.endpointName, input.variants, period, custom), start, end);
  const comparison = custom?.comparison as Comparison | undefined;
  const production = readings(values, 'production');
  const judgement = judgeStage(
    readings(values, 'candidate'),
    production,
    input.limits,
    { minRequests: input.evidence.minRequests, alpha: input.evidence.alpha },
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
    verdict: judgement.verdict,
    rule: judgement.rule,
    ...(judgement.pValue === undefined ? {} : { pValue: judgement.pValue }),
    window: { start: start.toISOString(), end: end.toISOString() },
    extensions: input.stage.extensions,
    breached: judgement.breached,
    ...(judgement.reason === undefined ? {} : { reason: judgement.reason }),
    metrics: { candidate: judgement.metrics, production: variantMetrics(production) },
    notes: judgement.notes,
  };
});
