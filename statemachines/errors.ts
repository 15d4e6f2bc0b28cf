/**
 * The errors the state machines end with and route on, and the retry policies of
 * their tasks.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/**
 * Named errors a pitstop execution fails with. Each is the `Error` of a `Fail` state,
 * so `aws stepfunctions describe-execution` and the console show it as is.
 */
export const PITSTOP_ERRORS = {
  /** Training (or captured) data failed a critical validation check. */
  dataQualityFailed: 'DataQualityFailed',
  /** The training or tuning job failed, stopped or timed out. */
  trainingFailed: 'TrainingFailed',
  /** The candidate failed the promotion gate. */
  gateRejected: 'GateRejected',
  /** Too few labeled production rows for the recent holdout (`data.dataset.holdout.minRows`): nothing was trained. */
  insufficientLabels: 'InsufficientLabels',
  /** The candidate variant failed the smoke test. */
  smokeTestFailed: 'SmokeTestFailed',
  /** The candidate variant breached a canary limit at some stage. */
  canaryBreached: 'CanaryBreached',
  /** A canary stage still had too few candidate requests after `canary.maxExtensions` extensions of its bake. */
  insufficientTraffic: 'InsufficientTraffic',
  /** The endpoint did not reach InService with the expected config (Failed, rolled back, or too slow). */
  endpointUpdateFailed: 'EndpointUpdateFailed',
  /** A person refused the candidate. */
  approvalRejected: 'ApprovalRejected',
  /** Nobody decided within `approval.timeoutHours`. */
  approvalTimedOut: 'ApprovalTimedOut',
  /** Restoring the previous endpoint config failed: the endpoint needs a person. */
  rollbackFailed: 'RollbackFailed',
  /** An on-demand rollback found the model's run lock held (unexpired) by another execution, and touched nothing. */
  lockHeld: 'LockHeld',
  /** Any other error (a Lambda bug, a permission, a malformed input) after retries. */
  pipelineFailed: 'PipelineFailed',
} as const;

/** One of the {@link PITSTOP_ERRORS} names. */
export type PitstopErrorName = (typeof PITSTOP_ERRORS)[keyof typeof PITSTOP_ERRORS];

/**
 * Errors the rollback path handles: the canary restores the endpoint for these and
 * fails with the same name.
 */
export const CANARY_ERRORS = [
  PITSTOP_ERRORS.smokeTestFailed,
  PITSTOP_ERRORS.canaryBreached,
  PITSTOP_ERRORS.insufficientTraffic,
  PITSTOP_ERRORS.endpointUpdateFailed,
  PITSTOP_ERRORS.pipelineFailed,
] as const;

/**
 * Throttling and transient errors of the SageMaker API through the AWS SDK
 * integration. Step Functions names an SDK integration error `ServiceName.ErrorName`
 * and always adds the `Exception` suffix, even where the service's own code lacks it
 * (Step Functions developer guide, "AWS SDK service integrations"). SageMaker's
 * transient errors are the common errors of every AWS API: `ThrottlingException`
 * (400), `InternalFailure` (500) and `ServiceUnavailable` (503).
 */
export const SAGEMAKER_TRANSIENT_ERRORS = [
  'SageMaker.ThrottlingException',
  'SageMaker.InternalFailureException',
  'SageMaker.ServiceUnavailableException',
] as const;

/** Errors the optimized SageMaker integrations (`arn:aws:states:::sagemaker:*`) raise for any API error. */
export const SAGEMAKER_INTEGRATION_ERROR = 'SageMaker.AmazonSageMakerException';

/** Throttling and transient errors of Lambda Invoke, beyond the service errors CDK retries by default. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/**
 * Throttling and transient errors of DynamoDB, SNS, EventBridge (optimized
 * integrations: the service's modeled errors, else its generic exception), CloudWatch
 * (AWS SDK integration: `InternalServiceFault` becomes `InternalServiceFaultException`)
 * and Step Functions.
 */
export const SERVICE_TRANSIENT_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.InternalServerErrorException',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.AmazonDynamoDBException',
  'SNS.ThrottledException',
  'SNS.InternalErrorException',
  'SNS.AmazonSNSException',
  'EventBridge.InternalException',
  'EventBridge.AmazonEventBridgeException',
  'CloudWatch.ThrottlingException',
  'CloudWatch.InternalServiceFaultException',
  'StepFunctions.ThrottlingException',
  'StepFunctions.AWSStepFunctionsException',
] as const;

/** A retry policy: errors, attempts and backoff. */
export interface RetryPolicy {
  /** Errors to retry. */
  readonly errors: readonly string[];
  /** @default 4 */
  readonly maxAttempts?: number;
  /** @default 2 seconds */
  readonly interval?: Duration;
  /** @default 2 */
  readonly backoffRate?: number;
}

/** A state that accepts `addRetry` (Task, Parallel, Map, CustomState). */
interface Retryable {
  addRetry(props?: sfn.RetryProps): unknown;
}

/**
 * Adds a retrier with exponential backoff and full jitter (capped at five minutes).
 * @returns the state, for chaining
 */
export function withRetry<T extends Retryable>(state: T, policy: RetryPolicy): T {
  state.addRetry({
    errors: [...policy.errors],
    maxAttempts: policy.maxAttempts ?? 4,
    interval: policy.interval ?? Duration.seconds(2),
    backoffRate: policy.backoffRate ?? 2,
    maxDelay: Duration.minutes(5),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return state;
}

/** Retries throttling and transient SageMaker API errors. */
export const SAGEMAKER_RETRY: RetryPolicy = { errors: [...SAGEMAKER_TRANSIENT_ERRORS, SAGEMAKER_INTEGRATION_ERROR] };
/** Retries Lambda throttling and service errors. */
export const LAMBDA_RETRY: RetryPolicy = { errors: LAMBDA_TRANSIENT_ERRORS };
/** Retries other AWS service throttling and transient errors. */
export const SERVICE_RETRY: RetryPolicy = { errors: SERVICE_TRANSIENT_ERRORS };
