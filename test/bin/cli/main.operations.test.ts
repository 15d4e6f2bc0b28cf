import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';

const sfn = mockClient(SFNClient);
const arn = (kind: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:pitstop-churn-${kind}`;
const run = (...argv: string[]) => runCli(argv);

beforeEach(() => {
  // Prepare: the model's four state machines, split over two pages, among another model's.
  sfn.on(ListStateMachinesCommand, { nextToken: undefined }).resolves({
    stateMachines: [
      { name: 'pitstop-other-retrain', stateMachineArn: 'arn:other', type: 'STANDARD', creationDate: new Date() },
      { name: 'pitstop-churn-monitor', stateMachineArn: arn('monitor'), type: 'STANDARD', creationDate: new Date() },
    ],
    nextToken: 'page2',
  });
  sfn.on(ListStateMachinesCommand, { nextToken: 'page2' }).resolves({
    stateMachines: ['retrain', 'canary', 'rollback'].map((k) => ({ name: `pitstop-churn-${k}`, stateMachineArn: arn(k), type: 'STANDARD' as const, creationDate: new Date() })),
  });
});

afterEach(() => {
  sfn.reset();
});

describe('Function: pitstop trigger', () => {
  it('starts the retrain state machine with reason and force', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:1', startDate: new Date(0) });
    const out = await run('trigger', '--model', 'churn', '--reason', 'new labels', '--force', '--json');
    expect(out.exitCode).toBe(0);
    const call = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call.stateMachineArn).toBe(arn('retrain'));
    expect(JSON.parse(call.input!)).toEqual({ reason: 'new labels', force: true, trigger: 'cli' });
    expect(JSON.parse(out.stdout).executionArn).toBe('arn:exec:1');
  });

  it('says clearly when the model is not deployed in this region, exit 2', async () => {
    const out = await run('trigger', '--model', 'fraud');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('pitstop-fraud-retrain');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('rejects a missing or malformed --model', async () => {
    expect((await run('trigger')).stderr).toContain('--model is required');
    expect((await run('trigger', '--model', 'Churn!')).exitCode).toBe(2);
  });
});

describe('Function: pitstop history and status', () => {
  it('lists runs newest first with outcomes from output or error', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: 'arn:e2', stateMachineArn: arn('retrain'), name: 'run-2', status: 'FAILED', startDate: new Date('2026-11-02T02:00:00Z') },
        { executionArn: 'arn:e1', stateMachineArn: arn('retrain'), name: 'run-1', status: 'SUCCEEDED', startDate: new Date('2026-11-01T02:00:00Z') },
      ],
    });
    sfn.on(DescribeExecutionCommand, { executionArn: 'arn:e2' }).resolves({ error: 'GateRejected', cause: 'f1 below production' } as never);
    sfn.on(DescribeExecutionCommand, { executionArn: 'arn:e1' }).resolves({ output: JSON.stringify({ end: { outcome: 'Promoted' } }) } as never);
    const out = await run('history', '--model', 'churn', '--limit', '5', '--json');
    const { runs } = JSON.parse(out.stdout);
    expect(runs.map((r: { outcome: string }) => r.outcome)).toEqual(['Failed', 'Promoted']);
    expect(runs[0].error).toBe('GateRejected');
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toMatchObject({ stateMachineArn: arn('retrain'), maxResults: 5 });
  });

  it('status names what is running', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arn('canary') }).resolves({
      executions: [{ executionArn: 'arn:c1', stateMachineArn: arn('canary'), name: 'canary-1', status: 'RUNNING', startDate: new Date() }],
    });
    const out = await run('status', '--model', 'churn', '--json');
    expect(JSON.parse(out.stdout).running).toEqual(['canary']);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });
});

describe('Function: pitstop approve and reject', () => {
  const waiting = () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [{ executionArn: 'arn:r1', stateMachineArn: arn('retrain'), name: 'r1', status: 'RUNNING', startDate: new Date() }],
    });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 42,
          type: 'TaskScheduled',
          timestamp: new Date(),
          taskScheduledEventDetails: {
            resource: 'publish.waitForTaskToken',
            resourceType: 'sns',
            region: 'eu-west-1',
            parameters: JSON.stringify({ TopicArn: 'arn:t', Message: 'Candidate r1 of model churn passed the gate ... Task token: AAAA+token/xyz==' }),
          },
        },
      ],
    });
  };

  it('approve finds the token of the waiting retrain and sends success', async () => {
    waiting();
    const out = await run('approve', '--model', 'churn');
    expect(out.exitCode).toBe(0);
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(sent.taskToken).toBe('AAAA+token/xyz==');
    expect(JSON.parse(sent.output!).approved).toBe(true);
  });

  it('reject sends ApprovalRejected with the reason', async () => {
    waiting();
    await run('reject', '--model', 'churn', '--reason', 'stale holdout');
    const sent = sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input;
    expect(sent).toMatchObject({ taskToken: 'AAAA+token/xyz==', error: 'ApprovalRejected', cause: 'stale holdout' });
  });

  it('uses --token as given without reading history', async () => {
    await run('approve', '--model', 'churn', '--token', 'T1');
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('T1');
  });

  it('fails clearly when nothing waits for approval', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const out = await run('approve', '--model', 'churn');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('no retrain of "churn" is waiting for approval');
  });
});

describe('Function: pitstop rollback', () => {
  it('starts the rollback state machine, with a given config', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:rb', startDate: new Date() });
    await run('rollback', '--model', 'churn', '--endpoint-config', 'churn-config-v3');
    const call = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call.stateMachineArn).toBe(arn('rollback'));
    expect(JSON.parse(call.input!)).toMatchObject({ endpointConfigName: 'churn-config-v3' });
  });
});
