/**
 * The Retrain's guard: applies the input's defaults, names everything the run will
 * create, takes the model's run lock (single flight), reads the production state and
 * checks the cooldown.
 *
 * The lock is a conditional put that expires one Retrain timeout after the run
 * started (statemachines/timeouts.ts): a holder that timed out or was stopped could not
 * release it, and the next run takes it over. A lock held by another run ends the run
 * `Skipped` without touching the lock; so does a cooldown, unless the input has
 * `force: true` (force never skips the lock).
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ARTIFACT_PREFIXES, OUTCOMES } from '../../vocabulary/pipeline-names';
import { epochSeconds } from '../clock';
import { SERVICE_RETRY, withRetry } from '../errors';
import { LOCK_ATTRIBUTES, LOCK_TABLE_KEY, STATE_ATTRIBUTES, lockKey, stateKey } from '../lock-table';
import { sageMakerNamePrefix } from '../sagemaker-api';
import { catchUnexpected, endRun, type RetrainPhase, type RetrainPhaseInputs } from './phase';
import { RETRAIN_PATHS, RETRAIN_START_PATHS } from './paths';

const { run, request, previous } = RETRAIN_PATHS;
const { id } = RETRAIN_START_PATHS;

/**
 * The run's `$.run`: its id and the names and S3 URIs of everything it creates, each
 * made of `$.id` (the last group of a UUID) by `States.Format`.
 */
function runNames(inputs: RetrainPhaseInputs): Record<string, unknown> {
  const { model, bucket, artifactsPrefix } = inputs.ctx;
  const modelName = model.name;
  const bucketName = bucket.bucketName;
  const runId = `${modelName}-{}`;
  // SageMaker names: pitstop-<model>-<id>[-suffix], at most 8 + 32 + 1 + 12 + 6 = 59 characters (limit 63).
  const sageMakerName = `${sageMakerNamePrefix(modelName)}-{}`;
  const artifact = (prefix: string, rest: string) => `States.Format('s3://${bucketName}/${artifactsPrefix}${prefix}${modelName}/${rest}', ${id})`;
  return {
    model: modelName,
    'runId.$': `States.Format('${runId}', ${id})`,
    'modelName.$': `States.Format('${sageMakerName}', ${id})`,
    'trainingJobName.$': `States.Format('${sageMakerName}', ${id})`,
    'tuningJobName.$': `States.Format('pt-{}', ${id})`,
    'candidateTransformJobName.$': `States.Format('${sageMakerName}-cand', ${id})`,
    'productionTransformJobName.$': `States.Format('${sageMakerName}-prod', ${id})`,
    'firstConfigName.$': `States.Format('${sageMakerName}-final', ${id})`,
    'checkpointUri.$': artifact(ARTIFACT_PREFIXES.models, `${sageMakerName}/checkpoints/`),
    'baselineUri.$': artifact(ARTIFACT_PREFIXES.baselines, `${runId}/baseline.json`),
    'candidatePredictionsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/candidate/`),
    'productionPredictionsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/production/`),
    'transformInputUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/input/holdout.csv`),
    'holdoutLabelsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/labels.csv`),
    // The label-first training channel of SageMaker's containers, and the labels its preparation writes beside it.
    'trainChannelUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/input/train/train.csv`),
    'trainLabelsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/train-labels.csv`),
    // Beside the model artifacts: the evaluate function may write models/ (infra/functions.ts).
    'metricsUri.$': artifact(ARTIFACT_PREFIXES.models, `${runId}/metrics.json`),
    // The candidate's holdout predictions with their labels: the Monitor's prediction reference once promoted.
    'predictionReferenceUri.$': artifact(ARTIFACT_PREFIXES.models, `${runId}/holdout-predictions.json`),
    'recordUri.$': artifact(ARTIFACT_PREFIXES.runs, `${runId}.json`),
    'reportUri.$': artifact(ARTIFACT_PREFIXES.reports, `${runId}.md`),
    ...(model.data.dataset
      ? {
          'fixedTransformInputUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/input/fixed/holdout.csv`),
          'fixedLabelsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/fixed/labels.csv`),
          'fixedCandidatePredictionsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/fixed/candidate/`),
          'fixedProductionPredictionsUri.$': artifact(ARTIFACT_PREFIXES.transforms, `${runId}/fixed/production/`),
          'fixedMetricsUri.$': artifact(ARTIFACT_PREFIXES.models, `${runId}/fixed-metrics.json`),
          'fixedCandidateTransformJobName.$': `States.Format('${sageMakerName}-candf', ${id})`,
          'fixedProductionTransformJobName.$': `States.Format('${sageMakerName}-prodf', ${id})`,
        }
      : {}),
  };
}

