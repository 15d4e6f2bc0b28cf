/**
 * The Retrain's training: validates the training data (with `data.dataset`, the set the
 * dataset phase assembled, ./dataset.ts; critical ends the run with
 * `DataQualityFailed`), for SageMaker's containers writes the label-first training
 * channel they read (model-containers.ts), trains the candidate with a SageMaker training job, or a
 * hyperparameter tuning job and its best training job (`.sync`; `TrainingFailed`),
 * creates the candidate's SageMaker model and profiles the training data as its
 * baseline.
 *
 * Managed spot: SageMaker waits up to `maxWaitSeconds` for capacity and resumes an
 * interrupted job from the checkpoints it synced to S3.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ARTIFACT_PREFIXES, OUTCOMES } from '../../vocabulary/pipeline-names';
import { PITSTOP_ERRORS, SAGEMAKER_INTEGRATION_ERROR, SAGEMAKER_TRANSIENT_ERRORS } from '../errors';
import {
  SAGEMAKER_SDK_ACTIONS,
  TUNING_JOB_PATTERN,
  passRoleToSageMaker,
  sageMakerApi,
  sageMakerArn,
  sageMakerNamePrefix,
  sageMakerSyncJob,
} from '../sagemaker-api';
import { TRAINING_CHANNEL, jsonHyperparameter, modelContainers, type ModelContainers } from '../model-containers';
import { invokeLambda } from '../steps';
import { CHANNEL_CONTENT_TYPES } from '../../vocabulary/dataset-contracts';
import { datasetPaths } from './dataset';
import { catchUnexpected, endRun, type RetrainPhaseInputs, type RetrainPhase } from './phase';
import { RETRAIN_PATHS } from './paths';

const { run, training: trainingPath } = RETRAIN_PATHS;

/**
 * Errors of a training or tuning job that end the run with `TrainingFailed`. In a
 * Task's Catch, `States.TaskFailed` matches every error but `States.Timeout` (Step
 * Functions developer guide, "Error names"), so this list catches everything a job
 * can raise: the job states take no `States.ALL` Catch after it (it could never match).
 */
const TRAINING_ERRORS = ['States.TaskFailed', 'States.Timeout', SAGEMAKER_INTEGRATION_ERROR, ...SAGEMAKER_TRANSIENT_ERRORS];

/** The parts of CreateTrainingJob a training job and a tuning job's training job definition share. */
function trainingJobDefinition(inputs: RetrainPhaseInputs, containers: ModelContainers) {
  const { model, bucket, artifactsPrefix, sageMakerRole } = inputs.ctx;
  const training = model.training;
  const spot = training.managedSpot
    ? { EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: training.maxRuntimeSeconds, MaxWaitTimeInSeconds: training.maxWaitSeconds } }
    : { StoppingCondition: { MaxRuntimeInSeconds: training.maxRuntimeSeconds } };
  return {
    AlgorithmSpecification: {
      TrainingImage: containers.trainingImage,
      TrainingInputMode: 'File',
      ...(training.metricDefinitions.length ? { MetricDefinitions: training.metricDefinitions.map((d) => ({ Name: d.name, Regex: d.regex })) } : {}),
    },
    RoleArn: sageMakerRole.roleArn,
    InputDataConfig: [
      containers.channel === TRAINING_CHANNEL.labelFirst
        ? {
            ChannelName: 'train',
            ContentType: 'text/csv',
            DataSource: {
              S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': `${RETRAIN_PATHS.trainingChannel}.transformInputUri`, S3DataDistributionType: 'FullyReplicated' },
            },
          }
        : {
            ChannelName: 'train',
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', ...datasetPaths(inputs.ctx).training('S3Uri'), S3DataDistributionType: 'FullyReplicated' } },
            ...(model.data.dataset ? { ContentType: CHANNEL_CONTENT_TYPES[model.data.dataset.output.format] } : {}),
          },
    ],
    OutputDataConfig: { S3OutputPath: `s3://${bucket.bucketName}/${artifactsPrefix}${ARTIFACT_PREFIXES.models}${model.name}/` },
    ResourceConfig: { InstanceType: training.instanceType, InstanceCount: training.instanceCount, VolumeSizeInGB: training.volumeSizeGb },
    ...spot,
  };
}

