import { ExitCode, type Command } from '../command';
import { formatTable } from '../table';
import { findStateMachine, MACHINE_KINDS, modelName, sfnClient } from '../state-machines';
import { recentExecutions, type ExecutionSummary } from './executions';

export const statusCommand: Command = {
  name: 'status',
  usage: 'status --model NAME',
  help: [['--model NAME', 'the model']],
  examples: ['pitstop status --model churn'],
  options: { model: { type: 'string' } },
  positionals: { min: 0, max: 0, names: [] },
  aws: true,
  deployment: true,
  async run(values) {
    const model = modelName(values);
    const client = sfnClient(values);
    const rows: { kind: string; last?: ExecutionSummary }[] = [];
    for (const kind of MACHINE_KINDS) {
      const arn = await findStateMachine(client, values, kind);
      const [last] = await recentExecutions(client, arn, 1);
      rows.push({ kind, last });
    }
    const running = rows.filter((r) => r.last?.status === 'RUNNING').map((r) => r.kind);
    const table = formatTable(
      ['state machine', 'last run', 'status', 'outcome', 'started', 'error'],
      rows.map(({ kind, last }) => [kind, last?.name ?? '(never run)', last?.status ?? '', last?.outcome ?? '', last?.startDate ?? '', last?.error ?? '']),
    );
    return {
      exitCode: ExitCode.Ok,
      json: { model, running, stateMachines: Object.fromEntries(rows.map((r) => [r.kind, r.last ?? null])) },
      text: `${model}: ${running.length ? `running: ${running.join(', ')}` : 'nothing running'}\n${table}`,
    };
  },
};
