import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateWindow, type AlarmStateValue, type Datapoint, type TreatMissingData } from '../../../local/backend/alarm-evaluation';
import { LocalCloudWatch } from '../../../local/backend/cloudwatch';
import { tempRoot } from './helpers';

let root: string;
let cleanup: () => void;
beforeEach(() => ({ root, cleanup } = tempRoot()));
afterEach(() => cleanup());

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
const dims = [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'candidate' }];

/** '0 - X - X' (oldest first) → datapoints. */
const range = (s: string): Datapoint[] => s.split(' ').map((c) => (c === 'X' ? 'breaching' : c === '0' ? 'ok' : 'missing'));

describe('Function: evaluateWindow', () => {
  // The two example tables of "How alarm state is evaluated when data is missing"
  // (CloudWatch User Guide), evaluation range 5. 'retain' = keep the current state.
  const table3of3: Array<[string, Record<TreatMissingData, AlarmStateValue | 'retain'>]> = [
    ['0 - X - X', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['0 - - - -', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['- - - - -', { missing: 'INSUFFICIENT_DATA', ignore: 'retain', breaching: 'ALARM', notBreaching: 'OK' }],
    ['0 X X - X', { missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' }],
    ['- - X - -', { missing: 'ALARM', ignore: 'retain', breaching: 'ALARM', notBreaching: 'OK' }],
  ];
  const table2of3: Array<[string, Record<TreatMissingData, AlarmStateValue | 'retain'>]> = [
    ['0 - X - X', { missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' }],
    ['0 0 X 0 X', { missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' }],
    ['0 - X - -', { missing: 'OK', ignore: 'OK', breaching: 'ALARM', notBreaching: 'OK' }],
    ['- - - - 0', { missing: 'OK', ignore: 'OK', breaching: 'ALARM', notBreaching: 'OK' }],
    ['- - - X -', { missing: 'ALARM', ignore: 'retain', breaching: 'ALARM', notBreaching: 'OK' }],
  ];
  for (const [m, table] of [[3, table3of3], [2, table2of3]] as const) {
    for (const [points, expected] of table) {
      for (const [treat, state] of Object.entries(expected)) {
        for (const current of ['OK', 'ALARM'] as const) {
          it(`${m} of 3, ${points}, ${treat}, from ${current} → ${state}`, () => {
            const out = evaluateWindow(range(points), { evaluationPeriods: 3, datapointsToAlarm: m, treatMissingData: treat as TreatMissingData }, current);
            expect(out.state).toBe(state === 'retain' ? current : state);
          });
        }
      }
    }
  }

  it('2 of 3 breaching → ALARM, 1 of 3 → OK', () => {
    expect(evaluateWindow(range('0 0 X 0 X'), { evaluationPeriods: 3, datapointsToAlarm: 2 }, 'OK').state).toBe('ALARM');
    expect(evaluateWindow(range('X X 0 0 X'), { evaluationPeriods: 3, datapointsToAlarm: 2 }, 'ALARM').state).toBe('OK');
  });
});

describe('Function: LocalCloudWatch metrics', () => {
  it('GetMetricData buckets by Period from StartTime and computes each statistic', async () => {
    // Prepare: period 1 (T0..T0+60s): 1, 2, 3, 4 (Values+Counts); period 2: 10
    const cw = new LocalCloudWatch({ root });
    await cw.PutMetricData({
      Namespace: 'AWS/SageMaker',
      MetricData: [
        { MetricName: 'ModelLatency', Dimensions: dims, Timestamp: new Date(T0 + 1_000), Values: [1, 2, 3], Counts: [1, 1, 1] },
        { MetricName: 'ModelLatency', Dimensions: [...dims].reverse(), Timestamp: new Date(T0 + 59_000), Value: 4 },
        { MetricName: 'ModelLatency', Dimensions: dims, Timestamp: new Date(T0 + 61_000), Value: 10 },
        { MetricName: 'ModelLatency', Dimensions: [dims[0]!], Timestamp: new Date(T0 + 1_000), Value: 999 },
      ],
    });
    const query = (id: string, Stat: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Dimensions: dims }, Period: 60, Stat } });
    // Act
    const out = await cw.GetMetricData({
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 120_000),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [query('sum', 'Sum'), query('avg', 'Average'), query('mn', 'Minimum'), query('mx', 'Maximum'), query('n', 'SampleCount'), query('p50', 'p50')],
    });
    // Assess: the series with only EndpointName (999) is another metric
    const byId = Object.fromEntries((out.MetricDataResults as Array<{ Id: string; Values: number[]; Timestamps: Date[] }>).map((r) => [r.Id, r]));
    expect(byId.sum!.Values).toEqual([10, 10]);
    expect(byId.avg!.Values).toEqual([2.5, 10]);
    expect(byId.mn!.Values).toEqual([1, 10]);
    expect(byId.mx!.Values).toEqual([4, 10]);
    expect(byId.n!.Values).toEqual([4, 1]);
    expect(byId.p50!.Values).toEqual([2, 10]);
    expect(byId.sum!.Timestamps.map((t) => t.getTime())).toEqual([T0, T0 + 60_000]);
  });

  it('computes nearest-rank percentiles from Values and Counts', async () => {
    // 100 values 1..100: p95 = 95, p99 = 99; with counts, value 1 ×98 and 50 ×2: p99 = 50, p95 = 1
    const cw = new LocalCloudWatch({ root });
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    await cw.PutMetricData({ Namespace: 'N', MetricData: [{ MetricName: 'a', Values: values, Timestamp: new Date(T0) }] });
    await cw.PutMetricData({ Namespace: 'N', MetricData: [{ MetricName: 'b', Values: [50, 1], Counts: [2, 98], Timestamp: new Date(T0) }] });
    const q = (id: string, name: string, Stat: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'N', MetricName: name }, Period: 300, Stat } });
    const out = await cw.GetMetricData({
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 300_000),
      MetricDataQueries: [q('a95', 'a', 'p95'), q('a99', 'a', 'p99'), q('b99', 'b', 'p99'), q('b95', 'b', 'p95'), q('b100', 'b', 'p100')],
    });
    expect((out.MetricDataResults as Array<{ Values: number[] }>).map((r) => r.Values[0])).toEqual([95, 99, 50, 1, 50]);
  });

  it('evaluates arithmetic expressions per timestamp, hiding ReturnData: false queries', async () => {
    const cw = new LocalCloudWatch({ root });
    await cw.PutMetricData({
      Namespace: 'N',
      MetricData: [
        { MetricName: 'errors', Value: 3, Timestamp: new Date(T0) },
        { MetricName: 'calls', Value: 60, Timestamp: new Date(T0) },
        { MetricName: 'calls', Value: 10, Timestamp: new Date(T0 + 60_000) },
      ],
    });
    const stat = (id: string, name: string) => ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'N', MetricName: name }, Period: 60, Stat: 'Sum' } });
    const out = await cw.GetMetricData({
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 120_000),
      MetricDataQueries: [stat('e', 'errors'), stat('c', 'calls'), { Id: 'rate', Expression: '100 * e / c' }],
    });
    expect(out.MetricDataResults).toHaveLength(1);
    expect((out.MetricDataResults as Array<{ Values: number[] }>)[0]!.Values).toEqual([5]);
  });

  it('rejects a datum with both Value and Values, and keeps metrics across instances', async () => {
    const cw = new LocalCloudWatch({ root });
    await expect(cw.PutMetricData({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 1, Values: [1] }] })).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    await cw.PutMetricData({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 7, Timestamp: new Date(T0) }] });
    expect(new LocalCloudWatch({ root }).samples('N', 'm', [])).toHaveLength(1);
  });
});

