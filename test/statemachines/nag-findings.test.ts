import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../vocabulary/config/index';
import { allowCloudWatchLogsToUseKey } from '../../infra/key-policy';
import { checkNag } from '../../statemachines/nag';
import { PitstopNotifications } from '../../infra/notifications';
import { PitstopStorage } from '../../infra/storage';
import { PitstopStateMachines } from '../../statemachines';
import { acknowledgeWildcards } from '../../statemachines/wildcards';
import { standInFunctions } from '../infra/fixtures';
import { modelConfig } from './fixtures';

/** The state machines of `model` with the pipeline's storage (key, bucket) and topic, as PitstopPipeline wires them. */
function build(model: ModelConfig) {
  const stack = new Stack(new App(), 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  const storage = new PitstopStorage(stack, 'Storage', { model });
  const notifications = new PitstopNotifications(stack, 'Notifications', { model, encryptionKey: storage.encryptionKey });
  allowCloudWatchLogsToUseKey(storage.encryptionKey);
  const machines = new PitstopStateMachines(stack, 'Machines', {
    model,
    bucket: storage.bucket,
    topic: notifications.topic,
    functions: standInFunctions(stack),
    encryptionKey: storage.encryptionKey,
  });
  return { stack, machines, template: Template.fromStack(stack) };
}

const variants = {
  'auto approval, on-demand training': modelConfig(),
  'manual approval, spot tuning': modelConfig({
    approval: { mode: 'manual' },
    training: {
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1',
      inferenceImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-serve:1',
      managedSpot: true,
      tuning: { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } },
    },
  }),
};

/** Every Allow statement of the policies attached to the construct's roles, with the role's construct id. */
function statements(template: Template): Array<{ role: string; actions: string[]; resources: unknown[]; condition?: any }> {
  const out: Array<{ role: string; actions: string[]; resources: unknown[]; condition?: any }> = [];
  for (const [id, policy] of Object.entries<any>(template.findResources('AWS::IAM::Policy'))) {
    const role = /^Machines(\w+?)(Role)?DefaultPolicy/.exec(id)?.[1];
    if (!role) continue;
    for (const s of policy.Properties.PolicyDocument.Statement) {
      out.push({ role, actions: [s.Action].flat(), resources: [s.Resource].flat(), condition: s.Condition });
    }
  }
  return out;
}

/** Step Functions log delivery and X-Ray: no resource-level permissions. */
const LOG_DELIVERY_AND_XRAY = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];

