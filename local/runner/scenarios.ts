/**
 * The demo scenarios. Each bootstraps v1 the way a first deployment does (the Retrain
 * with no endpoint: absolute gate rules only, then the endpoint is created), lets days
 * pass on the simulated clock (past the retrain cooldown), then tells its story and
 * checks what must hold at the end (the production model, the endpoint config, the
 * jobs created).
 */
import { generateRows, splitHoldout } from '../../examples/data/generate';
import { createRandom } from '../../examples/data/prng';
import { nextWeekdayAt } from './clock';
import { withExampleContainer } from './builtin-configs';
import { datasetConfig, runRetrainOnTraffic } from './retrain-on-traffic';
import { runSoak, soakChecks, soakConfig } from './soak';
import { loadModel, type RawModel } from './environment';
import type { ExecutionResult } from './executions';
import { compareMonitorFigures, latestMonitorFigures } from './monitor-figures';
import { fanOutConfig, runFanOut } from './fan-out';
import { retrainOutcome, type DemoOutcome } from './report-data';
import type { DemoSession, EndpointState } from './session';
import type { TrafficRow } from './traffic';

/** Names of the scenarios. */
export const SCENARIO_NAMES = ['drift-retrain', 'bad-candidate', 'canary-failure', 'data-quality', 'json-capture', 'retrain-on-traffic', 'soak', 'fan-out', 'xgboost', 'sklearn'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What a scenario run ended with. */
export interface ScenarioRun {
  /** The Retrain execution the scenario is about. */
  readonly main?: ExecutionResult;
  readonly outcome: DemoOutcome | 'skipped' | 'failed';
  readonly before: EndpointState;
  readonly after: EndpointState;
  /** Evaluations made before the main retrain (the bootstrap's). */
  readonly evaluationsBefore: number;
  /** Checks that did not hold, one line each (empty when all held). */
  readonly failedChecks: readonly string[];
  /** Figures particular to the scenario (json-capture: the CSV and JSON monitor figures). @default none */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Fields of the scenario's own in the `--json` summary, beside the usual ones (the soak's `monitor` and `retrains`). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Where the scenario's config comes from, for a redeploy with a changed config. */
export interface ScenarioContext {
  readonly configPath: string;
  readonly modelName?: string;
}

/** A scenario. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly summary: string;
  readonly expected: DemoOutcome;
  /** Changes to the model's config for this scenario. @default none */
  readonly patch?: (raw: RawModel) => RawModel;
  /** Keep the config's retrain cooldown (with a `patch`), instead of none. @default false */
  readonly keepsCooldown?: boolean;
  run(session: DemoSession, context: ScenarioContext): Promise<ScenarioRun>;
}

/** Rows of every data set the scenarios write (80 % training, 20 % holdout). */
export const DATASET_ROWS = 1500;
/** Live requests per monitor period: the captured data must reach the config's `validation.minRows` (1000 in the example). */
export const REQUESTS_PER_PERIOD = 1100;
/** Background requests per second while a retrain runs. */
export const BACKGROUND_RATE = 40;

const DAY_MS = 86_400_000;

