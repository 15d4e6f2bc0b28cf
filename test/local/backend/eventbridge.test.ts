import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyInputTransformer, matchesPattern } from '../../../local/backend/event-pattern';
import { LocalEventBridge } from '../../../local/backend/eventbridge';
import { fireTimes } from '../../../local/backend/schedule';
import { tempRoot } from './helpers';

let root: string;
let cleanup: () => void;
beforeEach(() => ({ root, cleanup } = tempRoot()));
afterEach(() => cleanup());

/** The shape CDK synthesizes for pitstop's triggers (infra/triggers.ts). */
const template = {
  Resources: {
    DriftAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'pitstop-churn-drifted-features' } },
    SamplesAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'pitstop-churn-new-labeled-samples' } },
    Retrain: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    Monitor: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    MonitorSchedule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Targets: [{ Arn: { Ref: 'Monitor' }, Id: 'Target0', Input: '{"trigger":"schedule","reason":"monitor schedule rate(1 hour)"}' }],
      },
    },
    RetrainOnAlarm: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          resources: [{ 'Fn::GetAtt': ['DriftAlarm', 'Arn'] }, { 'Fn::GetAtt': ['SamplesAlarm', 'Arn'] }],
          detail: { alarmName: [{ Ref: 'DriftAlarm' }, { Ref: 'SamplesAlarm' }], state: { value: ['ALARM'] } },
        },
        State: 'ENABLED',
        Targets: [
          {
            Arn: { Ref: 'Retrain' },
            Id: 'Target0',
            InputTransformer: {
              InputPathsMap: { 'detail-alarmName': '$.detail.alarmName', 'detail-state-reason': '$.detail.state.reason' },
              InputTemplate: '{"trigger":"alarm","alarmName":<detail-alarmName>,"reason":<detail-state-reason>}',
            },
          },
        ],
      },
    },
  },
};

const alarmEvent = (name: string, value: string) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: '2024-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`],
  detail: { alarmName: name, state: { value, reason: 'Threshold "Crossed"' }, previousState: { value: 'OK' } },
});

describe('Function: matchesPattern', () => {
  it('matches arrays as alternatives, nested objects, and event arrays by any element', () => {
    const p = { source: ['a', 'b'], detail: { state: { value: ['ALARM'] } }, resources: ['r2'] };
    expect(matchesPattern(p, { source: 'b', resources: ['r1', 'r2'], detail: { state: { value: 'ALARM' } } })).toBe(true);
    expect(matchesPattern(p, { source: 'c', resources: ['r2'], detail: { state: { value: 'ALARM' } } })).toBe(false);
    expect(matchesPattern(p, { source: 'a', resources: ['r2'], detail: { state: { value: 'OK' } } })).toBe(false);
    expect(matchesPattern(p, { source: 'a', resources: ['r2'], detail: {} })).toBe(false);
  });

  it('supports prefix, anything-but, numeric and exists', () => {
    expect(matchesPattern({ a: [{ prefix: 'pit' }] }, { a: 'pitstop' })).toBe(true);
    expect(matchesPattern({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'y' })).toBe(false);
    expect(matchesPattern({ a: [{ 'anything-but': ['x'] }] }, { a: 'z' })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 5 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 6 })).toBe(false);
    expect(matchesPattern({ gone: [{ exists: false }] }, { other: 1 })).toBe(true);
    expect(matchesPattern({ gone: [{ exists: true }] }, { other: 1 })).toBe(false);
  });
});

describe('Function: applyInputTransformer', () => {
  it('quotes strings outside quotes and inserts text inside them; missing paths give null', () => {
    const event = { detail: { name: 'al"arm', n: 3 } };
    expect(applyInputTransformer({ InputPathsMap: { a: '$.detail.name', n: '$.detail.n', m: '$.detail.nope' }, InputTemplate: '{"x":<a>,"y":"n=<n>","z":<m>}' }, event)).toEqual({
      x: 'al"arm',
      y: 'n=3',
      z: null,
    });
  });
});

