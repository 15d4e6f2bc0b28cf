/**
 * S3 event notifications to Amazon EventBridge, set on the bucket resource itself.
 *
 * CDK's `eventBridgeEnabled: true` (and `enableEventBridgeNotification()`) write the
 * setting through a custom resource, `Custom::S3BucketNotifications`, whose handler is
 * a Lambda outside any VPC: in a governed account it fails CT.LAMBDA.PR.3 itself.
 * CloudFormation takes the same setting as `NotificationConfiguration.EventBridgeConfiguration`
 * of `AWS::S3::Bucket`, which needs no Lambda. This helper is the one workaround.
 *
 * S3 then sends every object event of the bucket to the account's default event bus;
 * events that no rule matches are dropped, and EventBridge does not charge for AWS
 * service events delivered to the default bus.
 */
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** Turns on EventBridge notifications of a bucket this app creates, on the `AWS::S3::Bucket` itself. */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  const existing = cfn.notificationConfiguration;
  if (existing !== undefined && (typeof existing !== 'object' || existing === null)) {
    throw new Error(`expected a bucket whose notification configuration this app writes (${bucket.node.path}), got a token`);
  }
  cfn.notificationConfiguration = {
    ...(existing as s3.CfnBucket.NotificationConfigurationProperty | undefined),
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}
