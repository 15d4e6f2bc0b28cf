import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';
import { STACK_OUTPUT_KEYS } from '../../../vocabulary/pipeline-names';

const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const arn = (name: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;
const run = (...argv: string[]) => runCli([...argv, '--region', 'eu-west-1']);

beforeEach(() => {
  // Prepare: staging and prod of churn side by side, and an unstaged churn
  sfn.on(ListStateMachinesCommand).resolves({
    stateMachines: ['pitstop-churn-retrain', 'pitstop-staging-churn-retrain', 'pitstop-prod-churn-retrain'].map((name) => ({
      name,
      stateMachineArn: arn(name),
      type: 'STANDARD' as const,
      creationDate: new Date(),
    })),
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:1', startDate: new Date(0) });
});

afterEach(() => {
  sfn.reset();
  cfn.reset();
});

describe('Function: pitstop <operation> --stage', () => {
  it('starts the staged state machine, not the other stage\'s nor the unstaged one', async () => {
    // Act
    const out = await run('trigger', '--model', 'churn', '--stage', 'staging');

    // Assess
    expect(out.exitCode, out.stderr).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.stateMachineArn).toBe(arn('pitstop-staging-churn-retrain'));
  });

  it('names the staged state machine when the stage is not deployed', async () => {
    const out = await run('trigger', '--model', 'churn', '--stage', 'dev');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('no state machine named pitstop-dev-churn-retrain');
  });

  it('rejects a malformed stage as bad usage', async () => {
    const out = await run('trigger', '--model', 'churn', '--stage', 'Stag_ing');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('--stage: expected a stage name');
  });
});

describe('Function: pitstop <operation> --stack', () => {
  it('reads the state machine ARN from the stack outputs (DescribeStacks), without --model', async () => {
    // Prepare: a DescribeStacks answer as CloudFormation gives it
    const retrainArn = arn('Pipeline-RetrainXYZ');
    cfn.on(DescribeStacksCommand, { StackName: 'Pitstop-staging-churn' }).resolves({
      Stacks: [
        {
          StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Pitstop-staging-churn/6f0b1a50-0000-11ef-8000-0a1b2c3d4e5f',
          StackName: 'Pitstop-staging-churn',
          CreationTime: new Date('2026-11-01T10:00:00Z'),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: STACK_OUTPUT_KEYS.monitor, OutputValue: arn('Pipeline-MonitorXYZ'), Description: 'ARN of the monitor state machine of staging-churn' },
            { OutputKey: STACK_OUTPUT_KEYS.retrain, OutputValue: retrainArn, Description: 'ARN of the retrain state machine of staging-churn' },
          ],
        },
      ],
    });

    // Act
    const out = await run('trigger', '--stack', 'Pitstop-staging-churn');

    // Assess
    expect(out.exitCode, out.stderr).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.stateMachineArn).toBe(retrainArn);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
  });

  it('says so when the stack does not exist (CloudFormation\'s ValidationError), exit 2', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id Pitstop-nope does not exist'), { name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    );

    // Act
    const out = await run('status', '--stack', 'Pitstop-nope');

    // Assess
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('no stack named Pitstop-nope');
  });

  it('says so when the stack is not a pitstop stack, exit 2', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Other', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }] });
    const out = await run('trigger', '--stack', 'Other');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(`stack Other has no output ${STACK_OUTPUT_KEYS.retrain}`);
  });

  it('lists --stage and --stack in the help of the operations commands', async () => {
    const help = (await runCli(['help', 'trigger'])).stdout;
    expect(help).toContain('--stage NAME');
    expect(help).toContain('--stack NAME');
  });
});
