import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { PitstopNotifications } from '../../infra/notifications';
import { model } from './fixtures';

type Statement = Record<string, any>;

describe('Class: PitstopNotifications', () => {
  // Prepare (one synth for the describe)
  const stack = new Stack(new App(), 'Test');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const notifications = new PitstopNotifications(stack, 'Notifications', {
    model: model({ notifications: { emails: ['ops@example.com', 'ml@example.com'] } }),
    encryptionKey: key,
  });
  const publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  notifications.grantPublish(publisher);
  const template = Template.fromStack(stack);
  const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
  const keyStatements: Statement[] = Object.values(template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement;
  const topicStatements: Statement[] = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0]!.Properties.PolicyDocument.Statement;

  it('encrypts the topic with the key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  it('lets CloudWatch alarms of this model use the key, scoped by account and alarm name', () => {
    const statement = keyStatements.find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com')!;
    expect(statement).toBeDefined();
    expect(statement.Effect).toBe('Allow');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statement.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(statement.Condition.ArnLike['aws:SourceArn'])).toContain(':alarm:pitstop-churn-*');
  });

  it('lets EventBridge use the key without source conditions (EventBridge does not send them to KMS)', () => {
    const statement = keyStatements.find((s) => s.Principal?.Service === 'events.amazonaws.com')!;
    expect(statement).toBeDefined();
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statement.Condition).toBeUndefined();
  });

  it('denies publishing over plain HTTP', () => {
    const deny = topicStatements.find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect([deny!.Action].flat()).toContain('sns:Publish');
  });

  it('lets the model alarms and EventBridge rules of this account publish to the topic', () => {
    const alarms = topicStatements.find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com')!;
    expect(alarms).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId } });
    expect(JSON.stringify(alarms.Condition.ArnLike['aws:SourceArn'])).toContain(':alarm:pitstop-churn-*');
    const rules = topicStatements.find((s) => s.Principal?.Service === 'events.amazonaws.com')!;
    expect(rules).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });

  it('subscribes each configured email', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of ['ops@example.com', 'ml@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: topicId } });
    }
  });

  it('grants publishing with the key', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: topicId } }),
          Match.objectLike({ Action: Match.arrayWith(['kms:GenerateDataKey*']), Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } }),
        ]),
      },
    });
  });
});

describe('Class: PitstopNotifications (options and validation)', () => {
  it('uses an existing topic: creates none and still subscribes the emails', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const key = new kms.Key(stack, 'Key');
    const topic = sns.Topic.fromTopicArn(stack, 'Existing', 'arn:aws:sns:us-east-1:123456789012:ops');
    // Act
    const notifications = new PitstopNotifications(stack, 'Notifications', {
      model: model({ notifications: { emails: ['ops@example.com'] } }),
      encryptionKey: key,
      topic,
    });
    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' });
    expect(notifications.topic).toBe(topic);
  });

  it('refuses an imported key, whose policy it cannot change', () => {
    const stack = new Stack(new App(), 'Test');
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    expect(() => new PitstopNotifications(stack, 'Notifications', { model: model(), encryptionKey: key })).toThrow(
      /expected a KMS key whose key policy this app manages \(a kms\.Key\), got an imported key/,
    );
  });

  it('rejects an email that is not an address', () => {
    const stack = new Stack(new App(), 'Test');
    const key = new kms.Key(stack, 'Key');
    expect(
      () => new PitstopNotifications(stack, 'Notifications', { model: model(), encryptionKey: key, emails: ['ops at example'] }),
    ).toThrow('expected an email address in notifications.emails, got "ops at example"');
  });
});
