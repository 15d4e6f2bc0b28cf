/**
 * The one place pitstop works around SageMaker calls CDK's sfn-tasks cannot express.
 *
 * CDK has tasks for CreateTrainingJob, CreateModel, CreateTransformJob,
 * CreateEndpoint and UpdateEndpoint, but they name their resources `*` when the name
 * is a JSONPath value (every pitstop name is), and its CreateEndpointConfig task
 * cannot set `DataCaptureConfig`. pitstop uses CDK's UpdateEndpoint task (which may
 * restore any earlier config), and otherwise:
 * - {@link sageMakerApi}: one SageMaker API action through the AWS SDK integration,
 *   with an IAM statement scoped to named resources (DescribeEndpoint, CreateModel,
 *   CreateEndpoint, CreateEndpointConfig, UpdateEndpointWeightsAndCapacities, the model
 *   registry, ...);
 * - {@link sageMakerSyncJob}: training, transform and tuning jobs with the optimized
 *   `.sync` integration, as a `CustomState` with the full request and its own policy.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { NAME_PREFIX } from '../vocabulary/pipeline-names';
import { SAGEMAKER_RETRY, withRetry } from './errors';

/** SageMaker actions called through {@link sageMakerApi}. */
export const SAGEMAKER_SDK_ACTIONS = {
  describeEndpoint: 'describeEndpoint',
  describeEndpointConfig: 'describeEndpointConfig',
  createEndpointConfig: 'createEndpointConfig',
  updateEndpointWeightsAndCapacities: 'updateEndpointWeightsAndCapacities',
  createModelPackage: 'createModelPackage',
  updateModelPackage: 'updateModelPackage',
  deleteEndpoint: 'deleteEndpoint',
  describeTrainingJob: 'describeTrainingJob',
  createModel: 'createModel',
  createEndpoint: 'createEndpoint',
} as const;

/** A SageMaker action of {@link SAGEMAKER_SDK_ACTIONS}. */
export type SageMakerSdkAction = (typeof SAGEMAKER_SDK_ACTIONS)[keyof typeof SAGEMAKER_SDK_ACTIONS];

/** Options of {@link sageMakerApi}. */
export interface SageMakerApiOptions {
  /** The action, camelCase. */
  readonly action: SageMakerSdkAction;
  /** Request parameters, PascalCase (JSONPath `.$` keys allowed). */
  readonly parameters: Record<string, unknown>;
  /**
   * SageMaker resource ARNs the action may touch; build them with {@link sageMakerArn}.
   */
  readonly resources: string[];
  /** Extra IAM statements (e.g. iam:PassRole, kms). @default none */
  readonly additionalIamStatements?: iam.PolicyStatement[];
  /** @default the whole API response */
  readonly resultSelector?: Record<string, unknown>;
  /** @default '$' (replace the state) */
  readonly resultPath?: string;
  /** Time the call may take. @default 2 minutes */
  readonly timeout?: Duration;
  /**
   * Retry throttling and transient errors.
   * @default true
   */
  readonly retry?: boolean;
  /** Console comment. @default none */
  readonly comment?: string;
}

/**
 * A Task calling one SageMaker API action through the AWS SDK integration, with an
 * IAM statement scoped to `resources`, a timeout and retries on throttling.
 *
 * Errors surface as `SageMaker.<ErrorName>` (e.g. `SageMaker.ResourceNotFoundException`).
 */
export function sageMakerApi(scope: Construct, id: string, options: SageMakerApiOptions): tasks.CallAwsService {
  const task = new tasks.CallAwsService(scope, id, {
    service: 'sagemaker',
    action: options.action,
    parameters: options.parameters,
    iamAction: `sagemaker:${options.action.charAt(0).toUpperCase()}${options.action.slice(1)}`,
    iamResources: options.resources,
    additionalIamStatements: options.additionalIamStatements,
    resultSelector: options.resultSelector,
    resultPath: options.resultPath,
    taskTimeout: sfn.Timeout.duration(options.timeout ?? Duration.minutes(2)),
    comment: options.comment,
  });
  if (options.retry ?? true) withRetry(task, SAGEMAKER_RETRY);
  return task;
}

/** SageMaker resource types pitstop names in policies. */
export type SageMakerResourceType =
  | 'endpoint'
  | 'endpoint-config'
  | 'model'
  | 'model-package'
  | 'model-package-group'
  | 'training-job'
  | 'transform-job'
  | 'hyper-parameter-tuning-job';

/**
 * The ARN of a SageMaker resource of this stack's account and region. SageMaker
 * lowercases names in ARNs, so the name is lowercased too.
 * @param name the resource name or a name pattern ending in `*`
 */
export function sageMakerArn(scope: Construct, type: SageMakerResourceType, name: string): string {
  return Stack.of(scope).formatArn({ service: 'sagemaker', resource: type, resourceName: name.toLowerCase() });
}

/**
 * Prefix of every SageMaker resource name pitstop gives a model's jobs, models and
 * endpoint configs: `pitstop-<model>`, so policies can name them `pitstop-<model>-*`.
 * Hyperparameter tuning job names (32 characters at most) cannot carry it: they are
 * `pt-<12 hex>` ({@link TUNING_JOB_PATTERN}).
 */
