/**
 * Every local-mode scenario end to end: the default through the CLI in a subprocess
 * (the path `npm start` takes), the others in-process through `runDemo`. Each must
 * reach its outcome, visit its key states, leave production as the story says, write
 * its report, and leave no process behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type ScenarioName } from '../../local/runner';
import { MissingPythonModulesError, pythonFor } from '../../local/runner/sagemaker-images';
import { processesMentioning } from './runner/processes';

const REPO = resolve(__dirname, '..', '..');
const base = mkdtempSync(join(tmpdir(), 'pitstop-scenarios-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/pitstop.ts', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const inOrder = (states: readonly string[], expected: readonly string[]) => {
  let at = -1;
  for (const s of expected) {
    const next = states.indexOf(s, at + 1);
    if (next < 0) return `missing ${s} after index ${at}`;
    at = next;
  }
  return 'in order';
};

describe('Scenario: drift-retrain (CLI subprocess, as npm start)', () => {
  const root = join(base, 'drift-retrain');
  let run: Promise<CliRun>;
  beforeAll(() => {
    run = runCli(['demo', '--json', '--root', root]);
  });

  it('promotes the retrained model after drift raises the alarm, with a canary through every stage', async () => {
    // Act
    const { code, stdout, stderr } = await run;
    // Assess
    expect(code, stderr.slice(-3000)).toBe(0);
    const out = JSON.parse(stdout) as Record<string, any>;
    expect(out.scenario).toBe('drift-retrain');
    expect(out.outcome).toBe('promoted');
    expect(out.productionModel.before).toMatch(/^pitstop-churn-/);
    expect(out.productionModel.after).toMatch(/^pitstop-churn-/);
    expect(out.productionModel.after).not.toBe(out.productionModel.before);
    expect(
      inOrder(out.states, [
        'Train candidate', // bootstrap
        'Create endpoint',
        'Detect drift', // monitor
        'Publish metrics',
        'Validate training data', // alarm-triggered retrain
        'Train candidate',
        'Score holdout with production',
        'Evaluate candidate',
        'Register candidate',
        'Run canary',
        'Smoke test candidate',
        'Stage 1 (5%): check candidate',
        'Stage 2 (25%): check candidate',
        'Stage 3 (50%): check candidate',
        'Stage 4 (100%): check candidate',
        'Deploy final config',
        'Promoted',
      ]),
    ).toBe('in order');
    expect(out.executions.filter((e: any) => e.stateMachine === 'monitor').length).toBeGreaterThanOrEqual(2);
    expect(typeof out.durationMs).toBe('number');
    expect(existsSync(out.report)).toBe(true);
    expect(out.report.startsWith(join(root, 'reports'))).toBe(true);
    // progress went to stderr, not stdout
    expect(stderr).toMatch(/alarm pitstop-churn-drifted-features: \w+ → ALARM/);
    expect(stderr).toMatch(/canary stage 4 \(100%\): candidate n=\d+/);
    expect(processesMentioning(root)).toEqual([]);
  }, 300_000);
});

interface Expectation {
  readonly scenario: ScenarioName;
  readonly outcome: string;
  readonly states: readonly string[];
  readonly absent: readonly string[];
  readonly productionChanges: boolean;
}

const expectations: readonly Expectation[] = [
  {
    scenario: 'bad-candidate',
    outcome: 'rejected',
    states: ['Train candidate', 'Evaluate candidate', 'Register rejected candidate', 'GateRejected'],
    absent: ['Run canary'],
    productionChanges: false,
  },
  {
    scenario: 'canary-failure',
    outcome: 'rolled-back',
    states: ['Evaluate candidate', 'Run canary', 'Stage 1 (5%): check candidate', 'Restore production weights', 'Restore previous config', 'CanaryBreached'],
    absent: ['Deploy final config'],
    productionChanges: false,
  },
  {
    scenario: 'data-quality',
    outcome: 'stopped',
    states: ['Validate training data', 'Training data critical', 'DataQualityFailed'],
    absent: ['Train candidate'],
    productionChanges: false,
  },
];

describe('Function: runDemo (in-process)', () => {
  for (const e of expectations) {
    it(`${e.scenario} ends ${e.outcome} and leaves production as it was`, async () => {
      // Prepare
      const root = join(base, e.scenario);
      // Act
      const out = await runDemo({ scenario: e.scenario, root, bakeMs: 1000 });
      // Assess
      expect(out.failedChecks).toEqual([]);
      expect(out.error).toBeUndefined();
      expect(out.outcome).toBe(e.outcome);
      expect(out.passed).toBe(true);
      // the states after the bootstrap (whose Train candidate comes first)
      const afterBootstrap = out.states.slice(out.states.indexOf('Promoted') + 1);
      expect(inOrder(afterBootstrap, e.states)).toBe('in order');
      for (const s of e.absent) expect(afterBootstrap).not.toContain(s);
      expect(out.productionModel.before).toMatch(/^pitstop-churn-/);
      expect(out.productionModel.after === out.productionModel.before).toBe(!e.productionChanges);
      expect(out.report && existsSync(out.report)).toBe(true);
      expect(processesMentioning(root)).toEqual([]);
    }, 240_000);
  }
});

describe('Scenario: json-capture (in-process)', () => {
  it('reads JSON capture with attributes to the same drift and quality as CSV capture of the same traffic, then promotes a retrain', async () => {
    // Prepare
    const root = join(base, 'json-capture');
    // Act
    const out = await runDemo({ scenario: 'json-capture', root, bakeMs: 1000 });
    // Assess
    expect(out.error).toBeUndefined();
    expect(out.failedChecks).toEqual([]);
    expect(out.outcome).toBe('promoted');
    expect(out.passed).toBe(true);
    const { csv, json } = out.details as Record<'csv' | 'json', { drift: Record<string, number>; quality: Record<string, number>; matched: number }>;
    // every feature drifted by a measurable amount, and live quality on every labeled request
    expect(Object.keys(csv.drift)).toHaveLength(8);
    expect(Object.values(csv.drift).some((x) => x > 0)).toBe(true);
    expect(csv.matched).toBeGreaterThanOrEqual(1000);
    // the live traffic carries concept drift: production ranks it worse than chance
    expect(csv.quality.rocAuc).toBeGreaterThan(0);
    expect(csv.quality.rocAuc).toBeLessThan(0.5);
    // the same figures from the JSON capture (relative 1e-9: sums in another order)
    expect(json.matched).toBe(csv.matched);
    expect(Object.keys(json.drift).sort()).toEqual(Object.keys(csv.drift).sort());
    for (const [k, v] of Object.entries(csv.drift)) expect(json.drift[k], `drift ${k}`).toBeCloseTo(v, 9);
    expect(Object.keys(json.quality).sort()).toEqual(Object.keys(csv.quality).sort());
    for (const [k, v] of Object.entries(csv.quality)) expect(json.quality[k], `quality ${k}`).toBeCloseTo(v, 9);
    expect(processesMentioning(root)).toEqual([]);
  }, 300_000);
});

describe('Scenario: retrain-on-traffic (in-process)', () => {
  it('trains on history + labeled traffic, gates on the newest labeled requests and shows the old holdout beside it', async () => {
    // Prepare
    const root = join(base, 'retrain-on-traffic');
    // Act
    const out = await runDemo({ scenario: 'retrain-on-traffic', root, bakeMs: 1000 });
    // Assess
    expect(out.error).toBeUndefined();
    expect(out.failedChecks).toEqual([]);
    expect(out.outcome).toBe('promoted');
    expect(out.passed).toBe(true);
    const dataset = (out.fields as { dataset: Record<string, unknown> }).dataset;
    expect(Object.keys(dataset).sort()).toEqual(['dropped', 'droppedRows', 'historyRows', 'holdoutFrom', 'holdoutRows', 'holdoutTo', 'manifestUri', 'productionRows', 'trainingCutoff']);
    // the rows left out by reason add up to the total
    const dropped = dataset.dropped as Record<string, number>;
    expect(Object.keys(dropped).sort()).toEqual(['duplicate', 'historyAtOrAfterHoldout', 'historyOutsideWindow', 'labelCount', 'schema', 'unlabeled']);
    expect(Object.values(dropped).reduce((a, b) => a + b, 0)).toBe(dataset.droppedRows);
    // the history is the bootstrap's training file, never rewritten; the holdout is the newest quarter of the labeled requests
    expect(dataset.historyRows).toBeGreaterThan(0);
    expect(dataset.productionRows as number).toBeGreaterThan(dataset.holdoutRows as number);
    expect(dataset.holdoutRows as number).toBeGreaterThanOrEqual(Math.ceil(0.25 * (dataset.productionRows as number)));
    expect(Date.parse(dataset.holdoutFrom as string)).toBeLessThanOrEqual(Date.parse(dataset.holdoutTo as string));
    expect(dataset.manifestUri).toMatch(/^s3:\/\/.+\/datasets\/.+\/manifest\.json$/);
    // the old holdout's judgment of the same candidate is shown beside the gate's
    expect((out.details as { fixedHoldout?: { candidate: Record<string, number> } }).fixedHoldout?.candidate).toBeDefined();
    expect(out.states).toEqual(expect.arrayContaining(['Prepare dataset', 'Evaluate on fixed holdout', 'Promoted']));
    // the HTML report shows the fixed holdout's verdict of the same candidate right after the gate's on the recent holdout
    const html = readFileSync(out.report!, 'utf8');
    const fixedJudgment = (out.details as { fixedHoldout: { passed: boolean } }).fixedHoldout;
    expect(html).toMatch(/<section id="evaluation"><h2>Candidate vs production: the gate, on the recent holdout/);
    expect(html).toContain(`data-field="fixed-holdout-gate"><span class="badge badge-${fixedJudgment.passed ? 'good' : 'bad'}">`);
    expect(html.indexOf('id="fixed-holdout"')).toBeGreaterThan(html.indexOf('id="evaluation"'));
    expect(processesMentioning(root)).toEqual([]);
  }, 600_000);
});

describe('Scenario: soak (in-process)', () => {
  it('monitors two simulated weeks hour by hour: bounded reads as capture grows, triggers that fire again, max age, rollback', async () => {
    // Prepare
    const root = join(base, 'soak');
    // Act
    const out = await runDemo({ scenario: 'soak', root, bakeMs: 1000 });
    // Assess
    expect(out.error).toBeUndefined();
    expect(out.failedChecks).toEqual([]);
    expect(out.passed).toBe(true);
    const fields = out.fields as {
      monitor: { windowStart: string; windowEnd: string; bytesRead: number; captureBytesTotal: number; insufficientData: boolean }[];
      retrains: { trigger: string; alarmName: string; outcome: string }[];
    };
    const monitor = fields.monitor;
    expect(monitor.length).toBeGreaterThanOrEqual(14 * 24);
    // reads stay flat while capture on disk grows: medians of the first and last day's judged runs
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const day = (d: number) => monitor.slice(d * 24, (d + 1) * 24).filter((r) => !r.insufficientData);
    const lastDay = Math.floor(monitor.length / 24) - 1;
    const firstRead = median(day(0).map((r) => r.bytesRead));
    const lastRead = median(day(lastDay).map((r) => r.bytesRead));
    expect(Math.abs(lastRead - firstRead)).toBeLessThanOrEqual(0.25 * firstRead);
    expect(median(day(lastDay).map((r) => r.captureBytesTotal))).toBeGreaterThanOrEqual(10 * median(day(0).map((r) => r.captureBytesTotal)));
    // windows tile: each starts where the one before ended
    for (let i = 1; i < monitor.length; i += 1) expect(monitor[i]!.windowStart).toBe(monitor[i - 1]!.windowEnd);
    // an alarm that started a rejected retrain starts another one later
    const retrains = fields.retrains;
    const rejected = retrains.findIndex((r) => r.trigger === 'alarm' && r.outcome === 'Rejected');
    expect(rejected).toBeGreaterThan(-1);
    expect(retrains.slice(rejected + 1).some((r) => r.alarmName === retrains[rejected]!.alarmName)).toBe(true);
    // the new-labels and max-age triggers each start a retrain
    expect(retrains.some((r) => r.trigger === 'alarm' && r.alarmName.endsWith('-new-labeled-samples'))).toBe(true);
    expect(retrains.some((r) => r.trigger === 'maxAge')).toBe(true);
    expect(processesMentioning(root)).toEqual([]);
  }, 420_000);
});

describe('Function: runDemo (config in control-tower compliance mode)', () => {
  it('runs a scenario on the stack synthesized with the Lambdas in a VPC, Object Lock and EventBridge notifications', async () => {
    // Prepare: the example config, governed
    const config = JSON.parse(readFileSync(join(REPO, 'examples', 'pitstop.config.json'), 'utf8'));
    config.compliance = 'control-tower';
    for (const m of config.models) m.network = { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };
    const configPath = join(base, 'control-tower.config.json');
    writeFileSync(configPath, JSON.stringify(config));
    const root = join(base, 'control-tower');
    // Act
    const out = await runDemo({ scenario: 'data-quality', root, bakeMs: 1000, configPath });
    // Assess
    expect(out.failedChecks).toEqual([]);
    expect(out.error).toBeUndefined();
    expect(out.outcome).toBe('stopped');
    expect(out.passed).toBe(true);
    expect(processesMentioning(root)).toEqual([]);
  }, 240_000);
});

/**
 * SageMaker's XGBoost and scikit-learn containers, run by their local stand-ins with the
 * real libraries. Without the Python packages these fail under CI=true (where .ci/run
 * installs them) and are skipped elsewhere, with a notice naming the package.
 */
