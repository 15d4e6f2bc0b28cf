import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { PitstopAlarms } from '../../infra/alarms';
import { retrainTriggerAlarmNames } from '../../vocabulary/pipeline-names';
import { model, standInStateMachine } from './fixtures';

type Alarm = { Properties: Record<string, any> };

function alarmsByName(template: Template): Map<string, Record<string, any>> {
  return new Map(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => [(a as Alarm).Properties.AlarmName, (a as Alarm).Properties]),
  );
}

describe('Class: PitstopAlarms (features, quality, state machines)', () => {
  // Prepare (one synth for the describe)
  const stack = new Stack(new App(), 'Test');
  const topic = new sns.Topic(stack, 'Topic');
  const monitor = standInStateMachine(stack, 'Monitor');
  const retrain = standInStateMachine(stack, 'Retrain');
  const alarms = new PitstopAlarms(stack, 'Alarms', {
    model: model({
      features: [
        { name: 'age', type: 'numeric', drift: { threshold: 0.3 } },
        { name: 'plan type', type: 'categorical' },
      ],
      triggers: {
        drift: { threshold: 0.25, driftedFeatures: 2, datapointsToAlarm: 3, evaluationPeriods: 4 },
        quality: { metric: 'f1', threshold: 0.7, datapointsToAlarm: 1, evaluationPeriods: 2 },
        newLabeledSamples: 5000,
      },
    }),
    stateMachines: { monitor, retrain },
    topic,
  });
  const template = Template.fromStack(stack);
  const byName = alarmsByName(template);
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;

  it('alarms on DriftedFeatures >= the configured count, N of M monitor runs, missing data not breaching', () => {
    expect(byName.get('pitstop-churn-drifted-features')).toMatchObject({
      Namespace: 'Pitstop',
      MetricName: 'DriftedFeatures',
      Dimensions: [{ Name: 'Model', Value: 'churn' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 4,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when a score metric falls below the threshold', () => {
    expect(byName.get('pitstop-churn-live-quality-f1')).toMatchObject({
      MetricName: 'LiveQuality',
      Dimensions: expect.arrayContaining([{ Name: 'Model', Value: 'churn' }, { Name: 'Metric', Value: 'f1' }]),
      Threshold: 0.7,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when the new labeled samples reach the configured count', () => {
    expect(byName.get('pitstop-churn-new-labeled-samples')).toMatchObject({
      MetricName: 'NewLabeledSamples',
      Threshold: 5000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms per feature with the feature threshold, falling back to the drift threshold, without action', () => {
    expect(byName.get('pitstop-churn-drift-age')).toMatchObject({
      MetricName: 'Drift',
      Dimensions: expect.arrayContaining([{ Name: 'Feature', Value: 'age' }]),
      Threshold: 0.3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const plan = byName.get('pitstop-churn-drift-plan_type')!;
    expect(plan).toMatchObject({ Dimensions: expect.arrayContaining([{ Name: 'Feature', Value: 'plan type' }]), Threshold: 0.25 });
    expect(plan.AlarmActions).toBeUndefined();
  });

  it('exports the retrain triggers: drift count, quality, new samples, and nothing else', () => {
    const resources = template.findResources('AWS::CloudWatch::Alarm');
    const names = alarms.retrainTriggers.map((a) => {
      const ref = stack.resolve(a.alarmName) as { Ref: string };
      return (resources[ref.Ref] as Alarm).Properties.AlarmName;
    });
    expect(names.sort()).toEqual([
      'pitstop-churn-drifted-features',
      'pitstop-churn-live-quality-f1',
      'pitstop-churn-new-labeled-samples',
    ]);
  });

  it('alarms on failed and timed-out executions of every state machine, notifying the topic', () => {
    for (const [role, machine] of [['monitor', monitor], ['retrain', retrain]] as const) {
      const machineRef = stack.resolve(machine.stateMachineArn);
      for (const [suffix, metricName] of [['executions-failed', 'ExecutionsFailed'], ['executions-timed-out', 'ExecutionsTimedOut']]) {
        expect(byName.get(`pitstop-churn-${role}-${suffix}`)).toMatchObject({
          Namespace: 'AWS/States',
          MetricName: metricName,
          Dimensions: [{ Name: 'StateMachineArn', Value: machineRef }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: topicId }],
        });
      }
    }
    expect(alarms.executionAlarms).toHaveLength(4);
  });

  it('gives every alarm a name under pitstop-<model>-', () => {
    for (const name of byName.keys()) expect(name).toMatch(/^pitstop-churn-/);
    expect(byName.size).toBe(alarms.alarms.length);
  });
});

describe('Class: PitstopAlarms (defaults and variants)', () => {
  it('creates no per-feature or quality alarm when neither is configured', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    // Act
    const alarms = new PitstopAlarms(stack, 'Alarms', { model: model() });
    // Assess
    const names = [...alarmsByName(Template.fromStack(stack)).keys()].sort();
    expect(names).toEqual(['pitstop-churn-drifted-features', 'pitstop-churn-new-labeled-samples', 'pitstop-churn-prediction-drift']);
    expect(alarms.featureDriftAlarms).toHaveLength(0);
    expect(alarms.retrainTriggers).toHaveLength(2);
  });

  it('alarms on prediction drift for information only by default, with the drift method and its threshold', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    // Act
    const alarms = new PitstopAlarms(stack, 'Alarms', { model: model({ triggers: { drift: { method: 'wasserstein', threshold: 0.3, evaluationPeriods: 5, datapointsToAlarm: 4 } } }) });
    // Assess
    const alarm = alarmsByName(Template.fromStack(stack)).get('pitstop-churn-prediction-drift');
    expect(alarm).toMatchObject({
      MetricName: 'PredictionDrift',
      Dimensions: [{ Name: 'Model', Value: 'churn' }],
      Statistic: 'Maximum',
      Threshold: 0.3,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 4,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm!.AlarmActions).toBeUndefined();
    expect(alarm!.AlarmDescription).toContain('Informational');
    expect(alarms.retrainTriggers.map((a) => stack.resolve((a.node.defaultChild as unknown as { alarmName: string }).alarmName))).not.toContain('pitstop-churn-prediction-drift');
  });

  it('makes prediction drift a retrain trigger when triggers.predictionDrift is configured (ks: the lowest p-value below)', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    // Act
    const alarms = new PitstopAlarms(stack, 'Alarms', { model: model({ triggers: { predictionDrift: { method: 'ks', threshold: 0.01, evaluationPeriods: 2, datapointsToAlarm: 2 } } }) });
    // Assess
    expect(alarmsByName(Template.fromStack(stack)).get('pitstop-churn-prediction-drift')).toMatchObject({
      MetricName: 'PredictionDrift',
      Statistic: 'Minimum',
      Threshold: 0.01,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
    expect(alarms.predictionDriftAlarm).toBeUndefined();
    expect(alarms.retrainTriggers.map((a) => stack.resolve((a.node.defaultChild as unknown as { alarmName: string }).alarmName))).toContain('pitstop-churn-prediction-drift');
  });

  it('starts a retrain when estimated quality falls below triggers.estimatedQuality', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    // Act
    const alarms = new PitstopAlarms(stack, 'Alarms', { model: model({ triggers: { estimatedQuality: { metric: 'rocAuc', threshold: 0.8, evaluationPeriods: 3, datapointsToAlarm: 2 } } }) });
    // Assess
    expect(alarmsByName(Template.fromStack(stack)).get('pitstop-churn-estimated-quality-rocAuc')).toMatchObject({
      Namespace: 'Pitstop',
      MetricName: 'EstimatedQuality',
      Dimensions: expect.arrayContaining([{ Name: 'Model', Value: 'churn' }, { Name: 'Metric', Value: 'rocAuc' }]),
      Statistic: 'Average',
      Threshold: 0.8,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    expect(alarms.retrainTriggers.map((a) => stack.resolve((a.node.defaultChild as unknown as { alarmName: string }).alarmName))).toContain('pitstop-churn-estimated-quality-rocAuc');
  });

  it('describes a p-value feature alarm by the corrected p-value the monitor publishes', () => {
    // Prepare
    const describe = (drift: Record<string, unknown>) => {
      const stack = new Stack(new App(), 'Test');
      new PitstopAlarms(stack, 'Alarms', { model: model({ features: [{ name: 'age', type: 'numeric' }], triggers: { drift: { method: 'ks', ...drift } } }) });
      return alarmsByName(Template.fromStack(stack)).get('pitstop-churn-drift-age')!.AlarmDescription as string;
    };
    // Act, Assess
    expect(describe({})).toContain('p-value adjusted for Benjamini-Hochberg below 0.05');
    expect(describe({ correction: 'holm', minEffect: 0.1 })).toMatch(/adjusted for Holm below 0\.05 \(a feature whose effect is under 0\.1 publishes at least the threshold\)/);
    expect(describe({ correction: 'none' })).toContain('(ks) p-value below 0.05');
  });

  it('alarms when a loss rises above the threshold (regression rmse)', () => {
    const stack = new Stack(new App(), 'Test');
    new PitstopAlarms(stack, 'Alarms', {
      model: model({ problemType: 'regression', triggers: { quality: { metric: 'rmse', threshold: 12 } } }),
    });
    expect(alarmsByName(Template.fromStack(stack)).get('pitstop-churn-live-quality-rmse')).toMatchObject({
      Threshold: 12,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('derives the period from the monitor schedule, or takes the one given', () => {
    const stack = new Stack(new App(), 'Test');
    new PitstopAlarms(stack, 'A', { model: model({ triggers: { monitorSchedule: 'rate(15 minutes)' } }) });
    const b = new Stack(new App(), 'B');
    new PitstopAlarms(b, 'A', { model: model(), period: Duration.hours(6) });
    expect(alarmsByName(Template.fromStack(stack)).get('pitstop-churn-drifted-features')!.Period).toBe(900);
    expect(alarmsByName(Template.fromStack(b)).get('pitstop-churn-drifted-features')!.Period).toBe(21_600);
  });

  it('rejects an evaluation range CloudWatch would refuse', () => {
    const stack = new Stack(new App(), 'Test');
    const m = model({ triggers: { monitorSchedule: 'rate(30 minutes)', drift: { evaluationPeriods: 60, datapointsToAlarm: 2 } } });
    expect(() => new PitstopAlarms(stack, 'Alarms', { model: m })).toThrow(
      /^triggers\.drift: expected period x evaluationPeriods <= 86400 seconds .*got 1800 x 60 = 108000$/,
    );
  });

  it('rejects datapointsToAlarm above evaluationPeriods', () => {
    const stack = new Stack(new App(), 'Test');
    const m = model();
    const bad = { ...m, triggers: { ...m.triggers, drift: { ...m.triggers.drift, datapointsToAlarm: 5, evaluationPeriods: 3 } } };
    expect(() => new PitstopAlarms(stack, 'Alarms', { model: bad })).toThrow(
      'triggers.drift: expected datapointsToAlarm between 1 and evaluationPeriods (3), got 5',
    );
  });

  it('rejects a state machine role that cannot be part of an alarm name', () => {
    const stack = new Stack(new App(), 'Test');
    const machine = standInStateMachine(stack, 'M');
    expect(() => new PitstopAlarms(stack, 'Alarms', { model: model(), stateMachines: { 'Re Train': machine } })).toThrow(
      'expected a state machine role of lowercase letters, digits and dashes (e.g. "retrain"), got "Re Train"',
    );
  });
});

describe('Class: PitstopAlarms (per-feature direction by drift method)', () => {
  // Prepare: one feature per kind of score
  const stack = new Stack(new App(), 'Test');
  new PitstopAlarms(stack, 'Alarms', {
    model: model({
      features: [
        { name: 'age', type: 'numeric', drift: { method: 'ks', threshold: 0.05 } },
        { name: 'payment_method', type: 'categorical', drift: { method: 'chiSquare', threshold: 0.01 } },
        { name: 'income', type: 'numeric', drift: { method: 'psi', threshold: 0.2 } },
        { name: 'tenure', type: 'numeric', drift: { method: 'wasserstein', threshold: 0.1 } },
      ],
    }),
  });
  const byName = alarmsByName(Template.fromStack(stack));

  it('alarms p-value methods when the lowest p-value of the period is below the threshold', () => {
    for (const [feature, threshold] of [['age', 0.05], ['payment_method', 0.01]] as const) {
      expect(byName.get(`pitstop-churn-drift-${feature}`)).toMatchObject({ Statistic: 'Minimum', ComparisonOperator: 'LessThanThreshold', Threshold: threshold });
    }
  });

  it('alarms distance methods when the highest score of the period is over the threshold', () => {
    for (const feature of ['income', 'tenure']) {
      expect(byName.get(`pitstop-churn-drift-${feature}`)).toMatchObject({ Statistic: 'Maximum', ComparisonOperator: 'GreaterThanThreshold' });
    }
  });
});

describe('Function: retrainTriggerAlarmNames', () => {
  it('names exactly the alarms PitstopAlarms creates as retrain triggers, in order (the monitor re-arms these)', () => {
    for (const triggers of [
      {},
      { quality: { metric: 'f1' as const, threshold: 0.7 } },
      { quality: { metric: 'f1' as const, threshold: 0.7 }, estimatedQuality: { metric: 'f1' as const, threshold: 0.6 }, predictionDrift: {} },
    ]) {
      const stack = new Stack(new App(), 'Test');
      const m = model({ triggers });
      const alarms = new PitstopAlarms(stack, 'Alarms', { model: m });
      const names = alarms.retrainTriggers.map((a) => stack.resolve((a.node.defaultChild as unknown as { alarmName: string }).alarmName));
      expect(retrainTriggerAlarmNames(m)).toEqual(names);
    }
  });
});
