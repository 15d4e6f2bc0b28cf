/**
 * Local CloudWatch: PutMetricData and GetMetricData over metrics kept in memory and
 * appended to `<root>/cloudwatch/metrics.jsonl`, and metric alarms (from
 * PutMetricAlarm or the synthesized template) evaluated on demand with
 * {@link LocalCloudWatch.evaluateAlarms}, which returns the state changes as the
 * EventBridge events CloudWatch emits ("CloudWatch Alarm State Change").
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FakeEnvironment, SynthesizedTemplate } from '../../asl';
import {
  ALARM_STATES,
  TREAT_MISSING,
  evaluateWindow,
  type Datapoint,
  type TreatMissingData,
} from '../alarm-evaluation';
import { LocalAwsError } from '../errors';
import { SERVICE, cwError, finite, metricKey, normalizeDimensions, toMillis } from './input';
import type { AlarmStateChangeEvent, ComparisonOperator, Dimension, LocalCloudWatchOptions, MetricAlarm } from './types';
import { COMPARISON_OPERATORS } from './types';
import { evaluateExpression, type Series } from '../metric-math';
import { isSupportedStatistic, statistic, type MetricSample } from '../metric-stats';
import { callAction, type LocalService } from '../service';
import { appendJsonLine, readJsonLines, writeJsonFile } from '../store';
import { alarmArn, environmentOf, resourcesOfType } from '../template';

export * from './types';
export { metricKey } from './input';

interface StoredDatum {
  key: string;
  sample: MetricSample;
}

/** The local CloudWatch service. */
export class LocalCloudWatch implements LocalService {
  public readonly serviceName = SERVICE;
  private readonly file: string;
  private readonly alarmsFile: string;
  private readonly clock: () => Date;
  private readonly env?: FakeEnvironment;
  private readonly extra: number;
  private readonly series = new Map<string, MetricSample[]>();
  private readonly alarms = new Map<string, MetricAlarm>();

  public constructor(options: LocalCloudWatchOptions) {
    this.file = join(options.root, 'cloudwatch', 'metrics.jsonl');
    this.alarmsFile = join(options.root, 'cloudwatch', 'alarms.json');
    this.clock = options.clock ?? (() => new Date());
    this.env = options.env;
    this.extra = options.extraEvaluationPeriods ?? 2;
    for (const d of readJsonLines<StoredDatum>(this.file)) this.store(d.key, d.sample);
  }

