/**
 * The Step Functions errors of failed Task states in local mode, named and worded as
 * Step Functions names them: aws-sdk integrations (`SageMaker.ResourceNotFoundException`),
 * optimized integrations (the service's modeled errors, else its generic exception)
 * and Lambda invocations (errorType and the JSON error payload).
 */
import { randomUUID } from 'node:crypto';

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** An error with a Step Functions error name. */
export class TaskError extends Error {
  public constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Prefixes of aws-sdk integration errors by Resource service name. */
const SDK_PREFIX: Readonly<Record<string, string>> = {
  sagemaker: 'SageMaker',
  sagemakerruntime: 'SageMakerRuntime',
  cloudwatch: 'CloudWatch',
  dynamodb: 'DynamoDb',
  s3: 'S3',
  sns: 'Sns',
  eventbridge: 'EventBridge',
  sfn: 'Sfn',
  lambda: 'Lambda',
};

/** Optimized integrations: error prefix, the errors the service models, and its generic error. */
const OPTIMIZED: Readonly<Record<string, { prefix: string; modeled: readonly string[]; generic: string }>> = {
  sagemaker: {
    prefix: 'SageMaker',
    modeled: ['ResourceNotFound', 'ResourceInUse', 'ResourceLimitExceeded', 'ConflictException'],
    generic: 'AmazonSageMakerException',
  },
  dynamodb: {
    prefix: 'DynamoDB',
    modeled: [
      'ConditionalCheckFailedException',
      'ResourceNotFoundException',
      'ProvisionedThroughputExceededException',
      'ItemCollectionSizeLimitExceededException',
      'TransactionConflictException',
      'RequestLimitExceeded',
      'InternalServerErrorException',
    ],
    generic: 'AmazonDynamoDBException',
  },
  sns: {
    prefix: 'SNS',
    modeled: ['InvalidParameterException', 'NotFoundException', 'AuthorizationErrorException', 'ThrottledException', 'InternalErrorException'],
    generic: 'AmazonSNSException',
  },
  events: { prefix: 'EventBridge', modeled: ['InternalException'], generic: 'AmazonEventBridgeException' },
  states: { prefix: 'StepFunctions', modeled: ['ExecutionAlreadyExists', 'StateMachineDoesNotExist', 'InvalidExecutionInput'], generic: 'AWSStepFunctionsException' },
};

function errorInfo(err: unknown): { name: string; message: string; status: number } {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err), status: e?.$metadata?.httpStatusCode ?? 400 };
}

/** The Step Functions error of a failed aws-sdk integration call. */
export function sdkIntegrationError(service: string, err: unknown): TaskError {
  const { name, message, status } = errorInfo(err);
  const prefix = SDK_PREFIX[service] ?? pascal(service);
  const code = name.endsWith('Exception') ? name : `${name}Exception`;
  return new TaskError(`${prefix}.${code}`, `${message} (Service: ${prefix}, Status Code: ${status}, Request ID: ${randomUUID()})`);
}

/** The Step Functions error of a failed optimized integration call. */
export function optimizedIntegrationError(service: string, err: unknown): TaskError {
  if (err instanceof TaskError) return err;
  const { name, message, status } = errorInfo(err);
  const spec = OPTIMIZED[service];
  if (!spec) return new TaskError(name, message);
  const modeled = spec.modeled.includes(name);
  const errorName = modeled ? `${spec.prefix}.${name.endsWith('Exception') || name === 'RequestLimitExceeded' ? name : `${name}Exception`}` : `${spec.prefix}.${spec.generic}`;
  const serviceLabel = spec.generic.replace(/Exception$/, '');
  return new TaskError(errorName, `${message} (Service: ${serviceLabel}; Status Code: ${status}; Error Code: ${name}; Request ID: ${randomUUID()}; Proxy: null)`);
}

/** The Step Functions error of a Lambda function that threw. */
export function lambdaError(err: unknown): TaskError {
  const e = err as { name?: string; message?: string; stack?: string };
  const errorType = e?.name ?? 'Error';
  return new TaskError(
    errorType,
    JSON.stringify({ errorMessage: e?.message ?? String(err), errorType, trace: (e?.stack ?? '').split('\n').slice(1).map((l) => l.trim()) }),
  );
}
