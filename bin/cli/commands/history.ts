import { ExitCode, type Command } from '../command';
import { optNumber } from '../options';
import { formatTable } from '../table';
import { findStateMachine, modelName, sfnClient } from '../state-machines';
import { recentExecutions } from './executions';

export const historyCommand: Command = {
  name: 'history',
  usage: 'history --model NAME [--limit N]',
  help: [
    ['--model NAME', 'the model'],
    ['--limit N', 'how many runs, newest first (default 10, at most 100)'],
  ],
  examples: ['pitstop history --model churn --limit 20 --json'],
  options: { model: { type: 'string' }, limit: { type: 'string' } },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  deployment: true,
  async run(values) {
    const model = modelName(values);
    const limit = optNumber(values, 'limit', { min: 1, max: 100, integer: true }) ?? 10;
    const client = sfnClient(values);
    const runs = await recentExecutions(client, await findStateMachine(client, values, 'retrain'), limit);
    return {
      exitCode: ExitCode.Ok,
      json: { model, runs },
      text:
        runs.length === 0
          ? `${model}: no retrain run yet`
          : formatTable(
              ['run', 'status', 'outcome', 'started', 'stopped', 'error'],
              runs.map((r) => [r.name, r.status, r.outcome ?? '', r.startDate ?? '', r.stopDate ?? '', r.error ?? '']),
            ),
    };
  },
};
