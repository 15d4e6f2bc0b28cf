/**
 * Every local-mode scenario end to end: the default through the CLI in a subprocess
 * (the path `npm start` takes), the others in-process through `runDemo`. Each must
 * reach its outcome, visit its key states, leave production as the story says, write
 * its report, and leave no process behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type ScenarioName } from '../../local/runner';
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
