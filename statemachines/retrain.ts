/**
 * The Retrain state machine: single-flight guard and cooldown, training data
 * validation, training (or tuning), baseline profile, holdout scoring of candidate and
 * production (on a features-only copy of the holdout), the promotion gate, the model
 * registry, optional manual approval, then the Canary state machine (or, on the first
 * run, a new endpoint). Every outcome writes a report, notifies, and puts an event;
 * every failure after the guard was taken restores the endpoint if it changed and
 * releases the guard.
 *
 * Input: `{}` or `{ reason?: string, force?: boolean, trigger?: string, alarmName?: string }`
 * (defaults: reason `manual`, force `false`, trigger `manual`, alarmName `''`).
 * `force` skips the cooldown, never the guard. The guard is a lock item that expires
 * one Retrain timeout (statemachines/timeouts.ts) after its holder started: a holder
 * that timed out or was stopped could not release it, and the next run takes it over.
 *
 * Ends: Succeed `Promoted` or `Skipped`; Fail with one of DataQualityFailed,
 * TrainingFailed, GateRejected, ApprovalRejected, ApprovalTimedOut, SmokeTestFailed,
 * CanaryBreached, EndpointUpdateFailed, RollbackFailed, PipelineFailed.
 *
 * State layout: `$.request` (input with defaults), `$.run` (ids, job names, S3 URIs),
 * `$.guard.taken`, `$.previous` (recorded production state), `$.validation`,
 * `$.training`, `$.baseline`, `$.endpoint` (`exists`, `configName`), `$.holdout`
 * (transform input and labels), `$.transforms`,
 * `$.evaluation`, `$.package`, `$.approval`, `$.canary`, `$.deployed`,
 * `$.endpointChange.kind` (`none` | `canary` | `created`), `$.end` (`outcome`, `error`, `cause`),
 * `$.report`.
 */
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIXES, DIMENSIONS, METRIC_NAMES, OUTCOMES, VARIANT_PRODUCTION } from '../vocabulary/pipeline-names';
import { createEndpointConfig } from './canary';
import { epochSeconds } from './clock';
import type { MachineContext } from './context';
import {
  PITSTOP_ERRORS,
  SAGEMAKER_INTEGRATION_ERROR,
  SAGEMAKER_TRANSIENT_ERRORS,
  SERVICE_RETRY,
  withRetry,
  type PitstopErrorName,
} from './errors';
import { LOCK_ATTRIBUTES, LOCK_TABLE_KEY, RESTORED_ON_ROLLBACK, STATE_ATTRIBUTES, lockKey, previousAttribute, stateKey } from './lock-table';
import {
  SAGEMAKER_SDK_ACTIONS,
  TUNING_JOB_PATTERN,
  passRoleToSageMaker,
  sageMakerApi,
  sageMakerArn,
  sageMakerNamePrefix,
  sageMakerSyncJob,
} from './sagemaker-api';
import { invokeLambda, markFailure, notify, pollEndpoint, putMetrics, putOutcomeEvent } from './steps';
import { retrainBudget, type RetrainBudget } from './timeouts';

/** The state machines the Retrain starts. */
export interface RetrainTargets {
  readonly canary: sfn.IStateMachine;
  readonly rollback: sfn.IStateMachine;
}

/** Errors a Retrain can end with, in the order its final Choice tests them. */
export const RETRAIN_ERRORS: readonly PitstopErrorName[] = [
  PITSTOP_ERRORS.dataQualityFailed,
  PITSTOP_ERRORS.trainingFailed,
  PITSTOP_ERRORS.gateRejected,
  PITSTOP_ERRORS.approvalRejected,
  PITSTOP_ERRORS.approvalTimedOut,
  PITSTOP_ERRORS.smokeTestFailed,
  PITSTOP_ERRORS.canaryBreached,
  PITSTOP_ERRORS.endpointUpdateFailed,
  PITSTOP_ERRORS.rollbackFailed,
  PITSTOP_ERRORS.pipelineFailed,
];

/**
 * Builds the Retrain definition in `scope`; returns it, the extra policy statements it
 * needs and its time budget (the state machine's timeout must be `budget.retrain`:
 * the run lock expires after it).
 */
