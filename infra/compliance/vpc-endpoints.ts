/**
 * The VPC endpoints pitstop's Lambdas need when they run in a VPC without a NAT:
 * one per AWS SDK client their handlers import (`lambdas/`), and only those. The
 * state machines call SageMaker, DynamoDB, SNS, EventBridge and Step Functions from
 * the Step Functions service, not through the VPC; Lambda delivers the functions'
 * logs itself; S3 (not the Lambda) calls KMS for SSE-KMS objects; the role's
 * credentials come from the Lambda service. docs/operations.md lists the same table,
 * and a test keeps the three in step.
 */

/** One VPC endpoint the Lambdas need. */
export interface LambdaVpcEndpoint {
  /** Endpoint service name, with `<region>` for the stack's region. */
  readonly serviceName: string;
  /** The kinds of endpoint AWS offers for it. */
  readonly kinds: string;
  /** The pitstop functions whose handlers call it (keys of PitstopFunctions). */
  readonly functions: readonly string[];
  /** The calls they make. */
  readonly calls: readonly string[];
}

/** The endpoint each SDK client under `lambdas/` needs, by package name. */
export const SDK_CLIENT_ENDPOINTS = {
  '@aws-sdk/client-s3': {
    serviceName: 'com.amazonaws.<region>.s3',
    kinds: 'Gateway (free, on the subnets\' route tables) or Interface',
    functions: ['validate', 'profile', 'drift', 'quality', 'prepareHoldout', 'evaluate', 'smokeTest', 'report'],
    calls: ['GetObject', 'PutObject', 'HeadObject', 'ListObjectsV2'],
  },
  '@aws-sdk/client-cloudwatch': {
    serviceName: 'com.amazonaws.<region>.monitoring',
    kinds: 'Interface',
    functions: ['canaryCheck'],
    calls: ['GetMetricData'],
  },
  '@aws-sdk/client-sagemaker-runtime': {
    serviceName: 'com.amazonaws.<region>.sagemaker.runtime',
    kinds: 'Interface',
    functions: ['smokeTest'],
    calls: ['InvokeEndpoint'],
  },
} as const satisfies Record<string, LambdaVpcEndpoint>;
