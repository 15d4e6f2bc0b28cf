/**
 * The Retrain's promotion decision: evaluates the candidate against production (the
 * `evaluate` Lambda applies the gate), registers it in the model package group
 * `pitstop-<model>` (Rejected when it failed the gate: the run ends `GateRejected`),
 * and, with manual approval, asks for approval by SNS with a task token and waits
 * (`ApprovalRejected`, `ApprovalTimedOut`), marking the package approved or rejected.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { OUTCOMES } from '../../vocabulary/pipeline-names';
import { PITSTOP_ERRORS, SERVICE_RETRY, withRetry } from '../errors';
import { SAGEMAKER_SDK_ACTIONS, sageMakerApi, sageMakerArn } from '../sagemaker-api';
import { modelContainers } from '../model-containers';
import { invokeLambda } from '../steps';
import { catchUnexpected, endRun, type RetrainPhase, type RetrainPhaseInputs } from './phase';
import { RETRAIN_PATHS } from './paths';
import { datasetRunKey } from './dataset';
import { DATASET_MANIFEST_FILE } from '../../vocabulary/dataset-contracts';

const { run, request, evaluation, package: packagePath } = RETRAIN_PATHS;

/** The model package group of a model's candidates. */
const packageGroupName = (modelName: string) => `${'pitstop'}-${modelName}`;

/** CreateModelPackage of the candidate with the given approval status: `$.package` `{ arn }`. */
function registerCandidate(inputs: RetrainPhaseInputs, id: string, status: string): ReturnType<typeof sageMakerApi> {
  const { scope, ctx } = inputs;
  const { model } = ctx;
  const packageGroup = packageGroupName(model.name);
  const containers = modelContainers(scope, model, ctx.sageMakerRole);
  return sageMakerApi(scope, id, {
    action: SAGEMAKER_SDK_ACTIONS.createModelPackage,
    parameters: {
      ModelPackageGroupName: packageGroup,
      'ModelPackageDescription.$': `States.Format('Candidate of retrain run {} ({})', ${run}.runId, ${request}.reason)`,
      ModelApprovalStatus: status,
      InferenceSpecification: {
        Containers: [
          {
            Image: containers.inferenceImage,
            'ModelDataUrl.$': `${RETRAIN_PATHS.training}.modelArtifacts`,
            ...(Object.keys(containers.environment).length ? { Environment: containers.environment } : {}),
          },
        ],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
        SupportedRealtimeInferenceInstanceTypes: [model.training.inferenceInstanceType],
        SupportedTransformInstanceTypes: [model.training.inferenceInstanceType],
      },
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', 'S3Uri.$': `${evaluation}.metricsUri` } } },
      // Values are 1..256 characters of [\p{L}\p{Z}\p{N}_.:/=+\-@]: the manifest's key (relative to the
      // artifacts location, whose prefix may be long or hold other characters) and hash trace the model
      // to the exact data it saw.
      CustomerMetadataProperties: {
        'runId.$': `${run}.runId`,
        'trainingJob.$': `${RETRAIN_PATHS.training}.jobName`,
        'trigger.$': `${request}.trigger`,
        ...(inputs.ctx.model.data.dataset
          ? {
              'datasetManifestKey.$': `States.Format('${datasetRunKey(model.name)}${DATASET_MANIFEST_FILE}', ${run}.runId)`,
              'datasetHash.$': `${RETRAIN_PATHS.dataset}.contentHash`,
            }
          : {}),
      },
    },
    resources: [sageMakerArn(scope, 'model-package', `${packageGroup}/*`), sageMakerArn(scope, 'model-package-group', packageGroup)],
    resultSelector: { 'arn.$': '$.ModelPackageArn' },
    resultPath: packagePath,
  });
}

/** UpdateModelPackage of the registered candidate to Approved or Rejected. */
function updatePackage(inputs: RetrainPhaseInputs, id: string, status: 'Approved' | 'Rejected'): ReturnType<typeof sageMakerApi> {
  const { scope, ctx } = inputs;
  return sageMakerApi(scope, id, {
    action: SAGEMAKER_SDK_ACTIONS.updateModelPackage,
    parameters: {
      'ModelPackageArn.$': `${packagePath}.arn`,
      ModelApprovalStatus: status,
      'ApprovalDescription.$':
        status === 'Approved' ? `States.Format('Approved in run {}', ${run}.runId)` : `States.Format('Rejected in run {}', ${run}.runId)`,
    },
    resources: [sageMakerArn(scope, 'model-package', `${packageGroupName(ctx.model.name)}/*`)],
    resultPath: sfn.JsonPath.DISCARD,
  });
}

/**
 * Manual approval: SNS with the task token, then the package marked approved (the way
 * on) or rejected. Enter at `ask`; `approved` continues the run.
 */
