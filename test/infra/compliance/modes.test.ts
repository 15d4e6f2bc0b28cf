/**
 * The pipeline stack in both compliance modes, checked with AWS Control Tower's rules
 * (raw findings, before acknowledgements), cdk-nag and cfn-lint, plus Template
 * assertions of what each control asks for.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyControlTowerChecks, ControlTowerChecks, findingsByControl } from '../../../infra/compliance/control-tower';
import { LAMBDA_VPC_ACTIONS } from '../../../infra/compliance/lambda-network';
import { DATASET_FUNCTIONS, FUNCTION_DIRS } from '../../../infra/functions';
import type { Compliance, ModelConfig } from '../../../vocabulary/config/index';
import { applyNag, checkNag } from '../../../statemachines/nag';
import { PitstopPipeline } from '../../../infra/pipeline';
import { PitstopStack, stackNameFor } from '../../../infra/stack';
import { cfnLint, describeFindings } from '../cfn-lint';
import { model } from '../fixtures';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] }; // eslint-disable-line @typescript-eslint/no-explicit-any

const work = mkdtempSync(join(tmpdir(), 'pitstop-modes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NETWORK = { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'], securityGroupIds: ['sg-0123456789abcdef0'] };
const features = [
  { name: 'age', type: 'numeric' as const },
  { name: 'plan', type: 'categorical' as const },
];
const standardModel = model({ features, triggers: { quality: { metric: 'f1', threshold: 0.7 } } });
const governedModel = model({ features, triggers: { quality: { metric: 'f1', threshold: 0.7 } }, network: NETWORK });

/** The controls that standard mode leaves open (docs/operations.md), with the resources of the test stack. */
const ACCESS_LOGS = 'PipelineStorageAccessLogsBucket2B92D1FC';
const ARTIFACTS = 'PipelineStorageArtifactsBucket72F3F08A';
/** Every pitstop function but the dataset step's, which exists only with `data.dataset` (these models have none). */
const FUNCTION_COUNT = Object.keys(FUNCTION_DIRS).length - DATASET_FUNCTIONS.length;

function synth(m: ModelConfig, compliance: Compliance) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PitstopStack(app, stackNameFor(m), { model: m, pipeline: { compliance } });
  const template = Template.fromStack(stack);
  const path = join(work, `${compliance}.template.json`);
  writeFileSync(path, JSON.stringify(template.toJSON()));
  const findings = findingsByControl(new ControlTowerChecks().validate({ templatePaths: [path], appConstruct: app }).violations);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource>, findings };
}