  public call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callAction(this, SERVICE, action, input);
  }

  private store(key: string, sample: MetricSample): void {
    const list = this.series.get(key);
    if (list) list.push(sample);
    else this.series.set(key, [sample]);
  }

  /** Samples of one metric in [from, to). */
  public samples(namespace: string, metricName: string, dimensions: readonly Dimension[], from = -Infinity, to = Infinity): MetricSample[] {
    return (this.series.get(metricKey(namespace, metricName, dimensions)) ?? []).filter((s) => s.timestamp >= from && s.timestamp < to);
  }

  /** PutMetricData: Value, Values+Counts or StatisticValues per datum; Timestamp defaults to now. */
  public async PutMetricData(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const namespace = input.Namespace;
    if (typeof namespace !== 'string' || namespace === '') throw cwError('MissingParameter', 'The parameter Namespace is required.');
    const data = input.MetricData;
    if (!Array.isArray(data) || data.length === 0) throw cwError('MissingParameter', 'The parameter MetricData is required.');
    if (data.length > 1000) throw cwError('InvalidParameterValue', `expected at most 1000 MetricData, got ${data.length}`);
    const stored: StoredDatum[] = data.map((raw: Record<string, unknown>, i: number) => {
      const where = `MetricData.member.${i + 1}`;
      if (typeof raw.MetricName !== 'string' || raw.MetricName === '') throw cwError('MissingParameter', `The parameter ${where}.MetricName is required.`);
      const timestamp = raw.Timestamp === undefined ? this.clock().getTime() : toMillis(raw.Timestamp, `${where}.Timestamp`);
      const kinds = [raw.Value !== undefined, raw.Values !== undefined, raw.StatisticValues !== undefined].filter(Boolean).length;
      if (kinds !== 1) {
        throw cwError('InvalidParameterCombination', `expected exactly one of Value, Values or StatisticValues in ${where}`);
      }
      let sample: MetricSample;
      if (raw.StatisticValues !== undefined) {
        const s = raw.StatisticValues as Record<string, unknown>;
        sample = {
          kind: 'statistics',
          timestamp,
          sampleCount: finite(s.SampleCount, `${where}.StatisticValues.SampleCount`),
          sum: finite(s.Sum, `${where}.StatisticValues.Sum`),
          minimum: finite(s.Minimum, `${where}.StatisticValues.Minimum`),
          maximum: finite(s.Maximum, `${where}.StatisticValues.Maximum`),
        };
      } else if (raw.Values !== undefined) {
        const values = (raw.Values as unknown[]).map((v, j) => finite(v, `${where}.Values.${j + 1}`));
        const counts = raw.Counts === undefined ? values.map(() => 1) : (raw.Counts as unknown[]).map((c, j) => finite(c, `${where}.Counts.${j + 1}`));
        if (counts.length !== values.length) throw cwError('InvalidParameterValue', `expected ${where}.Counts to have as many entries as Values`);
        sample = { kind: 'values', timestamp, values, counts };
      } else {
        sample = { kind: 'values', timestamp, values: [finite(raw.Value, `${where}.Value`)], counts: [1] };
      }
      return { key: metricKey(namespace, raw.MetricName, normalizeDimensions(raw.Dimensions)), sample };
    });
    for (const d of stored) {
      this.store(d.key, d.sample);
      appendJsonLine(this.file, d);
    }
    return {};
  }

  private statSeries(stat: Record<string, unknown>, start: number, end: number): Series {
    const metric = (stat.Metric ?? {}) as Record<string, unknown>;
    const period = finite(stat.Period, 'MetricStat.Period');
    if (period <= 0 || (period >= 60 && period % 60 !== 0)) {
      throw cwError('InvalidParameterValue', `expected Period to be 1, 5, 10, 20, 30 or a multiple of 60, got ${period}`);
    }
    const name = String(stat.Stat);
    if (!isSupportedStatistic(name)) throw cwError('InvalidParameterValue', `the local CloudWatch does not support the statistic ${name}`);
    const samples = this.samples(String(metric.Namespace), String(metric.MetricName), normalizeDimensions(metric.Dimensions), start, end);
    const buckets = new Map<number, MetricSample[]>();
    for (const s of samples) {
      const t = start + Math.floor((s.timestamp - start) / (period * 1000)) * period * 1000;
      const list = buckets.get(t);
      if (list) list.push(s);
      else buckets.set(t, [s]);
    }
    const timestamps: number[] = [];
    const values: number[] = [];
    for (const t of [...buckets.keys()].sort((a, b) => a - b)) {
      const v = statistic(name, buckets.get(t)!);
      if (v === undefined) continue;
      timestamps.push(t);
      values.push(v);
    }
    return { timestamps, values };
  }

  /**
   * GetMetricData: MetricStat queries (periods counted from StartTime, EndTime
   * exclusive) and arithmetic expressions over them; newest first unless
   * `ScanBy: 'TimestampAscending'`.
   */
  public async GetMetricData(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const start = toMillis(input.StartTime, 'StartTime');
    const end = toMillis(input.EndTime, 'EndTime');
    if (end <= start) throw cwError('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.');
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length === 0) throw cwError('MissingParameter', 'The parameter MetricDataQueries is required.');
    const computed = new Map<string, Series>();
    const ascending = input.ScanBy === 'TimestampAscending';
    const results: Record<string, unknown>[] = [];
    for (const q of queries as Record<string, unknown>[]) {
      const id = String(q.Id);
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw cwError('ValidationError', `expected query Id to start with a lowercase letter, got ${id}`);
      let series: Series;
      if (q.MetricStat) series = this.statSeries(q.MetricStat as Record<string, unknown>, start, end);
      else if (typeof q.Expression === 'string') {
        let value;
        try {
          value = evaluateExpression(q.Expression, computed);
        } catch (err) {
          throw cwError('ValidationError', (err as Error).message);
        }
        series = typeof value === 'number' ? { timestamps: [], values: [] } : value;
      } else throw cwError('ValidationError', `expected MetricStat or Expression in query ${id}`);
      computed.set(id, series);
      if (q.ReturnData === false) continue;
      const order = series.timestamps.map((_, i) => i);
      if (!ascending) order.reverse();
      const metric = ((q.MetricStat as Record<string, unknown> | undefined)?.Metric ?? {}) as Record<string, unknown>;
      results.push({
        Id: id,
        Label: q.Label ?? metric.MetricName ?? id,
        Timestamps: order.map((i) => new Date(series.timestamps[i]!)),
        Values: order.map((i) => series.values[i]!),
        StatusCode: 'Complete',
        Messages: [],
      });
    }
    return { MetricDataResults: results, Messages: [] };
  }

  /** PutMetricAlarm for single-metric alarms (Statistic or ExtendedStatistic, the four threshold comparisons). */
  public async PutMetricAlarm(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = input.AlarmName;
    if (typeof name !== 'string' || name === '') throw cwError('MissingParameter', 'The parameter AlarmName is required.');
    if (input.Metrics !== undefined) throw cwError('ValidationError', `alarm ${name}: the local CloudWatch supports single-metric alarms only`);
    const op = String(input.ComparisonOperator) as ComparisonOperator;
    if (!(op in COMPARISON_OPERATORS)) throw cwError('ValidationError', `alarm ${name}: unsupported ComparisonOperator ${String(input.ComparisonOperator)}`);
    const stat = (input.ExtendedStatistic ?? input.Statistic) as string | undefined;
    if (!stat || !isSupportedStatistic(stat)) throw cwError('ValidationError', `alarm ${name}: unsupported statistic ${String(stat)}`);
    const evaluationPeriods = finite(input.EvaluationPeriods, 'EvaluationPeriods');
    const datapointsToAlarm = input.DatapointsToAlarm === undefined ? evaluationPeriods : finite(input.DatapointsToAlarm, 'DatapointsToAlarm');
    if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
      throw cwError('ValidationError', `alarm ${name}: expected DatapointsToAlarm between 1 and EvaluationPeriods, got ${datapointsToAlarm}`);
    }
    const treat = (input.TreatMissingData ?? TREAT_MISSING.missing) as TreatMissingData;
    if (!Object.values(TREAT_MISSING).includes(treat)) throw cwError('ValidationError', `alarm ${name}: unknown TreatMissingData ${treat}`);
    const now = this.clock();
    const previous = this.alarms.get(name);
    const alarm: MetricAlarm = {
      AlarmName: name,
      AlarmArn: alarmArn(name, this.env),
      ...(typeof input.AlarmDescription === 'string' ? { AlarmDescription: input.AlarmDescription } : {}),
      Namespace: String(input.Namespace),
      MetricName: String(input.MetricName),
      Dimensions: normalizeDimensions(input.Dimensions),
      ...(input.ExtendedStatistic ? { ExtendedStatistic: stat } : { Statistic: stat }),
      Period: finite(input.Period, 'Period'),
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: datapointsToAlarm,
      Threshold: finite(input.Threshold, 'Threshold'),
      ComparisonOperator: op,
      TreatMissingData: treat,
      ActionsEnabled: input.ActionsEnabled !== false,
      AlarmActions: (input.AlarmActions as string[] | undefined) ?? [],
      OKActions: (input.OKActions as string[] | undefined) ?? [],
      StateValue: previous?.StateValue ?? ALARM_STATES.insufficientData,
      StateReason: previous?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: previous?.StateUpdatedTimestamp ?? now,
      AlarmConfigurationUpdatedTimestamp: now,
    };
    this.alarms.set(name, alarm);
    this.saveAlarms();
    return {};
  }

  /**
   * Creates every `AWS::CloudWatch::Alarm` of a synthesized template (intrinsics
   * resolved as local/backend/template.ts does). Alarms on metric math are skipped.
   * @returns names created, and skipped alarms with the reason
   */
  public async putAlarmsFromTemplate(
    template: SynthesizedTemplate,
  ): Promise<{ created: string[]; skipped: Array<{ alarmName: string; reason: string }> }> {
    const created: string[] = [];
    const skipped: Array<{ alarmName: string; reason: string }> = [];
    for (const { logicalId, properties } of resourcesOfType(template, 'AWS::CloudWatch::Alarm', this.env)) {
      const alarmName = typeof properties.AlarmName === 'string' ? properties.AlarmName : logicalId.toLowerCase();
      try {
        await this.PutMetricAlarm({ ...properties, AlarmName: alarmName });
        created.push(alarmName);
      } catch (err) {
        skipped.push({ alarmName, reason: (err as Error).message });
      }
    }
    return { created, skipped };
  }

  /** DescribeAlarms: by AlarmNames, AlarmNamePrefix and StateValue. */
  public async DescribeAlarms(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const names = input.AlarmNames as string[] | undefined;
    const prefix = input.AlarmNamePrefix as string | undefined;
    const state = input.StateValue as string | undefined;
    const alarms = [...this.alarms.values()]
      .filter((a) => !names || names.includes(a.AlarmName))
      .filter((a) => !prefix || a.AlarmName.startsWith(prefix))
      .filter((a) => !state || a.StateValue === state)
      .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : 1))
      .map((a) => structuredClone(a));
    return { MetricAlarms: alarms, CompositeAlarms: [] };
  }

  /** DeleteAlarms. */
  public async DeleteAlarms(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (const name of (input.AlarmNames as string[] | undefined) ?? []) this.alarms.delete(name);
    this.saveAlarms();
    return {};
  }

  private saveAlarms(): void {
    writeJsonFile(this.alarmsFile, [...this.alarms.values()]);
  }

  /** The datapoints of an alarm's evaluation range at `now`, oldest first; the newest period is the one holding `now`. */
  public alarmRange(alarm: MetricAlarm, now: Date): Datapoint[] {
    const p = alarm.Period * 1000;
    const newestStart = Math.floor(now.getTime() / p) * p;
    const length = alarm.EvaluationPeriods + this.extra;
    const stat = alarm.ExtendedStatistic ?? alarm.Statistic!;
    const compare = COMPARISON_OPERATORS[alarm.ComparisonOperator];
    const range: Datapoint[] = [];
    for (let k = length - 1; k >= 0; k -= 1) {
      const from = newestStart - k * p;
      const v = statistic(stat, this.samples(alarm.Namespace, alarm.MetricName, alarm.Dimensions, from, from + p));
      range.push(v === undefined ? 'missing' : compare(v, alarm.Threshold) ? 'breaching' : 'ok');
    }
    return range;
  }

  /**
   * SetAlarmState: sets the alarm's state for now. As in CloudWatch, the alarm keeps
   * that state only until its next evaluation, which this local service runs at once:
   * an alarm set to OK whose condition still holds goes back to ALARM, and both changes
   * are "CloudWatch Alarm State Change" events, returned by the next
   * {@link evaluateAlarms} call (before its own changes).
   * @throws LocalAwsError `ResourceNotFound` for an unknown alarm, `InvalidFormat` for a bad state
   */
  public async SetAlarmState(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = input.AlarmName as string;
    const alarm = this.alarms.get(name);
    if (!alarm) throw new LocalAwsError('ResourceNotFound', `Alarm ${name} not found`, 'cloudwatch');
    const state = input.StateValue as string;
    if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(state)) {
      throw new LocalAwsError('InvalidFormat', `expected StateValue OK, ALARM or INSUFFICIENT_DATA, got ${String(state)}`, 'cloudwatch');
    }
    if (typeof input.StateReason !== 'string' || input.StateReason === '') {
      throw new LocalAwsError('ValidationError', 'StateReason is required', 'cloudwatch');
    }
    const now = this.clock();
    if (state !== alarm.StateValue) this.pending.push(this.changeEvent(alarm, state as MetricAlarm['StateValue'], input.StateReason, now));
    this.pending.push(...this.evaluateAlarms(now, [alarm]));
    this.saveAlarms();
    return {};
  }

  /** Changes set by SetAlarmState and its re-evaluation, not yet returned by evaluateAlarms. */
  private pending: AlarmStateChangeEvent[] = [];

  /**
   * Evaluates every alarm at `now` (M of N, missing-data treatment as documented in
   * alarm-evaluation.ts) and returns one "CloudWatch Alarm State Change" event per
   * alarm whose state changed, after the changes SetAlarmState made since the last call.
   * @param now @default the clock
   * @param only the alarms to evaluate @default every alarm
   */
  public evaluateAlarms(now: Date = this.clock(), only?: readonly MetricAlarm[]): AlarmStateChangeEvent[] {
    const events: AlarmStateChangeEvent[] = only ? [] : this.pending.splice(0);
    for (const alarm of only ?? this.alarms.values()) {
      const outcome = evaluateWindow(
        this.alarmRange(alarm, now),
        { evaluationPeriods: alarm.EvaluationPeriods, datapointsToAlarm: alarm.DatapointsToAlarm, treatMissingData: alarm.TreatMissingData },
        alarm.StateValue,
      );
      if (outcome.state === alarm.StateValue) continue;
      events.push(this.changeEvent(alarm, outcome.state, `Threshold Crossed: ${outcome.reason} (${alarm.ComparisonOperator} ${alarm.Threshold}).`, now));
    }
    if (events.length) this.saveAlarms();
    return events;
  }

  /** Moves an alarm to `state` and returns the event of that change. */
  private changeEvent(alarm: MetricAlarm, state: MetricAlarm['StateValue'], reason: string, now: Date): AlarmStateChangeEvent {
    const e = environmentOf(this.env);
    {
      const previous = { value: alarm.StateValue, reason: alarm.StateReason, timestamp: alarm.StateUpdatedTimestamp.toISOString() };
      const outcome = { state };
      alarm.StateValue = outcome.state;
      alarm.StateReason = reason;
      alarm.StateUpdatedTimestamp = now;
      return {
        version: '0',
        id: randomUUID(),
        'detail-type': 'CloudWatch Alarm State Change',
        source: 'aws.cloudwatch',
        account: e.account,
        time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: e.region,
        resources: [alarm.AlarmArn],
        detail: {
          alarmName: alarm.AlarmName,
          state: { value: outcome.state, reason, timestamp: now.toISOString() },
          previousState: previous,
          configuration: {
            ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
            metrics: [
              {
                id: 'm1',
                metricStat: {
                  metric: {
                    namespace: alarm.Namespace,
                    name: alarm.MetricName,
                    dimensions: Object.fromEntries(alarm.Dimensions.map((d) => [d.Name, d.Value])),
                  },
                  period: alarm.Period,
                  stat: alarm.ExtendedStatistic ?? alarm.Statistic!,
                },
                returnData: true,
              },
            ],
          },
        },
      };
    }
  }
}
