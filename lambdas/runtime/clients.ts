/**
 * AWS SDK clients, created once per container and reused across invocations. Each
 * uses the default credential chain and the function's region.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

let s3: S3Client | undefined;
let sageMakerRuntime: SageMakerRuntimeClient | undefined;
let cloudWatch: CloudWatchClient | undefined;

/** The shared S3 client. */
export function s3Client(): S3Client {
  return (s3 ??= new S3Client({}));
}

/** The shared SageMaker Runtime client (InvokeEndpoint). */
export function sageMakerRuntimeClient(): SageMakerRuntimeClient {
  return (sageMakerRuntime ??= new SageMakerRuntimeClient({}));
}

/** The shared CloudWatch client (GetMetricData). */
export function cloudWatchClient(): CloudWatchClient {
  return (cloudWatch ??= new CloudWatchClient({}));
}
