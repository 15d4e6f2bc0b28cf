/**
 * The Retrain's deployment: the Canary state machine (`.sync`) when the endpoint
 * exists, or, on a first run, an endpoint config with the candidate alone,
 * CreateEndpoint and a poll until it is InService. Records in `$.endpointChange` what
 * the finish must restore should the run fail: nothing once the canary has rolled
 * back on its own, the previous config while a canary runs, the endpoint itself once
 * this run created it.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { OUTCOMES, VARIANT_PRODUCTION } from '../../vocabulary/pipeline-names';
import { createEndpointConfig } from '../canary';
import { PITSTOP_ERRORS, withRetry } from '../errors';
import { SAGEMAKER_SDK_ACTIONS, sageMakerApi, sageMakerArn, sageMakerNamePrefix } from '../sagemaker-api';
import { markFailure, pollEndpoint } from '../steps';
import { catchUnexpected, endRun, type RetrainPhase, type RetrainPhaseInputs } from './phase';
import { RETRAIN_PATHS } from './paths';

const { run, caught, canaryFailure, endpointChange, deployed } = RETRAIN_PATHS;

/** A deployment path: enter at `start`; `deployed` has written `$.deployed`. */
interface Deployment {
  readonly start: sfn.State;
  readonly deployed: sfn.INextable;
}

/**
 * The Canary state machine. A child execution that does not succeed fails the task
 * with States.TaskFailed whatever its own error, and the cause is the child's
 * DescribeExecution as a JSON string (PascalCase):
 * {"Cause":...,"Error":...,"ExecutionArn":...,"Status":"FAILED",...}. Error and Cause
 * are left out when the child has none (e.g. Status TIMED_OUT), so defaults are merged
 * under them; a cause that is not JSON ends the run as a canary that did not finish.
 */
function canaryDeployment(inputs: RetrainPhaseInputs): Deployment {
  const { scope, targets, budget } = inputs;
  const canaryRemember = new sfn.Pass(scope, 'Endpoint will change', {
    parameters: { kind: 'canary', 'previousConfigName.$': `${RETRAIN_PATHS.endpoint}.configName` },
    resultPath: endpointChange,
  });
  const runCanary = new tasks.StepFunctionsStartExecution(scope, 'Run canary', {
    stateMachine: targets.canary,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({ 'runId.$': `${run}.runId`, 'candidateModelName.$': `${run}.modelName` }),
    resultSelector: { 'output.$': '$.Output' },
    resultPath: RETRAIN_PATHS.canary,
    taskTimeout: sfn.Timeout.duration(budget.canary),
  });
  withRetry(runCanary, { errors: ['StepFunctions.ThrottlingException', 'StepFunctions.AWSStepFunctionsException'], maxAttempts: 3 });
  const readCanaryError = new sfn.Pass(scope, 'Read canary error', {
    parameters: {
      defaults: { Error: '', Cause: 'The canary execution gave no cause' },
      'parsed.$': `States.StringToJson(${caught}.Cause)`,
    },
    resultPath: canaryFailure,
  });
  const mergeCanaryError = new sfn.Pass(scope, 'Default canary error', {
    parameters: { 'execution.$': `States.JsonMerge(${canaryFailure}.defaults, ${canaryFailure}.parsed, false)` },
    resultPath: canaryFailure,
  });
  readCanaryError.next(mergeCanaryError);
  const canaryCauseIsJson = new sfn.Choice(scope, 'Canary cause readable?');
  runCanary.addCatch(canaryCauseIsJson, { errors: ['States.TaskFailed'], resultPath: caught });
  catchUnexpected(inputs, runCanary);
  const childError = `${canaryFailure}.execution.Error`;
  const restoredByCanary = new sfn.Pass(scope, 'Canary restored endpoint', {
    result: sfn.Result.fromObject({ kind: 'none' }),
    resultPath: endpointChange,
  });
  restoredByCanary.next(inputs.finish);
  const canaryEnd = (id: string, outcome: string) =>
    new sfn.Pass(scope, id, {
      parameters: { outcome, 'error.$': childError, 'cause.$': `${canaryFailure}.execution.Cause` },
      resultPath: RETRAIN_PATHS.end,
    }).next(restoredByCanary);
  const rolledBack = canaryEnd('Canary rolled back', OUTCOMES.rolledBack);
  const canaryErrored = canaryEnd('Canary failed', OUTCOMES.failed);
  const canaryLost = endRun(inputs, 'Canary did not finish', OUTCOMES.failed, PITSTOP_ERRORS.pipelineFailed, {
    format: `States.Format('Canary execution ended without rolling back: {}', ${caught}.Cause)`,
  });
  const isChild = (error: string) => sfn.Condition.and(sfn.Condition.isPresent(childError), sfn.Condition.stringEquals(childError, error));
  canaryCauseIsJson
    .when(sfn.Condition.and(sfn.Condition.isPresent(`${caught}.Cause`), sfn.Condition.stringMatches(`${caught}.Cause`, '{*}')), readCanaryError)
    .otherwise(canaryLost);
  mergeCanaryError.next(
    new sfn.Choice(scope, 'Canary ended with?')
      .when(
        sfn.Condition.or(
          isChild(PITSTOP_ERRORS.smokeTestFailed),
          isChild(PITSTOP_ERRORS.canaryBreached),
          isChild(PITSTOP_ERRORS.insufficientTraffic),
          isChild(PITSTOP_ERRORS.endpointUpdateFailed),
        ),
        rolledBack,
      )
      .when(sfn.Condition.or(isChild(PITSTOP_ERRORS.pipelineFailed), isChild(PITSTOP_ERRORS.rollbackFailed)), canaryErrored)
      .otherwise(canaryLost),
  );
  const canaryDeployed = new sfn.Pass(scope, 'Canary promoted candidate', {
    parameters: {
      'configName.$': `${RETRAIN_PATHS.canary}.output.endpointConfigName`,
      'previousConfigName.$': `${RETRAIN_PATHS.canary}.output.previousEndpointConfigName`,
    },
    resultPath: deployed,
  });
  canaryRemember.next(runCanary).next(canaryDeployed);
  return { start: canaryRemember, deployed: canaryDeployed };
}