const ofType = (resources: Record<string, Resource>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('Compliance "standard"', () => {
  const { stack, resources, findings } = synth(standardModel, 'standard');
  const functions = ofType(resources, 'AWS::Lambda::Function').map(([id]) => id).sort();

  it('fails only the opinionated controls and the access-logs bucket\'s own two', () => {
    expect(findings.map((f) => [f.controlId, f.resources])).toEqual([
      ['CT.LAMBDA.PR.3', functions],
      ['CT.S3.PR.2', [ACCESS_LOGS]],
      ['CT.S3.PR.4', [ACCESS_LOGS, ARTIFACTS].sort()],
      ['CT.S3.PR.9', [ACCESS_LOGS, ARTIFACTS].sort()],
      ['CT.S3.PR.10', [ACCESS_LOGS]],
    ]);
    expect(functions).toHaveLength(FUNCTION_COUNT);
  });

  it('passes cdk-nag with no finding', () => {
    expect(checkNag(stack).violations).toEqual([]);
  });
});

describe('Compliance "control-tower"', () => {
  const { stack, template, resources, findings } = synth(governedModel, 'control-tower');

  it('fails no control but the access-logs bucket\'s three, which a log target bucket cannot meet', () => {
    expect(findings.map((f) => [f.controlId, f.resources])).toEqual([
      ['CT.S3.PR.2', [ACCESS_LOGS]],
      ['CT.S3.PR.9', [ACCESS_LOGS]],
      ['CT.S3.PR.10', [ACCESS_LOGS]],
    ]);
  });

  it('puts every function of the stack in the configured subnets and security groups (none outside the VPC)', () => {
    const functions = ofType(resources, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(FUNCTION_COUNT);
    for (const [, fn] of functions) {
      expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: NETWORK.subnetIds, SecurityGroupIds: NETWORK.securityGroupIds });
    }
    // No custom resource: its provider Lambda would run outside the VPC.
    expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')).toEqual([]);
  });

  it('creates each function after its role can manage network interfaces, scoped to the configured subnets and groups', () => {
    for (const [, fn] of ofType(resources, 'AWS::Lambda::Function')) {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const [policyId, policy] = ofType(resources, 'AWS::IAM::Policy').find(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))!;
      expect(fn.DependsOn).toContain(policyId);
      const statements = policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
      const create = statements.find((s) => s.Action === 'ec2:CreateNetworkInterface')!;
      const resolved = JSON.stringify(create.Resource);
      for (const id of [...NETWORK.subnetIds, ...NETWORK.securityGroupIds]) expect(resolved).toContain(id);
      const describe = statements.find((s) => JSON.stringify(s.Action) === JSON.stringify(LAMBDA_VPC_ACTIONS.describe))!;
      expect(describe.Resource).toBe('*');
    }
  });

  it('encrypts every log group with the pipeline key and keeps it 365 days', () => {
    const keyId = ofType(resources, 'AWS::KMS::Key')[0]![0];
    const groups = ofType(resources, 'AWS::Logs::LogGroup');
    // One log group per function and per state machine.
    expect(groups).toHaveLength(FUNCTION_COUNT + ofType(resources, 'AWS::StepFunctions::StateMachine').length);
    for (const [, group] of groups) {
      expect(group.Properties).toMatchObject({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    }
  });

  it('gives every alarm an action, and the retrain triggers ALARM and OK actions to the topic', () => {
    const topic = { Ref: ofType(resources, 'AWS::SNS::Topic')[0]![0] };
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    const triggers = alarms.filter(([, a]) => /drifted-features|live-quality|new-labeled-samples/.test(a.Properties.AlarmName));
    expect(triggers).toHaveLength(3);
    for (const [, alarm] of triggers) expect(alarm.Properties.OKActions).toEqual([topic]);
  });

  it('denies kms:CreateGrant unless the grant is for an AWS resource', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyGrantsExceptForAwsResources',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          },
        ]),
      },
    });
  });

  it('declares the trigger dead-letter queue as one that no other queue may use', () => {
    const [, queue] = ofType(resources, 'AWS::SQS::Queue')[0]!;
    expect(queue.Properties.QueueName).toBe('pitstop-churn-trigger-dead-letters');
    expect(queue.Properties.RedriveAllowPolicy.redrivePermission).toBe('byQueue');
    expect(JSON.stringify(queue.Properties.RedriveAllowPolicy.sourceQueueArns)).toContain(':pitstop-churn-trigger-dead-letters');
  });

  it('locks the artifacts in governance mode no longer than noncurrent versions are kept, and sends events to EventBridge', () => {
    const artifacts = resources[ARTIFACTS]!.Properties;
    expect(artifacts.ObjectLockEnabled).toBe(true);
    expect(artifacts.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 30 });
    const noncurrent = artifacts.LifecycleConfiguration.Rules.find((r: { NoncurrentVersionExpiration?: unknown }) => r.NoncurrentVersionExpiration);
    expect(noncurrent.NoncurrentVersionExpiration.NoncurrentDays).toBeGreaterThanOrEqual(30);
    for (const id of [ARTIFACTS, ACCESS_LOGS]) {
      expect(resources[id]!.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    }
    // A log target bucket takes no Object Lock.
    expect(resources[ACCESS_LOGS]!.Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('passes cdk-nag with no finding', () => {
    expect(checkNag(stack).violations).toEqual([]);
  });

  it('passes cfn-lint with no error', () => {
    const { errors } = cfnLint(template.toJSON(), 'control-tower');
    expect(errors, describeFindings(errors)).toEqual([]);
  });
});

describe('Function: applyControlTowerChecks with applyNag on the app, both modes', () => {
  it.each([
    ['standard', standardModel],
    ['control-tower', governedModel],
  ] as const)('synthesizes in %s mode with every finding acknowledged', (compliance, m) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new PitstopStack(app, stackNameFor(m), { model: m, pipeline: { compliance } });
    applyNag(app, { verbose: false });
    applyControlTowerChecks(app);
    expect(() => app.synth()).not.toThrow();
  }, 120_000);
});

describe('Class: PitstopPipeline (compliance checks)', () => {
  it('requires the model\'s network in control-tower mode', () => {
    expect(() => new PitstopPipeline(new Stack(new App(), 'Test'), 'Pipeline', { model: standardModel, compliance: 'control-tower' })).toThrow(
      'expected model.network (subnetIds and securityGroupIds) for model "churn" when compliance is "control-tower", got none',
    );
  });

  it('refuses a log retention under 365 days in control-tower mode', () => {
    const short = model({ network: NETWORK, logRetentionDays: 30 });
    expect(() => new PitstopPipeline(new Stack(new App(), 'Test'), 'Pipeline', { model: short, compliance: 'control-tower' })).toThrow(
      'expected logRetentionDays >= 365 for model "churn" when compliance is "control-tower" (CT.CLOUDWATCH.PR.2), got 30',
    );
  });

  it('keeps a shorter retention in standard mode, where CT.CLOUDWATCH.PR.2 then fails and is acknowledged', () => {
    const short = model({ logRetentionDays: 30 });
    const { resources, findings } = synth(short, 'standard');
    for (const [, group] of ofType(resources, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
    expect(findings.map((f) => f.controlId)).toContain('CT.CLOUDWATCH.PR.2');
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new PitstopStack(app, stackNameFor(short), { model: short });
    applyControlTowerChecks(app);
    expect(() => app.synth()).not.toThrow();
  }, 120_000);

  it('fails no control at all in control-tower mode with an existing artifacts bucket (no bucket created)', () => {
    const existing = model({ network: NETWORK, data: { ...governedModel.data, artifactsUri: 's3://team-artifacts/pitstop/' } });
    const { resources, findings } = synth(existing, 'control-tower');
    expect(ofType(resources, 'AWS::S3::Bucket')).toEqual([]);
    expect(findings).toEqual([]);
  }, 120_000);

  it('puts the Lambdas in the network in standard mode too when the model has one', () => {
    const { resources, findings } = synth(governedModel, 'standard');
    for (const [, fn] of ofType(resources, 'AWS::Lambda::Function')) expect(fn.Properties.VpcConfig.SubnetIds).toEqual(NETWORK.subnetIds);
    expect(findings.map((f) => f.controlId)).not.toContain('CT.LAMBDA.PR.3');
  }, 120_000);
});