function askForApproval(inputs: RetrainPhaseInputs): { ask: sfn.State; approved: sfn.INextable } {
  const { scope, ctx } = inputs;
  const { model, topic } = ctx;
  const ask = new tasks.SnsPublish(scope, 'Ask for approval', {
    topic,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    subject: `pitstop ${model.name}: approve candidate?`,
    message: sfn.TaskInput.fromText(
      sfn.JsonPath.format(
        'Candidate {} of model ' +
          model.name +
          ' passed the gate and waits for approval. Model package: {}. Metrics: {}. To approve, call SendTaskSuccess with the output approved set to true (JSON); to reject, set approved to false or call SendTaskFailure with error ApprovalRejected. Task token: {}',
        sfn.JsonPath.stringAt(`${run}.runId`),
        sfn.JsonPath.stringAt(`${packagePath}.arn`),
        sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(`${evaluation}.candidate`)),
        sfn.JsonPath.taskToken,
      ),
    ),
    resultPath: RETRAIN_PATHS.approval,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(Math.max(1, Math.round(model.approval.timeoutHours * 60)))),
  });
  const approvalRejected = endRun(inputs, 'Approval rejected', OUTCOMES.rejected, PITSTOP_ERRORS.approvalRejected, {
    text: 'A person rejected the candidate',
  });
  const approvalTimedOut = endRun(inputs, 'Approval timed out', OUTCOMES.rejected, PITSTOP_ERRORS.approvalTimedOut, {
    text: `Nobody approved the candidate within ${model.approval.timeoutHours} hours`,
  });
  const rejectPackage = updatePackage(inputs, 'Mark package rejected', 'Rejected');
  rejectPackage.addCatch(approvalRejected, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.registerError });
  rejectPackage.next(approvalRejected);
  const expirePackage = updatePackage(inputs, 'Mark package expired', 'Rejected');
  expirePackage.addCatch(approvalTimedOut, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.registerError });
  expirePackage.next(approvalTimedOut);
  const approvePackage = catchUnexpected(inputs, updatePackage(inputs, 'Mark package approved', 'Approved'));
  withRetry(ask, SERVICE_RETRY);
  ask.addCatch(rejectPackage, { errors: [PITSTOP_ERRORS.approvalRejected], resultPath: RETRAIN_PATHS.caught });
  ask.addCatch(expirePackage, { errors: ['States.Timeout', 'States.HeartbeatTimeout'], resultPath: RETRAIN_PATHS.caught });
  catchUnexpected(inputs, ask);
  const approvedAnswer = `${RETRAIN_PATHS.approval}.approved`;
  ask.next(
    new sfn.Choice(scope, 'Approved?')
      .when(sfn.Condition.and(sfn.Condition.isPresent(approvedAnswer), sfn.Condition.booleanEquals(approvedAnswer, true)), approvePackage)
      .otherwise(rejectPackage),
  );
  return { ask, approved: approvePackage };
}

/** Builds the promotion decision; it continues (candidate registered, approved if asked) with the deployment. */
export function buildPromote(inputs: RetrainPhaseInputs): RetrainPhase {
  const { scope, ctx } = inputs;
  const { model, functions } = ctx;
  const evaluate = catchUnexpected(
    inputs,
    invokeLambda(
      scope,
      'Evaluate candidate',
      functions.evaluate,
      {
        model: model.name,
        'runId.$': `${run}.runId`,
        problemType: model.problemType,
        label: model.label,
        ...(model.classes !== undefined ? { classes: model.classes } : {}),
        'labelsUri.$': `${RETRAIN_PATHS.holdout}.labelsUri`,
        'candidatePredictionsUri.$': `${RETRAIN_PATHS.transforms}.candidateUri`,
        'productionPredictionsUri.$': `${RETRAIN_PATHS.transforms}.productionUri`,
        gate: model.gate,
        'metricsUri.$': `${run}.metricsUri`,
      },
      evaluation,
    ),
  );
  const gateRejected = endRun(inputs, 'Gate rejected candidate', OUTCOMES.rejected, PITSTOP_ERRORS.gateRejected, {
    format: `States.Format('Candidate failed the gate: {}', States.JsonToString(${evaluation}.rules))`,
  });
  const registerRejected = registerCandidate(inputs, 'Register rejected candidate', 'Rejected');
  registerRejected.addCatch(gateRejected, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.registerError });
  registerRejected.next(gateRejected);
  const manual = model.approval.mode === 'manual';
  const registered = catchUnexpected(inputs, registerCandidate(inputs, 'Register candidate', manual ? 'PendingManualApproval' : 'Approved'));
  evaluate.next(
    new sfn.Choice(scope, 'Gate passed?')
      .when(sfn.Condition.booleanEquals(`${evaluation}.passed`, true), registered)
      .otherwise(registerRejected),
  );
  if (!manual) return { start: evaluate, continueWith: (next) => registered.next(next) };
  return {
    start: evaluate,
    // The approval's states are made with the way on, once the later phases exist: a
    // definition lists states in the order their transitions were made.
    continueWith: (next) => {
      const approval = askForApproval(inputs);
      registered.next(approval.ask);
      approval.approved.next(next);
    },
  };
}