/** The training or tuning states: enter at `start`, `end` has written `$.training`. */
interface TrainingStates {
  readonly start: sfn.State;
  readonly end: sfn.INextable & sfn.IChainable;
}

/** A tuning job, then DescribeTrainingJob of its best training job. */
function tune(inputs: RetrainPhaseInputs, containers: ModelContainers, trainingFailed: sfn.IChainable): TrainingStates {
  const { scope, ctx, budget, policy } = inputs;
  const training = ctx.model.training;
  const tuning = training.tuning!;
  const { state: tuningJob, policy: tuningPolicy } = sageMakerSyncJob(scope, 'Tune candidate', {
    kind: 'tuning',
    role: ctx.sageMakerRole,
    jobNamePattern: TUNING_JOB_PATTERN,
    timeout: budget.training,
    parameters: {
      'HyperParameterTuningJobName.$': `${run}.tuningJobName`,
      HyperParameterTuningJobConfig: {
        Strategy: 'Bayesian',
        HyperParameterTuningJobObjective: { MetricName: tuning.objectiveMetric.name, Type: tuning.objectiveMetric.type },
        ResourceLimits: { MaxNumberOfTrainingJobs: tuning.maxJobs, MaxParallelTrainingJobs: tuning.maxParallelJobs },
        ParameterRanges: {
          ContinuousParameterRanges: tuning.ranges.continuous.map((r) => ({ Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling })),
          IntegerParameterRanges: tuning.ranges.integer.map((r) => ({ Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling })),
          // A framework's toolkit JSON-decodes all hyperparameters or none: its categorical values
          // are JSON text too, as the SageMaker SDK's CategoricalParameter.as_json_range sends them.
          CategoricalParameterRanges: tuning.ranges.categorical.map((r) => ({
            Name: r.name,
            Values: training.framework !== undefined ? r.values.map(jsonHyperparameter) : r.values,
          })),
        },
      },
      // The tuner checkpoints each training job under the given prefix itself.
      TrainingJobDefinition: {
        ...trainingJobDefinition(inputs, containers),
        StaticHyperParameters: containers.hyperparameters,
        ...(training.managedSpot ? { CheckpointConfig: { 'S3Uri.$': `${run}.checkpointUri` } } : {}),
      },
    },
    resultSelector: { 'bestTrainingJob.$': '$.BestTrainingJob.TrainingJobName' },
    resultPath: RETRAIN_PATHS.tuning,
  });
  policy.push(...tuningPolicy);
  tuningJob.addCatch(trainingFailed, { errors: TRAINING_ERRORS, resultPath: RETRAIN_PATHS.caught });
  const best = catchUnexpected(
    inputs,
    sageMakerApi(scope, 'Describe best training job', {
      action: SAGEMAKER_SDK_ACTIONS.describeTrainingJob,
      parameters: { 'TrainingJobName.$': `${RETRAIN_PATHS.tuning}.bestTrainingJob` },
      resources: [sageMakerArn(scope, 'training-job', TUNING_JOB_PATTERN)], // the tuner names them pt-<id>-NNN-<hash>
      resultSelector: { 'jobName.$': '$.TrainingJobName', 'modelArtifacts.$': '$.ModelArtifacts.S3ModelArtifacts' },
      resultPath: trainingPath,
    }),
  );
  tuningJob.next(best);
  return { start: tuningJob, end: best };
}

/** One training job. */
function train(inputs: RetrainPhaseInputs, containers: ModelContainers, trainingFailed: sfn.IChainable): TrainingStates {
  const { scope, ctx, budget, policy } = inputs;
  const training = ctx.model.training;
  const { state: trainingJob, policy: trainingPolicy } = sageMakerSyncJob(scope, 'Train candidate', {
    kind: 'training',
    role: ctx.sageMakerRole,
    jobNamePattern: `${sageMakerNamePrefix(ctx.model.name)}-*`,
    timeout: budget.training,
    parameters: {
      'TrainingJobName.$': `${run}.trainingJobName`,
      ...trainingJobDefinition(inputs, containers),
      HyperParameters: containers.hyperparameters,
      ...(training.managedSpot ? { CheckpointConfig: { 'S3Uri.$': `${run}.checkpointUri` } } : {}),
    },
    resultSelector: { 'jobName.$': '$.TrainingJobName', 'modelArtifacts.$': '$.ModelArtifacts.S3ModelArtifacts' },
    resultPath: trainingPath,
  });
  policy.push(...trainingPolicy);
  trainingJob.addCatch(trainingFailed, { errors: TRAINING_ERRORS, resultPath: RETRAIN_PATHS.caught });
  return { start: trainingJob, end: trainingJob };
}

