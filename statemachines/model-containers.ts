/**
 * The containers a model's SageMaker jobs, model and endpoint run, as the state
 * machines pass them: the training and inference image, the training job's
 * hyperparameters, the model's environment, and the layout of the training channel.
 *
 * - `training.image`: the user's images as given; the training channel is the
 *   training data as it is.
 * - `training.algorithm` (XGBoost): SageMaker's image, resolved per region at deploy
 *   by a CloudFormation mapping (region → SageMaker's registry account), so synth looks
 *   nothing up and the stack stays environment-agnostic; the training channel is a
 *   header-less CSV with the label first (`text/csv`), as the algorithm reads it.
 * - `training.framework` (scikit-learn, script mode): SageMaker's framework image, the
 *   same way; the script directory is packed as `sourcedir.tar.gz` and uploaded as a
 *   file asset (or taken from S3 as given), passed as the JSON-encoded hyperparameters
 *   `sagemaker_program` / `sagemaker_submit_directory` for training and as the model's
 *   `SAGEMAKER_PROGRAM` / `SAGEMAKER_SUBMIT_DIRECTORY` for inference. The channel is
 *   label-first like XGBoost's, so a script reads one layout whatever the data's format.
 *
 * Built once per stack; the SageMaker role is granted read of the script archive.
 */
import { Aws, CfnMapping, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import {
  FRAMEWORK_ENVIRONMENT,
  FRAMEWORK_HYPERPARAMETERS,
  SAGEMAKER_CONTAINERS,
  SAGEMAKER_REGISTRY_ACCOUNTS,
  type SageMakerContainer,
} from '../vocabulary/config/sagemaker-images';
import { packSourceDir } from './source-bundle';

/** How the training job's `train` channel is laid out. */
export const TRAINING_CHANNEL = {
  /** The training data as configured (your own container reads it). */
  asIs: 'as-is',
  /** Header-less CSV, the label in the first column, then the model's features in order. */
  labelFirst: 'label-first',
} as const;
/** A value of {@link TRAINING_CHANNEL}. */
export type TrainingChannel = (typeof TRAINING_CHANNEL)[keyof typeof TRAINING_CHANNEL];

/** What the state machines pass SageMaker for one model. */
export interface ModelContainers {
  /** `TrainingImage` of the training (and tuning) jobs. */
  readonly trainingImage: string;
  /** `Image` of the model and of its model packages. */
  readonly inferenceImage: string;
  /** `HyperParameters` (tuning: `StaticHyperParameters`) of the training job. */
  readonly hyperparameters: Record<string, string>;
  /** `Environment` of the model's container. @default {} */
  readonly environment: Record<string, string>;
  /** The layout of the `train` channel. */
  readonly channel: TrainingChannel;
}

/** Id of the mapping (one per stack). */
export const REGISTRY_MAPPING_ID = 'SageMakerRegistryAccounts';
/** The mapping's second-level key. */
export const REGISTRY_MAPPING_KEY = 'account';

/** The region → registry account mapping of `scope`'s stack (created on first use). */
export function registryMapping(scope: Construct): CfnMapping {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(REGISTRY_MAPPING_ID);
  if (existing instanceof CfnMapping) return existing;
  const mapping: Record<string, Record<string, string>> = {};
  for (const [region, account] of Object.entries(SAGEMAKER_REGISTRY_ACCOUNTS)) mapping[region] = { [REGISTRY_MAPPING_KEY]: account };
  return new CfnMapping(stack, REGISTRY_MAPPING_ID, { mapping });
}

/** The image URI of SageMaker's container in the deploying region (a token resolved by CloudFormation). */
export function sageMakerImage(scope: Construct, container: SageMakerContainer, version: string): string {
  const c = SAGEMAKER_CONTAINERS[container];
  const account = registryMapping(scope).findInMap(Aws.REGION, REGISTRY_MAPPING_KEY);
  return Fn.join('', [account, '.dkr.ecr.', Aws.REGION, '.', Aws.URL_SUFFIX, `/${c.repository}:${c.tag(version)}`]);
}

/** A hyperparameter value as JSON, as SageMaker's framework toolkits decode them: JSON text stays, other text is quoted. */
export function jsonHyperparameter(value: string): string {
  try {
    JSON.parse(value);
    return value;
  } catch {
    return JSON.stringify(value);
  }
}

/** `s3://bucket/key` → the object's ARN. */
function objectArn(uri: string): string {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`training.sourceDir: expected a local directory or "s3://bucket/key/sourcedir.tar.gz", got ${JSON.stringify(uri)}`);
  return `arn:${Aws.PARTITION}:s3:::${m[1]}/${m[2]}`;
}

const cache = new WeakMap<Stack, ModelContainers>();

/**
 * The containers of `model` in `scope`'s stack (built once per stack).
 * @param role the SageMaker execution role, granted read of the script archive
 * @throws Error when the config has no container, or a framework's sourceDir is unusable
 */
export function modelContainers(scope: Construct, model: ModelConfig, role: iam.IRole): ModelContainers {
  const stack = Stack.of(scope);
  const cached = cache.get(stack);
  if (cached) return cached;
  const t = model.training;
  let built: ModelContainers;
  if (t.image !== undefined) {
    built = { trainingImage: t.image, inferenceImage: t.inferenceImage ?? t.image, hyperparameters: t.hyperparameters, environment: {}, channel: TRAINING_CHANNEL.asIs };
  } else if (t.algorithm !== undefined && t.version !== undefined) {
    const image = sageMakerImage(scope, t.algorithm, t.version);
    built = { trainingImage: image, inferenceImage: image, hyperparameters: t.hyperparameters, environment: {}, channel: TRAINING_CHANNEL.labelFirst };
  } else if (t.framework !== undefined && t.version !== undefined && t.entryPoint !== undefined && t.sourceDir !== undefined) {
    const image = sageMakerImage(scope, t.framework, t.version);
    let submitDirectory: string;
    if (t.sourceDir.startsWith('s3://')) {
      submitDirectory = t.sourceDir;
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objectArn(t.sourceDir)] }));
    } else {
      const asset = new s3assets.Asset(stack, 'TrainingSourceDir', { path: packSourceDir(t.sourceDir, t.entryPoint) });
      // The archive alone, not the whole assets bucket.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::${asset.s3BucketName}/${asset.s3ObjectKey}`] }),
      );
      submitDirectory = asset.s3ObjectUrl;
    }
    const hyperparameters: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.hyperparameters)) hyperparameters[k] = jsonHyperparameter(v);
    hyperparameters[FRAMEWORK_HYPERPARAMETERS.program] = JSON.stringify(t.entryPoint);
    hyperparameters[FRAMEWORK_HYPERPARAMETERS.submitDirectory] = Fn.join('', ['"', submitDirectory, '"']);
    built = {
      trainingImage: image,
      inferenceImage: image,
      hyperparameters,
      environment: { [FRAMEWORK_ENVIRONMENT.program]: t.entryPoint, [FRAMEWORK_ENVIRONMENT.submitDirectory]: submitDirectory },
      channel: TRAINING_CHANNEL.labelFirst,
    };
  } else {
    throw new Error(`model ${model.name}: training needs one of image, algorithm (with version) or framework (with version, entryPoint and sourceDir)`);
  }
  cache.set(stack, built);
  return built;
}
