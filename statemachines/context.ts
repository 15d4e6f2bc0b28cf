/**
 * What every state machine builder receives: the model's config and the resources
 * the pipeline shares.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { ModelConfig } from '../vocabulary/config/index';

/**
 * The Lambdas the state machines invoke; their event and result shapes are in
 * `vocabulary/contracts.ts` (handlers under `lambdas/<name>/handler.ts`).
 */
export interface PitstopFunctions {
  /** Data validation of captured requests or training data. */
  readonly validate: lambda.IFunction;
  /** Baseline profile of the training data. */
  readonly profile: lambda.IFunction;
  /** Per-feature drift of captured requests against the baseline. */
  readonly drift: lambda.IFunction;
  /** Live quality from ground truth. */
  readonly quality: lambda.IFunction;
  /** The training set and holdout from history and labeled production traffic; only with `data.dataset`. */
  readonly prepareDataset?: lambda.IFunction;
  /** The holdout as batch transform input (features only, no header) and its labels. */
  readonly prepareHoldout: lambda.IFunction;
  /** Holdout metrics and the promotion gate. */
  readonly evaluate: lambda.IFunction;
  /** Requests to the candidate variant before any traffic shifts. */
  readonly smokeTest: lambda.IFunction;
  /** Per-variant CloudWatch metrics after each canary stage. */
  readonly canaryCheck: lambda.IFunction;
  /** Run record (JSON) and report (Markdown) in S3. */
  readonly report: lambda.IFunction;
  /** Lists a monitor window and decides: one Lambda per step, or a fan-out (with its shard manifest). */
  readonly planWindow: lambda.IFunction;
  /** A fan-out child: one shard's partial summary. */
  readonly summarizeShard: lambda.IFunction;
  /** The fan-out's reduce: the partial summaries merged into the validation and drift outputs. */
  readonly reduceWindow: lambda.IFunction;
}

/** The shared inputs of the state machine builders. */
export interface MachineContext {
  readonly model: ModelConfig;
  readonly bucket: s3.IBucket;
  readonly topic: sns.ITopic;
  readonly functions: PitstopFunctions;
  readonly eventBus: events.IEventBus;
  /** Single-flight lock and production state, one item each per model. */
  readonly lockTable: dynamodb.ITable;
  /** Role SageMaker jobs, models and endpoints run as. */
  readonly sageMakerRole: iam.IRole;
  /** Key prefix of the artifacts in `bucket`: `''` or ending in `/`. */
  readonly artifactsPrefix: string;
}
