/**
 * The Canary state machine: puts a candidate model next to production on the
 * endpoint at weight 0, smoke-tests it, shifts traffic to it stage by stage (judging
 * each stage by the variant's own CloudWatch metrics) and finally leaves it alone on
 * the endpoint. On any failure after the endpoint changed it restores the weights and
 * the previous endpoint config, notifies, and fails with the named error.
 *
 * Input: `{ runId: string, candidateModelName: string }` (`runId` names the new
 * endpoint configs `pitstop-<runId>-canary` and `pitstop-<runId>-final`).
 * Output: `{ outcome: 'Promoted', endpointConfigName, previousEndpointConfigName,
 * canaryConfigName, productionModelName, candidateModelName, smokeTest, stages }`.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { NAME_PREFIX, VARIANT_CANDIDATE, VARIANT_PRODUCTION } from '../vocabulary/pipeline-names';
import type { MachineContext } from './context';
import { CANARY_ERRORS, PITSTOP_ERRORS } from './errors';
import { SAGEMAKER_SDK_ACTIONS, sageMakerApi, sageMakerArn, sageMakerNamePrefix } from './sagemaker-api';
import { buildCanaryStage } from './canary-stage';
import { hasProductionVariant } from './production-variant';
import { FAILURE_PATH, invokeLambda, markFailure, notify, pollEndpoint, setWeights, updateEndpoint } from './steps';

/** Variant names on a canary endpoint. */
const VARIANTS = { production: VARIANT_PRODUCTION, candidate: VARIANT_CANDIDATE } as const;

/** One variant of {@link createEndpointConfig}. */
export interface EndpointConfigVariant {
  readonly variantName: string;
  /** JSONPath of the model name. */
  readonly modelNamePath: string;
  /** Instance type, or a JSONPath to it (starting with `$`). */
  readonly instanceType: string;
  /** Instance count, or a JSONPath to it. */
  readonly instanceCount: number | string;
  readonly weight: number;
}

/**
 * CreateEndpointConfig with data capture on (requests and responses, 100 %, to
 * `data.captureUri`). Through {@link sageMakerApi}: CDK's CreateEndpointConfig task has
 * no `DataCaptureConfig`.
 */
export function createEndpointConfig(
  scope: Construct,
  id: string,
  ctx: MachineContext,
  configNamePath: string,
  variants: EndpointConfigVariant[],
): sfn.TaskStateBase {
  return sageMakerApi(scope, id, {
    action: SAGEMAKER_SDK_ACTIONS.createEndpointConfig,
    parameters: {
      'EndpointConfigName.$': configNamePath,
      ProductionVariants: variants.map((v) => ({
        VariantName: v.variantName,
        'ModelName.$': v.modelNamePath,
        ...(v.instanceType.startsWith('$') ? { 'InstanceType.$': v.instanceType } : { InstanceType: v.instanceType }),
        ...(typeof v.instanceCount === 'string' ? { 'InitialInstanceCount.$': v.instanceCount } : { InitialInstanceCount: v.instanceCount }),
        InitialVariantWeight: v.weight,
      })),
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: ctx.model.data.captureUri,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
      },
    },
    resources: [sageMakerArn(scope, 'endpoint-config', `${sageMakerNamePrefix(ctx.model.name)}-*`)],
    resultPath: sfn.JsonPath.DISCARD,
  });
}