describe('Function: LocalCloudWatch alarms', () => {
  const template = {
    Resources: {
      Drift: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'pitstop-churn-drifted-features',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          DatapointsToAlarm: 2,
          Dimensions: [{ Name: 'Model', Value: 'churn' }],
          EvaluationPeriods: 3,
          MetricName: 'DriftedFeatures',
          Namespace: 'Pitstop',
          Period: 3600,
          Statistic: 'Maximum',
          Threshold: 1,
          TreatMissingData: 'notBreaching',
        },
      },
      Failed: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'pitstop-churn-retrain-executions-failed',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'Retrain' } }],
          EvaluationPeriods: 1,
          MetricName: 'ExecutionsFailed',
          Namespace: 'AWS/States',
          Period: 300,
          Statistic: 'Sum',
          Threshold: 1,
        },
      },
      Retrain: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    },
  };
  const H = 3_600_000;
  const drift = (cw: LocalCloudWatch, hour: number, value: number) =>
    cw.PutMetricData({ Namespace: 'Pitstop', MetricData: [{ MetricName: 'DriftedFeatures', Dimensions: [{ Name: 'Model', Value: 'churn' }], Value: value, Timestamp: new Date(T0 + hour * H + 60_000) }] });

  it('loads the template alarms, resolving Ref dimensions', async () => {
    const cw = new LocalCloudWatch({ root });
    const { created, skipped } = await cw.putAlarmsFromTemplate(template);
    expect(created.sort()).toEqual(['pitstop-churn-drifted-features', 'pitstop-churn-retrain-executions-failed']);
    expect(skipped).toEqual([]);
    const described = (await cw.DescribeAlarms({ AlarmNames: ['pitstop-churn-retrain-executions-failed'] })).MetricAlarms as Array<Record<string, unknown>>;
    expect(described[0]!.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: 'arn:aws:states:us-east-1:123456789012:stateMachine:retrain' }]);
    expect(described[0]!.StateValue).toBe('INSUFFICIENT_DATA');
  });

  it('SetAlarmState: the alarm returns to ALARM at once when its condition still holds, with an event for each change', async () => {
    // Prepare: an alarm in ALARM on 2 of 3 breaching hours; the clock at the third hour
    let now = new Date(T0 + 2.5 * H);
    const cw = new LocalCloudWatch({ root, clock: () => now });
    await cw.putAlarmsFromTemplate({ Resources: { Drift: template.Resources.Drift } });
    await drift(cw, 0, 2);
    await drift(cw, 2, 3);
    expect(cw.evaluateAlarms().map((e) => e.detail.state.value)).toEqual(['ALARM']);
    // Act
    await cw.SetAlarmState({ AlarmName: 'pitstop-churn-drifted-features', StateValue: 'OK', StateReason: 're-armed' });
    // Assess: OK (the manual change), then ALARM again (the re-evaluation), both delivered on the next call
    const events = cw.evaluateAlarms();
    expect(events.map((e) => [e.detail.previousState.value, e.detail.state.value])).toEqual([['ALARM', 'OK'], ['OK', 'ALARM']]);
    expect(events[0]!.detail.state.reason).toBe('re-armed');
    expect(cw.evaluateAlarms()).toEqual([]);
    // Once the condition no longer holds, the alarm stays OK after being set so
    now = new Date(T0 + 5.5 * H);
    expect(cw.evaluateAlarms().map((e) => e.detail.state.value)).toEqual(['OK']);
    await cw.SetAlarmState({ AlarmName: 'pitstop-churn-drifted-features', StateValue: 'OK', StateReason: 'again' });
    expect(cw.evaluateAlarms()).toEqual([]);
  });

  it('SetAlarmState refuses an unknown alarm, a bad state and a missing reason', async () => {
    const cw = new LocalCloudWatch({ root });
    await cw.putAlarmsFromTemplate({ Resources: { Drift: template.Resources.Drift } });
    await expect(cw.SetAlarmState({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await expect(cw.SetAlarmState({ AlarmName: 'pitstop-churn-drifted-features', StateValue: 'ON', StateReason: 'x' })).rejects.toMatchObject({ name: 'InvalidFormat' });
    await expect(cw.SetAlarmState({ AlarmName: 'pitstop-churn-drifted-features', StateValue: 'OK' })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('goes to ALARM on 2 of 3 breaching hours, with a state-change event, and back to OK', async () => {
    // Prepare
    const cw = new LocalCloudWatch({ root });
    await cw.putAlarmsFromTemplate({ Resources: { Drift: template.Resources.Drift } });
    // Act/Assess: first evaluation, no data → notBreaching → OK
    const first = cw.evaluateAlarms(new Date(T0 + 10 * 60_000));
    expect(first.map((e) => e.detail.state.value)).toEqual(['OK']);
    await drift(cw, 0, 2);
    expect(cw.evaluateAlarms(new Date(T0 + 0.5 * H))).toEqual([]); // 1 of 3
    await drift(cw, 1, 0);
    expect(cw.evaluateAlarms(new Date(T0 + 1.5 * H))).toEqual([]); // X 0: 1 of 3
    await drift(cw, 2, 3);
    const events = cw.evaluateAlarms(new Date(T0 + 2.5 * H)); // X 0 X: 2 of 3
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:pitstop-churn-drifted-features'],
      detail: {
        alarmName: 'pitstop-churn-drifted-features',
        state: { value: 'ALARM' },
        previousState: { value: 'OK' },
        configuration: { metrics: [{ metricStat: { metric: { namespace: 'Pitstop', name: 'DriftedFeatures', dimensions: { Model: 'churn' } }, period: 3600, stat: 'Maximum' } }] },
      },
    });
    expect(cw.evaluateAlarms(new Date(T0 + 2.6 * H))).toEqual([]); // unchanged
    // hours 3 and 4 missing: the range (5 periods) still holds 3 real points X 0 X, which decide
    expect(cw.evaluateAlarms(new Date(T0 + 4.5 * H))).toEqual([]);
    // hour 5: range 0 X - - -, 2 real points + 1 filled notBreaching → 1 of 3
    const back = cw.evaluateAlarms(new Date(T0 + 5.5 * H));
    expect(back.map((e) => e.detail.state.value)).toEqual(['OK']);
  });

  it('rejects alarms it cannot evaluate', async () => {
    const cw = new LocalCloudWatch({ root });
    await expect(
      cw.PutMetricAlarm({ AlarmName: 'x', Namespace: 'N', MetricName: 'm', Statistic: 'Sum', Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 3, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
