import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ExitCode, type Command } from '../command';
import { optString } from '../options';
import { findStateMachine, modelName, sfnClient } from '../state-machines';

export const rollbackCommand: Command = {
  name: 'rollback',
  usage: 'rollback --model NAME [--endpoint-config NAME] [--reason TEXT]',
  help: [
    ['--model NAME', 'the model (its state machine is pitstop-<model>-rollback)'],
    ['--endpoint-config NAME', 'the endpoint config to restore (default: the one recorded before the last promotion)'],
    ['--reason TEXT', 'why, kept in the run record and the notification'],
  ],
  examples: ['pitstop rollback --model churn --reason "complaints about scores since 14:00"'],
  options: { model: { type: 'string' }, 'endpoint-config': { type: 'string' }, reason: { type: 'string' } },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  deployment: true,
  async run(values) {
    const model = modelName(values);
    const client = sfnClient(values);
    const arn = await findStateMachine(client, values, 'rollback');
    const input: Record<string, string> = { reason: optString(values, 'reason') ?? 'Rollback requested from the CLI' };
    const config = optString(values, 'endpoint-config');
    if (config) input.endpointConfigName = config;
    const out = await client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
    return {
      exitCode: ExitCode.Ok,
      json: { executionArn: out.executionArn, startDate: out.startDate, input },
      text: `Started rollback of ${model}${config ? ` to ${config}` : ' to the previous endpoint config'}: ${out.executionArn}`,
    };
  },
};
