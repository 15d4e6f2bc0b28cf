import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ExitCode, type Command } from '../command';
import { optString } from '../options';
import { findStateMachine, modelName, sfnClient } from '../state-machines';

export const triggerCommand: Command = {
  name: 'trigger',
  usage: 'trigger --model NAME [--reason TEXT] [--force]',
  help: [
    ['--model NAME', 'the model (its state machine is pitstop-<model>-retrain)'],
    ['--reason TEXT', 'why, kept in the run record and the notification (default "manual")'],
    ['--force', 'skip the cooldown after a recent promotion (never the single-flight guard)'],
  ],
  examples: ['pitstop trigger --model churn --reason "new labels from the Q3 campaign" --force'],
  options: { model: { type: 'string' }, reason: { type: 'string' }, force: { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  deployment: true,
  async run(values) {
    const model = modelName(values);
    const client = sfnClient(values);
    const arn = await findStateMachine(client, values, 'retrain');
    const input = { reason: optString(values, 'reason') ?? 'manual', force: values.force === true, trigger: 'cli' };
    const out = await client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
    return {
      exitCode: ExitCode.Ok,
      json: { executionArn: out.executionArn, startDate: out.startDate, input },
      text: `Started retrain of ${model}: ${out.executionArn}\nFollow it with: pitstop status --model ${model}`,
    };
  },
};