describe('Function: LocalEventBridge', () => {
  it('starts the retrain with the transformed input when a trigger alarm goes to ALARM, and only then', async () => {
    // Prepare
    const eb = new LocalEventBridge({ root });
    eb.loadRules(template);
    // Act
    const started = eb.route(alarmEvent('pitstop-churn-drifted-features', 'ALARM'));
    // Assess
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:retrain',
      input: { trigger: 'alarm', alarmName: 'pitstop-churn-drifted-features', reason: 'Threshold "Crossed"' },
    });
    expect(eb.route(alarmEvent('pitstop-churn-drifted-features', 'OK'))).toEqual([]);
    expect(eb.route(alarmEvent('some-other-alarm', 'ALARM'))).toEqual([]);
    expect(eb.takeTriggered()).toHaveLength(1);
    expect(eb.takeTriggered()).toHaveLength(0);
  });

  it('lists schedule firings with their constant input', () => {
    const eb = new LocalEventBridge({ root });
    eb.loadRules(template);
    const due = eb.dueSchedules(new Date('2024-01-01T00:30:00Z'), new Date('2024-01-01T03:00:00Z'));
    expect(due.map((d) => d.time.toISOString())).toEqual(['2024-01-01T01:00:00.000Z', '2024-01-01T02:00:00.000Z', '2024-01-01T03:00:00.000Z']);
    expect(due[0]!.targets[0]).toMatchObject({ arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:monitor', input: { trigger: 'schedule' } });
  });

  it('PutEvents records events, matches rules and fails malformed entries alone', async () => {
    const eb = new LocalEventBridge({ root });
    eb.loadRules({
      Resources: {
        Outcome: {
          Type: 'AWS::Events::Rule',
          Properties: { EventPattern: { source: ['pitstop'], detail: { outcome: [{ 'anything-but': 'skipped' }] } }, Targets: [{ Id: 't', Arn: 'arn:x', InputPath: '$.detail' }] },
        },
      },
    });
    const out = await eb.PutEvents({
      Entries: [
        { Source: 'pitstop', DetailType: 'Pitstop Run Outcome', Detail: JSON.stringify({ outcome: 'promoted' }) },
        { Source: 'pitstop', DetailType: 'Pitstop Run Outcome', Detail: '[1]' },
        { Source: 'pitstop', DetailType: 'Pitstop Run Outcome', Detail: JSON.stringify({ outcome: 'skipped' }) },
      ],
    });
    expect(out.FailedEntryCount).toBe(1);
    expect((out.Entries as Array<{ ErrorCode?: string }>)[1]!.ErrorCode).toBe('MalformedDetail');
    expect(eb.events).toHaveLength(2);
    expect(eb.takeTriggered().map((t) => t.input)).toEqual([{ outcome: 'promoted' }]);
  });
});

describe('Function: fireTimes', () => {
  it('fires weekly cron on Sundays 02:00 UTC (day-of-week 1 = SUN)', () => {
    // 2024-01-07 and 2024-01-14 are Sundays
    expect(fireTimes('cron(0 2 ? * SUN *)', new Date('2024-01-01T00:00:00Z'), new Date('2024-01-15T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2024-01-07T02:00:00.000Z',
      '2024-01-14T02:00:00.000Z',
    ]);
    expect(fireTimes('cron(30 1 ? * 1 *)', new Date('2024-01-01T00:00:00Z'), new Date('2024-01-08T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2024-01-07T01:30:00.000Z',
    ]);
  });

  it('supports lists, ranges, steps and L', () => {
    expect(fireTimes('cron(0/20 9-10 L * ? 2024)', new Date('2024-02-28T00:00:00Z'), new Date('2024-03-01T00:00:00Z')).map((d) => d.toISOString().slice(11, 16))).toEqual([
      '09:00',
      '09:20',
      '09:40',
      '10:00',
      '10:20',
      '10:40',
    ]);
    expect(fireTimes('rate(15 minutes)', new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:45:00Z'))).toHaveLength(3);
    expect(() => fireTimes('cron(0 2 * *)', new Date(0), new Date(1))).toThrow(/need 6 fields/);
  });
});
