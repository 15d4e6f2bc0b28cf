/**
 * The Retrain's scoring: finds the production endpoint and its config (none on a first
 * run), prepares the holdout and scores it with the candidate and, when the endpoint
 * runs a production variant, with the production model, in parallel (batch
 * transform `.sync`).
 *
 * Batch transform sends every line of its input to the model, which takes features
 * only: the holdout is scored as a header-less, features-only copy, and its labels are
 * kept in the same row order for the evaluation.
 */
import { HOLDOUT_TRANSFORM_BUDGET } from '../timeouts';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { hasProductionVariant } from '../production-variant';
import { SAGEMAKER_TRANSIENT_ERRORS, withRetry } from '../errors';
import { SAGEMAKER_SDK_ACTIONS, sageMakerApi, sageMakerArn, sageMakerNamePrefix, sageMakerSyncJob } from '../sagemaker-api';
import { invokeLambda } from '../steps';
import { datasetPaths } from './dataset';
import { catchUnexpected, type RetrainPhase, type RetrainPhaseInputs } from './phase';
import { RETRAIN_PATHS } from './paths';

const { run, endpoint, productionConfig, holdout } = RETRAIN_PATHS;

/** The production endpoint's config as `$.endpoint` and `$.productionConfig`, or `$.endpoint.exists` false. */
function findProduction(inputs: RetrainPhaseInputs): RetrainPhase {
  const { scope, ctx } = inputs;
  const { endpointName } = ctx.model;
  const noEndpoint = new sfn.Pass(scope, 'No production endpoint', {
    result: sfn.Result.fromObject({ exists: false, configName: '' }),
    resultPath: endpoint,
  });
  const findEndpoint = sageMakerApi(scope, 'Find production endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.describeEndpoint,
    parameters: { EndpointName: endpointName },
    resources: [sageMakerArn(scope, 'endpoint', endpointName)],
    resultSelector: { exists: true, 'configName.$': '$.EndpointConfigName', 'status.$': '$.EndpointStatus' },
    resultPath: endpoint,
    retry: false,
  });
  withRetry(findEndpoint, { errors: SAGEMAKER_TRANSIENT_ERRORS });
  findEndpoint.addCatch(noEndpoint, {
    errors: ['SageMaker.ResourceNotFoundException', 'SageMaker.ValidationException'],
    resultPath: RETRAIN_PATHS.caught,
  });
  findEndpoint.addCatch(
    new sfn.Choice(scope, 'Endpoint missing?')
      .when(sfn.Condition.stringMatches(`${RETRAIN_PATHS.caught}.Cause`, '*Could not find endpoint*'), noEndpoint)
      .otherwise(inputs.unexpected),
    { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.caught },
  );
  const describeProductionConfig = catchUnexpected(
    inputs,
    sageMakerApi(scope, 'Describe production config', {
      action: SAGEMAKER_SDK_ACTIONS.describeEndpointConfig,
      parameters: { 'EndpointConfigName.$': `${endpoint}.configName` },
      resources: [sageMakerArn(scope, 'endpoint-config', '*')], // the current config may predate pitstop: any name
      // pitstop's configs list the production variant first (checked before scoring)
      resultSelector: { 'variants.$': '$.ProductionVariants' },
      resultPath: productionConfig,
    }),
  );
  findEndpoint.next(describeProductionConfig);
  return {
    start: findEndpoint,
    continueWith: (next) => {
      describeProductionConfig.next(next);
      noEndpoint.next(next);
    },
  };
}

/** Builds a batch transform Task of the holdout at `inputPath` (default: the gate's prepared holdout). */
export type TransformFactory = (id: string, jobNamePath: string, modelNamePath: string, outputPath: string, inputPath?: string) => sfn.State & sfn.INextable;

/**
 * The factory of the Retrain's batch transform Tasks (`.sync`): each scores a
 * features-only holdout with one model. Every job needs the same statements, added to
 * the policy once.
 */