const BUILT_INS = [
  { scenario: 'xgboost', container: 'xgboost', artifact: 'xgboost-model' },
  { scenario: 'sklearn', container: 'sklearn', artifact: 'model.joblib' },
] as const;

for (const b of BUILT_INS) {
  let missing: string | undefined;
  try {
    pythonFor(b.container);
  } catch (e) {
    if (!(e instanceof MissingPythonModulesError)) throw e;
    missing = e.message;
  }
  const skip = missing !== undefined && process.env.CI !== 'true';
  if (skip) console.warn(`skipping scenario ${b.scenario}: ${missing}`);
  describe.skipIf(skip)(`Scenario: ${b.scenario} (in-process, the real library)`, () => {
    it('drift raises the alarm, the retrain trains on the label-first channel, passes the gate and the canary, and is promoted', async () => {
      // Prepare
      const root = join(base, b.scenario);
      // Act
      const out = await runDemo({ scenario: b.scenario, root, bakeMs: 1000 });
      // Assess
      expect(out.error).toBeUndefined();
      expect(out.failedChecks).toEqual([]);
      expect(out.outcome).toBe('promoted');
      expect(out.productionModel.after).not.toBe(out.productionModel.before);
      const afterBootstrap = out.states.slice(out.states.indexOf('Promoted') + 1);
      expect(
        inOrder(afterBootstrap, [
          'Detect drift',
          'Validate training data',
          'Prepare training channel',
          'Train candidate',
          'Score holdout with production',
          'Evaluate candidate',
          'Run canary',
          'Smoke test candidate',
          'Stage 4 (100%): check candidate',
          'Promoted',
        ]),
      ).toBe('in order');
      // The stand-in trained with the real library: its artifact, from a channel whose lines start with the label.
      const jobs = join(root, 'sagemaker', 'training');
      for (const job of readdirSync(jobs)) {
        expect(readdirSync(join(jobs, job, 'model')), job).toContain(b.artifact);
        const channel = readFileSync(join(jobs, job, 'input', 'data', 'train', 'train.csv'), 'utf8').split('\n');
        expect(channel[0]).toMatch(/^[01],[-0-9.]+(,[-0-9.]+){4}$/);
      }
      expect(processesMentioning(root)).toEqual([]);
    }, 600_000);
  });
}