export function buildRetrain(
  scope: Construct,
  ctx: MachineContext,
  targets: RetrainTargets,
): { definition: sfn.IChainable; policy: iam.PolicyStatement[]; budget: RetrainBudget } {
  const { model, functions, topic, lockTable, bucket, sageMakerRole, artifactsPrefix: a } = ctx;
  const policy: iam.PolicyStatement[] = [];
  const b = bucket.bucketName;
  const m = model.name;
  const budget = retrainBudget(model);

  /** A Pass that ends the run: sets `$.end` and goes to the finish. */
  const endPass = (id: string, outcome: string, error: string, cause: { path: string } | { format: string } | { text: string }) =>
    new sfn.Pass(scope, id, {
      parameters: {
        outcome,
        error,
        ...('path' in cause ? { 'cause.$': cause.path } : 'format' in cause ? { 'cause.$': cause.format } : { cause: cause.text }),
      },
      resultPath: '$.end',
    });

  // ==== finish: restore endpoint, report, record, release, notify, event, end =====
  const finalRoute = new sfn.Choice(scope, 'Run ended with?');
  for (const error of RETRAIN_ERRORS) {
    finalRoute.when(sfn.Condition.stringEquals('$.end.error', error), new sfn.Fail(scope, error, { error, causePath: '$.end.cause' }));
  }
  finalRoute
    .when(sfn.Condition.stringEquals('$.end.outcome', OUTCOMES.skipped), new sfn.Succeed(scope, 'Skipped'))
    .when(sfn.Condition.stringEquals('$.end.outcome', OUTCOMES.promoted), new sfn.Succeed(scope, 'Promoted'))
    .otherwise(new sfn.Fail(scope, 'Unknown end', { error: PITSTOP_ERRORS.pipelineFailed, causePath: '$.end.cause' }));

  const event = putOutcomeEvent(
    scope,
    'Publish outcome event',
    {
      eventBus: ctx.eventBus,
      detail: {
        kind: 'retrain',
        model: m,
        'runId.$': '$.run.runId',
        'executionId.$': '$$.Execution.Id',
        'outcome.$': '$.end.outcome',
        'error.$': '$.end.error',
        'cause.$': '$.end.cause',
        'trigger.$': '$.request.trigger',
        'reason.$': '$.request.reason',
        'recordUri.$': '$.run.recordUri',
        'reportUri.$': '$.run.reportUri',
      },
    },
    finalRoute,
  );
  const countOutcome = putMetrics(scope, 'Count outcome', [
    {
      MetricName: METRIC_NAMES.runOutcome,
      Unit: 'Count',
      Value: 1,
      Dimensions: [
        { Name: DIMENSIONS.model, Value: m },
        { Name: DIMENSIONS.outcome, 'Value.$': '$.end.outcome' },
      ],
    },
  ]);
  countOutcome.addCatch(event, { errors: ['States.ALL'], resultPath: '$.metricError' });
  countOutcome.next(event);
  const notifyOutcome = notify(
    scope,
    'Notify outcome',
    {
      topic,
      subject: `States.Format('pitstop ${m}: {} {}', $.end.outcome, $.end.error)`,
      message: `States.Format('Retrain run {} of model ${m} ended {} {}. {} Trigger: {} ({}). Report: {}', $.run.runId, $.end.outcome, $.end.error, $.end.cause, $.request.trigger, $.request.reason, $.run.reportUri)`,
    },
    countOutcome,
  );
  const release = withRetry(
    new tasks.DynamoDeleteItem(scope, 'Release run lock', {
      table: lockTable,
      key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(lockKey(m)) },
      conditionExpression: 'executionId = :me',
      expressionAttributeValues: { ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  release.addCatch(notifyOutcome, { errors: ['States.ALL'], resultPath: '$.releaseError' });
  release.next(notifyOutcome);
  const lockHeld = new sfn.Choice(scope, 'Lock held?')
    .when(sfn.Condition.booleanEquals('$.guard.taken', true), release)
    .otherwise(notifyOutcome);
  const none = tasks.DynamoAttributeValue.fromString('');
  const recordProduction = withRetry(
    new tasks.DynamoUpdateItem(scope, 'Record production model', {
      table: lockTable,
      key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(stateKey(m)) },
      // The right-hand sides read the item as it was: each previous<Name> keeps what this
      // promotion replaces, for a rollback of it to restore (lock-table.ts).
      updateExpression:
        'SET ' +
        [
          ...RESTORED_ON_ROLLBACK.map((name) => `${previousAttribute(name)} = if_not_exists(${name}, :none)`),
          `${STATE_ATTRIBUTES.productionModelName} = :model`,
          `${STATE_ATTRIBUTES.endpointConfigName} = :config`,
          `${STATE_ATTRIBUTES.previousEndpointConfigName} = :previous`,
          `${STATE_ATTRIBUTES.modelPackageArn} = :package`,
          `${STATE_ATTRIBUTES.baselineUri} = :baseline`,
          `${STATE_ATTRIBUTES.lastRunId} = :run`,
          `${STATE_ATTRIBUTES.lastSuccessAt} = :at`,
          `${STATE_ATTRIBUTES.cooldownUntil} = :until`,
          `${STATE_ATTRIBUTES.trainingCutoff} = :cutoff`,
          `${STATE_ATTRIBUTES.maxAgeAt} = :maxAge`,
        ].join(', '),
      expressionAttributeValues: {
        ':model': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.modelName')),
        ':config': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.deployed.configName')),
        ':previous': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.deployed.previousConfigName')),
        ':package': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.package.arn')),
        ':baseline': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.baseline.baselineUri')),
        ':run': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.runId')),
        ':at': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.report.finishedAt')),
        ':until': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.report.nextEligibleAt')),
        // The training data was taken when this run started: labels after it are new.
        ':cutoff': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')),
        ':maxAge': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.report.maxAgeAt')),
        ':none': none,
      },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  recordProduction.addCatch(lockHeld, { errors: ['States.ALL'], resultPath: '$.recordError' });
  recordProduction.next(lockHeld);
  // A run that did not promote: the monitor re-arms no trigger for triggers.retryAfterHours.
  const recordRetry = withRetry(
    new tasks.DynamoUpdateItem(scope, 'Record retry time', {
      table: lockTable,
      key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(stateKey(m)) },
      updateExpression: `SET ${STATE_ATTRIBUTES.retryAfter} = :retry`,
      expressionAttributeValues: { ':retry': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.report.retryAfterAt')) },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  recordRetry.addCatch(lockHeld, { errors: ['States.ALL'], resultPath: '$.recordError' });
  recordRetry.next(lockHeld);
  const promotedChoice = new sfn.Choice(scope, 'Record promotion?')
    .when(sfn.Condition.stringEquals('$.end.outcome', OUTCOMES.promoted), recordProduction)
    .when(sfn.Condition.stringEquals('$.end.outcome', OUTCOMES.skipped), lockHeld)
    .otherwise(recordRetry);
  const report = invokeLambda(
    scope,
    'Write run report',
    functions.report,
    {
      kind: 'retrain',
      model: m,
      'runId.$': '$.run.runId',
      'executionId.$': '$$.Execution.Id',
      'startedAt.$': '$$.Execution.StartTime',
      'outcome.$': '$.end.outcome',
      'error.$': '$.end.error',
      'cause.$': '$.end.cause',
      cooldownDays: model.triggers.cooldownDays,
      maxModelAgeDays: model.triggers.maxModelAgeDays,
      retryAfterHours: model.triggers.retryAfterHours,
      'details.$': '$',
      'recordUri.$': '$.run.recordUri',
      'reportUri.$': '$.run.reportUri',
    },
    '$.report',
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
    resultPath: '$.report',
  });
  reportFallback.next(promotedChoice);
  report.addCatch(reportFallback, { errors: ['States.ALL'], resultPath: '$.reportError' });
  report.next(promotedChoice);

  const rollbackEndpoint = new tasks.StepFunctionsStartExecution(scope, 'Roll back endpoint', {
    stateMachine: targets.rollback,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({
      'endpointConfigName.$': '$.endpointChange.previousConfigName',
      'reason.$': "States.Format('Retrain run {} ended {}: {}', $.run.runId, $.end.error, $.end.cause)",
      // This run holds the model's run lock: the Rollback refuses to run under anyone else's.
      'lockHolder.$': '$$.Execution.Id',
    }),
    resultPath: '$.rollback',
    taskTimeout: sfn.Timeout.duration(Duration.hours(2)),
  });
  withRetry(rollbackEndpoint, SERVICE_RETRY);
  rollbackEndpoint.addCatch(report, { errors: ['States.ALL'], resultPath: '$.rollbackError' });
  rollbackEndpoint.next(report);
  const deleteEndpoint = sageMakerApi(scope, 'Delete failed endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.deleteEndpoint,
    parameters: { EndpointName: model.endpointName },
    resources: [sageMakerArn(scope, 'endpoint', model.endpointName)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  deleteEndpoint.addCatch(report, { errors: ['States.ALL'], resultPath: '$.deleteError' });
  deleteEndpoint.next(report);
  const finish = new sfn.Choice(scope, 'Endpoint to restore?')
    .when(
      sfn.Condition.and(
        sfn.Condition.not(sfn.Condition.stringEquals('$.end.error', '')),
        sfn.Condition.stringEquals('$.endpointChange.kind', 'canary'),
      ),
      rollbackEndpoint,
    )
    .when(
      sfn.Condition.and(
        sfn.Condition.not(sfn.Condition.stringEquals('$.end.error', '')),
        sfn.Condition.stringEquals('$.endpointChange.kind', 'created'),
      ),
      deleteEndpoint,
    )
    .otherwise(report);

  const unexpected = endPass('Unexpected error', OUTCOMES.failed, PITSTOP_ERRORS.pipelineFailed, { path: '$.caught.Cause' }).next(finish);
  const catchAll = <T extends { addCatch(h: sfn.IChainable, p?: sfn.CatchProps): unknown }>(state: T): T => {
    state.addCatch(unexpected, { errors: ['States.ALL'], resultPath: '$.caught' });
    return state;
  };

  // ==== start: defaults, run ids, guard, cooldown ======================================
  const runId = `${m}-{}`;
  // SageMaker names: pitstop-<model>-<id>[-suffix], at most 8 + 32 + 1 + 12 + 5 = 58 characters (limit 63).
  const smName = `${sageMakerNamePrefix(m)}-{}`;
  const defaults = new sfn.Pass(scope, 'Apply defaults', {
    parameters: {
      defaults: { reason: 'manual', force: false, trigger: 'manual', alarmName: '' },
      'input.$': '$',
      'id.$': "States.ArrayGetItem(States.StringSplit(States.UUID(), '-'), 4)",
    },
  });
  const prepare = new sfn.Pass(scope, 'Prepare run', {
    parameters: {
      'request.$': 'States.JsonMerge($.defaults, $.input, false)',
      run: {
        model: m,
        'runId.$': `States.Format('${runId}', $.id)`,
        'modelName.$': `States.Format('${smName}', $.id)`,
        'trainingJobName.$': `States.Format('${smName}', $.id)`,
        'tuningJobName.$': "States.Format('pt-{}', $.id)",
        'candidateTransformJobName.$': `States.Format('${smName}-cand', $.id)`,
        'productionTransformJobName.$': `States.Format('${smName}-prod', $.id)`,
        'firstConfigName.$': `States.Format('${smName}-final', $.id)`,
        'checkpointUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.models}${m}/${smName}/checkpoints/', $.id)`,
        'baselineUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.baselines}${m}/${runId}/baseline.json', $.id)`,
        'candidatePredictionsUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.transforms}${m}/${runId}/candidate/', $.id)`,
        'productionPredictionsUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.transforms}${m}/${runId}/production/', $.id)`,
        'transformInputUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.transforms}${m}/${runId}/input/holdout.csv', $.id)`,
        'holdoutLabelsUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.transforms}${m}/${runId}/labels.csv', $.id)`,
        // Beside the model artifacts: the evaluate function may write models/ (infra/functions.ts).
        'metricsUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.models}${m}/${runId}/metrics.json', $.id)`,
        'recordUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.runs}${m}/${runId}.json', $.id)`,
        'reportUri.$': `States.Format('s3://${b}/${a}${ARTIFACT_PREFIXES.reports}${m}/${runId}.md', $.id)`,
      },
      guard: { taken: false },
      endpointChange: { kind: 'none' },
    },
  });
  const takeLock = withRetry(
    new tasks.DynamoPutItem(scope, 'Take run lock', {
      table: lockTable,
      item: {
        [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(lockKey(m)),
        executionId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
        acquiredAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')),
        runId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.runId')),
        [LOCK_ATTRIBUTES.expiresAt]: tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.stringAt('$.clock.plusSecondsText')),
      },
      // Free, or held by a run that started more than the Retrain timeout ago: that
      // execution has ended without releasing the lock (timed out, stopped), so take it over.
      conditionExpression: `attribute_not_exists(${LOCK_TABLE_KEY}) OR ${LOCK_ATTRIBUTES.expiresAt} < :now`,
      expressionAttributeValues: {
        ':now': tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.stringAt('$.clock.epochSecondsText')),
      },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  const runInFlight = endPass('Another run in flight', OUTCOMES.skipped, '', {
    text: 'Another retrain of this model holds the lock',
  }).next(finish);
  const clock = epochSeconds(scope, 'Lock expiry', {
    isoPath: '$$.Execution.StartTime',
    resultPath: '$.clock',
    addSeconds: budget.retrain.toSeconds(),
  });
  takeLock.addCatch(runInFlight, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: '$.caught' });
  catchAll(takeLock);
  const lockTaken = new sfn.Pass(scope, 'Lock taken', { result: sfn.Result.fromObject({ taken: true }), resultPath: '$.guard' });
  const loadState = catchAll(
    withRetry(
      new tasks.DynamoGetItem(scope, 'Load production state', {
        table: lockTable,
        key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(stateKey(m)) },
        consistentRead: true,
        resultPath: '$.state',
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    ),
  );
  const attr = (name: string) => `$.state.Item.${name}.S`;
  const cooldownUntil = attr(STATE_ATTRIBUTES.cooldownUntil);
  const inCooldown = endPass('In cooldown', OUTCOMES.skipped, '', {
    format: `States.Format('Last promotion was recent: next retrain after {} (start with force to override)', ${cooldownUntil})`,
  }).next(finish);

  // ==== validate, train, model, baseline ===============================================
  const previousBaseline = new sfn.Pass(scope, 'Remember production baseline', {
    parameters: { 'baselineUri.$': attr(STATE_ATTRIBUTES.baselineUri) },
    resultPath: '$.previous',
  });
  const noPrevious = new sfn.Pass(scope, 'No production baseline', { result: sfn.Result.fromObject({ baselineUri: '' }), resultPath: '$.previous' });
  const validate = catchAll(
    invokeLambda(
      scope,
      'Validate training data',
      functions.validate,
      { model: m, 'runId.$': '$.run.runId', target: 'training', dataUri: model.data.training, 'baselineUri.$': '$.previous.baselineUri' },
      '$.validation',
    ),
  );
  const dataCritical = endPass('Training data critical', OUTCOMES.failed, PITSTOP_ERRORS.dataQualityFailed, {
    format: "States.Format('Training data failed critical checks: {}', States.JsonToString($.validation.checks))",
  }).next(finish);
  const trainingFailed = endPass('Training failed', OUTCOMES.failed, PITSTOP_ERRORS.trainingFailed, { path: '$.caught.Cause' }).next(finish);
  const trainingErrors = ['States.TaskFailed', 'States.Timeout', SAGEMAKER_INTEGRATION_ERROR, ...SAGEMAKER_TRANSIENT_ERRORS];

  const modelOutput = `s3://${b}/${a}${ARTIFACT_PREFIXES.models}${m}/`;
  const t = model.training;
  // Spot: SageMaker waits up to MaxWaitTimeInSeconds for capacity and resumes an
  // interrupted job from the checkpoints it synced to S3.
  const spot = t.managedSpot
    ? { EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: t.maxRuntimeSeconds, MaxWaitTimeInSeconds: t.maxWaitSeconds } }
    : { StoppingCondition: { MaxRuntimeInSeconds: t.maxRuntimeSeconds } };
  const jobDefinition = {
    AlgorithmSpecification: {
      TrainingImage: t.image,
      TrainingInputMode: 'File',
      ...(t.metricDefinitions.length ? { MetricDefinitions: t.metricDefinitions.map((d) => ({ Name: d.name, Regex: d.regex })) } : {}),
    },
    RoleArn: sageMakerRole.roleArn,
    InputDataConfig: [
      { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: model.data.training, S3DataDistributionType: 'FullyReplicated' } } },
    ],
    OutputDataConfig: { S3OutputPath: modelOutput },
    ResourceConfig: { InstanceType: t.instanceType, InstanceCount: t.instanceCount, VolumeSizeInGB: t.volumeSizeGb },
    ...spot,
  };
  let trainStart: sfn.State;
  let trainEnd: sfn.INextable & sfn.IChainable;
  if (t.tuning) {
    const tuning = t.tuning;
    const { state, policy: tuningPolicy } = sageMakerSyncJob(scope, 'Tune candidate', {
      kind: 'tuning',
      role: sageMakerRole,
      jobNamePattern: TUNING_JOB_PATTERN,
      timeout: budget.training,
      parameters: {
        'HyperParameterTuningJobName.$': '$.run.tuningJobName',
        HyperParameterTuningJobConfig: {
          Strategy: 'Bayesian',
          HyperParameterTuningJobObjective: { MetricName: tuning.objectiveMetric.name, Type: tuning.objectiveMetric.type },
          ResourceLimits: { MaxNumberOfTrainingJobs: tuning.maxJobs, MaxParallelTrainingJobs: tuning.maxParallelJobs },
          ParameterRanges: {
            ContinuousParameterRanges: tuning.ranges.continuous.map((r) => ({ Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling })),
            IntegerParameterRanges: tuning.ranges.integer.map((r) => ({ Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling })),
            CategoricalParameterRanges: tuning.ranges.categorical.map((r) => ({ Name: r.name, Values: r.values })),
          },
        },
        // The tuner checkpoints each training job under the given prefix itself.
        TrainingJobDefinition: {
          ...jobDefinition,
          StaticHyperParameters: t.hyperparameters,
          ...(t.managedSpot ? { CheckpointConfig: { 'S3Uri.$': '$.run.checkpointUri' } } : {}),
        },
      },
      resultSelector: { 'bestTrainingJob.$': '$.BestTrainingJob.TrainingJobName' },
      resultPath: '$.tuning',
    });
    policy.push(...tuningPolicy);
    state.addCatch(trainingFailed, { errors: trainingErrors, resultPath: '$.caught' });
    catchAll(state);
    const best = catchAll(
      sageMakerApi(scope, 'Describe best training job', {
        action: SAGEMAKER_SDK_ACTIONS.describeTrainingJob,
        parameters: { 'TrainingJobName.$': '$.tuning.bestTrainingJob' },
        resources: [sageMakerArn(scope, 'training-job', TUNING_JOB_PATTERN)], // the tuner names them pt-<id>-NNN-<hash>
        resultSelector: { 'jobName.$': '$.TrainingJobName', 'modelArtifacts.$': '$.ModelArtifacts.S3ModelArtifacts' },
        resultPath: '$.training',
      }),
    );
    state.next(best);
    trainStart = state;
    trainEnd = best;
  } else {
    const { state: train, policy: trainingPolicy } = sageMakerSyncJob(scope, 'Train candidate', {
      kind: 'training',
      role: sageMakerRole,
      jobNamePattern: `${sageMakerNamePrefix(m)}-*`,
      timeout: budget.training,
      parameters: {
        'TrainingJobName.$': '$.run.trainingJobName',
        ...jobDefinition,
        HyperParameters: t.hyperparameters,
        ...(t.managedSpot ? { CheckpointConfig: { 'S3Uri.$': '$.run.checkpointUri' } } : {}),
      },
      resultSelector: { 'jobName.$': '$.TrainingJobName', 'modelArtifacts.$': '$.ModelArtifacts.S3ModelArtifacts' },
      resultPath: '$.training',
    });
    policy.push(...trainingPolicy);
    train.addCatch(trainingFailed, { errors: trainingErrors, resultPath: '$.caught' });
    catchAll(train);
    trainStart = train;
    trainEnd = train;
  }

  const createModel = catchAll(
    sageMakerApi(scope, 'Create candidate model', {
      action: SAGEMAKER_SDK_ACTIONS.createModel,
      parameters: {
        'ModelName.$': '$.run.modelName',
        ExecutionRoleArn: sageMakerRole.roleArn,
        PrimaryContainer: { Image: t.inferenceImage, Mode: 'SingleModel', 'ModelDataUrl.$': '$.training.modelArtifacts' },
      },
      resources: [sageMakerArn(scope, 'model', `${sageMakerNamePrefix(m)}-*`)],
      additionalIamStatements: [passRoleToSageMaker(sageMakerRole)],
      resultSelector: { 'modelArn.$': '$.ModelArn' },
      resultPath: '$.candidate',
    }),
  );
  const profile = catchAll(
    invokeLambda(
      scope,
      'Profile baseline',
      functions.profile,
      { model: m, 'runId.$': '$.run.runId', trainingUri: model.data.training, 'outputUri.$': '$.run.baselineUri' },
      '$.baseline',
    ),
  );

  // ==== production endpoint? ============================================================
  const noEndpoint = new sfn.Pass(scope, 'No production endpoint', {
    result: sfn.Result.fromObject({ exists: false, configName: '' }),
    resultPath: '$.endpoint',
  });
  const findEndpoint = sageMakerApi(scope, 'Find production endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.describeEndpoint,
    parameters: { EndpointName: model.endpointName },
    resources: [sageMakerArn(scope, 'endpoint', model.endpointName)],
    resultSelector: { exists: true, 'configName.$': '$.EndpointConfigName', 'status.$': '$.EndpointStatus' },
    resultPath: '$.endpoint',
    retry: false,
  });
  withRetry(findEndpoint, { errors: SAGEMAKER_TRANSIENT_ERRORS });
  findEndpoint.addCatch(noEndpoint, {
    errors: ['SageMaker.ResourceNotFoundException', 'SageMaker.ValidationException'],
    resultPath: '$.caught',
  });
  findEndpoint.addCatch(
    new sfn.Choice(scope, 'Endpoint missing?')
      .when(sfn.Condition.stringMatches('$.caught.Cause', '*Could not find endpoint*'), noEndpoint)
      .otherwise(unexpected),
    { errors: ['States.ALL'], resultPath: '$.caught' },
  );
  const describeProductionConfig = catchAll(
    sageMakerApi(scope, 'Describe production config', {
      action: SAGEMAKER_SDK_ACTIONS.describeEndpointConfig,
      parameters: { 'EndpointConfigName.$': '$.endpoint.configName' },
      resources: [sageMakerArn(scope, 'endpoint-config', '*')], // the current config may predate pitstop: any name
      // pitstop's configs list the production variant first (checked before scoring)
      resultSelector: { 'variants.$': '$.ProductionVariants' },
      resultPath: '$.productionConfig',
    }),
  );

  // ==== holdout scoring (Parallel) =====================================================
  // Batch transform sends every line of its input to the model, which takes features
  // only: score a header-less, features-only copy of the holdout, and keep its labels
  // in the same row order for the evaluation.
  const prepareHoldout = catchAll(
    invokeLambda(
      scope,
      'Prepare holdout',
      functions.prepareHoldout,
      {
        model: m,
        'runId.$': '$.run.runId',
        holdoutUri: model.data.holdout,
        label: model.label,
        problemType: model.problemType,
        features: (model.features ?? []).map((f) => f.name),
        'transformInputUri.$': '$.run.transformInputUri',
        'labelsUri.$': '$.run.holdoutLabelsUri',
      },
      '$.holdout',
    ),
  );
  let transformGranted = false;
  const transform = (id: string, jobNamePath: string, modelNamePath: string, outputPath: string) => {
    const { state, policy: transformPolicy } = sageMakerSyncJob(scope, id, {
      kind: 'transform',
      jobNamePattern: `${sageMakerNamePrefix(m)}-*`,
      timeout: Duration.hours(6),
      parameters: {
        'TransformJobName.$': jobNamePath,
        'ModelName.$': modelNamePath,
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': '$.holdout.transformInputUri' } },
          ContentType: 'text/csv',
          SplitType: 'Line',
        },
        TransformOutput: { 'S3OutputPath.$': outputPath, AssembleWith: 'Line' },
        TransformResources: { InstanceCount: 1, InstanceType: t.inferenceInstanceType },
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    if (!transformGranted) policy.push(...transformPolicy);
    transformGranted = true;
    return state;
  };
  const candidateTransform = transform('Score holdout with candidate', '$.run.candidateTransformJobName', '$.run.modelName', '$.run.candidatePredictionsUri');
  const candidateDone = new sfn.Pass(scope, 'Candidate predictions', { parameters: { 'uri.$': '$.run.candidatePredictionsUri' } });
  candidateTransform.next(candidateDone);
  const productionTransform = transform(
    'Score holdout with production',
    '$.run.productionTransformJobName',
    '$.productionConfig.variants[0].ModelName',
    '$.run.productionPredictionsUri',
  );
  const productionDone = new sfn.Pass(scope, 'Production predictions', { parameters: { 'uri.$': '$.run.productionPredictionsUri' } });
  productionTransform.next(productionDone);
  const noProduction = new sfn.Pass(scope, 'No production to score', { result: sfn.Result.fromObject({ uri: '' }) });
  const score = new sfn.Parallel(scope, 'Score holdout', {
    resultSelector: { 'candidateUri.$': '$[0].uri', 'productionUri.$': '$[1].uri' },
    resultPath: '$.transforms',
  });
  score.branch(candidateTransform);
  score.branch(
    new sfn.Choice(scope, 'Production model to score?')
      .when(
        sfn.Condition.and(
          sfn.Condition.booleanEquals('$.endpoint.exists', true),
          sfn.Condition.isPresent('$.productionConfig.variants[0]'),
          sfn.Condition.stringEquals('$.productionConfig.variants[0].VariantName', VARIANT_PRODUCTION),
        ),
        productionTransform,
      )
      .otherwise(noProduction),
  );
  catchAll(score);

  // ==== gate, registry, approval ========================================================
  const evaluate = catchAll(
    invokeLambda(
      scope,
      'Evaluate candidate',
      functions.evaluate,
      {
        model: m,
        'runId.$': '$.run.runId',
        problemType: model.problemType,
        label: model.label,
        ...(model.classes !== undefined ? { classes: model.classes } : {}),
        'labelsUri.$': '$.holdout.labelsUri',
        'candidatePredictionsUri.$': '$.transforms.candidateUri',
        'productionPredictionsUri.$': '$.transforms.productionUri',
        gate: model.gate,
        'metricsUri.$': '$.run.metricsUri',
      },
      '$.evaluation',
    ),
  );
  const packageGroup = `${'pitstop'}-${m}`;
  const register = (id: string, status: string) =>
    sageMakerApi(scope, id, {
      action: SAGEMAKER_SDK_ACTIONS.createModelPackage,
      parameters: {
        ModelPackageGroupName: packageGroup,
        'ModelPackageDescription.$': "States.Format('Candidate of retrain run {} ({})', $.run.runId, $.request.reason)",
        ModelApprovalStatus: status,
        InferenceSpecification: {
          Containers: [{ Image: model.training.inferenceImage, 'ModelDataUrl.$': '$.training.modelArtifacts' }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
          SupportedRealtimeInferenceInstanceTypes: [model.training.inferenceInstanceType],
          SupportedTransformInstanceTypes: [model.training.inferenceInstanceType],
        },
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', 'S3Uri.$': '$.evaluation.metricsUri' } } },
        CustomerMetadataProperties: { 'runId.$': '$.run.runId', 'trainingJob.$': '$.training.jobName', 'trigger.$': '$.request.trigger' },
      },
      resources: [sageMakerArn(scope, 'model-package', `${packageGroup}/*`), sageMakerArn(scope, 'model-package-group', packageGroup)],
      resultSelector: { 'arn.$': '$.ModelPackageArn' },
      resultPath: '$.package',
    });
  const gateRejected = endPass('Gate rejected candidate', OUTCOMES.rejected, PITSTOP_ERRORS.gateRejected, {
    format: "States.Format('Candidate failed the gate: {}', States.JsonToString($.evaluation.rules))",
  }).next(finish);
  const registerRejected = register('Register rejected candidate', 'Rejected');
  registerRejected.addCatch(gateRejected, { errors: ['States.ALL'], resultPath: '$.registerError' });
  registerRejected.next(gateRejected);
  const manual = model.approval.mode === 'manual';
  const registerCandidate = catchAll(register('Register candidate', manual ? 'PendingManualApproval' : 'Approved'));

  const updatePackage = (id: string, status: 'Approved' | 'Rejected') =>
    sageMakerApi(scope, id, {
      action: SAGEMAKER_SDK_ACTIONS.updateModelPackage,
      parameters: {
        'ModelPackageArn.$': '$.package.arn',
        ModelApprovalStatus: status,
        'ApprovalDescription.$': status === 'Approved' ? "States.Format('Approved in run {}', $.run.runId)" : "States.Format('Rejected in run {}', $.run.runId)",
      },
      resources: [sageMakerArn(scope, 'model-package', `${packageGroup}/*`)],
      resultPath: sfn.JsonPath.DISCARD,
    });

  // ==== deploy: canary or first endpoint ===============================================
  const canaryRemember = new sfn.Pass(scope, 'Endpoint will change', {
    parameters: { kind: 'canary', 'previousConfigName.$': '$.endpoint.configName' },
    resultPath: '$.endpointChange',
  });
  const runCanary = new tasks.StepFunctionsStartExecution(scope, 'Run canary', {
    stateMachine: targets.canary,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({ 'runId.$': '$.run.runId', 'candidateModelName.$': '$.run.modelName' }),
    resultSelector: { 'output.$': '$.Output' },
    resultPath: '$.canary',
    taskTimeout: sfn.Timeout.duration(budget.canary),
  });
  withRetry(runCanary, { errors: ['StepFunctions.ThrottlingException', 'StepFunctions.AWSStepFunctionsException'], maxAttempts: 3 });
  // A child execution that does not succeed fails this task with States.TaskFailed
  // whatever its own error, and the cause is the child's DescribeExecution as a JSON
  // string (PascalCase): {"Cause":...,"Error":...,"ExecutionArn":...,"Status":"FAILED",...}.
  // Error and Cause are left out when the child has none (e.g. Status TIMED_OUT), so
  // defaults are merged under them; a cause that is not JSON goes to canaryLost.
  const readCanaryError = new sfn.Pass(scope, 'Read canary error', {
    parameters: {
      defaults: { Error: '', Cause: 'The canary execution gave no cause' },
      'parsed.$': 'States.StringToJson($.caught.Cause)',
    },
    resultPath: '$.canaryFailure',
  });
  const mergeCanaryError = new sfn.Pass(scope, 'Default canary error', {
    parameters: { 'execution.$': 'States.JsonMerge($.canaryFailure.defaults, $.canaryFailure.parsed, false)' },
    resultPath: '$.canaryFailure',
  });
  readCanaryError.next(mergeCanaryError);
  const canaryCauseIsJson = new sfn.Choice(scope, 'Canary cause readable?');
  runCanary.addCatch(canaryCauseIsJson, { errors: ['States.TaskFailed'], resultPath: '$.caught' });
  catchAll(runCanary);
  const childError = '$.canaryFailure.execution.Error';
  const restoredByCanary = new sfn.Pass(scope, 'Canary restored endpoint', {
    result: sfn.Result.fromObject({ kind: 'none' }),
    resultPath: '$.endpointChange',
  });
  restoredByCanary.next(finish);
  const canaryEnd = (id: string, outcome: string) =>
    new sfn.Pass(scope, id, {
      parameters: { outcome, 'error.$': childError, 'cause.$': '$.canaryFailure.execution.Cause' },
      resultPath: '$.end',
    }).next(restoredByCanary);
  const rolledBack = canaryEnd('Canary rolled back', OUTCOMES.rolledBack);
  const canaryErrored = canaryEnd('Canary failed', OUTCOMES.failed);
  const canaryLost = endPass('Canary did not finish', OUTCOMES.failed, PITSTOP_ERRORS.pipelineFailed, {
    format: "States.Format('Canary execution ended without rolling back: {}', $.caught.Cause)",
  }).next(finish);
  const isChild = (error: string) => sfn.Condition.and(sfn.Condition.isPresent(childError), sfn.Condition.stringEquals(childError, error));
  canaryCauseIsJson
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.caught.Cause'), sfn.Condition.stringMatches('$.caught.Cause', '{*}')), readCanaryError)
    .otherwise(canaryLost);
  mergeCanaryError.next(
    new sfn.Choice(scope, 'Canary ended with?')
      .when(
        sfn.Condition.or(
          isChild(PITSTOP_ERRORS.smokeTestFailed),
          isChild(PITSTOP_ERRORS.canaryBreached),
          isChild(PITSTOP_ERRORS.endpointUpdateFailed),
        ),
        rolledBack,
      )
      .when(sfn.Condition.or(isChild(PITSTOP_ERRORS.pipelineFailed), isChild(PITSTOP_ERRORS.rollbackFailed)), canaryErrored)
      .otherwise(canaryLost),
  );
  const canaryDeployed = new sfn.Pass(scope, 'Canary promoted candidate', {
    parameters: { 'configName.$': '$.canary.output.endpointConfigName', 'previousConfigName.$': '$.canary.output.previousEndpointConfigName' },
    resultPath: '$.deployed',
  });

  // Set only once CreateEndpoint succeeded: a failure before it (for example an
  // endpoint of that name that already exists) must never delete an endpoint this
  // run did not create.
  const firstRemember = new sfn.Pass(scope, 'Endpoint created', {
    result: sfn.Result.fromObject({ kind: 'created' }),
    resultPath: '$.endpointChange',
  });
  const firstFailed = markFailure(scope, 'First endpoint failed', PITSTOP_ERRORS.endpointUpdateFailed, { path: '$.failure.cause' });
  const firstFailedEnd = endPass('First deployment failed', OUTCOMES.failed, PITSTOP_ERRORS.endpointUpdateFailed, { path: '$.failure.cause' }).next(finish);
  firstFailed.next(firstFailedEnd);
  const firstRejected = markFailure(scope, 'First endpoint rejected', PITSTOP_ERRORS.endpointUpdateFailed, { path: '$.caught.Cause' }).next(firstFailedEnd);
  const firstConfig = createEndpointConfig(scope, 'Create first endpoint config', ctx, '$.run.firstConfigName', [
    { variantName: VARIANT_PRODUCTION, modelNamePath: '$.run.modelName', instanceType: model.training.inferenceInstanceType, instanceCount: 1, weight: 1 },
  ]);
  firstConfig.addCatch(firstRejected, { errors: ['States.ALL'], resultPath: '$.caught' });
  const createEndpoint = sageMakerApi(scope, 'Create endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.createEndpoint,
    parameters: { EndpointName: model.endpointName, 'EndpointConfigName.$': '$.run.firstConfigName' },
    resources: [sageMakerArn(scope, 'endpoint', model.endpointName), sageMakerArn(scope, 'endpoint-config', `${sageMakerNamePrefix(m)}-*`)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  createEndpoint.addCatch(firstRejected, { errors: ['States.ALL'], resultPath: '$.caught' });
  const firstLive = pollEndpoint(scope, { label: 'First endpoint', endpointName: model.endpointName, expectedConfigPath: '$.run.firstConfigName' }, firstFailed);
  const firstDeployed = new sfn.Pass(scope, 'First endpoint live', {
    parameters: { 'configName.$': '$.run.firstConfigName', previousConfigName: '' },
    resultPath: '$.deployed',
  });
  const promoted = new sfn.Pass(scope, 'Candidate promoted', {
    result: sfn.Result.fromObject({ outcome: OUTCOMES.promoted, error: '', cause: '' }),
    resultPath: '$.end',
  });
  const noChange = new sfn.Pass(scope, 'Endpoint settled', { result: sfn.Result.fromObject({ kind: 'none' }), resultPath: '$.endpointChange' });
  promoted.next(noChange).next(finish);

  const deploy = new sfn.Choice(scope, 'First deployment?')
    .when(sfn.Condition.booleanEquals('$.endpoint.exists', false), firstConfig)
    .otherwise(canaryRemember);
  canaryRemember.next(runCanary).next(canaryDeployed).next(promoted);
  firstConfig.next(createEndpoint).next(firstRemember).next(firstLive.start);
  firstLive.done.next(firstDeployed).next(promoted);

  let afterRegister: sfn.IChainable = deploy;
  if (manual) {
    const ask = new tasks.SnsPublish(scope, 'Ask for approval', {
      topic,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      subject: `pitstop ${m}: approve candidate?`,
      message: sfn.TaskInput.fromText(
        sfn.JsonPath.format(
          'Candidate {} of model ' +
            m +
            ' passed the gate and waits for approval. Model package: {}. Metrics: {}. To approve, call SendTaskSuccess with the output approved set to true (JSON); to reject, set approved to false or call SendTaskFailure with error ApprovalRejected. Task token: {}',
          sfn.JsonPath.stringAt('$.run.runId'),
          sfn.JsonPath.stringAt('$.package.arn'),
          sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.evaluation.candidate')),
          sfn.JsonPath.taskToken,
        ),
      ),
      resultPath: '$.approval',
      taskTimeout: sfn.Timeout.duration(Duration.minutes(Math.max(1, Math.round(model.approval.timeoutHours * 60)))),
    });
    const approvalRejected = endPass('Approval rejected', OUTCOMES.rejected, PITSTOP_ERRORS.approvalRejected, {
      text: 'A person rejected the candidate',
    }).next(finish);
    const approvalTimedOut = endPass('Approval timed out', OUTCOMES.rejected, PITSTOP_ERRORS.approvalTimedOut, {
      text: `Nobody approved the candidate within ${model.approval.timeoutHours} hours`,
    }).next(finish);
    const rejectPackage = updatePackage('Mark package rejected', 'Rejected');
    rejectPackage.addCatch(approvalRejected, { errors: ['States.ALL'], resultPath: '$.registerError' });
    rejectPackage.next(approvalRejected);
    const expirePackage = updatePackage('Mark package expired', 'Rejected');
    expirePackage.addCatch(approvalTimedOut, { errors: ['States.ALL'], resultPath: '$.registerError' });
    expirePackage.next(approvalTimedOut);
    const approvePackage = catchAll(updatePackage('Mark package approved', 'Approved'));
    approvePackage.next(deploy);
    withRetry(ask, SERVICE_RETRY);
    ask.addCatch(rejectPackage, { errors: [PITSTOP_ERRORS.approvalRejected], resultPath: '$.caught' });
    ask.addCatch(expirePackage, { errors: ['States.Timeout', 'States.HeartbeatTimeout'], resultPath: '$.caught' });
    catchAll(ask);
    ask.next(
      new sfn.Choice(scope, 'Approved?')
        .when(sfn.Condition.and(sfn.Condition.isPresent('$.approval.approved'), sfn.Condition.booleanEquals('$.approval.approved', true)), approvePackage)
        .otherwise(rejectPackage),
    );
    afterRegister = ask;
  }

  // ==== wire the forward path ==========================================================
  defaults.next(prepare).next(clock.start);
  clock.end.next(takeLock).next(lockTaken).next(loadState).next(
    new sfn.Choice(scope, 'Production recorded?')
      .when(sfn.Condition.isPresent(attr(STATE_ATTRIBUTES.baselineUri)), previousBaseline)
      .otherwise(noPrevious),
  );
  const cooldown = new sfn.Choice(scope, 'Cooldown over?')
    .when(sfn.Condition.booleanEquals('$.request.force', true), validate)
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent(cooldownUntil),
        sfn.Condition.isTimestamp(cooldownUntil),
        sfn.Condition.timestampLessThanJsonPath('$$.Execution.StartTime', cooldownUntil),
      ),
      inCooldown,
    )
    .otherwise(validate);
  previousBaseline.next(cooldown);
  noPrevious.next(cooldown);
  validate.next(
    new sfn.Choice(scope, 'Training data usable?')
      .when(sfn.Condition.stringEquals('$.validation.status', 'critical'), dataCritical)
      .otherwise(trainStart),
  );
  trainEnd.next(createModel);
  createModel.next(profile).next(findEndpoint);
  findEndpoint.next(describeProductionConfig);
  describeProductionConfig.next(prepareHoldout);
  noEndpoint.next(prepareHoldout);
  prepareHoldout.next(score).next(evaluate).next(
    new sfn.Choice(scope, 'Gate passed?')
      .when(sfn.Condition.booleanEquals('$.evaluation.passed', true), registerCandidate)
      .otherwise(registerRejected),
  );
  registerCandidate.next(afterRegister);
  return { definition: defaults, policy, budget };
}