export function transformFactory(inputs: RetrainPhaseInputs): TransformFactory {
  const { scope, ctx, policy } = inputs;
  let transformGranted = false;
  return (id, jobNamePath, modelNamePath, outputPath, inputPath = `${holdout}.transformInputUri`) => {
    const { state, policy: transformPolicy } = sageMakerSyncJob(scope, id, {
      kind: 'transform',
      jobNamePattern: `${sageMakerNamePrefix(ctx.model.name)}-*`,
      timeout: HOLDOUT_TRANSFORM_BUDGET,
      parameters: {
        'TransformJobName.$': jobNamePath,
        'ModelName.$': modelNamePath,
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': inputPath } },
          ContentType: 'text/csv',
          SplitType: 'Line',
        },
        // Accept: the scikit-learn container's default is JSON; pitstop reads one CSV line per record.
        TransformOutput: { 'S3OutputPath.$': outputPath, AssembleWith: 'Line', Accept: 'text/csv' },
        TransformResources: { InstanceCount: 1, InstanceType: ctx.model.training.inferenceInstanceType },
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    // Both jobs need the same statements: grant them once.
    if (!transformGranted) policy.push(...transformPolicy);
    transformGranted = true;
    return state;
  };
}

/** The Parallel that scores the holdout: `$.transforms` `{ candidateUri, productionUri }` (`''` without production). */
function scoreHoldout(inputs: RetrainPhaseInputs, transform: TransformFactory): sfn.Parallel {
  const { scope } = inputs;
  const candidateTransform = transform('Score holdout with candidate', `${run}.candidateTransformJobName`, `${run}.modelName`, `${run}.candidatePredictionsUri`);
  const candidateDone = new sfn.Pass(scope, 'Candidate predictions', { parameters: { 'uri.$': `${run}.candidatePredictionsUri` } });
  candidateTransform.next(candidateDone);
  const productionTransform = transform(
    'Score holdout with production',
    `${run}.productionTransformJobName`,
    `${productionConfig}.variants[0].ModelName`,
    `${run}.productionPredictionsUri`,
  );
  const productionDone = new sfn.Pass(scope, 'Production predictions', { parameters: { 'uri.$': `${run}.productionPredictionsUri` } });
  productionTransform.next(productionDone);
  const noProduction = new sfn.Pass(scope, 'No production to score', { result: sfn.Result.fromObject({ uri: '' }) });
  const score = new sfn.Parallel(scope, 'Score holdout', {
    resultSelector: { 'candidateUri.$': '$[0].uri', 'productionUri.$': '$[1].uri' },
    resultPath: RETRAIN_PATHS.transforms,
  });
  score.branch(candidateTransform);
  score.branch(
    new sfn.Choice(scope, 'Production model to score?')
      .when(
        sfn.Condition.and(
          sfn.Condition.booleanEquals(`${endpoint}.exists`, true),
          hasProductionVariant(`${productionConfig}.variants`),
        ),
        productionTransform,
      )
      .otherwise(noProduction),
  );
  return catchUnexpected(inputs, score);
}

/**
 * Builds the scoring phase; it continues (`$.transforms` written) with the promotion
 * gate, or first, with a dataset, with the fixed holdout's judgment (./fixed-holdout.ts),
 * which scores with the same `transform` factory.
 */
export function buildScore(inputs: RetrainPhaseInputs, transform: TransformFactory = transformFactory(inputs)): RetrainPhase {
  const { scope, ctx } = inputs;
  const { model, functions } = ctx;
  const production = findProduction(inputs);
  const prepareHoldout = catchUnexpected(
    inputs,
    invokeLambda(
      scope,
      'Prepare holdout',
      functions.prepareHoldout,
      {
        model: model.name,
        'runId.$': `${run}.runId`,
        ...datasetPaths(ctx).holdout('holdoutUri'),
        label: model.label,
        problemType: model.problemType,
        features: (model.features ?? []).map((f) => f.name),
        'transformInputUri.$': `${run}.transformInputUri`,
        'labelsUri.$': `${run}.holdoutLabelsUri`,
      },
      holdout,
    ),
  );
  const score = scoreHoldout(inputs, transform);
  production.continueWith(prepareHoldout);
  prepareHoldout.next(score);
  return { start: production.start, continueWith: (next) => score.next(next) };
}
