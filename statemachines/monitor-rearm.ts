/**
 * The Monitor's re-arm of the retrain triggers, and its start of a retrain for a model
 * that is too old.
 *
 * CloudWatch alarms start a retrain only on a change to ALARM, so an alarm still in
 * ALARM after a retrain that did not promote would never start another. When no run
 * holds the lock, the model is out of cooldown and the retry interval since the last
 * retrain that did not promote has passed (`retryAfter` in the state item), every
 * retrain-trigger alarm in ALARM is set back to OK (SetAlarmState); CloudWatch then
 * re-evaluates it and, if the condition holds, it goes to ALARM again and starts a
 * retrain. Under the same conditions, a production model older than
 * `triggers.maxModelAgeDays` (`maxAgeAt`, recorded at promotion) starts a retrain with
 * trigger `maxAge`. A run that may not re-arm records why at `$.rearm`.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TRIGGER_KINDS, retrainTriggerAlarmNames } from '../vocabulary/pipeline-names';
import { epochSeconds } from './clock';
import type { MachineContext } from './context';
import { SERVICE_RETRY, withRetry } from './errors';
import { LOCK_ATTRIBUTES, STATE_ATTRIBUTES, lockKey } from './lock-table';

/** What the re-arm needs from the Monitor around it. */
export interface RearmOptions {
  /** Started with trigger `maxAge` when the production model is too old. */
  readonly retrain: sfn.IStateMachine;
  /** Where every way out goes: the run completed. */
  readonly completed: sfn.State;
  /** Adds the Monitor's catch of unexpected errors to a state. */
  readonly catchAll: <T extends sfn.TaskStateBase | sfn.Parallel | sfn.Map>(state: T) => T;
  /** The JSONPath of a recorded state attribute's string value. */
  readonly recorded: (attribute: string) => string;
}

