import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { PitstopTriggers } from '../../infra/triggers';
import { model, standInStateMachine } from './fixtures';

type Resource = { Properties: Record<string, any> };

/**
 * The input an InputTransformer produces for an event: each `<name>` placeholder of the
 * template replaced by the JSON value at its path (paths here are plain `$.a.b.c`).
 */
function transform(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }, event: unknown): unknown {
  const text = transformer.InputTemplate.replace(/<([\w-]+)>/g, (_, name: string) => {
    const path = transformer.InputPathsMap[name]!;
    const value = path.replace(/^\$\./, '').split('.').reduce<any>((v, k) => v?.[k], event);
    return JSON.stringify(value);
  });
  return JSON.parse(text);
}

describe('Class: PitstopTriggers', () => {
  // Prepare (one synth for the describe)
  const stack = new Stack(new App(), 'Test');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const monitor = standInStateMachine(stack, 'Monitor');
  const retrain = standInStateMachine(stack, 'Retrain');
  const metric = new cloudwatch.Metric({ namespace: 'Pitstop', metricName: 'DriftedFeatures' });
  const triggerAlarms = ['pitstop-churn-a', 'pitstop-churn-b'].map(
    (name, i) => new cloudwatch.Alarm(stack, `Alarm${i}`, { alarmName: name, metric, threshold: 1, evaluationPeriods: 1 }),
  );
  new cloudwatch.Alarm(stack, 'Unrelated', { alarmName: 'pitstop-churn-other', metric, threshold: 1, evaluationPeriods: 1 });
  new PitstopTriggers(stack, 'Triggers', {
    model: model({ triggers: { monitorSchedule: 'rate(30 minutes)', retrainSchedules: ['cron(0 2 ? * SUN *)', 'cron(0 3 1 * ? *)'] } }),
    monitor,
    retrain,
    retrainAlarms: triggerAlarms,
    encryptionKey: key,
  });
  const template = Template.fromStack(stack);
  const rules = Object.values(template.findResources('AWS::Events::Rule')) as Resource[];
  const ids = (type: string) => Object.keys(template.findResources(type));
  const [queueId] = ids('AWS::SQS::Queue');
  const [keyId] = ids('AWS::KMS::Key');
  const monitorRef = stack.resolve(monitor.stateMachineArn);
  const retrainRef = stack.resolve(retrain.stateMachineArn);
  const scheduleRule = (expression: string) => rules.find((r) => r.Properties.ScheduleExpression === expression)!;
  const alarmRule = rules.find((r) => r.Properties.EventPattern)!;

  it('starts the monitor on its schedule with the event time, where its window ends', () => {
    const target = scheduleRule('rate(30 minutes)').Properties.Targets[0];
    expect(target.Arn).toEqual(monitorRef);
    // A Scheduled Event's `time` is the time it was scheduled for.
    const event = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-30T10:00:00Z', detail: {} };
    expect(transform(target.InputTransformer, event)).toEqual({ trigger: 'schedule', reason: 'monitor schedule rate(30 minutes)', time: '2026-11-30T10:00:00Z' });
  });

  it('starts the retrain on each retrain schedule', () => {
    for (const expression of ['cron(0 2 ? * SUN *)', 'cron(0 3 1 * ? *)']) {
      const target = scheduleRule(expression).Properties.Targets[0];
      expect(target.Arn).toEqual(retrainRef);
      expect(JSON.parse(target.Input)).toEqual({ trigger: 'schedule', reason: `retrain schedule ${expression}` });
    }
    expect(rules).toHaveLength(4);
  });

  it('matches ALARM state changes of exactly the retrain-trigger alarms', () => {
    const alarmIds = ['Alarm0', 'Alarm1'].map((id) => stack.getLogicalId(stack.node.findChild(id).node.defaultChild as cloudwatch.CfnAlarm));
    expect(alarmRule.Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: alarmIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
      detail: {
        alarmName: alarmIds.map((id) => ({ Ref: id })),
        state: { value: ['ALARM'] },
      },
    });
  });

  it('starts the retrain with the alarm name and reason taken from the event', () => {
    const target = alarmRule.Properties.Targets[0];
    expect(target.Arn).toEqual(retrainRef);
    const event = {
      source: 'aws.cloudwatch',
      detail: { alarmName: 'pitstop-churn-a', state: { value: 'ALARM', reason: 'Threshold "1" crossed: 2 >= 1' } },
    };
    expect(transform(target.InputTransformer, event)).toEqual({
      trigger: 'alarm',
      alarmName: 'pitstop-churn-a',
      reason: 'Threshold "1" crossed: 2 >= 1',
    });
  });

  it('retries every target, then sends the event to the dead-letter queue', () => {
    for (const rule of rules) {
      expect(rule.Properties.Targets[0]).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      });
    }
  });

  it('encrypts the dead-letter queue with the key and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' }),
        ]),
      },
    });
  });

  it('lets EventBridge use the key for the encrypted dead-letter queue', () => {
    const statements = (Object.values(template.findResources('AWS::KMS::Key'))[0] as Resource).Properties.KeyPolicy.Statement as any[];
    expect(statements.some((s) => s.Principal?.Service === 'events.amazonaws.com' && [s.Action].flat().includes('kms:GenerateDataKey*'))).toBe(true);
  });

  it('grants the rule roles StartExecution on their state machine only', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
    const starts = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
      .filter((s) => [s.Action].flat().includes('states:StartExecution'));
    expect(starts.map((s) => s.Resource)).toEqual(expect.arrayContaining([monitorRef, retrainRef]));
    for (const s of starts) expect([monitorRef, retrainRef]).toContainEqual(s.Resource);
  });
});

describe('Class: PitstopTriggers (options and validation)', () => {
  const build = (options: Partial<ConstructorParameters<typeof PitstopTriggers>[2]> = {}) => {
    const stack = new Stack(new App(), 'Test');
    const props = { model: model(), monitor: standInStateMachine(stack, 'Monitor'), retrain: standInStateMachine(stack, 'Retrain'), ...options };
    new PitstopTriggers(stack, 'Triggers', props);
    return Template.fromStack(stack);
  };

  it('uses the config defaults: hourly monitor, weekly retrain, no alarm rule, SQS-managed encryption', () => {
    const template = build();
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Resource[];
    expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(['cron(0 2 ? * SUN *)', 'rate(1 hour)']);
    expect(rules.some((r) => r.Properties.EventPattern)).toBe(false);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('uses the given retry policy', () => {
    const template = build({ retryAttempts: 0, maxEventAge: Duration.minutes(10) });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 } })],
    });
  });

  it.each([
    [{ retryAttempts: 186 }, 'expected retryAttempts to be an integer between 0 and 185, got 186'],
    [{ maxEventAge: Duration.seconds(30) }, 'expected maxEventAge between 1 minute and 24 hours, got 30 seconds'],
  ])('rejects %o', (options, message) => {
    expect(() => build(options)).toThrow(message);
  });

  it('rejects a schedule expression EventBridge would refuse, naming the field', () => {
    const m = model();
    const bad = { ...m, triggers: { ...m.triggers, retrainSchedules: ['cron(0 2 * * * *)'] } };
    expect(() => build({ model: bad })).toThrow(/^triggers\.retrainSchedules\[0\] "cron\(0 2 \* \* \* \*\)": exactly one of day-of-month and day-of-week/);
  });
});