/** The rows with their `label` values permuted by a seeded shuffle (a labeling job gone wrong). */
export function shuffleLabels(rows: readonly TrafficRow[], label: string, seed: number): TrafficRow[] {
  const labels = rows.map((r) => r[label] ?? null);
  const random = createRandom(seed, 9);
  for (let i = labels.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return rows.map((r, i) => ({ ...r, [label]: labels[i]! }));
}

function expect(failed: string[], condition: boolean, message: string): void {
  if (!condition) failed.push(message);
}

/**
 * The change every scenario makes to the config: no retrain cooldown. The local engine
 * stamps `$$.Execution.StartTime` with the real time, so days cannot pass for the
 * Retrain's cooldown check the way they pass for the monitor schedule and the alarms
 * (the simulated clock); a cooldown of days would skip every retrain after the bootstrap.
 */
export function withoutCooldown(raw: RawModel): RawModel {
  return { ...raw, triggers: { ...(raw.triggers as Record<string, unknown>), cooldownDays: 0 } };
}

/** Trains v1 on clean data and creates the endpoint. */
async function bootstrapModel(s: DemoSession): Promise<void> {
  s.say('— bootstrap: first model on clean data (no endpoint yet: absolute gate rules only) —');
  const { train, holdout } = splitHoldout(generateRows({ rows: DATASET_ROWS, seed: 11 }));
  await s.writeData(train, holdout, 'clean history');
  const first = await s.retrain({ trigger: 'manual', reason: 'bootstrap: first model' });
  if (first.status !== 'SUCCEEDED') throw new Error(`expected the bootstrap retrain to succeed, got ${first.status} ${first.error ?? ''}: ${first.cause ?? ''}`);
}

/** Trains v1 on clean data and creates the endpoint, then moves the simulated clock to a quiet weekday morning. */
async function bootstrap(s: DemoSession): Promise<EndpointState> {
  await bootstrapModel(s);
  const state = await s.endpointState();
  s.say(`production: ${state.model} on endpoint config ${state.configName}`);
  // A Wednesday morning, so hourly monitor periods stay clear of the weekly retrain schedule.
  const landing = nextWeekdayAt(s.env.clock.now(), DAY_MS, 3, 10);
  s.env.clock.advanceTo(landing);
  s.say(`clock: production serves quietly until ${landing.toISOString()}`);
  return state;
}

/** Starts the given targets together (as EventBridge would) and returns the one that did the work. */
async function runTargets(s: DemoSession, targets: readonly { arn: string; input: unknown }[]): Promise<ExecutionResult> {
  const results = await Promise.all(targets.map((t) => s.env.runner.run(t.arn, t.input)));
  const ended = results.map((r) => ({ r, outcome: outcomeOf(s, r) }));
  return (ended.find((e) => e.outcome !== 'skipped') ?? ended[0]!).r;
}

/** The demo outcome of a Retrain execution. */
export function outcomeOf(s: DemoSession, r: ExecutionResult | undefined): ScenarioRun['outcome'] {
  if (!r) return 'failed';
  const end = s.env.timeline.entries.filter((e) => e.execution === r.name && (e.type === 'Succeed' || e.type === 'Fail')).at(-1);
  return retrainOutcome(r.status, end?.state, r.error);
}

/** A manual retrain (new labeled data arrived) with live traffic in the background, as the canary needs. */
async function retrainUnderTraffic(s: DemoSession, live: readonly TrafficRow[], kind = ''): Promise<ExecutionResult> {
  s.say(`— retrain with ${kind}live traffic in the background (${BACKGROUND_RATE} requests/s) —`);
  s.traffic.startBackground(live, BACKGROUND_RATE);
  try {
    return await s.retrain({ trigger: 'manual', reason: 'new labeled data arrived' });
  } finally {
    await s.traffic.stopBackground();
  }
}

/** Drifted customers and the new labeled data that comes with them. */
function driftedData(seed: number) {
  const data = splitHoldout(generateRows({ rows: DATASET_ROWS, seed, featureDrift: 1, conceptDrift: 1 }));
  const live = generateRows({ rows: 4 * REQUESTS_PER_PERIOD, seed: seed + 1, featureDrift: 1, conceptDrift: 1 });
  return { ...data, live };
}

const driftRetrain: Scenario = {
  name: 'drift-retrain',
  summary: 'live traffic drifts; the monitor publishes drift; the alarm starts a retrain; the gate passes; canary 5→25→50→100 %; promoted',
  expected: 'promoted',
  async run(s) {
    const before = await bootstrap(s);
    const evaluationsBefore = s.evaluations.length;
    s.say('— drift: customers change (feature and concept drift); their labels arrive as new training data —');
    const { train, holdout, live } = driftedData(21);
    await s.writeData(train, holdout, 'new labeled data arrived');
    let targets: Awaited<ReturnType<DemoSession['monitorPeriod']>> = [];
    for (let p = 0; p < 4 && targets.length === 0; p += 1) {
      targets = await s.monitorPeriod(live.slice(p * REQUESTS_PER_PERIOD, (p + 1) * REQUESTS_PER_PERIOD));
    }
    const failed: string[] = [];
    if (targets.length === 0) {
      failed.push('expected a retrain alarm within 4 monitor periods, got none');
      return { outcome: 'failed', before, after: await s.endpointState(), evaluationsBefore, failedChecks: failed };
    }
    s.say(`— retrain with live traffic in the background (${BACKGROUND_RATE} requests/s) —`);
    s.traffic.startBackground(live, BACKGROUND_RATE);
    let main: ExecutionResult;
    try {
      main = await runTargets(s, targets);
    } finally {
      await s.traffic.stopBackground();
    }
    const after = await s.endpointState();
    expect(failed, after.model !== null && after.model !== before.model, `expected a new production model, got ${after.model} (before ${before.model})`);
    // an inconclusive stage is checked again after each extension of its bake: count stages, not checks
    const stagesChecked = new Set(s.canaryChecks.map((c) => c.stage.index)).size;
    expect(failed, stagesChecked === s.model.canary.stages.length, `expected ${s.model.canary.stages.length} canary stages checked, got ${stagesChecked}`);
    expect(failed, s.canaryChecks.at(-1)?.verdict === 'pass', `expected the last canary check to pass, got ${String(s.canaryChecks.at(-1)?.verdict)}`);
    expect(failed, after.variants.length === 1, `expected one variant after promotion, got ${after.variants.length}`);
    expect(failed, (main.input as { trigger?: string }).trigger === 'alarm', `expected the retrain to be started by an alarm, got ${JSON.stringify(main.input)}`);
    return { main, outcome: outcomeOf(s, main), before, after, evaluationsBefore, failedChecks: failed };
  },
};

const badCandidate: Scenario = {
  name: 'bad-candidate',
  summary: 'new training labels are scrambled; the candidate is worse on the holdout; the gate rejects it; production untouched',
  expected: 'rejected',
  async run(s) {
    const before = await bootstrap(s);
    const evaluationsBefore = s.evaluations.length;
    s.say('— new labeled data arrives, but a broken labeling job scrambled its labels —');
    const { train, holdout } = splitHoldout(generateRows({ rows: DATASET_ROWS, seed: 31 }));
    await s.writeData(shuffleLabels(train, s.model.label, 31), holdout, 'new labeled data arrived (labels scrambled)');
    const main = await s.retrain({ trigger: 'manual', reason: 'new labeled data arrived' });
    const after = await s.endpointState();
    const failed: string[] = [];
    expect(failed, after.configName === before.configName, `expected the endpoint config to stay ${before.configName}, got ${after.configName}`);
    expect(failed, after.model === before.model, `expected production to stay ${before.model}, got ${after.model}`);
    return { main, outcome: outcomeOf(s, main), before, after, evaluationsBefore, failedChecks: failed };
  },
};

/** Tighter latency limits: the candidate's added latency must breach them, production's must not. */
const latencySensitive = (raw: RawModel): RawModel => ({
  ...raw,
  canary: { ...(raw.canary as Record<string, unknown>), maxLatencyP95Ms: 50, maxLatencyP99Ms: 250 },
});

const canaryFailure: Scenario = {
  name: 'canary-failure',
  summary: 'a new model version answers slowly under live traffic; the canary check breaches at a stage; rollback restores production',
  expected: 'rolled-back',
  patch: latencySensitive,
  async run(s, context) {
    const before = await bootstrap(s);
    const evaluationsBefore = s.evaluations.length;
    s.say('— a new model version is deployed (config change: training hyperparameter latency_ms=80) —');
    const slower = await loadModel(context.configPath, context.modelName, (raw) => {
      const patched = latencySensitive(withoutCooldown(raw));
      const training = patched.training as { hyperparameters?: Record<string, unknown> };
      return { ...patched, training: { ...training, hyperparameters: { ...(training.hyperparameters ?? {}), latency_ms: 80 } } };
    });
    await s.env.redeploy(slower);
    const { train, holdout, live } = driftedData(41);
    await s.writeData(train, holdout, 'new labeled data arrived');
    const main = await retrainUnderTraffic(s, live);
    const after = await s.endpointState();
    const failed: string[] = [];
    expect(failed, s.canaryChecks.some((c) => c.breached), 'expected a canary stage to breach');
    expect(failed, after.configName === before.configName, `expected the endpoint config to be restored to ${before.configName}, got ${after.configName}`);
    expect(failed, after.model === before.model, `expected production to stay ${before.model}, got ${after.model}`);
    expect(
      failed,
      after.variants.every((v) => v.model === before.model || v.weight === 0),
      `expected all traffic on ${before.model}, got ${JSON.stringify(after.variants)}`,
    );
    return { main, outcome: outcomeOf(s, main), before, after, evaluationsBefore, failedChecks: failed };
  },
};

const dataQuality: Scenario = {
  name: 'data-quality',
  summary: 'the new training data is critically broken; the retrain stops before training',
  expected: 'stopped',
  async run(s) {
    const before = await bootstrap(s);
    const evaluationsBefore = s.evaluations.length;
    const jobs = async () => ((await s.env.sagemaker.training.ListTrainingJobs({})) as { TrainingJobSummaries: unknown[] }).TrainingJobSummaries.length;
    const jobsBefore = await jobs();
    s.say('— new training data arrives broken (missing values, text in a numeric column, duplicates) —');
    const { train, holdout } = splitHoldout(generateRows({ rows: DATASET_ROWS, seed: 51, corrupt: true }));
    await s.writeData(train, holdout, 'new labeled data arrived (corrupted)');
    const main = await s.retrain({ trigger: 'manual', reason: 'new labeled data arrived' });
    const after = await s.endpointState();
    const failed: string[] = [];
    const jobsAfter = await jobs();
    expect(failed, jobsAfter === jobsBefore, `expected no training job, got ${jobsAfter - jobsBefore}`);
    expect(failed, after.configName === before.configName, `expected the endpoint config to stay ${before.configName}, got ${after.configName}`);
    return { main, outcome: outcomeOf(s, main), before, after, evaluationsBefore, failedChecks: failed };
  },
};

/** The example model answers JSON as a scikit-learn handler does: `{"probabilities": [[1 - p, p]]}`. */
const servesJsonProbabilities = (raw: RawModel): RawModel => {
  const training = raw.training as { hyperparameters?: Record<string, unknown> };
  return { ...raw, training: { ...training, hyperparameters: { ...(training.hyperparameters ?? {}), json_response: 'probabilities' } } };
};

/** The capture attributes of that endpoint: the JSON request's instances, and P(class 1). */
export const JSON_CAPTURE_ATTRIBUTES = { features: 'instances', probability: 'probabilities[*][1]' } as const;

const jsonCapture: Scenario = {
  name: 'json-capture',
  summary:
    'the endpoint answers JSON {"probabilities": [[p0, p1]]}; with capture attributes set, the monitor reaches the same drift and quality as on CSV capture of the same traffic; a retrain on JSON traffic is promoted',
  expected: 'promoted',
  patch: servesJsonProbabilities,
  async run(s, context) {
    const before = await bootstrap(s);
    const evaluationsBefore = s.evaluations.length;
    const { train, holdout, live } = driftedData(61);
    const period = live.slice(0, REQUESTS_PER_PERIOD);
    s.say('— CSV: one period of traffic as text/csv (no capture attributes needed) —');
    await s.monitorPeriod(period);
    const csv = latestMonitorFigures(s);
    s.say(`— JSON: the same traffic as application/json, capture attributes ${JSON.stringify(JSON_CAPTURE_ATTRIBUTES)} —`);
    const jsonModel = await loadModel(context.configPath, context.modelName, (raw) => ({
      ...servesJsonProbabilities(withoutCooldown(raw)),
      capture: { ...JSON_CAPTURE_ATTRIBUTES },
    }));
    await s.env.redeploy(jsonModel);
    s.say(`capture: ${await s.clearCapture()} CSV capture objects removed, so the monitor reads the JSON capture alone`);
    await s.usePayload('json');
    const runsBefore = { drift: s.driftRuns.length, quality: s.qualityRuns.length, executions: s.env.runner.executions.length };
    await s.monitorPeriod(period);
    const json = latestMonitorFigures(s);
    const failed: string[] = [];
    // The JSON figures must come from a monitor run on the JSON capture, never the CSV run's left over.
    const jsonMonitor = s.env.runner.executions.slice(runsBefore.executions).filter((e) => e.stateMachine === 'monitor');
    expect(failed, jsonMonitor.length === 1 && jsonMonitor[0]!.status === 'SUCCEEDED', `expected one successful monitor run on the JSON capture, got ${JSON.stringify(jsonMonitor.map((e) => e.status))}`);
    expect(failed, s.driftRuns.length === runsBefore.drift + 1 && s.qualityRuns.length === runsBefore.quality + 1, 'expected the JSON monitor run to produce its own drift and quality figures');
    expect(failed, Object.keys(csv.drift).length === s.features.length, `expected drift of ${s.features.length} features on CSV capture, got ${Object.keys(csv.drift).length}`);
    expect(failed, csv.matched > 0 && Object.keys(csv.quality).length > 0, `expected live quality on CSV capture, got ${JSON.stringify(csv)}`);
    for (const d of compareMonitorFigures(csv, json)) failed.push(`expected the JSON capture to give the CSV figures: ${d}`);
    s.say(`monitor figures: CSV and JSON ${failed.length === 0 ? 'agree' : 'DIFFER'} (rocAuc ${csv.quality.rocAuc} / ${json.quality.rocAuc}, ${json.matched} labeled requests)`);
    await s.writeData(train, holdout, 'new labeled data arrived');
    const main = await retrainUnderTraffic(s, live, 'JSON ');
    const after = await s.endpointState();
    expect(failed, after.model !== null && after.model !== before.model, `expected a new production model, got ${after.model} (before ${before.model})`);
    return { main, outcome: outcomeOf(s, main), before, after, evaluationsBefore, failedChecks: failed, details: { csv, json } };
  },
};

const soak: Scenario = {
  name: 'soak',
  summary:
    'two simulated weeks of hourly monitoring as capture accumulates: drift, a rejected retrain, the alarm re-armed and a promotion, new labels, a max-age retrain, a rollback; each run reads only its window',
  expected: 'promoted',
  patch: soakConfig,
  keepsCooldown: true,
  async run(s) {
    const before: EndpointState = { configName: null, variants: [], model: null };
    const evaluationsBefore = s.evaluations.length;
    const result = await runSoak(s, { bootstrapModel, outcomeOf, shuffleLabels });
    const failed = [...result.failed, ...soakChecks(result.monitor, result.retrains)];
    const after = await s.endpointState();
    const main = s.env.runner.executions.filter((e) => e.stateMachine === 'retrain').at(-1);
    s.say(`soak: ${result.monitor.length} monitor runs, ${result.retrains.length} retrains (${result.retrains.map((r) => `${r.trigger}:${r.outcome}`).join(', ')})`);
    return {
      ...(main ? { main } : {}),
      outcome: outcomeOf(s, main),
      before,
      after,
      evaluationsBefore,
      failedChecks: failed,
      fields: { monitor: result.monitor, retrains: result.retrains.map(({ trigger, alarmName, outcome }) => ({ trigger, alarmName, outcome })) },
      details: { soakStart: result.start, retrains: result.retrains, ...(result.rollbackAt === undefined ? {} : { rollbackAt: result.rollbackAt }) },
    };
  },
};

/** drift-retrain on one of SageMaker's containers, run locally by its stand-in with the real library. */
function onSageMakerContainer(name: 'xgboost' | 'sklearn', what: string): Scenario {
  return {
    name,
    summary: `drift-retrain on ${what} (examples/pitstop.${name}.json, the real library locally): drift, alarm, retrain, gate, canary, promoted`,
    expected: 'promoted',
    patch: withExampleContainer(name),
    run: (s, context) => driftRetrain.run(s, context),
  };
}
const retrainOnTraffic: Scenario = {
  name: 'retrain-on-traffic',
  summary:
    'the training prefix keeps the original history and the old holdout; labels arrive only as ground truth for captured requests; drift raises the alarm; the retrain trains on history + labeled traffic, gates on the newest labeled requests and is promoted; the old holdout\'s verdict is shown beside',
  expected: 'promoted',
  patch: datasetConfig,
  async run(s) {
    const r = await runRetrainOnTraffic(s, { bootstrap, runTargets, requestsPerPeriod: REQUESTS_PER_PERIOD, backgroundRate: BACKGROUND_RATE });
    return {
      ...(r.main ? { main: r.main } : {}),
      outcome: r.main ? outcomeOf(s, r.main) : 'failed',
      before: r.before,
      after: r.after,
      evaluationsBefore: r.evaluationsBefore,
      failedChecks: r.failedChecks,
      ...(r.fixedHoldout ? { details: { fixedHoldout: r.fixedHoldout } } : {}),
      ...(r.dataset ? { fields: { dataset: r.dataset } } : {}),
    };
  },
};

const fanOut: Scenario = {
  name: 'fan-out',
  summary:
    'one monitor window of several hundred capture objects fans out over the Distributed Map (shards read by children, merged by the reduce) and reaches the single path\'s drift result on the same window; a retrain on the drifted data is promoted',
  expected: 'promoted',
  patch: fanOutConfig,
  async run(s, c) {
    const r = await runFanOut(s, c.configPath, c.modelName, { bootstrap, driftedData, retrainUnderTraffic, requestsPerPeriod: REQUESTS_PER_PERIOD });
    const seen = { ...(r.fanOut ? { fields: { fanOut: r.fanOut } } : {}), ...(r.drift ? { details: { drift: r.drift } } : {}) };
    return { ...(r.main ? { main: r.main } : {}), outcome: outcomeOf(s, r.main), before: r.before, after: await s.endpointState(), evaluationsBefore: r.evaluationsBefore, failedChecks: r.failed, ...seen };
  },
};

/** Every scenario by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  'drift-retrain': driftRetrain,
  'bad-candidate': badCandidate,
  'canary-failure': canaryFailure,
  'data-quality': dataQuality,
  'json-capture': jsonCapture,
  'retrain-on-traffic': retrainOnTraffic,
  soak,
  'fan-out': fanOut,
  xgboost: onSageMakerContainer('xgboost', "SageMaker's built-in XGBoost"),
  sklearn: onSageMakerContainer('sklearn', "SageMaker's scikit-learn container in script mode (examples/sklearn/train.py)"),
};