/** Builds the training phase; it continues (baseline written) with the scoring. */
export function buildTrain(inputs: RetrainPhaseInputs): RetrainPhase {
  const { scope, ctx } = inputs;
  const { model, functions, sageMakerRole } = ctx;
  const modelName = model.name;

  const validate = catchUnexpected(
    inputs,
    invokeLambda(
      scope,
      'Validate training data',
      functions.validate,
      { model: modelName, 'runId.$': `${run}.runId`, target: 'training', ...datasetPaths(ctx).training('dataUri'), 'baselineUri.$': `${RETRAIN_PATHS.previous}.baselineUri` },
      RETRAIN_PATHS.validation,
    ),
  );
  const dataCritical = endRun(inputs, 'Training data critical', OUTCOMES.failed, PITSTOP_ERRORS.dataQualityFailed, {
    format: `States.Format('Training data failed critical checks: {}', States.JsonToString(${RETRAIN_PATHS.validation}.checks))`,
  });
  const trainingFailed = endRun(inputs, 'Training failed', OUTCOMES.failed, PITSTOP_ERRORS.trainingFailed, { path: `${RETRAIN_PATHS.caught}.Cause` });
  const containers = modelContainers(scope, model, sageMakerRole);
  const candidateTraining = model.training.tuning ? tune(inputs, containers, trainingFailed) : train(inputs, containers, trainingFailed);
  // SageMaker's containers read a header-less CSV with the label first: written from
  // data.training by the prepareHoldout function before training.
  const prepareTraining =
    containers.channel === TRAINING_CHANNEL.labelFirst
      ? catchUnexpected(
          inputs,
          invokeLambda(
            scope,
            'Prepare training channel',
            functions.prepareHoldout,
            {
              model: modelName,
              'runId.$': `${run}.runId`,
              ...datasetPaths(inputs.ctx).training('holdoutUri'),
              label: model.label,
              problemType: model.problemType,
              features: (model.features ?? []).map((f) => f.name),
              labelFirst: true,
              'transformInputUri.$': `${run}.trainChannelUri`,
              'labelsUri.$': `${run}.trainLabelsUri`,
            },
            RETRAIN_PATHS.trainingChannel,
          ),
        )
      : undefined;
  prepareTraining?.next(candidateTraining.start);
  const createModel = catchUnexpected(
    inputs,
    sageMakerApi(scope, 'Create candidate model', {
      action: SAGEMAKER_SDK_ACTIONS.createModel,
      parameters: {
        'ModelName.$': `${run}.modelName`,
        ExecutionRoleArn: sageMakerRole.roleArn,
        PrimaryContainer: {
          Image: containers.inferenceImage,
          Mode: 'SingleModel',
          'ModelDataUrl.$': `${trainingPath}.modelArtifacts`,
          ...(Object.keys(containers.environment).length ? { Environment: containers.environment } : {}),
        },
      },
      resources: [sageMakerArn(scope, 'model', `${sageMakerNamePrefix(modelName)}-*`)],
      additionalIamStatements: [passRoleToSageMaker(sageMakerRole)],
      resultSelector: { 'modelArn.$': '$.ModelArn' },
      resultPath: RETRAIN_PATHS.candidate,
    }),
  );
  const profile = catchUnexpected(
    inputs,
    invokeLambda(
      scope,
      'Profile baseline',
      functions.profile,
      { model: modelName, 'runId.$': `${run}.runId`, ...datasetPaths(ctx).training('trainingUri'), 'outputUri.$': `${run}.baselineUri` },
      RETRAIN_PATHS.baseline,
    ),
  );

  validate.next(
    new sfn.Choice(scope, 'Training data usable?')
      .when(sfn.Condition.stringEquals(`${RETRAIN_PATHS.validation}.status`, 'critical'), dataCritical)
      .otherwise(prepareTraining ?? candidateTraining.start),
  );
  candidateTraining.end.next(createModel);
  createModel.next(profile);
  return { start: validate, continueWith: (next) => profile.next(next) };
}
