/**
 * `approve` and `reject`: answer the retrain's manual approval. The retrain waits in
 * its "Ask for approval" state with a task token, published in the approval
 * notification; without `--token` the commands find it in the execution history of
 * the model's running retrain.
 */
import { GetExecutionHistoryCommand, SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { InputError } from '../../../vocabulary/errors';
import { ExitCode, type Command, type ParsedValues } from '../command';
import { optString } from '../options';
import { findStateMachine, modelName, sfnClient } from '../state-machines';
import { recentExecutions } from './executions';

const TOKEN_IN_MESSAGE = /Task token: (\S+)\s*$/;

/** The task token of the approval the model's running retrain waits on. */
export async function pendingApprovalToken(client: SFNClient, values: ParsedValues, model: string): Promise<{ token: string; executionArn: string }> {
  const running = await recentExecutions(client, await findStateMachine(client, values, 'retrain'), 10, 'RUNNING');
  for (const execution of running) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, reverseOrder: true, nextToken }));
      for (const event of page.events ?? []) {
        const params = event.taskScheduledEventDetails;
        if (event.type !== 'TaskScheduled' || !params?.resource?.includes('waitForTaskToken')) continue;
        const message = (JSON.parse(params.parameters ?? '{}') as { Message?: unknown }).Message;
        const match = typeof message === 'string' ? TOKEN_IN_MESSAGE.exec(message) : null;
        if (match) return { token: match[1]!, executionArn: execution.executionArn };
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  throw new InputError(`no retrain of "${model}" is waiting for approval (${running.length} running)`);
}

async function resolveToken(values: ParsedValues, client: SFNClient, model: string) {
  const token = optString(values, 'token');
  return token ? { token, executionArn: undefined } : pendingApprovalToken(client, values, model);
}

const APPROVAL_OPTIONS = { model: { type: 'string' }, token: { type: 'string' }, reason: { type: 'string' } } as const;

export const approveCommand: Command = {
  name: 'approve',
  usage: 'approve --model NAME [--token TOKEN] [--reason TEXT]',
  help: [
    ['--model NAME', 'the model'],
    ['--token TOKEN', 'the task token from the approval notification (default: found in the running retrain)'],
    ['--reason TEXT', 'kept in the run record'],
  ],
  examples: ['pitstop approve --model churn --reason "reviewed the metrics"'],
  options: APPROVAL_OPTIONS,
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  deployment: true,
  async run(values) {
    const model = modelName(values);
    const client = sfnClient(values);
    const { token, executionArn } = await resolveToken(values, client, model);
    const output = { approved: true, reason: optString(values, 'reason') ?? 'approved from the CLI' };
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    return { exitCode: ExitCode.Ok, json: { model, executionArn, ...output }, text: `Approved the candidate of ${model}${executionArn ? ` (${executionArn})` : ''}.` };
  },
};

export const rejectCommand: Command = {
  name: 'reject',
  usage: 'reject --model NAME [--token TOKEN] [--reason TEXT]',
  help: approveCommand.help,
  examples: ['pitstop reject --model churn --reason "holdout is from before the pricing change"'],
  options: APPROVAL_OPTIONS,
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  deployment: true,
  async run(values) {
    const model = modelName(values);
    const client = sfnClient(values);
    const { token, executionArn } = await resolveToken(values, client, model);
    const reason = optString(values, 'reason') ?? 'rejected from the CLI';
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'ApprovalRejected', cause: reason }));
    return { exitCode: ExitCode.Ok, json: { model, executionArn, approved: false, reason }, text: `Rejected the candidate of ${model}: ${reason}` };
  },
};
