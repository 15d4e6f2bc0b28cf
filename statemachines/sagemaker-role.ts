/**
 * The execution role of a model's SageMaker training, tuning and transform jobs, its
 * models and its endpoint variants: least privilege, written statement by statement
 * (no managed policy, no bucket-wide grant).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import { ARTIFACT_PREFIXES } from '../vocabulary/pipeline-names';
import { TUNING_JOB_PATTERN, sageMakerNamePrefix } from './sagemaker-api';
import { splitS3Uri } from '../vocabulary/s3-uri';

/** Properties of {@link createSageMakerRole}. */
export interface SageMakerRoleProps {
  readonly model: ModelConfig;
  /** The artifacts bucket (model artifacts, checkpoints, transform output). */
  readonly bucket: s3.IBucket;
  /**
   * Keys the role may encrypt and decrypt artifacts with (the bucket's key is added
   * when the bucket knows it).
   * @default none
   */
  readonly encryptionKeys?: readonly kms.IKey[];
  /** Key prefix of the artifacts in `bucket`: `''` or ending in `/`. @default '' */
  readonly artifactsPrefix?: string;
}


/** `<registry>/<repository>[:tag|@digest]` of an ECR image → its account, region and repository. */
function ecrRepository(image: string): { account: string; region: string; repository: string } | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return match ? { account: match[1]!, region: match[2]!, repository: match[3]! } : undefined;
}

/**
 * The SageMaker execution role of one model. It may:
 * - read the training data (`s3:GetObject` under its prefix, `s3:ListBucket` with an
 *   `s3:prefix` condition); the holdout is never read by SageMaker: transform jobs read
 *   the features-only copy `prepareHoldout` writes under `transforms/<model>/<run>/input/`;
 * - write the endpoint's data capture under `data.captureUri` (SageMaker writes the
 *   capture as the model's role);
 * - read and write `models/<model>/` (training output, checkpoints; models and
 *   transform jobs read the artifacts back), read the transform input under
 *   `transforms/<model>/<run>/input/` and write `transforms/<model>/` in the artifacts bucket;
 * - decrypt and generate data keys with the given keys (SSE-KMS objects);
 * - pull the training and inference images from their ECR repositories;
 * - write the logs of pitstop's jobs and of the model's endpoint under `/aws/sagemaker/`;
 * - put metrics in the `/aws/sagemaker/` namespaces.
 */
export function createSageMakerRole(scope: Construct, id: string, props: SageMakerRoleProps): iam.Role {
  const { model, bucket } = props;
  const stack = Stack.of(scope);
  const partition = stack.partition;
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    description: `SageMaker jobs and endpoint of pitstop model ${model.name}`,
  });
  const add = (statement: iam.PolicyStatementProps) => role.addToPolicy(new iam.PolicyStatement(statement));

  // Input data: read under its prefix.
  for (const uri of [model.data.training]) {
    const { bucket: name, key } = splitS3Uri(uri);
    add({ actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${name}/${key}*`] });
    add({
      actions: ['s3:ListBucket'],
      resources: [`arn:${partition}:s3:::${name}`],
      ...(key ? { conditions: { StringLike: { 's3:prefix': [`${key}*`] } } } : {}),
    });
  }
  const capture = splitS3Uri(model.data.captureUri);
  add({ actions: ['s3:PutObject'], resources: [`arn:${partition}:s3:::${capture.bucket}/${capture.key}*`] });

  // Artifacts: models (read and write), transform input (read) and output (write).
  const artifacts = props.artifactsPrefix ?? '';
  const models = `${artifacts}${ARTIFACT_PREFIXES.models}${model.name}/`;
  const transforms = `${artifacts}${ARTIFACT_PREFIXES.transforms}${model.name}/`;
  add({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [bucket.arnForObjects(`${models}*`)] });
  add({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${transforms}*/input/*`)] });
  add({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [bucket.arnForObjects(`${transforms}*`)] });
  add({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${models}*`, `${transforms}*`] } } });

  const keys = new Set<kms.IKey>(props.encryptionKeys ?? []);
  if (bucket.encryptionKey) keys.add(bucket.encryptionKey);
  if (keys.size) add({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [...keys].map((k) => k.keyArn) });

  // Images.
  const repositories = new Set<string>();
  for (const image of [model.training.image, model.training.inferenceImage]) {
    const repo = ecrRepository(image);
    if (repo) {
      repositories.add(
        stack.formatArn({ service: 'ecr', account: repo.account, region: repo.region, resource: 'repository', resourceName: repo.repository }),
      );
    }
  }
  if (repositories.size) {
    add({ actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], resources: [...repositories] });
  }
  // GetAuthorizationToken has no resource-level permissions: '*' is the only resource AWS accepts.
  add({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });

  // Logs: the job log groups (streams named after pitstop's jobs) and the endpoint's log group.
  const group = (name: string, stream?: string) =>
    stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: stream === undefined ? name : `${name}:log-stream:${stream}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  const prefix = `${sageMakerNamePrefix(model.name)}-*`;
  const endpointGroup = `/aws/sagemaker/Endpoints/${model.endpointName}`;
  add({
    actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
    resources: [group('/aws/sagemaker/TrainingJobs'), group('/aws/sagemaker/TransformJobs'), group(endpointGroup)],
  });
  add({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [
      group('/aws/sagemaker/TrainingJobs', prefix),
      group('/aws/sagemaker/TrainingJobs', TUNING_JOB_PATTERN),
      group('/aws/sagemaker/TransformJobs', prefix),
      // endpoint streams are named <variant>/<instance id>
      group(endpointGroup, '*'),
    ],
  });
  // PutMetricData has no resource-level permissions; the namespace condition scopes it to SageMaker's.
  add({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*'] } } });
  return role;
}
