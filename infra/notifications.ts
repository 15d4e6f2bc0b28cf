/**
 * `PitstopNotifications`: the SNS topic every outcome and alarm of one model is sent to.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import { alarmArnPattern, allowCloudWatchAlarmsToUseKey, allowEventBridgeToUseKey } from './key-policy';
import { resourceName } from '../vocabulary/pipeline-names';

/** Properties of {@link PitstopNotifications}. */
export interface PitstopNotificationsProps {
  /** The model; its name scopes the permissions and `notifications.emails` are subscribed. */
  readonly model: ModelConfig;
  /**
   * Key that encrypts the topic. Its key policy gets statements letting the model's
   * CloudWatch alarms and EventBridge publish to the encrypted topic, so it must be a
   * key this app manages (a `kms.Key`).
   */
  readonly encryptionKey: kms.IKey;
  /**
   * An existing topic to use instead of creating one. Its key and policy are left
   * as they are; the emails are still subscribed.
   * @default a new topic encrypted with `encryptionKey`
   */
  readonly topic?: sns.ITopic;
  /**
   * Email addresses to subscribe (each must confirm the subscription).
   * @default model.notifications.emails
   */
  readonly emails?: readonly string[];
}

/** A plain email address check: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The SNS topic that receives run outcomes, state machine failures and alarm
 * notifications of one model.
 *
 * The topic it creates is encrypted with the pipeline key, refuses publishing over
 * plain HTTP, and lets the model's CloudWatch alarms (named `pitstop-<model>-*`) and
 * EventBridge publish: on the topic policy and on the key policy, since a service
 * publishing to an encrypted topic needs `kms:GenerateDataKey*` and `kms:Decrypt`.
 *
 * @example
 * const notifications = new PitstopNotifications(this, 'Notifications', {
 *   model, encryptionKey: storage.encryptionKey,
 * });
 */
export class PitstopNotifications extends Construct {
  /** The topic, created or given. */
  public readonly topic: sns.ITopic;

  public constructor(scope: Construct, id: string, props: PitstopNotificationsProps) {
    super(scope, id);
    const emails = props.emails ?? props.model.notifications.emails;
    for (const email of emails) {
      if (!EMAIL.test(email)) throw new Error(`expected an email address in notifications.emails, got "${email}"`);
    }

    if (props.topic) {
      this.topic = props.topic;
    } else {
      const alarmNames = resourceName(props.model.name, '*');
      const topic = new sns.Topic(this, 'Topic', {
        displayName: `pitstop ${props.model.name}`,
        masterKey: props.encryptionKey,
        enforceSSL: true,
      });
      const stack = Stack.of(this);
      // The explicit topic policy replaces SNS's default one, so the services that
      // publish on the account's behalf are allowed here, scoped to this account.
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowPipelineAlarmsToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: {
              'aws:SourceArn': alarmArnPattern(this, alarmNames),
            },
          },
        }),
      );
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEventBridgeRulesToPublish',
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
      allowCloudWatchAlarmsToUseKey(props.encryptionKey, alarmNames);
      allowEventBridgeToUseKey(props.encryptionKey);
      this.topic = topic;
    }

    for (const email of emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /** Grants publishing to the topic (and using its key). */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grantPublish(grantee);
  }
}
