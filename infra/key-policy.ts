/**
 * Key policy statements that let AWS services use pitstop's KMS key.
 *
 * CDK grants IAM principals on a key through `key.grant*()`, but a service principal
 * that encrypts on its own behalf (CloudWatch alarm actions publishing to an encrypted
 * SNS topic, EventBridge delivering to an encrypted topic or dead-letter queue) needs
 * the permission in the key policy itself. This module is the one place that writes
 * those statements.
 *
 * See "Enable compatibility between event sources from AWS services and encrypted
 * topics" in the Amazon SNS developer guide: the publishing service needs
 * `kms:Decrypt` and `kms:GenerateDataKey*` on the key.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';

/** Actions a service needs on a key to publish to a resource encrypted with it. */
export const SERVICE_PUBLISH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;

/**
 * Lets CloudWatch alarms of this account and region whose names match `alarmNamePattern`
 * use the key, so their actions can publish to a topic encrypted with it.
 *
 * CloudWatch sends `aws:SourceAccount` and `aws:SourceArn` (the alarm ARN) with the
 * request, so the statement is scoped to the pipeline's own alarms.
 *
 * @throws Error when the key's policy cannot be changed (an imported key).
 */
export function allowCloudWatchAlarmsToUseKey(key: kms.IKey, alarmNamePattern: string): void {
  const stack = Stack.of(key);
  addOrThrow(
    key,
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: [...SERVICE_PUBLISH_KEY_ACTIONS],
      // '*' in a key policy means "this key".
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': alarmArnPattern(key, alarmNamePattern),
        },
      },
    }),
  );
}

/**
 * Lets EventBridge use the key, so rules can deliver to a topic or a dead-letter queue
 * encrypted with it.
 *
 * No `aws:SourceAccount` / `aws:SourceArn` condition: EventBridge does not send those
 * keys with its KMS requests, so a condition on them would make every delivery fail.
 *
 * @throws Error when the key's policy cannot be changed (an imported key).
 */
export function allowEventBridgeToUseKey(key: kms.IKey): void {
  addOrThrow(
    key,
    new iam.PolicyStatement({
      sid: 'AllowEventBridgeToDeliverToEncryptedTargets',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: [...SERVICE_PUBLISH_KEY_ACTIONS],
      // '*' in a key policy means "this key".
      resources: ['*'],
    }),
  );
}

/**
 * Lets CloudWatch Logs of this account and region use the key, so log groups can be
 * encrypted with it (CDK's LogGroup does not add this statement).
 *
 * @throws Error when the key's policy cannot be changed (an imported key).
 */
export function allowCloudWatchLogsToUseKey(key: kms.IKey): void {
  const stack = Stack.of(key);
  addOrThrow(
    key,
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsToEncryptLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      // '*' in a key policy means "this key".
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
}

/** ARN (pattern) of the CloudWatch alarms named `alarmNamePattern` in the stack's account and region. */
export function alarmArnPattern(scope: IConstruct, alarmNamePattern: string): string {
  return Stack.of(scope).formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: alarmNamePattern,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

function addOrThrow(key: kms.IKey, statement: iam.PolicyStatement): void {
  const result = key.addToResourcePolicy(statement, /* allowNoOp */ true);
  if (!result.statementAdded) {
    throw new Error(
      `expected a KMS key whose key policy this app manages (a kms.Key), got an imported key (${key.node.path}); ` +
        `add a statement allowing ${JSON.stringify(statement.toStatementJson().Principal)} ` +
        `${statement.actions.join(', ')} to its key policy yourself, or let pitstop create the key`,
    );
  }
}

/**
 * Denies `kms:CreateGrant` on the key to every principal unless the grant is for an
 * AWS resource or the caller is an AWS service (CT.KMS.PR.3).
 *
 * Services that encrypt on pipeline resources with the key (SageMaker job volumes and
 * outputs, DynamoDB tables, SQS queues) create grants on their own behalf and pass
 * the condition; nothing in pipeline code creates a grant itself. The statement has
 * the exact form Control Tower's rule accepts: Deny, Principal `*`, Resource `*`, and
 * only `BoolIfExists` with both keys set to "false".
 *
 * @throws Error when the key's policy cannot be changed (an imported key).
 */
export function denyGrantsExceptForAwsResources(key: kms.IKey): void {
  addOrThrow(
    key,
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      // '*' in a key policy means "this key".
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
}
