/**
 * The one place pitstop works around SageMaker calls CDK's sfn-tasks cannot express.
 *
 * CDK has tasks for CreateTrainingJob, CreateModel, CreateTransformJob,
 * CreateEndpoint and UpdateEndpoint, and pitstop uses them. It has none for
 * DescribeEndpoint, DescribeEndpointConfig, UpdateEndpointWeightsAndCapacities,
 * CreateModelPackage, UpdateModelPackage, DeleteEndpoint or DescribeTrainingJob, and its
 * CreateEndpointConfig task cannot set `DataCaptureConfig`. Those go through
 * {@link sageMakerApi} (an AWS SDK integration with a scoped IAM statement). The
 * hyperparameter tuning job has no CDK task and no SDK `.sync`: {@link sageMakerTuningJob}
 * writes the optimized `.sync` integration as a `CustomState` with its own policy.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
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

/** Options of {@link sageMakerTuningJob}. */
export interface SageMakerTuningJobOptions {
  /** The `CreateHyperParameterTuningJob` request (PascalCase, `.$` keys allowed). */
  readonly parameters: Record<string, unknown>;
  /** Role the training jobs of the tuner run as; the state machine may pass it. */
  readonly role: iam.IRole;
  /** Name pattern the tuning job names match (e.g. `pt-*`), to scope the policy. */
  readonly jobNamePattern: string;
  /** @default the whole DescribeHyperParameterTuningJob response */
  readonly resultSelector?: Record<string, unknown>;
  /** @default '$' */
  readonly resultPath?: string;
  /** How long the tuning may run. */
  readonly timeout: Duration;
}

/**
 * A `.sync` hyperparameter tuning job (the optimized integration, which waits for the
 * job like CDK's training task does). CDK has no task for it, so this writes the
 * state by hand and grants the state machine role what Step Functions documents for
 * it: create/describe/stop the job, tags, the managed EventBridge rule it uses to
 * learn of completion, and passing the training role.
 *
 * @returns the state and the statements to add to the state machine role
 */
export function sageMakerTuningJob(
  scope: Construct,
  id: string,
  options: SageMakerTuningJobOptions,
): { state: sfn.CustomState; policy: iam.PolicyStatement[] } {
  const state = new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Stack.of(scope).partition}:states:::sagemaker:createHyperParameterTuningJob.sync`,
      Parameters: options.parameters,
      ...(options.resultSelector ? { ResultSelector: options.resultSelector } : {}),
      ResultPath: options.resultPath ?? '$',
      TimeoutSeconds: options.timeout.toSeconds(),
    },
  });
  withRetry(state, SAGEMAKER_RETRY);
  const stack = Stack.of(scope);
  const policy = [
    new iam.PolicyStatement({
      actions: [
        'sagemaker:CreateHyperParameterTuningJob',
        'sagemaker:DescribeHyperParameterTuningJob',
        'sagemaker:StopHyperParameterTuningJob',
        'sagemaker:ListTags',
        'sagemaker:AddTags',
      ],
      resources: [sageMakerArn(scope, 'hyper-parameter-tuning-job', options.jobNamePattern)],
    }),
    new iam.PolicyStatement({
      actions: ['sagemaker:ListTrainingJobsForHyperParameterTuningJob'],
      resources: [sageMakerArn(scope, 'hyper-parameter-tuning-job', options.jobNamePattern)],
    }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      // The rule Step Functions manages for `.sync` tuning jobs has this fixed name.
      resources: [
        stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForSageMakerTuningJobsRule' }),
      ],
    }),
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [options.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  ];
  return { state, policy };
}