describe('Class: PitstopStateMachines (cdk-nag)', () => {
  it.each(Object.entries(variants))('has no unacknowledged AwsSolutions finding (%s)', (_name, model) => {
    // Act
    const { stack } = build(model);

    // Assess
    const findings = checkNag(stack).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it.each(Object.entries(variants))("grants on Resource '*' only the acknowledged actions (%s)", (_name, model) => {
    // Act
    const { template } = build(model);

    // Assess: by role, the actions granted on '*'
    const star = new Map<string, string[]>();
    for (const s of statements(template).filter((st) => st.resources.includes('*'))) {
      star.set(s.role, [...(star.get(s.role) ?? []), ...s.actions].sort());
      if (s.actions.includes('cloudwatch:PutMetricData')) {
        expect(s.actions).toEqual(['cloudwatch:PutMetricData']);
        expect(JSON.stringify(s.condition)).toMatch(/"cloudwatch:namespace":("Pitstop"|\["\/aws\/sagemaker\/\*"\])/);
      }
    }
    expect(Object.fromEntries(star)).toEqual({
      Monitor: ['cloudwatch:PutMetricData', ...LOG_DELIVERY_AND_XRAY].sort(),
      Retrain: ['cloudwatch:PutMetricData', ...LOG_DELIVERY_AND_XRAY].sort(),
      Canary: LOG_DELIVERY_AND_XRAY,
      Rollback: LOG_DELIVERY_AND_XRAY,
      SageMaker: ['cloudwatch:PutMetricData', 'ecr:GetAuthorizationToken'],
    });
  });

  it('uses no managed policy and grants no whole bucket, key wildcard or function version wildcard', () => {
    const { template } = build(variants['manual approval, spot tuning']);
    const roles = Object.values<any>(template.findResources('AWS::IAM::Role')).filter((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).match(/states\.|sagemaker\./),
    );
    expect(roles.flatMap((r) => r.Properties.ManagedPolicyArns ?? [])).toEqual([]);
    const all = statements(template);
    expect(all.flatMap((s) => s.actions).filter((a) => a.includes('*'))).toEqual([]);
    const resources = JSON.stringify(all.map((s) => s.resources));
    expect(resources).not.toMatch(/ArtifactsBucket[0-9A-F]+","Arn"\]\},"\/\*"/); // <bucket>/*
    expect(resources).not.toMatch(/Fn[a-zA-Z]+[0-9A-F]+","Arn"\]\},":\*"/); // <function>:*
  });

  it('scopes the SageMaker role to the data prefixes, the model artifacts, the transform input and the configured images', () => {
    const { template } = build(variants['manual approval, spot tuning']);
    const sm = statements(template).filter((s) => s.role === 'SageMaker');
    const on = (action: string) => JSON.stringify(sm.filter((s) => s.actions.includes(action)).map((s) => s.resources));
    expect(on('s3:GetObject')).toContain(':s3:::churn-data/training/*');
    // transform jobs read the features-only copy of the holdout, never the holdout itself
    expect(on('s3:GetObject')).not.toContain('churn-data/holdout');
    expect(on('s3:GetObject')).toContain('/transforms/churn/*/input/*');
    expect(on('s3:GetObject')).toContain('/models/churn/*');
    expect(on('s3:GetObject')).not.toContain('capture');
    expect(on('s3:PutObject')).toContain(':s3:::churn-data/capture/*');
    expect(on('s3:PutObject')).toContain('/transforms/churn/*');
    expect(on('s3:PutObject')).not.toContain('training');
    expect(on('ecr:BatchGetImage')).toContain(':ecr:us-east-1:123456789012:repository/churn"');
    expect(on('ecr:BatchGetImage')).toContain(':ecr:us-east-1:123456789012:repository/churn-serve"');
    expect(on('kms:Decrypt')).toContain('StorageKey');
    expect(on('logs:PutLogEvents')).toContain('log-group:/aws/sagemaker/TrainingJobs:log-stream:pitstop-churn-*');
    expect(on('logs:PutLogEvents')).not.toMatch(/log-group:\/aws\/sagemaker\/\*/);
  });

  it('logs ALL events of every state machine to a log group encrypted with the pipeline key', () => {
    const { template } = build(modelConfig());
    const machines = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(4);
    for (const m of machines) {
      expect(m.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    }
    const groups = Object.values<any>(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(4);
    for (const g of groups) expect(JSON.stringify(g.Properties.KmsKeyId)).toContain('StorageKey');
  });
});

describe('Function: acknowledgeWildcards', () => {
  it('acknowledges a wildcard a rule accepts and leaves any other as a finding', () => {
    // Prepare
    const stack = new Stack(new App(), 'Ack', { env: { account: '123456789012', region: 'us-east-1' } });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:CreateTrainingJob'],
        resources: [stack.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: 'pitstop-churn-*' })],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteBucket'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['arn:aws:cloudwatch:us-east-1:123456789012:*'] }));

    // Act
    const unaccepted = acknowledgeWildcards(role);

    // Assess
    expect(unaccepted.sort()).toEqual(['*', 'arn:aws:cloudwatch:us-east-1:123456789012:*']);
    expect(checkNag(stack).violations.map((v) => v.ruleName).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:aws:cloudwatch:us-east-1:123456789012:*]',
    ]);
  });

  it('does not accept PutMetricData on * without a namespace condition', () => {
    const stack = new Stack(new App(), 'Ack');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData', 'xray:PutTraceSegments'], resources: ['*'] }));
    expect(acknowledgeWildcards(role)).toEqual(['*']);
  });
});

describe('Class: PitstopStateMachines (key grants)', () => {
  it('lets every state machine role use the pipeline key, which encrypts the topic and the lock table', () => {
    const { template } = build(variants['manual approval, spot tuning']);
    const machineRoles = ['Monitor', 'Retrain', 'Canary', 'Rollback'];
    const keyUsers = statements(template)
      .filter((s) => s.actions.includes('kms:GenerateDataKey') && s.actions.includes('kms:Decrypt'))
      .map((s) => s.role);
    for (const role of machineRoles) expect(keyUsers, role).toContain(role);
  });
});
