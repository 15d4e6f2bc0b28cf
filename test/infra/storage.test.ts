import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { PitstopStorage } from '../../infra/storage';
import { ARTIFACT_PREFIXES } from '../../vocabulary/pipeline-names';
import { model } from './fixtures';

/** All statements of all IAM policies in a template. */
function policyStatements(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.PolicyDocument.Statement,
  );
}

describe('Class: PitstopStorage (bucket created)', () => {
  // Prepare (one synth for the describe)
  const stack = new Stack(new App(), 'Test');
  const storage = new PitstopStorage(stack, 'Storage', { model: model() });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  storage.grantReadWriteArtifacts(role);
  const template = Template.fromStack(stack);
  const buckets = template.findResources('AWS::S3::Bucket');
  const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;
  // The artifacts bucket is the one that writes access logs (both buckets are versioned).
  const [artifactsId, artifacts] = Object.entries(buckets).find(([, b]) => b.Properties.LoggingConfiguration)!;
  const [logsId, logs] = Object.entries(buckets).find(([id]) => id !== artifactsId)!;

  it('creates one rotating key, an artifacts bucket and a logs bucket', () => {
    // Assess
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(Object.keys(buckets)).toHaveLength(2);
    expect(storage.bucketCreated).toBe(true);
  });

  it('versions the artifacts bucket and encrypts it with the key', () => {
    expect(artifacts.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(artifacts.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('blocks all public access on both buckets', () => {
    const all = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
    expect(artifacts.Properties.PublicAccessBlockConfiguration).toEqual(all);
    expect(logs.Properties.PublicAccessBlockConfiguration).toEqual(all);
  });

  it('logs access to the logs bucket, which is S3-managed encrypted', () => {
    expect(artifacts.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logsId });
    expect(logs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(logs.Properties.LoggingConfiguration).toBeUndefined();
  });

  it('lets S3 log delivery write to the logs bucket through its policy, not an ACL', () => {
    expect(logs.Properties.AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });

  it('refuses plain HTTP on both buckets', () => {
    for (const id of [artifactsId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('has lifecycle rules: reports to IA after 30 days, capture expiring after 90, noncurrent versions after 30', () => {
    const rules = artifacts.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'reports/', Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
        expect.objectContaining({ Prefix: 'capture/', ExpirationInDays: 90 }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
      ]),
    );
  });

  it("expires the monitor fan-out's working files under fanout/ after a week, and nothing else by that rule", () => {
    // Act
    const rules = artifacts.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    const fanOut = rules.filter((r) => r.Prefix === 'fanout/');

    // Assess
    expect(fanOut).toEqual([{ Id: 'expire-fan-out-work', Prefix: 'fanout/', ExpirationInDays: 7, Status: 'Enabled' }]);
    // the prefix is the one the monitor's fan-out writes under
    expect(ARTIFACT_PREFIXES.fanOut).toBe('fanout/');
  });

  it('grants read-write on the artifacts with the key', () => {
    const statements = policyStatements(template);
    const s3Statement = statements.find((s) => (s.Action as string[]).includes('s3:PutObject'))!;
    expect(s3Statement.Resource).toEqual(
      expect.arrayContaining([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [artifactsId, 'Arn'] }, '/*']] }]),
    );
    const kmsStatement = statements.find((s) => (s.Action as string[]).some((a) => a.startsWith('kms:')))!;
    expect(kmsStatement.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    expect(kmsStatement.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });
});

describe('Class: PitstopStorage (options)', () => {
  it('uses the configured lifecycle days', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    // Act
    new PitstopStorage(stack, 'Storage', {
      model: model(),
      reportsInfrequentAccessAfterDays: 60,
      captureExpirationDays: 14,
      noncurrentVersionExpirationDays: 7,
    });
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'reports/', Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 60 }] }),
          Match.objectLike({ Prefix: 'capture/', ExpirationInDays: 14 }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } }),
        ]),
      },
    });
  });

  it('imports the bucket of data.artifactsUri, creates no bucket and grants on the prefix', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const m = model({ data: { ...model().data, artifactsUri: 's3://team-artifacts/pitstop/churn' } });
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // Act
    const storage = new PitstopStorage(stack, 'Storage', { model: m });
    storage.grantReadWriteArtifacts(role);
    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(storage.bucketCreated).toBe(false);
    expect(storage.artifactsPrefix).toBe('pitstop/churn/');
    const resources = policyStatements(template).flatMap((s) => [s.Resource].flat());
    expect(JSON.stringify(resources)).toContain(':s3:::team-artifacts/pitstop/churn/*');
  });

  it('grants reading each input location, scoped to its key', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const storage = new PitstopStorage(stack, 'Storage', { model: model() });
    // Act
    storage.grantReadInputs(role);
    // Assess
    const text = JSON.stringify(policyStatements(Template.fromStack(stack)));
    for (const object of [
      ':s3:::churn-data/training/train.csv*',
      ':s3:::churn-data/holdout/holdout.csv*',
      ':s3:::churn-capture/datacapture/*',
      ':s3:::churn-data/ground-truth/*',
    ]) {
      expect(text).toContain(object);
    }
    expect(text).not.toContain('s3:PutObject');
  });

  it.each([
    [{ reportsInfrequentAccessAfterDays: 10 }, 'expected reportsInfrequentAccessAfterDays to be an integer >= 30, got 10'],
    [{ captureExpirationDays: 0 }, 'expected captureExpirationDays to be an integer >= 1, got 0'],
    [{ noncurrentVersionExpirationDays: 1.5 }, 'expected noncurrentVersionExpirationDays to be an integer >= 1, got 1.5'],
  ])('rejects %o', (options, message) => {
    const stack = new Stack(new App(), 'Test');
    expect(() => new PitstopStorage(stack, 'Storage', { model: model(), ...options })).toThrow(message);
  });

  it('rejects a malformed artifactsUri naming the field', () => {
    const stack = new Stack(new App(), 'Test');
    const m = model();
    const bad = { ...m, data: { ...m.data, artifactsUri: 'https://example.com/x' } };
    expect(() => new PitstopStorage(stack, 'Storage', { model: bad })).toThrow(/^data\.artifactsUri: expected an S3 URI/);
  });
});

