/**
 * `PitstopTriggers`: the EventBridge rules that start the monitor and the retrain
 * state machines of one model.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { scheduleProblem, type ModelConfig } from '../vocabulary/config/index';
import { allowEventBridgeToUseKey } from './key-policy';
import { suppress } from '../statemachines/nag';
import { deadLetterQueueOnly } from './compliance/dead-letter-queue';
import { resourceName, TRIGGER_KINDS } from '../vocabulary/pipeline-names';

/** Properties of {@link PitstopTriggers}. */
export interface PitstopTriggersProps {
  /** The model: `triggers.monitorSchedule` and `triggers.retrainSchedules` are read from it. */
  readonly model: ModelConfig;
  /** The monitor state machine, started on `triggers.monitorSchedule`. */
  readonly monitor: sfn.IStateMachine;
  /** The retrain state machine, started on `triggers.retrainSchedules` and by the alarms. */
  readonly retrain: sfn.IStateMachine;
  /**
   * Alarms whose change to ALARM starts a retrain (`PitstopAlarms.retrainTriggers`).
   * @default [] (no alarm rule)
   */
  readonly retrainAlarms?: readonly cloudwatch.IAlarm[];
  /**
   * Key that encrypts the dead-letter queue; EventBridge is allowed to use it in
   * its key policy, so it must be a key this app manages.
   * @default SQS-managed encryption (SSE-SQS)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Times EventBridge retries starting an execution before the event goes to the
   * dead-letter queue (0 to 185).
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Oldest age of an event EventBridge still tries to deliver (1 minute to 24 hours).
   * @default Duration.hours(2)
   */
  readonly maxEventAge?: Duration;
  /**
   * Topic notified when an event lands in the dead-letter queue.
   * @default no alarm on the dead-letter queue
   */
  readonly topic?: sns.ITopic;
}

/**
 * EventBridge rules that start one model's state machines.
 *
 * - the monitor on `triggers.monitorSchedule`, input `{"trigger":"schedule","reason":"monitor schedule <expr>","time":<event time>}`;
 * - the retrain on each of `triggers.retrainSchedules`, input `{"trigger":"schedule","reason":"retrain schedule <expr>"}`;
 * - the retrain when one of the retrain-trigger alarms changes to ALARM: the rule
 *   matches `aws.cloudwatch` "CloudWatch Alarm State Change" events of exactly those
 *   alarms (by name and ARN), and the input is
 *   `{"trigger":"alarm","alarmName":<detail.alarmName>,"reason":<detail.state.reason>}`.
 *
 * Every target retries, then sends the event to an encrypted dead-letter queue that
 * refuses plain HTTP.
 *
 * @example
 * new PitstopTriggers(this, 'Triggers', {
 *   model, monitor, retrain, retrainAlarms: alarms.retrainTriggers,
 * });
 */
export class PitstopTriggers extends Construct {
  /** The monitor schedule rule. */
  public readonly monitorRule: events.Rule;
  /** One rule per retrain schedule, in config order. */
  public readonly retrainScheduleRules: readonly events.Rule[];
  /** The rule on the retrain-trigger alarms, when there are any. */
  public readonly alarmRule?: events.Rule;
  /** Events EventBridge could not deliver. */
  public readonly deadLetterQueue: sqs.Queue;

  public constructor(scope: Construct, id: string, props: PitstopTriggersProps) {
    super(scope, id);
    const { model } = props;
    const retryAttempts = props.retryAttempts ?? 3;
    const maxEventAge = props.maxEventAge ?? Duration.hours(2);
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 185) {
      throw new Error(`expected retryAttempts to be an integer between 0 and 185, got ${retryAttempts}`);
    }
    const ageSeconds = maxEventAge.toSeconds();
    if (ageSeconds < 60 || ageSeconds > 86_400) {
      throw new Error(`expected maxEventAge between 1 minute and 24 hours, got ${ageSeconds} seconds`);
    }
    const retrainSchedules = model.triggers.retrainSchedules;
    for (const [what, expression] of [
      ['triggers.monitorSchedule', model.triggers.monitorSchedule] as const,
      ...retrainSchedules.map((e, i) => [`triggers.retrainSchedules[${i}]`, e] as const),
    ]) {
      const problem = scheduleProblem(expression);
      if (problem) throw new Error(`${what} "${expression}": ${problem}`);
    }

    if (props.encryptionKey) allowEventBridgeToUseKey(props.encryptionKey);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...(props.encryptionKey
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      ...deadLetterQueueOnly(this, resourceName(model.name, 'trigger-dead-letters')),
    });
    suppress(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the trigger rules; it needs no dead-letter queue of its own.',
    );
    const targetOptions = { deadLetterQueue: this.deadLetterQueue, retryAttempts, maxEventAge };

    this.monitorRule = new events.Rule(this, 'MonitorSchedule', {
      description: `pitstop ${model.name}: start the monitor on ${model.triggers.monitorSchedule}`,
      schedule: events.Schedule.expression(model.triggers.monitorSchedule),
      targets: [
        new targets.SfnStateMachine(props.monitor, {
          // The event's time is the scheduled time: the monitor's window ends there (floored to the period).
          input: events.RuleTargetInput.fromObject({
            trigger: TRIGGER_KINDS.schedule,
            reason: `monitor schedule ${model.triggers.monitorSchedule}`,
            time: events.EventField.time,
          }),
          ...targetOptions,
        }),
      ],
    });

    this.retrainScheduleRules = retrainSchedules.map(
      (expression, index) =>
        new events.Rule(this, `RetrainSchedule${index}`, {
          description: `pitstop ${model.name}: start a retrain on ${expression}`,
          schedule: events.Schedule.expression(expression),
          targets: [
            new targets.SfnStateMachine(props.retrain, {
              input: events.RuleTargetInput.fromObject({
                trigger: TRIGGER_KINDS.schedule,
                reason: `retrain schedule ${expression}`,
              }),
              ...targetOptions,
            }),
          ],
        }),
    );

    const alarms = props.retrainAlarms ?? [];
    if (alarms.length > 0) {
      this.alarmRule = new events.Rule(this, 'RetrainOnAlarm', {
        description: `pitstop ${model.name}: start a retrain when a retrain-trigger alarm goes to ALARM`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: alarms.map((a) => a.alarmArn),
          detail: {
            alarmName: alarms.map((a) => a.alarmName),
            state: { value: ['ALARM'] },
          },
        },
        targets: [
          new targets.SfnStateMachine(props.retrain, {
            input: events.RuleTargetInput.fromObject({
              trigger: TRIGGER_KINDS.alarm,
              alarmName: events.EventField.fromPath('$.detail.alarmName'),
              reason: events.EventField.fromPath('$.detail.state.reason'),
            }),
            ...targetOptions,
          }),
        ],
      });
    }

    if (props.topic) {
      const dlqAlarm = new cloudwatch.Alarm(this, 'DeadLetterQueueNotEmpty', {
        alarmName: resourceName(model.name, 'trigger-dead-letters'),
        alarmDescription: `pitstop ${model.name}: EventBridge could not start a state machine; the event is in the dead-letter queue.`,
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      dlqAlarm.addAlarmAction(new actions.SnsAction(props.topic));
    }
  }
}