/** Builds the guard; it continues (lock taken, no cooldown) with the training data's validation. */
export function buildGuard(inputs: RetrainPhaseInputs): RetrainPhase {
  const { scope, ctx, budget } = inputs;
  const { lockTable } = ctx;
  const modelName = ctx.model.name;

  const defaults = new sfn.Pass(scope, 'Apply defaults', {
    parameters: {
      defaults: { reason: 'manual', force: false, trigger: 'manual', alarmName: '' },
      'input.$': '$',
      'id.$': "States.ArrayGetItem(States.StringSplit(States.UUID(), '-'), 4)",
    },
  });
  const prepare = new sfn.Pass(scope, 'Prepare run', {
    parameters: {
      'request.$': `States.JsonMerge(${RETRAIN_START_PATHS.defaults}, ${RETRAIN_START_PATHS.input}, false)`,
      run: runNames(inputs),
      guard: { taken: false },
      endpointChange: { kind: 'none' },
    },
  });
  const takeLock = withRetry(
    new tasks.DynamoPutItem(scope, 'Take run lock', {
      table: lockTable,
      item: {
        [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(lockKey(modelName)),
        executionId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
        acquiredAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')),
        runId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(`${run}.runId`)),
        [LOCK_ATTRIBUTES.expiresAt]: tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.stringAt(`${RETRAIN_PATHS.clock}.plusSecondsText`)),
      },
      // Free, or held by a run that started more than the Retrain timeout ago: that
      // execution has ended without releasing the lock (timed out, stopped), so take it over.
      conditionExpression: `attribute_not_exists(${LOCK_TABLE_KEY}) OR ${LOCK_ATTRIBUTES.expiresAt} < :now`,
      expressionAttributeValues: {
        ':now': tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.stringAt(`${RETRAIN_PATHS.clock}.epochSecondsText`)),
      },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
    }),
    SERVICE_RETRY,
  );
  const runInFlight = endRun(inputs, 'Another run in flight', OUTCOMES.skipped, '', {
    text: 'Another retrain of this model holds the lock',
  });
  const lockExpiry = epochSeconds(scope, 'Lock expiry', {
    isoPath: '$$.Execution.StartTime',
    resultPath: RETRAIN_PATHS.clock,
    addSeconds: budget.retrain.toSeconds(),
  });
  takeLock.addCatch(runInFlight, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: RETRAIN_PATHS.caught });
  catchUnexpected(inputs, takeLock);
  const lockTaken = new sfn.Pass(scope, 'Lock taken', { result: sfn.Result.fromObject({ taken: true }), resultPath: RETRAIN_PATHS.guard });
  const loadState = catchUnexpected(
    inputs,
    withRetry(
      new tasks.DynamoGetItem(scope, 'Load production state', {
        table: lockTable,
        key: { [LOCK_TABLE_KEY]: tasks.DynamoAttributeValue.fromString(stateKey(modelName)) },
        consistentRead: true,
        resultPath: RETRAIN_PATHS.state,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    ),
  );
  const recorded = (name: string) => `${RETRAIN_PATHS.state}.Item.${name}.S`;
  const cooldownUntil = recorded(STATE_ATTRIBUTES.cooldownUntil);
  const inCooldown = endRun(inputs, 'In cooldown', OUTCOMES.skipped, '', {
    format: `States.Format('Last promotion was recent: next retrain after {} (start with force to override)', ${cooldownUntil})`,
  });
  const previousBaseline = new sfn.Pass(scope, 'Remember production baseline', {
    parameters: { 'baselineUri.$': recorded(STATE_ATTRIBUTES.baselineUri) },
    resultPath: previous,
  });
  const noPrevious = new sfn.Pass(scope, 'No production baseline', { result: sfn.Result.fromObject({ baselineUri: '' }), resultPath: previous });
  const cooldown = new sfn.Choice(scope, 'Cooldown over?');

  defaults.next(prepare).next(lockExpiry.start);
  lockExpiry.end.next(takeLock).next(lockTaken).next(loadState).next(
    new sfn.Choice(scope, 'Production recorded?')
      .when(sfn.Condition.isPresent(recorded(STATE_ATTRIBUTES.baselineUri)), previousBaseline)
      .otherwise(noPrevious),
  );
  previousBaseline.next(cooldown);
  noPrevious.next(cooldown);
  return {
    start: defaults,
    continueWith: (next) => {
      cooldown
        .when(sfn.Condition.booleanEquals(`${request}.force`, true), next)
        .when(
          sfn.Condition.and(
            sfn.Condition.isPresent(cooldownUntil),
            sfn.Condition.isTimestamp(cooldownUntil),
            sfn.Condition.timestampLessThanJsonPath('$$.Execution.StartTime', cooldownUntil),
          ),
          inCooldown,
        )
        .otherwise(next);
    },
  };
}