describe('Class: PitstopStorage (compliance settings)', () => {
  const statementsOf = (template: Template) =>
    Object.values(template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;

  it('versions the access-logs bucket and expires its noncurrent versions', () => {
    const template = Template.fromStack(withStorage({}));
    const logs = Object.values(template.findResources('AWS::S3::Bucket')).find((b) => !b.Properties.LoggingConfiguration)!;
    expect(logs.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logs.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    expect(logs.Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('denies kms:CreateGrant on the key it creates unless the grant is for an AWS resource', () => {
    const deny = statementsOf(Template.fromStack(withStorage({}))).find((s) => s.Sid === 'DenyGrantsExceptForAwsResources');
    expect(deny).toEqual({
      Sid: 'DenyGrantsExceptForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it('locks the artifacts bucket in governance mode, for the noncurrent-version period unless told otherwise', () => {
    const artifactsOf = (stack: Stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket')).find((b) => b.Properties.LoggingConfiguration)!.Properties;
    expect(artifactsOf(withStorage({ objectLock: true })).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect(artifactsOf(withStorage({ objectLock: true, objectLockRetentionDays: 7 })).ObjectLockConfiguration.Rule.DefaultRetention.Days).toBe(7);
    expect(artifactsOf(withStorage({})).ObjectLockEnabled).toBeUndefined();
  });

  it('refuses a lock longer than noncurrent versions are kept, or a retention without the lock', () => {
    expect(() => withStorage({ objectLock: true, objectLockRetentionDays: 31 })).toThrow(
      'expected objectLockRetentionDays <= noncurrentVersionExpirationDays (30), so the lifecycle rules can delete noncurrent versions on time, got 31',
    );
    expect(() => withStorage({ objectLockRetentionDays: 7 })).toThrow('expected objectLock to be true when objectLockRetentionDays is given, got objectLock false');
  });

  it('sends both buckets\' events to EventBridge on the bucket resources, with no custom resource', () => {
    const template = Template.fromStack(withStorage({ eventBridgeNotifications: true }));
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    }
    expect(Object.keys(template.findResources('Custom::S3BucketNotifications'))).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

function withStorage(props: Omit<ConstructorParameters<typeof PitstopStorage>[2], 'model'>): Stack {
  const stack = new Stack(new App(), 'Test');
  new PitstopStorage(stack, 'Storage', { model: model(), ...props });
  return stack;
}
