/**
 * The Retrain's finish, where every run ends (promoted, skipped or failed): restore the
 * endpoint if the run changed it and failed (Rollback state machine, or delete a
 * first endpoint it created), write the run report, record the promotion or the retry
 * time, release the run lock if this run holds it, notify, count the outcome, put the
 * outcome event, then Succeed or Fail with the run's named error.
 *
 * Every step after the restore is best effort: its error is kept in the state and the
 * run goes on, so that no failure leaves the lock held.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DIMENSIONS, CLOUDWATCH_METRIC_NAMES, OUTCOMES } from '../../vocabulary/pipeline-names';
import type { ModelConfig } from '../../vocabulary/config/index';
import type { MachineContext } from '../context';
import { PITSTOP_ERRORS, SERVICE_RETRY, withRetry, type PitstopErrorName } from '../errors';
import { CLEARED_ON_ROLLBACK, LOCK_TABLE_KEY, RESTORED_ON_ROLLBACK, STATE_ATTRIBUTES, lockKey, previousAttribute, stateKey } from '../lock-table';
import { SAGEMAKER_SDK_ACTIONS, sageMakerApi, sageMakerArn } from '../sagemaker-api';
import { invokeLambda, notify, putMetrics, putOutcomeEvent } from '../steps';
import { RETRAIN_PATHS } from './paths';

/** Errors a Retrain can end with, in the order its final Choice tests them. */
export const RETRAIN_ERRORS: readonly PitstopErrorName[] = [
  PITSTOP_ERRORS.dataQualityFailed,
  PITSTOP_ERRORS.insufficientLabels,
  PITSTOP_ERRORS.trainingFailed,
  PITSTOP_ERRORS.gateRejected,
  PITSTOP_ERRORS.approvalRejected,
  PITSTOP_ERRORS.approvalTimedOut,
  PITSTOP_ERRORS.smokeTestFailed,
  PITSTOP_ERRORS.canaryBreached,
  PITSTOP_ERRORS.insufficientTraffic,
  PITSTOP_ERRORS.endpointUpdateFailed,
  PITSTOP_ERRORS.rollbackFailed,
  PITSTOP_ERRORS.pipelineFailed,
];

/**
 * The errors a Retrain of `model` can end with, in {@link RETRAIN_ERRORS}' order: the
 * approval's only with manual approval, `InsufficientLabels` only with `data.dataset`
 * (no other phase ends a run with them), so that the final Choice has no rule no run
 * can take.
 */
export function retrainErrors(model: ModelConfig): PitstopErrorName[] {
  return RETRAIN_ERRORS.filter((error) => {
    if (error === PITSTOP_ERRORS.approvalRejected || error === PITSTOP_ERRORS.approvalTimedOut) return model.approval.mode === 'manual';
    if (error === PITSTOP_ERRORS.insufficientLabels) return model.data.dataset !== undefined;
    return true;
  });
}

/** The finish as {@link buildFinish} returns it: enter at `start` with `$.end` set. */
export interface RetrainFinish {
  readonly start: sfn.State;
}

const { run, request, end, guard, deployed, endpointChange, report: reportPath } = RETRAIN_PATHS;