export function sageMakerNamePrefix(model: string): string {
  return `${NAME_PREFIX}-${model}`;
}

/** Name pattern of pitstop's tuning jobs and of the training jobs the tuner starts (`<tuning job>-NNN-<hash>`). */
export const TUNING_JOB_PATTERN = 'pt-*';

/** The `.sync` SageMaker jobs of {@link sageMakerSyncJob}. */
export const SAGEMAKER_JOB_KINDS = {
  training: {
    action: 'createTrainingJob',
    resourceType: 'training-job',
    iamActions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
    rule: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
  },
  transform: {
    action: 'createTransformJob',
    resourceType: 'transform-job',
    iamActions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'],
    rule: 'StepFunctionsGetEventsForSageMakerTransformJobsRule',
  },
  tuning: {
    action: 'createHyperParameterTuningJob',
    resourceType: 'hyper-parameter-tuning-job',
    iamActions: [
      'sagemaker:CreateHyperParameterTuningJob',
      'sagemaker:DescribeHyperParameterTuningJob',
      'sagemaker:StopHyperParameterTuningJob',
      'sagemaker:ListTrainingJobsForHyperParameterTuningJob',
    ],
    rule: 'StepFunctionsGetEventsForSageMakerTuningJobsRule',
  },
} as const;

/** One of {@link SAGEMAKER_JOB_KINDS}. */
export type SageMakerJobKind = keyof typeof SAGEMAKER_JOB_KINDS;

/** Options of {@link sageMakerSyncJob}. */
export interface SageMakerSyncJobOptions {
  /** Which job. */
  readonly kind: SageMakerJobKind;
  /** The full `Create...Job` request (PascalCase, `.$` keys allowed). */
  readonly parameters: Record<string, unknown>;
  /**
   * Name pattern the job names match (e.g. `pitstop-churn-*`), to scope the policy.
   */
  readonly jobNamePattern: string;
  /**
   * Role the job runs as (training and tuning); the state machine may pass it to SageMaker only.
   * @default none (a transform job runs as its model's role)
   */
  readonly role?: iam.IRole;
  /** @default the whole Describe...Job response */
  readonly resultSelector?: Record<string, unknown>;
  /** @default '$' */
  readonly resultPath?: string;
  /** How long the job may run, waiting included. */
  readonly timeout: Duration;
}

/**
 * A SageMaker job run with the optimized `.sync` integration (the state waits until
 * the job ends and returns its Describe...Job response), written as a `CustomState`
 * with the full request.
 *
 * This is the one workaround for what CDK's SageMaker tasks cannot do: its
 * `SageMakerCreateTrainingJob` has no `EnableManagedSpotTraining`,
 * `StoppingCondition.MaxWaitTimeInSeconds` or `CheckpointConfig`, there is no tuning
 * task, and its training and transform tasks grant on `training-job/*`,
 * `transform-job/*` and `sagemaker:ListTags` on `*` (job names are JSONPath values),
 * and the transform task creates a role with `AmazonSageMakerFullAccess` that the
 * job never uses (CreateTransformJob takes no role).
 *
 * The returned statements are those Step Functions documents for `.sync` SageMaker
 * jobs (create, describe and stop the job, add and list its tags, the managed
 * EventBridge rule `StepFunctionsGetEvents...` it uses to learn of completion, and
 * `iam:PassRole` on the job's role to SageMaker only), scoped to `jobNamePattern`.
 *
 * @returns the state and the statements to add to the state machine role
 */
export function sageMakerSyncJob(scope: Construct, id: string, options: SageMakerSyncJobOptions): { state: sfn.CustomState; policy: iam.PolicyStatement[] } {
  const kind = SAGEMAKER_JOB_KINDS[options.kind];
  const stack = Stack.of(scope);
  const state = new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${stack.partition}:states:::sagemaker:${kind.action}.sync`,
      Parameters: options.parameters,
      ...(options.resultSelector ? { ResultSelector: options.resultSelector } : {}),
      // JsonPath.DISCARD renders as null in CDK's own tasks
      ResultPath: options.resultPath === sfn.JsonPath.DISCARD ? null : (options.resultPath ?? '$'),
      TimeoutSeconds: options.timeout.toSeconds(),
    },
  });
  withRetry(state, SAGEMAKER_RETRY);
  const jobs = sageMakerArn(scope, kind.resourceType, options.jobNamePattern);
  const policy = [
    new iam.PolicyStatement({ actions: [...kind.iamActions, 'sagemaker:AddTags', 'sagemaker:ListTags'], resources: [jobs] }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      // The rule Step Functions manages for `.sync` jobs of this kind has this fixed name.
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: kind.rule })],
    }),
  ];
  if (options.role) policy.push(passRoleToSageMaker(options.role));
  return { state, policy };
}

/** `iam:PassRole` on `role`, to SageMaker only. */
export function passRoleToSageMaker(role: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [role.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  });
}
