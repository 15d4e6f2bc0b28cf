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
 *   `previousEndpointConfigName`, `modelPackageArn`, `baselineUri`, `lastRunId`,
 *   `lastSuccessAt` and `cooldownUntil` (ISO 8601; a retrain before `cooldownUntil` is
 *   skipped unless forced). It must never carry `expiresAt`: TTL would delete the
 *   production record.
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
  lastRunId: 'lastRunId',
  lastSuccessAt: 'lastSuccessAt',
  cooldownUntil: 'cooldownUntil',
} as const;

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
