/**
 * The lock table: one DynamoDB table per pipeline holding, per model, a lock item
 * (single-flight guard of the Retrain state machine) and a state item (the production
 * model, its endpoint configs and baseline, the cooldown).
 *
 * Items (partition key `pk`, strings unless noted):
 * - `LOCK#<model>`: `executionId` (the holder's execution ARN), `acquiredAt` (ISO 8601),
 *   `runId`, `expiresAt` (number, epoch seconds: the holder's start plus the Retrain
 *   state machine's timeout). Written with
 *   `attribute_not_exists(pk) OR expiresAt < :now` (`:now` the new run's start): a
 *   lock whose holder has certainly ended (it timed out or was stopped, so it could
 *   not release it) is taken over. Deleted by its holder only; DynamoDB's TTL on
 *   `expiresAt` removes a stale lock later on its own (within days; the condition
 *   does not wait for it).
 * - `STATE#<model>`: `productionModelName`, `endpointConfigName`,
 *   `previousEndpointConfigName`, `modelPackageArn`, `baselineUri`,
 *   `predictionReferenceUri`, `lastRunId`,
 *   `lastSuccessAt` and `cooldownUntil` (ISO 8601; a retrain before `cooldownUntil` is
 *   skipped unless forced), `trainingCutoff`, `maxAgeAt`, `retryAfter` (ISO 8601), and
 *   the `previous<Name>` copies of what the last promotion replaced
 *   ({@link RESTORED_ON_ROLLBACK}). It must never carry `expiresAt`: TTL would delete
 *   the production record.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Partition key attribute of the lock table. */
export const LOCK_TABLE_KEY = 'pk';

/** Key of a model's lock item. */
export function lockKey(model: string): string {
  return `LOCK#${model}`;
}

/** Key of a model's state item. */
export function stateKey(model: string): string {
  return `STATE#${model}`;
}

/** Attributes of the lock item. */
export const LOCK_ATTRIBUTES = {
  executionId: 'executionId',
  acquiredAt: 'acquiredAt',
  runId: 'runId',
  /** Epoch seconds after which the lock is stale; the table's TTL attribute. */
  expiresAt: 'expiresAt',
} as const;

/** Attributes of the state item. */
export const STATE_ATTRIBUTES = {
  productionModelName: 'productionModelName',
  endpointConfigName: 'endpointConfigName',
  previousEndpointConfigName: 'previousEndpointConfigName',
  /** Set by a rollback: the config it removed (never restored by a later rollback without being named). */
  rolledBackFromConfigName: 'rolledBackFromConfigName',
  modelPackageArn: 'modelPackageArn',
  baselineUri: 'baselineUri',
  /** The production model's holdout predictions with their labels (S3 JSON, lambdas/core/quality/prediction-reference.ts): the Monitor's reference for estimated quality and prediction drift. */
  predictionReferenceUri: 'predictionReferenceUri',
  lastRunId: 'lastRunId',
  lastSuccessAt: 'lastSuccessAt',
  cooldownUntil: 'cooldownUntil',
  /** When the production model's training data was taken (its retrain's start); NewLabeledSamples counts labels since. */
  trainingCutoff: 'trainingCutoff',
  /** When the production model passes `triggers.maxModelAgeDays` (promotion + that many days). */
  maxAgeAt: 'maxAgeAt',
  /** Set when a retrain ends Rejected, Failed or RolledBack: the monitor re-arms no trigger before it. */
  retryAfter: 'retryAfter',
} as const;

/**
 * The production state a promotion replaces, kept beside it (`previous<Name>` of each)
 * so that a rollback of that promotion restores it whole. '' where the replaced state
 * had no value.
 */
export const RESTORED_ON_ROLLBACK = [
  STATE_ATTRIBUTES.productionModelName,
  STATE_ATTRIBUTES.modelPackageArn,
  STATE_ATTRIBUTES.baselineUri,
  STATE_ATTRIBUTES.trainingCutoff,
  STATE_ATTRIBUTES.cooldownUntil,
  STATE_ATTRIBUTES.maxAgeAt,
] as const;

/**
 * Production state kept beside it like {@link RESTORED_ON_ROLLBACK}, but newer than
 * some recorded promotions: a rollback restores its previous copy, or clears it ('')
 * when the promotion it undoes kept none (the restored model's value is then unknown).
 */
export const CLEARED_ON_ROLLBACK = [STATE_ATTRIBUTES.predictionReferenceUri] as const;

/** The attribute holding the replaced value of `attribute` (see {@link RESTORED_ON_ROLLBACK}). */
export function previousAttribute(attribute: (typeof RESTORED_ON_ROLLBACK)[number] | (typeof CLEARED_ON_ROLLBACK)[number]): string {
  return `previous${attribute[0]!.toUpperCase()}${attribute.slice(1)}`;
}

/** Properties of {@link createLockTable}. */
export interface LockTableProps {
  /** Key encrypting the table. @default an AWS-owned key */
  readonly encryptionKey?: kms.IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The lock table: on-demand, point-in-time recovery on, TTL on the lock's `expiresAt`. */
export function createLockTable(scope: Construct, id: string, props: LockTableProps = {}): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: LOCK_TABLE_KEY, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: LOCK_ATTRIBUTES.expiresAt,
    ...(props.encryptionKey
      ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
      : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
}
