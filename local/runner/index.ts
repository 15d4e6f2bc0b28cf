/**
 * Local mode's demo runner: `runDemo({ scenario })` runs one scenario end to end on
 * this machine (synthesized state machines, real Lambda handlers, local backend and
 * SageMaker), writes the HTML report and returns the result; nothing keeps running
 * after it returns.
 */
import { join } from 'node:path';
import { writeReport } from '../report';
import type { SoakReport } from '../report/types';
import { soakDay, type SoakMonitorRun, type SoakRetrain } from './soak';
import { EXAMPLE_CONFIG } from './environment';
import { buildReportData, type DemoOutcome } from './report-data';
import { SCENARIOS, SCENARIO_NAMES, withoutCooldown, type ScenarioName, type ScenarioRun } from './scenarios';
import { DemoSession } from './session';

export { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from './scenarios';
export { createEnvironment, loadModel, type LocalEnvironment } from './environment';
export { ExecutionRunner } from './executions';
export { SimulatedClock } from './clock';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** @default 'drift-retrain' */
  readonly scenario?: ScenarioName;
  /** Config file. @default examples/pitstop.config.json */
  readonly configPath?: string;
  /** Model of the config. @default its first */
  readonly modelName?: string;
  /** Root of the local backend; cleared first. @default `.pitstop/local` of the working directory */
  readonly root?: string;
  /** Progress lines (stderr). @default dropped */
  readonly progress?: (line: string) => void;
  /** Length of a canary bake, in ms. @default 1500 */
  readonly bakeMs?: number;
}

/** The result of a demo run. */
export interface DemoResult {
  readonly scenario: ScenarioName;
  /** What the scenario's main retrain ended with (`failed` / `skipped` when it ended otherwise). */
  readonly outcome: DemoOutcome | 'skipped' | 'failed';
  readonly expected: DemoOutcome;
  /** True when the outcome is the expected one and every check of the scenario held. */
  readonly passed: boolean;
  /** State names visited, in order, across every execution. */
  readonly states: string[];
  readonly productionModel: { readonly before: string | null; readonly after: string | null };
  readonly durationMs: number;
  /** Path of the HTML report. */
  readonly report: string | null;
  /** Every execution, in the order they ended. */
  readonly executions: { stateMachine: string; name: string; status: string; error?: string }[];
  /** Checks of the scenario that did not hold. */
  readonly failedChecks: readonly string[];
  /** The error that ended the run early, if any. */
  readonly error?: string;
  /** Figures particular to the scenario (json-capture: the CSV and JSON monitor figures). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The scenario's own top-level summary fields (the soak's `monitor` and `retrains`). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Runs one scenario; always tears the environment down. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const name = options.scenario ?? 'drift-retrain';
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`expected a scenario among ${SCENARIO_NAMES.join(', ')}, got ${String(name)}`);
  const configPath = options.configPath ?? EXAMPLE_CONFIG;
  const session = await DemoSession.start({
    scenario: name,
    configPath,
    ...(options.modelName ? { modelName: options.modelName } : {}),
    // The soak keeps a real cooldown: its clock reaches the state machines (local/asl.ts honourStartTime).
    patch: (raw) => (scenario.keepsCooldown ? scenario.patch!(raw) : withoutCooldown(scenario.patch ? scenario.patch(raw) : raw)),
    ...(options.root ? { root: options.root } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.bakeMs !== undefined ? { bakeMs: options.bakeMs } : {}),
  });
  let run: ScenarioRun | undefined;
  let error: Error | undefined;
  try {
    session.say(`scenario ${name}: ${scenario.summary}`);
    run = await scenario.run(session, { configPath, ...(options.modelName ? { modelName: options.modelName } : {}) });
  } catch (err) {
    error = err as Error;
    session.say(`error: ${error.message}`);
  } finally {
    await session.close();
  }
  const outcome = run?.outcome ?? 'failed';
  const productionModel = { before: run?.before.model ?? null, after: run?.after.model ?? null };
  const reportOutcome: DemoOutcome = outcome === 'skipped' || outcome === 'failed' ? 'stopped' : outcome;
  const record = session.record(reportOutcome, productionModel, run?.evaluationsBefore ?? Number.MAX_SAFE_INTEGER);
  const reportPath = join(session.env.root, 'reports', `${name}-${new Date(session.startedAt).toISOString().replace(/[:.]/g, '-')}.html`);
  let report: string | null = null;
  try {
    report = await writeReport(reportPath, { ...buildReportData(record), ...soakReportOf(run) });
  } catch (err) {
    error ??= err as Error;
  }
  const failedChecks = [...(run?.failedChecks ?? [])];
  const passed = !error && outcome === scenario.expected && failedChecks.length === 0;
  return {
    scenario: name,
    outcome,
    expected: scenario.expected,
    passed,
    states: session.env.timeline.states,
    productionModel,
    durationMs: Date.now() - session.startedAt,
    report,
    executions: session.env.runner.executions.map((e) => ({ stateMachine: e.stateMachine, name: e.name, status: e.status, ...(e.error ? { error: e.error } : {}) })),
    failedChecks,
    ...(run?.details ? { details: run.details } : {}),
    ...(run?.fields ? { fields: run.fields } : {}),
    ...(error ? { error: error.message } : {}),
  };
}

/** The soak's report data, from its run's fields and details (nothing for other scenarios). */
function soakReportOf(run: ScenarioRun | undefined): { soak?: SoakReport } {
  const monitor = run?.fields?.monitor as SoakMonitorRun[] | undefined;
  const details = run?.details as { soakStart?: string; retrains?: SoakRetrain[] } | undefined;
  if (!monitor || !details?.soakStart) return {};
  const start = details.soakStart;
  return {
    soak: {
      monitor: monitor.map((m) => ({ day: soakDay(start, m.windowEnd), bytesRead: m.bytesRead, captureBytesTotal: m.captureBytesTotal, insufficientData: m.insufficientData, drift: m.drift })),
      retrains: (details.retrains ?? []).filter((r) => r.at >= start).map((r) => ({ day: soakDay(start, r.at), trigger: r.trigger, outcome: r.outcome })),
    },
  };
}
