/**
 * `pitstop demo`: runs a local-mode scenario end to end (see local/runner and
 * docs/local-mode.md). `npm start` runs the default, drift-retrain.
 */
import { resolve } from 'node:path';
import { SCENARIO_NAMES, runDemo, type DemoResult, type ScenarioName } from '../../../local/runner';
import { ExitCode, type Command } from '../command';
import { optString, UsageError } from '../options';

/** The human summary of a demo result. */
export function formatDemoResult(r: DemoResult): string {
  const lines = [
    `scenario:   ${r.scenario}`,
    `outcome:    ${r.outcome} (expected ${r.expected}) ${r.passed ? '✓' : '✗'}`,
    `production: ${r.productionModel.before ?? '(none)'} → ${r.productionModel.after ?? '(none)'}`,
    `executions: ${r.executions.map((e) => `${e.stateMachine} ${e.status}${e.error ? ` (${e.error})` : ''}`).join(', ')}`,
    `states:     ${r.states.length} visited`,
    `duration:   ${(r.durationMs / 1000).toFixed(1)} s`,
    `report:     ${r.report ?? '(not written)'}`,
  ];
  for (const c of r.failedChecks) lines.push(`check failed: ${c}`);
  if (r.error) lines.push(`error: ${r.error}`);
  return lines.join('\n');
}

export const demoCommand: Command = {
  name: 'demo',
  usage: `demo [--scenario NAME] [--config FILE] [--model NAME] [--root DIR]`,
  help: [
    ['--scenario NAME', `${SCENARIO_NAMES.join(' | ')} (default drift-retrain)`],
    ['--config FILE', 'the config to deploy locally (default examples/pitstop.config.json)'],
    ['--model NAME', 'the model of --config (default its first)'],
    ['--root DIR', 'local backend directory, cleared first (default .pitstop/local)'],
  ],
  examples: ['pitstop demo', 'pitstop demo --scenario canary-failure --json'],
  options: {
    scenario: { type: 'string' },
    config: { type: 'string' },
    model: { type: 'string' },
    root: { type: 'string' },
  },
  positionals: { min: 0, max: 0, names: [] },
  async run(values, _positionals, ctx) {
    const scenario = optString(values, 'scenario') ?? 'drift-retrain';
    if (!(SCENARIO_NAMES as readonly string[]).includes(scenario)) {
      throw new UsageError(`--scenario: expected one of ${SCENARIO_NAMES.join(', ')}, got "${scenario}"`);
    }
    const config = optString(values, 'config');
    const model = optString(values, 'model');
    const root = optString(values, 'root');
    const result = await runDemo({
      scenario: scenario as ScenarioName,
      ...(config ? { configPath: resolve(config) } : {}),
      ...(model ? { modelName: model } : {}),
      ...(root ? { root: resolve(root) } : {}),
      progress: ctx.progress,
    });
    const { scenario: s, outcome, states, productionModel, durationMs, report, expected, passed, executions, failedChecks, details, fields, error } = result;
    return {
      exitCode: passed ? ExitCode.Ok : ExitCode.CheckFailed,
      json: { scenario: s, outcome, states, productionModel, durationMs, report, expected, passed, executions, failedChecks, ...(details ? { details } : {}), ...(fields ?? {}), ...(error ? { error } : {}) },
      text: formatDemoResult(result),
    };
  },
};