/** A first endpoint: its config, CreateEndpoint and the poll until InService. */
function firstDeployment(inputs: RetrainPhaseInputs): Deployment {
  const { scope, ctx } = inputs;
  const { model } = ctx;
  const firstConfigName = `${run}.firstConfigName`;
  // Set only once CreateEndpoint succeeded: a failure before it (for example an
  // endpoint of that name that already exists) must never delete an endpoint this
  // run did not create.
  const firstRemember = new sfn.Pass(scope, 'Endpoint created', {
    result: sfn.Result.fromObject({ kind: 'created' }),
    resultPath: endpointChange,
  });
  const failureCause = { path: `${RETRAIN_PATHS.failure}.cause` };
  const firstFailed = markFailure(scope, 'First endpoint failed', PITSTOP_ERRORS.endpointUpdateFailed, failureCause);
  const firstFailedEnd = endRun(inputs, 'First deployment failed', OUTCOMES.failed, PITSTOP_ERRORS.endpointUpdateFailed, failureCause);
  firstFailed.next(firstFailedEnd);
  const firstRejected = markFailure(scope, 'First endpoint rejected', PITSTOP_ERRORS.endpointUpdateFailed, { path: `${caught}.Cause` }).next(firstFailedEnd);
  const firstConfig = createEndpointConfig(scope, 'Create first endpoint config', ctx, firstConfigName, [
    { variantName: VARIANT_PRODUCTION, modelNamePath: `${run}.modelName`, instanceType: model.training.inferenceInstanceType, instanceCount: 1, weight: 1 },
  ]);
  firstConfig.addCatch(firstRejected, { errors: ['States.ALL'], resultPath: caught });
  const createEndpoint = sageMakerApi(scope, 'Create endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.createEndpoint,
    parameters: { EndpointName: model.endpointName, 'EndpointConfigName.$': firstConfigName },
    resources: [sageMakerArn(scope, 'endpoint', model.endpointName), sageMakerArn(scope, 'endpoint-config', `${sageMakerNamePrefix(model.name)}-*`)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  createEndpoint.addCatch(firstRejected, { errors: ['States.ALL'], resultPath: caught });
  const firstLive = pollEndpoint(scope, { label: 'First endpoint', endpointName: model.endpointName, expectedConfigPath: firstConfigName }, firstFailed);
  const firstDeployed = new sfn.Pass(scope, 'First endpoint live', {
    parameters: { 'configName.$': firstConfigName, previousConfigName: '' },
    resultPath: deployed,
  });
  firstConfig.next(createEndpoint).next(firstRemember).next(firstLive.start);
  firstLive.done.next(firstDeployed);
  return { start: firstConfig, deployed: firstDeployed };
}

/** Builds the deployment; it continues (candidate serving, `$.end` Promoted) with the finish. */
export function buildDeploy(inputs: RetrainPhaseInputs): RetrainPhase {
  const { scope } = inputs;
  const canary = canaryDeployment(inputs);
  const first = firstDeployment(inputs);
  const promoted = new sfn.Pass(scope, 'Candidate promoted', {
    result: sfn.Result.fromObject({ outcome: OUTCOMES.promoted, error: '', cause: '' }),
    resultPath: RETRAIN_PATHS.end,
  });
  const noChange = new sfn.Pass(scope, 'Endpoint settled', { result: sfn.Result.fromObject({ kind: 'none' }), resultPath: endpointChange });
  promoted.next(noChange);
  canary.deployed.next(promoted);
  first.deployed.next(promoted);
  const firstRun = new sfn.Choice(scope, 'First deployment?')
    .when(sfn.Condition.booleanEquals(`${RETRAIN_PATHS.endpoint}.exists`, false), first.start)
    .otherwise(canary.start);
  return { start: firstRun, continueWith: (next) => noChange.next(next) };
}