/** Builds the Canary definition in `scope`. */
export function buildCanary(scope: Construct, ctx: MachineContext): sfn.IChainable {
  const { model, functions, topic } = ctx;
  const endpointName = model.endpointName;

  // --- ends: notify, then fail with the named error --------------------------------
  // Every failure is recorded with one of CANARY_ERRORS; PipelineFailed, the catch-all
  // name, is the default rather than a rule of its own, so every edge can be taken.
  const route = new sfn.Choice(scope, 'Canary failed with?');
  for (const error of CANARY_ERRORS.filter((e) => e !== PITSTOP_ERRORS.pipelineFailed)) {
    route.when(
      sfn.Condition.stringEquals(`${FAILURE_PATH}.error`, error),
      new sfn.Fail(scope, error, { error, causePath: `${FAILURE_PATH}.cause` }),
    );
  }
  route.otherwise(new sfn.Fail(scope, PITSTOP_ERRORS.pipelineFailed, { error: PITSTOP_ERRORS.pipelineFailed, causePath: `${FAILURE_PATH}.cause` }));
  const notifyFailure = notify(
    scope,
    'Notify canary failure',
    {
      topic,
      subject: `States.Format('pitstop ${model.name}: canary ended with {}', ${FAILURE_PATH}.error)`,
      message: `${FAILURE_PATH}.cause`,
    },
    route,
  );

  const rollbackFailed = new sfn.Fail(scope, PITSTOP_ERRORS.rollbackFailed, {
    error: PITSTOP_ERRORS.rollbackFailed,
    causePath: '$.rollbackFailure.cause',
  });
  const notifyRollbackFailed = notify(
    scope,
    'Notify rollback failed',
    {
      topic,
      subject: `pitstop ${model.name}: ROLLBACK FAILED, endpoint needs attention`,
      message: `States.Format('Rolling back after {} failed: {}', ${FAILURE_PATH}.error, $.rollbackFailure.cause)`,
    },
    rollbackFailed,
  );
  const markRollbackFailed = markFailure(
    scope,
    'Rollback step failed',
    PITSTOP_ERRORS.rollbackFailed,
    { path: '$.caught.Cause' },
    '$.rollbackFailure',
  ).next(notifyRollbackFailed);

  // --- rollback: settle, weights back, previous config, poll, notify, fail ---------
  const settle = pollEndpoint(
    scope,
    { label: 'Rollback settle', endpointName, failurePath: '$.rollbackFailure', settleOnly: true },
    notifyRollbackFailed,
  );
  const restoreWeights = setWeights(scope, 'Restore production weights', endpointName, { production: 100, candidate: 0 }, VARIANTS);
  restoreWeights.addCatch(markRollbackFailed, { errors: ['States.ALL'], resultPath: '$.caught' });
  const weightsBack = pollEndpoint(
    scope,
    { label: 'Rollback weights', endpointName, expectedConfigPath: '$.names.canary', failurePath: '$.rollbackFailure' },
    notifyRollbackFailed,
  );
  const restoreConfig = updateEndpoint(scope, 'Restore previous config', endpointName, '$.before.configName');
  restoreConfig.addCatch(markRollbackFailed, { errors: ['States.ALL'], resultPath: '$.caught' });
  const configBack = pollEndpoint(
    scope,
    { label: 'Rollback config', endpointName, expectedConfigPath: '$.before.configName', failurePath: '$.rollbackFailure' },
    notifyRollbackFailed,
  );
  const configNow = `$.poll.endpoint.EndpointConfigName`;
  // A settled endpoint is InService or UpdateRollbackFailed (a Failed one went to the
  // rollback failure). UpdateRollbackFailed serves a mix of configs whatever name it
  // reports; an UpdateEndpoint to the previous config is SageMaker's remedy.
  settle.done.next(
    new sfn.Choice(scope, 'Endpoint runs which config?')
      .when(sfn.Condition.stringEquals('$.poll.endpoint.EndpointStatus', 'UpdateRollbackFailed'), restoreConfig)
      .when(sfn.Condition.stringEqualsJsonPath(configNow, '$.before.configName'), notifyFailure)
      .when(sfn.Condition.stringEqualsJsonPath(configNow, '$.names.canary'), restoreWeights)
      .otherwise(restoreConfig),
  );
  restoreWeights.next(weightsBack.start);
  weightsBack.done.next(restoreConfig);
  restoreConfig.next(configBack.start);
  configBack.done.next(notifyFailure);
  const rollback = settle.start;

  const failedAfterChange = (id: string, error: string) =>
    markFailure(scope, id, error, { path: '$.caught.Cause' }).next(rollback);
  const pipelineFailedAfterChange = failedAfterChange('Error after endpoint change', PITSTOP_ERRORS.pipelineFailed);
  const updateFailedAfterChange = failedAfterChange('Endpoint update rejected', PITSTOP_ERRORS.endpointUpdateFailed);
  const pipelineFailedBeforeChange = markFailure(scope, 'Error before endpoint change', PITSTOP_ERRORS.pipelineFailed, {
    path: '$.caught.Cause',
  }).next(notifyFailure);
  // A Lambda (smoke test, stage check) never raises a SageMaker error: States.ALL only.
  const catchAllAfterChange = <T extends sfn.TaskStateBase>(task: T): T => {
    task.addCatch(pipelineFailedAfterChange, { errors: ['States.ALL'], resultPath: '$.caught' });
    return task;
  };
  const catchAfterChange = <T extends sfn.TaskStateBase>(task: T): T => {
    task.addCatch(updateFailedAfterChange, {
      errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ValidationException', 'SageMaker.ResourceLimitExceededException'],
      resultPath: '$.caught',
    });
    task.addCatch(pipelineFailedAfterChange, { errors: ['States.ALL'], resultPath: '$.caught' });
    return task;
  };

  // --- forward path -----------------------------------------------------------------
  const nameConfigs = new sfn.Pass(scope, 'Name endpoint configs', {
    parameters: {
      'canary.$': `States.Format('${NAME_PREFIX}-{}-canary', $.runId)`,
      'final.$': `States.Format('${NAME_PREFIX}-{}-final', $.runId)`,
    },
    resultPath: '$.names',
  });
  const describeCurrent = sageMakerApi(scope, 'Describe current endpoint', {
    action: SAGEMAKER_SDK_ACTIONS.describeEndpoint,
    parameters: { EndpointName: endpointName },
    resources: [sageMakerArn(scope, 'endpoint', endpointName)],
    resultSelector: { 'configName.$': '$.EndpointConfigName', 'status.$': '$.EndpointStatus' },
    resultPath: '$.before',
  });
  describeCurrent.addCatch(pipelineFailedBeforeChange, { errors: ['States.ALL'], resultPath: '$.caught' });
  const describeConfig = sageMakerApi(scope, 'Describe current config', {
    action: SAGEMAKER_SDK_ACTIONS.describeEndpointConfig,
    parameters: { 'EndpointConfigName.$': '$.before.configName' },
    resources: [sageMakerArn(scope, 'endpoint-config', '*')], // the current config may predate pitstop: any name
    // pitstop's configs list the production variant first; an adopted endpoint has one variant
    // of any name (statemachines/production-variant.ts); any other config is refused below
    resultSelector: { 'production.$': '$.ProductionVariants' },
    resultPath: '$.current',
  });
  describeConfig.addCatch(pipelineFailedBeforeChange, { errors: ['States.ALL'], resultPath: '$.caught' });
  const noProduction = markFailure(scope, 'No production variant', PITSTOP_ERRORS.endpointUpdateFailed, {
    format: `States.Format('Endpoint config {} has several variants and none named ${VARIANTS.production}: which serves production cannot be told', $.before.configName)`,
  }).next(notifyFailure);
  const prod = '$.current.production[0]';
  const createCanaryConfig = createEndpointConfig(scope, 'Create canary config', ctx, '$.names.canary', [
    { variantName: VARIANTS.production, modelNamePath: `${prod}.ModelName`, instanceType: `${prod}.InstanceType`, instanceCount: `${prod}.InitialInstanceCount`, weight: 1 },
    { variantName: VARIANTS.candidate, modelNamePath: '$.candidateModelName', instanceType: model.training.inferenceInstanceType, instanceCount: `${prod}.InitialInstanceCount`, weight: 0 },
  ]);
  createCanaryConfig.addCatch(pipelineFailedBeforeChange, { errors: ['States.ALL'], resultPath: '$.caught' });
  const deployCanary = catchAfterChange(updateEndpoint(scope, 'Deploy canary config', endpointName, '$.names.canary'));
  const canaryLive = pollEndpoint(scope, { label: 'Canary config', endpointName, expectedConfigPath: '$.names.canary' }, rollback);

  const smokeTest = catchAllAfterChange(
    invokeLambda(
      scope,
      'Smoke test candidate',
      functions.smokeTest,
      {
        model: model.name,
        'runId.$': '$.runId',
        endpointName,
        targetVariant: VARIANTS.candidate,
        holdoutUri: model.data.holdout,
        label: model.label,
        features: (model.features ?? []).map((f) => f.name),
        requests: model.canary.smokeTest.requests,
        p99Ms: model.canary.smokeTest.p99Ms,
      },
      '$.smoke',
    ),
  );
  const smokeFailed = markFailure(scope, 'Smoke test failed', PITSTOP_ERRORS.smokeTestFailed, {
    format: "States.Format('Smoke test of the candidate failed: {}', $.smoke.reason)",
  }).next(rollback);

  // Stages, unrolled so each reads on its own in the console.
  const stageResults = new sfn.Pass(scope, 'Start stages', { result: sfn.Result.fromObject({}), resultPath: '$.stages' });
  let tail: sfn.INextable = stageResults;
  model.canary.stages.forEach((stage, index) => {
    const built = buildCanaryStage({ scope, ctx, stage, index, variants: VARIANTS, rollback, catchAfterChange, catchAllAfterChange });
    tail.next(built.start);
    tail = built.passed;
  });

  const createFinal = catchAfterChange(
    createEndpointConfig(scope, 'Create final config', ctx, '$.names.final', [
      { variantName: VARIANTS.production, modelNamePath: '$.candidateModelName', instanceType: model.training.inferenceInstanceType, instanceCount: `${prod}.InitialInstanceCount`, weight: 1 },
    ]),
  );
  const deployFinal = catchAfterChange(updateEndpoint(scope, 'Deploy final config', endpointName, '$.names.final'));
  const finalLive = pollEndpoint(scope, { label: 'Final config', endpointName, expectedConfigPath: '$.names.final' }, rollback);
  const promoted = new sfn.Pass(scope, 'Canary promoted', {
    parameters: {
      outcome: 'Promoted',
      'endpointConfigName.$': '$.names.final',
      'previousEndpointConfigName.$': '$.before.configName',
      'canaryConfigName.$': '$.names.canary',
      'productionModelName.$': `${prod}.ModelName`,
      'candidateModelName.$': '$.candidateModelName',
      'smokeTest.$': '$.smoke',
      'stages.$': '$.stages',
    },
  });

  tail.next(createFinal).next(deployFinal).next(finalLive.start);
  finalLive.done.next(promoted).next(new sfn.Succeed(scope, 'Promoted'));

  const start = nameConfigs;
  nameConfigs
    .next(describeCurrent)
    .next(describeConfig)
    .next(
      new sfn.Choice(scope, 'Has production variant?')
        .when(hasProductionVariant('$.current.production'), createCanaryConfig)
        .otherwise(noProduction),
    );
  createCanaryConfig.next(deployCanary).next(canaryLive.start);
  canaryLive.done
    .next(smokeTest)
    .next(
      new sfn.Choice(scope, 'Smoke test passed?')
        .when(sfn.Condition.booleanEquals('$.smoke.passed', true), stageResults)
        .otherwise(smokeFailed),
    );
  return start;
}
