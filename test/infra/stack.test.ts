import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PitstopStack, STACK_OUTPUT_KEYS, stackNameFor } from '../../infra/stack';
import { inStage } from '../../vocabulary/stages';
import { model } from './fixtures';

/** Properties that name a resource uniquely in an account and Region (not inline policy or metric names). */
const PHYSICAL_NAME_KEYS = ['AlarmName', 'StateMachineName', 'DashboardName', 'QueueName', 'TopicName', 'TableName', 'RoleName', 'FunctionName', 'BucketName', 'LogGroupName', 'ModelPackageGroupName', 'AliasName'];

/** Every physical name a template gives a resource, as `Key=value` (plain strings; tokens are unique by construction). */
function physicalNames(template: Template): string[] {
  const names: string[] = [];
  for (const resource of Object.values(template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>)) {
    for (const [key, value] of Object.entries(resource.Properties ?? {})) {
      const isRuleName = resource.Type === 'AWS::Events::Rule' && key === 'Name';
      if ((PHYSICAL_NAME_KEYS.includes(key) || isRuleName) && typeof value === 'string') names.push(`${key}=${value}`);
    }
  }
  return names;
}

describe('Class: PitstopStack (stages and outputs)', () => {
  // Prepare: staging and prod of one model in one app (one account and Region); bundling skipped
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const churn = model();
  const staging = new PitstopStack(app, stackNameFor(inStage(churn, 'staging')), { model: inStage(churn, 'staging') });
  const prod = new PitstopStack(app, stackNameFor(inStage(churn, 'prod')), { model: inStage(churn, 'prod') });
  const stagingTemplate = Template.fromStack(staging);
  const prodTemplate = Template.fromStack(prod);

  it('names the stacks Pitstop-<stage>-<model>', () => {
    expect([staging.stackName, prod.stackName]).toEqual(['Pitstop-staging-churn', 'Pitstop-prod-churn']);
  });

  it('gives the two stages no physical name in common, and every name carries the stage', () => {
    // Act
    const stagingNames = physicalNames(stagingTemplate);
    const prodNames = physicalNames(prodTemplate);

    // Assess
    expect(stagingNames.length).toBeGreaterThan(4);
    expect(stagingNames.filter((n) => prodNames.includes(n))).toEqual([]);
    for (const name of stagingNames.filter((n) => /=pitstop-/.test(n))) expect(name).toMatch(/=pitstop-staging-churn(-|$)/);
  });

  it('names the state machines pitstop-<stage>-<model>-<kind>', () => {
    const names = Object.values(stagingTemplate.findResources('AWS::StepFunctions::StateMachine')).map((r) => (r as { Properties: { StateMachineName: string } }).Properties.StateMachineName);
    expect(names.sort()).toEqual(['canary', 'monitor', 'retrain', 'rollback'].map((k) => `pitstop-staging-churn-${k}`));
  });

  it('outputs the ARN of each state machine under the keys the CLI reads', () => {
    // Act
    const outputs = stagingTemplate.toJSON().Outputs as Record<string, { Value: { Ref: string } }>;
    const machines = stagingTemplate.findResources('AWS::StepFunctions::StateMachine') as Record<string, { Properties: { StateMachineName: string } }>;

    // Assess: each output is a Ref to the state machine of its kind (Ref gives a state machine's ARN)
    for (const [kind, key] of Object.entries(STACK_OUTPUT_KEYS)) {
      const ref = outputs[key]?.Value.Ref;
      expect(ref, key).toBeDefined();
      expect(machines[ref!]?.Properties.StateMachineName).toBe(`pitstop-staging-churn-${kind}`);
    }
  });
});