/** Builds the finish; `rollback` is the Rollback state machine that restores a changed endpoint. */
export function buildFinish(scope: Construct, ctx: MachineContext, rollback: sfn.IStateMachine): RetrainFinish {
  const { model, functions, topic, lockTable } = ctx;
  const modelName = model.name;

  // Every named error but PipelineFailed has its rule; PipelineFailed is the Default,
  // so an end no rule names (none is built) still fails with it and its cause.
  const failWith = (error: PitstopErrorName) => new sfn.Fail(scope, error, { error, causePath: `${end}.cause` });
  const finalRoute = new sfn.Choice(scope, 'Run ended with?');
  for (const error of retrainErrors(model)) {
    if (error !== PITSTOP_ERRORS.pipelineFailed) finalRoute.when(sfn.Condition.stringEquals(`${end}.error`, error), failWith(error));
  }
  finalRoute
    .when(sfn.Condition.stringEquals(`${end}.outcome`, OUTCOMES.skipped), new sfn.Succeed(scope, 'Skipped'))
    .when(sfn.Condition.stringEquals(`${end}.outcome`, OUTCOMES.promoted), new sfn.Succeed(scope, 'Promoted'))
    .otherwise(failWith(PITSTOP_ERRORS.pipelineFailed));

  const event = putOutcomeEvent(
    scope,
    'Publish outcome event',
    {
      eventBus: ctx.eventBus,
      detail: {
        kind: 'retrain',
        model: modelName,
        'runId.$': `${run}.runId`,
        'executionId.$': '$$.Execution.Id',
        'outcome.$': `${end}.outcome`,
        'error.$': `${end}.error`,
        'cause.$': `${end}.cause`,
        'trigger.$': `${request}.trigger`,
        'reason.$': `${request}.reason`,
        'recordUri.$': `${run}.recordUri`,
        'reportUri.$': `${run}.reportUri`,
      },
    },
    finalRoute,
  );
  const countOutcome = putMetrics(scope, 'Count outcome', [
    {
      MetricName: CLOUDWATCH_METRIC_NAMES.runOutcome,
      Unit: 'Count',
      Value: 1,
      Dimensions: [
        { Name: DIMENSIONS.model, Value: modelName },
        { Name: DIMENSIONS.outcome, 'Value.$': `${end}.outcome` },
      ],
    },
  ]);
  countOutcome.addCatch(event, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.metricError });
  countOutcome.next(event);
  const notifyOutcome = notify(
    scope,
    'Notify outcome',
    {
      topic,
      subject: `States.Format('pitstop ${modelName}: {} {}', ${end}.outcome, ${end}.error)`,
      message: `States.Format('Retrain run {} of model ${modelName} ended {} {}. {} Trigger: {} ({}). Report: {}', ${run}.runId, ${end}.outcome, ${end}.error, ${end}.cause, ${request}.trigger, ${request}.reason, ${run}.reportUri)`,
    },
    countOutcome,
  );
  const release = withRetry(
    new tasks.DynamoDeleteItem(scope, 'Release run lock', {
      table: lockTable,
      key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(lockKey(modelName)) },
      conditionExpression: 'executionId = :me',
      expressionAttributeValues: { ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  release.addCatch(notifyOutcome, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.releaseError });
  release.next(notifyOutcome);
  const lockHeld = new sfn.Choice(scope, 'Lock held?')
    .when(sfn.Condition.booleanEquals(`${guard}.taken`, true), release)
    .otherwise(notifyOutcome);
  const noValue = tasks.DynamoAttributeValue.fromString('');
  const readString = (path: string) => tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(path));
  const recordProduction = withRetry(
    new tasks.DynamoUpdateItem(scope, 'Record production model', {
      table: lockTable,
      key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(stateKey(modelName)) },
      // The right-hand sides read the item as it was: each previous<Name> keeps what this
      // promotion replaces, for a rollback of it to restore (lock-table.ts).
      updateExpression:
        'SET ' +
        [
          ...[...RESTORED_ON_ROLLBACK, ...CLEARED_ON_ROLLBACK].map((name) => `${previousAttribute(name)} = if_not_exists(${name}, :none)`),
          `${STATE_ATTRIBUTES.productionModelName} = :model`,
          `${STATE_ATTRIBUTES.endpointConfigName} = :config`,
          `${STATE_ATTRIBUTES.previousEndpointConfigName} = :previous`,
          `${STATE_ATTRIBUTES.modelPackageArn} = :package`,
          `${STATE_ATTRIBUTES.baselineUri} = :baseline`,
          `${STATE_ATTRIBUTES.predictionReferenceUri} = :reference`,
          `${STATE_ATTRIBUTES.lastRunId} = :run`,
          `${STATE_ATTRIBUTES.lastSuccessAt} = :at`,
          `${STATE_ATTRIBUTES.cooldownUntil} = :until`,
          `${STATE_ATTRIBUTES.trainingCutoff} = :cutoff`,
          `${STATE_ATTRIBUTES.maxAgeAt} = :maxAge`,
        ].join(', '),
      expressionAttributeValues: {
        ':model': readString(`${run}.modelName`),
        ':config': readString(`${deployed}.configName`),
        ':previous': readString(`${deployed}.previousConfigName`),
        ':package': readString(`${RETRAIN_PATHS.package}.arn`),
        ':baseline': readString(`${RETRAIN_PATHS.baseline}.baselineUri`),
        // Written by the evaluation of every run that gets this far (promote.ts).
        ':reference': readString(`${run}.predictionReferenceUri`),
        ':run': readString(`${run}.runId`),
        ':at': readString(`${reportPath}.finishedAt`),
        ':until': readString(`${reportPath}.nextEligibleAt`),
        // The training data was taken when this run started: labels after it are new.
        ':cutoff': readString('$$.Execution.StartTime'),
        ':maxAge': readString(`${reportPath}.maxAgeAt`),
        ':none': noValue,
      },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  recordProduction.addCatch(lockHeld, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.recordError });
  recordProduction.next(lockHeld);
  // A run that did not promote: the monitor re-arms no trigger for triggers.retryAfterHours.
  const recordRetry = withRetry(
    new tasks.DynamoUpdateItem(scope, 'Record retry time', {
      table: lockTable,
      key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(stateKey(modelName)) },
      updateExpression: `SET ${STATE_ATTRIBUTES.retryAfter} = :retry`,
      expressionAttributeValues: { ':retry': readString(`${reportPath}.retryAfterAt`) },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  recordRetry.addCatch(lockHeld, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.recordError });
  recordRetry.next(lockHeld);
  const recordOutcome = new sfn.Choice(scope, 'Record promotion?')
    .when(sfn.Condition.stringEquals(`${end}.outcome`, OUTCOMES.promoted), recordProduction)
    .when(sfn.Condition.stringEquals(`${end}.outcome`, OUTCOMES.skipped), lockHeld)
    .otherwise(recordRetry);
  const report = invokeLambda(
    scope,
    'Write run report',
    functions.report,
    {
      kind: 'retrain',
      model: modelName,
      'runId.$': `${run}.runId`,
      'executionId.$': '$$.Execution.Id',
      'startedAt.$': '$$.Execution.StartTime',
      'outcome.$': `${end}.outcome`,
      'error.$': `${end}.error`,
      'cause.$': `${end}.cause`,
      cooldownDays: model.triggers.cooldownDays,
      maxModelAgeDays: model.triggers.maxModelAgeDays,
      retryAfterHours: model.triggers.retryAfterHours,
      'details.$': '$',
      'recordUri.$': `${run}.recordUri`,
      'reportUri.$': `${run}.reportUri`,
    },
    reportPath,
    { timeout: Duration.minutes(5) },
  );
  // Without the report's times the record step would fail on a missing path (not
  // catchable): fall back to the run's start and no cooldown, and go on to record
  // and release.
  const reportFallback = new sfn.Pass(scope, 'Report failed: no cooldown', {
    // No max age either: '' never compares as a time, so the monitor starts no max-age
    // retrain for this model (an immediate one would retrain the model just promoted).
    parameters: {
      'finishedAt.$': '$$.Execution.StartTime',
      'nextEligibleAt.$': '$$.Execution.StartTime',
      maxAgeAt: '',
      'retryAfterAt.$': '$$.Execution.StartTime',
    },
    resultPath: reportPath,
  });
  reportFallback.next(recordOutcome);
  report.addCatch(reportFallback, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.reportError });
  report.next(recordOutcome);

  const rollbackEndpoint = new tasks.StepFunctionsStartExecution(scope, 'Roll back endpoint', {
    stateMachine: rollback,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({
      'endpointConfigName.$': `${endpointChange}.previousConfigName`,
      'reason.$': `States.Format('Retrain run {} ended {}: {}', ${run}.runId, ${end}.error, ${end}.cause)`,
      // This run holds the model's run lock: the Rollback refuses to run under anyone else's.
      'lockHolder.$': '$$.Execution.Id',
    }),
    resultPath: RETRAIN_PATHS.rollback,
    taskTimeout: sfn.Timeout.duration(Duration.hours(2)),
  });
  withRetry(rollbackEndpoint, SERVICE_RETRY);
  rollbackEndpoint.addCatch(report, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.rollbackError });
  rollbackEndpoint.next(report);
  const deleteEndpoint = sageMakerApi(scope, 'Delete failed endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.deleteEndpoint,
    parameters: { EndpointName: model.endpointName },
    resources: [sageMakerArn(scope, 'endpoint', model.endpointName)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  deleteEndpoint.addCatch(report, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.deleteError });
  deleteEndpoint.next(report);
  const failedAfter = (kind: 'canary' | 'created') =>
    sfn.Condition.and(sfn.Condition.not(sfn.Condition.stringEquals(`${end}.error`, '')), sfn.Condition.stringEquals(`${endpointChange}.kind`, kind));
  const restore = new sfn.Choice(scope, 'Endpoint to restore?')
    .when(failedAfter('canary'), rollbackEndpoint)
    .when(failedAfter('created'), deleteEndpoint)
    .otherwise(report);
  return { start: restore };
}