/** Builds the re-arm; enter at `start`, every end goes to `options.completed`. */
export function buildRearm(scope: Construct, ctx: MachineContext, options: RearmOptions): { start: sfn.State } {
  const { model, lockTable } = ctx;
  const { completed, catchAll, recorded: at } = options;
  const alarmNames = retrainTriggerAlarmNames(model);
  const stack = Stack.of(scope);
  const alarmArns = alarmNames.map((alarmName) =>
    stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  );
  const loadLock = catchAll(
    withRetry(
      new tasks.DynamoGetItem(scope, 'Load run lock', {
        table: lockTable,
        key: { pk: tasks.DynamoAttributeValue.fromString(lockKey(model.name)) },
        consistentRead: true,
        resultPath: '$.lock',
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    ),
  );
  const now = epochSeconds(scope, 'Monitor clock', { isoPath: '$$.Execution.StartTime', resultPath: '$.clock' });
  const lockExpiry = new sfn.Pass(scope, 'Read lock expiry', {
    parameters: { 'expiresAt.$': `States.StringToJson($.lock.Item.${LOCK_ATTRIBUTES.expiresAt}.N)` },
    resultPath: '$.lockExpiry',
  });
  const noLock = new sfn.Pass(scope, 'No run lock', { result: sfn.Result.fromObject({ expiresAt: 0 }), resultPath: '$.lockExpiry' });
  const hold = (id: string, why: string) =>
    new sfn.Pass(scope, id, { result: sfn.Result.fromObject({ rearmed: false, reason: why }), resultPath: '$.rearm' }).next(completed);
  const findAlarms = catchAll(
    withRetry(
      new tasks.CallAwsService(scope, 'Find alarms in ALARM', {
        service: 'cloudwatch',
        action: 'describeAlarms',
        parameters: { AlarmNames: alarmNames, StateValue: 'ALARM', AlarmTypes: ['MetricAlarm'] },
        iamResources: alarmArns,
        iamAction: 'cloudwatch:DescribeAlarms',
        resultSelector: { 'alarms.$': '$.MetricAlarms' },
        resultPath: '$.inAlarm',
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    ),
  );
  const setOk = withRetry(
    new tasks.CallAwsService(scope, 'Set alarm OK', {
      service: 'cloudwatch',
      action: 'setAlarmState',
      parameters: {
        'AlarmName.$': '$.name',
        StateValue: 'OK',
        StateReason:
          'Re-armed by the pitstop monitor: no retrain runs, the model is out of cooldown and the retry interval has passed. ' +
          'If the condition still holds, the alarm returns to ALARM and starts a retrain.',
      },
      iamResources: alarmArns,
      iamAction: 'cloudwatch:SetAlarmState',
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  // Each iteration gets one alarm's name and returns it: the Map's result is the list re-armed.
  const rearm = catchAll(
    new sfn.Map(scope, 'Re-arm alarms', {
      itemsPath: '$.inAlarm.alarms',
      itemSelector: { 'name.$': '$$.Map.Item.Value.AlarmName' },
      maxConcurrency: 1,
      resultPath: '$.rearmedAlarms',
    }),
  );
  rearm.itemProcessor(setOk.next(new sfn.Pass(scope, 'Alarm re-armed', { outputPath: '$.name' })));
  const rearmed = new sfn.Pass(scope, 'Triggers re-armed', {
    parameters: { rearmed: true, 'alarms.$': '$.rearmedAlarms' },
    resultPath: '$.rearm',
  });
  const startMaxAge = catchAll(
    withRetry(
      new tasks.StepFunctionsStartExecution(scope, 'Start max-age retrain', {
        stateMachine: options.retrain,
        integrationPattern: sfn.IntegrationPattern.REQUEST_RESPONSE,
        associateWithParent: true,
        input: sfn.TaskInput.fromObject({
          trigger: TRIGGER_KINDS.maxAge,
          'reason.$': `States.Format('The production model is older than ${model.triggers.maxModelAgeDays} days (since {})', ${at(STATE_ATTRIBUTES.maxAgeAt)})`,
        }),
        resultSelector: { 'executionArn.$': '$.ExecutionArn' },
        resultPath: '$.maxAgeRetrain',
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    ),
  );
  const tooOld = new sfn.Choice(scope, 'Model too old?')
    .when(
      sfn.Condition.and(
        sfn.Condition.isTimestamp(at(STATE_ATTRIBUTES.maxAgeAt)),
        sfn.Condition.timestampLessThanEqualsJsonPath(at(STATE_ATTRIBUTES.maxAgeAt), '$$.Execution.StartTime'),
      ),
      startMaxAge,
    )
    .otherwise(completed);
  startMaxAge.next(completed);
  findAlarms.next(rearm).next(rearmed).next(tooOld);
  const mayStart = new sfn.Choice(scope, 'Retrain may start?')
    .when(sfn.Condition.numberGreaterThanJsonPath('$.lockExpiry.expiresAt', '$.clock.epochSeconds'), hold('Hold: run lock held', 'a retrain holds the run lock'))
    .when(
      sfn.Condition.and(
        sfn.Condition.isTimestamp(at(STATE_ATTRIBUTES.cooldownUntil)),
        sfn.Condition.timestampGreaterThanJsonPath(at(STATE_ATTRIBUTES.cooldownUntil), '$$.Execution.StartTime'),
      ),
      hold('Hold: cooldown', 'the model is in its retrain cooldown'),
    )
    .when(
      sfn.Condition.and(
        sfn.Condition.isTimestamp(at(STATE_ATTRIBUTES.retryAfter)),
        sfn.Condition.timestampGreaterThanJsonPath(at(STATE_ATTRIBUTES.retryAfter), '$$.Execution.StartTime'),
      ),
      hold('Hold: retry interval', 'the last retrain did not promote and triggers.retryAfterHours has not passed'),
    )
    .otherwise(findAlarms);
  lockExpiry.next(mayStart);
  noLock.next(mayStart);
  loadLock.next(now.start);
  now.end.next(
    new sfn.Choice(scope, 'Lock present?').when(sfn.Condition.isPresent(`$.lock.Item.${LOCK_ATTRIBUTES.expiresAt}.N`), lockExpiry).otherwise(noLock),
  );
  return { start: loadLock };
}
