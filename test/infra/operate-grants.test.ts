import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { PitstopPipeline } from '../../infra/pipeline';
import { model } from './fixtures';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('Method: PitstopPipeline.grantOperate', () => {
  // Prepare: one pipeline (bundling skipped) and an operators' role
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Operate');
  const pipeline = new PitstopPipeline(stack, 'Pipeline', { model: model() });
  const operators = new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() });
  pipeline.grantOperate(operators);
  const template = Template.fromStack(stack);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(stack.getLogicalId(operators.node.defaultChild as iam.CfnRole)),
  );
  const statements = policies.flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
  const machineIds = Object.fromEntries(
    Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).map(([id, r]) => [(r as { Properties: { StateMachineName: string } }).Properties.StateMachineName.split('-').at(-1)!, id]),
  );
  const resourcesFor = (action: string) => statements.filter((s) => actionsOf(s).includes(action)).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));

  it('lets operators start the monitor, retrain and rollback, never the canary directly', () => {
    const started = JSON.stringify(resourcesFor('states:StartExecution'));
    for (const kind of ['monitor', 'retrain', 'rollback']) expect(started).toContain(machineIds[kind]);
    expect(started).not.toContain(machineIds.canary);
  });

  it('lets operators answer the approval and read executions of every state machine', () => {
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:ListExecutions', 'states:DescribeExecution', 'states:GetExecutionHistory']) {
      const resources = JSON.stringify(resourcesFor(action));
      expect(resources, action).not.toBe('[]');
      expect(resources, action).not.toBe('["*"]');
    }
    for (const kind of ['monitor', 'retrain', 'canary', 'rollback']) expect(JSON.stringify(resourcesFor('states:ListExecutions'))).toContain(machineIds[kind]);
  });

  it('uses a wildcard only for ListStateMachines, which has no resource-level permission', () => {
    const wildcard = statements.filter((s) => s.Resource === '*');
    expect(wildcard.flatMap(actionsOf)).toEqual(['states:ListStateMachines']);
    expect(resourcesFor('cloudformation:DescribeStacks')).toEqual([{ Ref: 'AWS::StackId' }]);
  });
});
