/**
 * The Rollback state machine: puts a given endpoint config back on the endpoint, or
 * by default the previous one recorded in the lock table's state item, waits for
 * InService, records it and notifies.
 *
 * Input: `{}` or `{ endpointConfigName?: string, reason?: string, lockHolder?: string }`.
 * Output: `{ outcome: 'RolledBack', endpointConfigName, replacedConfigName }`; fails with
 * `EndpointUpdateFailed` when no config is known or the endpoint does not get there.
 *
 * Run lock: before anything else it reads the model's lock item (consistent read) and
 * fails with `LockHeld`, touching nothing, when the lock is held by an execution other
 * than `lockHolder` and has not expired (`expiresAt` not before this execution's start,
 * the Retrain's own takeover rule): a retrain's canary may be moving the endpoint. The
 * Retrain passes its own execution id as `lockHolder` when it starts a rollback in its
 * cleanup, so that one runs as usual. The Rollback only reads the lock: it never takes
 * or releases it (the Retrain that starts it holds it; an on-demand rollback is short
 * and is refused while a retrain runs).
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { OUTCOMES } from '../vocabulary/pipeline-names';
import { epochSeconds } from './clock';
import type { MachineContext } from './context';
import { PITSTOP_ERRORS, SERVICE_RETRY, withRetry } from './errors';
import { CLEARED_ON_ROLLBACK, LOCK_ATTRIBUTES, LOCK_TABLE_KEY, RESTORED_ON_ROLLBACK, STATE_ATTRIBUTES, lockKey, previousAttribute, stateKey } from './lock-table';
import { FAILURE_PATH, markFailure, notify, pollEndpoint, putOutcomeEvent, updateEndpoint } from './steps';

/** Builds the Rollback definition in `scope`. */
export function buildRollback(scope: Construct, ctx: MachineContext): sfn.IChainable {
  const { model, topic, lockTable } = ctx;
  const endpointName = model.endpointName;

  const failed = new sfn.Fail(scope, PITSTOP_ERRORS.endpointUpdateFailed, {
    error: PITSTOP_ERRORS.endpointUpdateFailed,
    causePath: `${FAILURE_PATH}.cause`,
  });
  const notifyFailed = notify(
    scope,
    'Notify rollback failed',
    { topic, subject: `pitstop ${model.name}: ROLLBACK FAILED, endpoint needs attention`, message: `${FAILURE_PATH}.cause` },
    failed,
  );
  const unexpected = markFailure(scope, 'Rollback error', PITSTOP_ERRORS.endpointUpdateFailed, { path: '$.caught.Cause' }).next(
    notifyFailed,
  );

  const defaults = new sfn.Pass(scope, 'Apply defaults', {
    parameters: { defaults: { endpointConfigName: '', reason: 'Rollback requested', lockHolder: '' }, 'input.$': '$' },
  });
  const merge = new sfn.Pass(scope, 'Read request', {
    parameters: { 'request.$': 'States.JsonMerge($.defaults, $.input, false)' },
  });

  // ==== run lock: read only (never taken or released here) ============================
  const readLock = new tasks.DynamoGetItem(scope, 'Read run lock', {
    table: lockTable,
    key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(lockKey(model.name)) },
    consistentRead: true,
    resultPath: '$.lock',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  withRetry(readLock, SERVICE_RETRY);
  readLock.addCatch(unexpected, { errors: ['States.ALL'], resultPath: '$.caught' });
  const lockItem = '$.lock.Item';
  const holderPath = `${lockItem}.${LOCK_ATTRIBUTES.executionId}.S`;
  const expiresPath = `${lockItem}.${LOCK_ATTRIBUTES.expiresAt}.N`;
  // `now` as the Retrain computes it for its takeover condition: this execution's start.
  const clock = epochSeconds(scope, 'Lock check', { isoPath: '$$.Execution.StartTime', resultPath: '$.clock' });
  const readExpiry = new sfn.Pass(scope, 'Read lock expiry', {
    parameters: { 'expiresAt.$': `States.StringToJson(${expiresPath})`, 'now.$': '$.clock.epochSeconds' },
    resultPath: '$.lockExpiry',
  });
  // The holder's id and start for the message; a lock missing either still refuses.
  const heldDefaults = new sfn.Pass(scope, 'Lock held by another execution', {
    parameters: {
      defaults: {
        [LOCK_ATTRIBUTES.executionId]: { S: 'an unknown execution' },
        [LOCK_ATTRIBUTES.acquiredAt]: { S: 'an unknown time' },
      },
      'item.$': lockItem,
    },
    resultPath: '$.held',
  });
  const heldCause = new sfn.Pass(scope, 'Describe lock holder', {
    parameters: { 'holder.$': 'States.JsonMerge($.held.defaults, $.held.item, false)' },
    resultPath: '$.held',
  });
  const heldFailure = markFailure(scope, 'Refuse rollback', PITSTOP_ERRORS.lockHeld, {
    format:
      `States.Format('The run lock of model ${model.name} is held by execution {} (since {}): ` +
      `not rolling back endpoint ${endpointName} while it runs. Start the rollback again once that execution has ended.', ` +
      `$.held.holder.${LOCK_ATTRIBUTES.executionId}.S, $.held.holder.${LOCK_ATTRIBUTES.acquiredAt}.S)`,
  });
  const refused = new sfn.Fail(scope, PITSTOP_ERRORS.lockHeld, { error: PITSTOP_ERRORS.lockHeld, causePath: `${FAILURE_PATH}.cause` });
  heldDefaults.next(heldCause).next(heldFailure).next(refused);

  const loadState = new tasks.DynamoGetItem(scope, 'Load production state', {
    table: lockTable,
    key: { pk: tasks.DynamoAttributeValue.fromString(stateKey(model.name)) },
    consistentRead: true,
    resultPath: '$.state',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  withRetry(loadState, SERVICE_RETRY);
  loadState.addCatch(unexpected, { errors: ['States.ALL'], resultPath: '$.caught' });
  const previousPath = `$.state.Item.${STATE_ATTRIBUTES.previousEndpointConfigName}.S`;
  const fromState = new sfn.Pass(scope, 'Target previous config', {
    parameters: { 'configName.$': previousPath },
    resultPath: '$.target',
  });
  const fromRequest = new sfn.Pass(scope, 'Target requested config', {
    parameters: { 'configName.$': '$.request.endpointConfigName' },
    resultPath: '$.target',
  });
  const nothingKnown = markFailure(scope, 'No previous config', PITSTOP_ERRORS.endpointUpdateFailed, {
    text: `No endpoint config given and none recorded as previous for model ${model.name}`,
  }).next(notifyFailed);

  const settle = pollEndpoint(scope, { label: 'Settle', endpointName, settleOnly: true }, notifyFailed);
  const remember = new sfn.Pass(scope, 'Remember current config', {
    parameters: { 'configName.$': '$.poll.endpoint.EndpointConfigName' },
    resultPath: '$.replaced',
  });
  const restore = updateEndpoint(scope, 'Restore endpoint config', endpointName, '$.target.configName');
  restore.addCatch(
    markFailure(scope, 'Update rejected', PITSTOP_ERRORS.endpointUpdateFailed, { path: '$.caught.Cause' }).next(notifyFailed),
    { errors: ['SageMaker.AmazonSageMakerException', 'States.Timeout'], resultPath: '$.caught' },
  );
  restore.addCatch(unexpected, { errors: ['States.ALL'], resultPath: '$.caught' });
  const restored = pollEndpoint(scope, { label: 'Restored config', endpointName, expectedConfigPath: '$.target.configName' }, notifyFailed);

  /** A state update recording the restored config; `extra` adds to its SET clause, `remove` a REMOVE clause. */
  const recordConfig = (id: string, extra: string[] = [], remove: string[] = []) =>
    withRetry(
      new tasks.DynamoUpdateItem(scope, id, {
        table: lockTable,
        key: { pk: tasks.DynamoAttributeValue.fromString(stateKey(model.name)) },
        // The config rolled back from is kept for the record but is not "previous": a
        // second rollback must not bring the model just removed back.
        updateExpression:
          'SET ' +
          [
            `${STATE_ATTRIBUTES.endpointConfigName} = :restored`,
            `${STATE_ATTRIBUTES.previousEndpointConfigName} = :none`,
            `${STATE_ATTRIBUTES.rolledBackFromConfigName} = :replaced`,
            ...extra,
          ].join(', ') +
          (remove.length ? ` REMOVE ${remove.join(', ')}` : ''),
        expressionAttributeValues: {
          ':restored': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.target.configName')),
          ':none': tasks.DynamoAttributeValue.fromString(''),
          ':replaced': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.replaced.configName')),
        },
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    );
  const record = recordConfig('Record restored config');
  const output = new sfn.Pass(scope, 'Rollback result', {
    parameters: {
      outcome: OUTCOMES.rolledBack,
      'endpointConfigName.$': '$.target.configName',
      'replacedConfigName.$': '$.replaced.configName',
      'reason.$': '$.request.reason',
    },
  });
  const done = new sfn.Succeed(scope, 'Rolled back');
  const event = putOutcomeEvent(
    scope,
    'Publish rollback event',
    {
      eventBus: ctx.eventBus,
      detail: {
        kind: 'rollback',
        model: model.name,
        outcome: OUTCOMES.rolledBack,
        'endpointConfigName.$': '$.target.configName',
        'replacedConfigName.$': '$.replaced.configName',
        'reason.$': '$.request.reason',
        'executionId.$': '$$.Execution.Id',
      },
    },
    output,
  );
  output.next(done);
  const notifyDone = notify(
    scope,
    'Notify rolled back',
    {
      topic,
      subject: `pitstop ${model.name}: endpoint rolled back`,
      message: `States.Format('Endpoint ${endpointName} runs config {} again (was {}). Reason: {}', $.target.configName, $.replaced.configName, $.request.reason)`,
    },
    event,
  );
  record.addCatch(notifyDone, { errors: ['States.ALL'], resultPath: '$.recordError' });
  record.next(notifyDone);
  // Undoing the last promotion: the production state it replaced comes back whole
  // (model, package, baseline, training cut-off, cooldown, max age), so the monitor
  // measures drift against the restored model's baseline and the cooldown of the
  // removed model does not block the next retrain. if_not_exists keeps the current
  // value of an attribute a promotion recorded before these copies existed; the
  // prediction reference of such a promotion is cleared instead (lock-table.ts).
  const restoreState = recordConfig(
    'Record restored production',
    [
      ...RESTORED_ON_ROLLBACK.map((name) => `${name} = if_not_exists(${previousAttribute(name)}, ${name})`),
      ...CLEARED_ON_ROLLBACK.map((name) => `${name} = if_not_exists(${previousAttribute(name)}, :none)`),
    ],
    [...RESTORED_ON_ROLLBACK, ...CLEARED_ON_ROLLBACK].map((name) => previousAttribute(name)),
  );
  restoreState.addCatch(notifyDone, { errors: ['States.ALL'], resultPath: '$.recordError' });
  restoreState.next(notifyDone);
  const recordedProduction = `$.state.Item.${previousAttribute(STATE_ATTRIBUTES.productionModelName)}.S`;
  const recordRestored = new sfn.Choice(scope, 'Undoing the last promotion?')
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent(previousPath),
        sfn.Condition.isPresent(recordedProduction),
        sfn.Condition.stringEqualsJsonPath('$.target.configName', previousPath),
      ),
      restoreState,
    )
    .otherwise(record);

  const alreadyThere = new sfn.Choice(scope, 'Already on target config?')
    .when(sfn.Condition.stringEqualsJsonPath('$.replaced.configName', '$.target.configName'), notifyDone)
    .otherwise(restore);
  const configGiven = new sfn.Choice(scope, 'Config given?')
    .when(sfn.Condition.not(sfn.Condition.stringEquals('$.request.endpointConfigName', '')), fromRequest)
    .otherwise(loadState);
  defaults.next(merge).next(readLock).next(
    new sfn.Choice(scope, 'Run lock free?')
      .when(sfn.Condition.not(sfn.Condition.isPresent(lockItem)), configGiven)
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent(holderPath),
          sfn.Condition.isString('$.request.lockHolder'),
          sfn.Condition.not(sfn.Condition.stringEquals('$.request.lockHolder', '')),
          sfn.Condition.stringEqualsJsonPath(holderPath, '$.request.lockHolder'),
        ),
        configGiven,
      )
      .when(sfn.Condition.isPresent(expiresPath), clock.start)
      .otherwise(heldDefaults),
  );
  clock.end.next(readExpiry).next(
    new sfn.Choice(scope, 'Run lock expired?')
      .when(sfn.Condition.numberLessThanJsonPath('$.lockExpiry.expiresAt', '$.lockExpiry.now'), configGiven)
      .otherwise(heldDefaults),
  );
  loadState.next(new sfn.Choice(scope, 'Previous config known?').when(sfn.Condition.and(sfn.Condition.isPresent(previousPath), sfn.Condition.not(sfn.Condition.stringEquals(previousPath, ''))), fromState).otherwise(nothingKnown));
  fromState.next(settle.start);
  fromRequest.next(settle.start);
  settle.done.next(remember).next(alreadyThere);
  restore.next(restored.start);
  restored.done.next(recordRestored);
  return defaults;
}
