/** The compliance helpers one by one: log groups, alarm actions, Lambda network, bucket events, dead-letter queue. */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AlarmActionPolicy } from '../../../infra/compliance/alarm-actions';
import { sendEventsToEventBridge } from '../../../infra/compliance/bucket-events';
import { deadLetterQueueOnly } from '../../../infra/compliance/dead-letter-queue';
import { placeInNetwork } from '../../../infra/compliance/lambda-network';
import { LogGroupPolicy } from '../../../infra/compliance/log-groups';

const network = { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };
const resourcesOf = (stack: Stack, type: string) => Object.values(Template.fromStack(stack).findResources(type)) as Array<{ Properties: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Class: LogGroupPolicy', () => {
  it('sets the retention of every log group and encrypts those that name no key', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const key = new kms.Key(stack, 'Key');
    const own = new kms.Key(stack, 'OwnKey');
    new logs.LogGroup(stack, 'Plain', { retention: logs.RetentionDays.ONE_MONTH });
    new logs.LogGroup(stack, 'Encrypted', { retention: logs.RetentionDays.ONE_WEEK, encryptionKey: own });
    // Act
    Aspects.of(stack).add(new LogGroupPolicy({ retentionDays: 400, encryptionKey: key }));
    // Assess
    const groups = resourcesOf(stack, 'AWS::Logs::LogGroup').map((g) => g.Properties);
    const keyArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(groups).toEqual([
      { RetentionInDays: 400, KmsKeyId: keyArn(stack.getLogicalId(key.node.defaultChild as kms.CfnKey)) },
      { RetentionInDays: 400, KmsKeyId: keyArn(stack.getLogicalId(own.node.defaultChild as kms.CfnKey)) },
    ]);
  });

  it('refuses a retention that is not a positive integer', () => {
    expect(() => new LogGroupPolicy({ retentionDays: 0 })).toThrow('expected retentionDays to be a positive integer, got 0');
  });
});

describe('Class: AlarmActionPolicy', () => {
  it('gives the topic to alarms without an ALARM action and leaves the others', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const topic = new sns.Topic(stack, 'Topic');
    const other = new sns.Topic(stack, 'Other');
    const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'M' });
    new cloudwatch.Alarm(stack, 'Bare', { metric, threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.Alarm(stack, 'Notifying', { metric, threshold: 1, evaluationPeriods: 1 }).addAlarmAction(new actions.SnsAction(other));
    // Act
    Aspects.of(stack).add(new AlarmActionPolicy(topic));
    // Assess
    const ref = (t: sns.Topic) => ({ Ref: stack.getLogicalId(t.node.defaultChild as sns.CfnTopic) });
    expect(resourcesOf(stack, 'AWS::CloudWatch::Alarm').map((a) => a.Properties.AlarmActions)).toEqual([[ref(topic)], [ref(other)]]);
  });
});

describe('Function: placeInNetwork', () => {
  it('refuses a function whose role it cannot grant', () => {
    const stack = new Stack(new App(), 'Test');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      role: iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/x', { mutable: false }),
    });
    expect(() => placeInNetwork(fn, network)).toThrow('expected a function with a role this app manages (Test/Fn), got an imported role');
  });

  it('grants interface management on the configured subnets and groups only, never a managed policy', () => {
    const stack = new Stack(new App(), 'Test');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    placeInNetwork(fn, network);
    const statements = resourcesOf(stack, 'AWS::IAM::Policy')[0]!.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>;
    const create = statements.find((s) => s.Action === 'ec2:CreateNetworkInterface')!;
    expect(JSON.stringify(create.Resource)).toMatch(/subnet\/subnet-0123456789abcdef0.*security-group\/sg-0123456789abcdef0.*network-interface\/\*/);
    const role = resourcesOf(stack, 'AWS::IAM::Role').find((r) => r.Properties.AssumeRolePolicyDocument)!;
    expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toContain('AWSLambdaVPCAccessExecutionRole');
  });
});

describe('Function: sendEventsToEventBridge', () => {
  it('keeps a notification configuration already on the bucket', () => {
    const stack = new Stack(new App(), 'Test');
    const bucket = new s3.Bucket(stack, 'Bucket');
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { topicConfigurations: [{ event: 's3:ObjectCreated:*', topic: 'arn:aws:sns:us-east-1:123456789012:t' }] };
    sendEventsToEventBridge(bucket);
    expect(resourcesOf(stack, 'AWS::S3::Bucket')[0]!.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
      TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: 'arn:aws:sns:us-east-1:123456789012:t' }],
    });
  });
});

describe('Function: deadLetterQueueOnly', () => {
  it('names the queue and lets only itself use it as a dead-letter queue', () => {
    const stack = new Stack(new App(), 'Test');
    new sqs.Queue(stack, 'Queue', deadLetterQueueOnly(stack, 'pitstop-churn-trigger-dead-letters'));
    const queue = resourcesOf(stack, 'AWS::SQS::Queue')[0]!.Properties;
    expect(queue.QueueName).toBe('pitstop-churn-trigger-dead-letters');
    expect(queue.RedriveAllowPolicy).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':pitstop-churn-trigger-dead-letters']] },
      ],
    });
  });

  it('refuses a name SQS would refuse', () => {
    expect(() => deadLetterQueueOnly(new Stack(new App(), 'Test'), 'no spaces allowed')).toThrow(
      'expected a queue name of 1 to 80 letters, digits, dashes and underscores, got "no spaces allowed"',
    );
  });
});
