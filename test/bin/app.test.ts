import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MINIMAL_MODEL } from '../infra/fixtures';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pitstop-app-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `cdk synth --quiet` offline, without credentials, with the given config. */
function synth(configPath: string, outdir: string) {
  return spawnSync('npx', ['cdk', 'synth', '--quiet', '-c', `config=${configPath}`, '-o', outdir], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_DISABLE_VERSION_CHECK: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: 'pitstop-no-such-profile',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    timeout: 240_000,
  });
}

describe('App: bin/app.ts', () => {
  it('synthesizes one environment-agnostic stack per model, with no credentials', () => {
    // Prepare
    const configPath = join(work, 'two-models.json');
    const second = { ...MINIMAL_MODEL, name: 'fraud', endpointName: 'fraud-endpoint' };
    writeFileSync(configPath, JSON.stringify({ models: [MINIMAL_MODEL, second] }));
    const outdir = join(work, 'out');
    // Act
    const result = synth(configPath, outdir);
    // Assess
    expect(result.status, result.stderr).toBe(0);
    const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
    expect(templates).toEqual(['Pitstop-churn.template.json', 'Pitstop-fraud.template.json']);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['Pitstop-churn'].environment).toBe('aws://unknown-account/unknown-region');
    expect(manifest.missing).toBeUndefined();
    // Both checks ran at synth and passed, the Control Tower findings all acknowledged.
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const controlTower = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'pitstop-control-tower');
    expect(controlTower).toMatchObject({ conclusion: 'success', violations: [] });
    expect(controlTower.suppressedViolations.map((v: { ruleName: string }) => v.ruleName)).toContain('lambda_inside_vpc_check');
  }, 240_000);

  it('fails naming the config file when it does not exist', () => {
    const missing = join(work, 'missing.json');
    const result = synth(missing, join(work, 'out-missing'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(missing);
  });

  it('synthesizes nothing without a config, and says how to pass one', () => {
    // Prepare: the app run as the CDK CLI runs it (context from CDK_CONTEXT_JSON), with no config key
    const outdir = join(work, 'out-none');

    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: '{}' },
      timeout: 120_000,
    });

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('no config given, nothing to synthesize');
    expect(result.stderr).toContain('-c config=examples/pitstop.config.json');
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual([]);
  }, 120_000);

  it('deploys the config\'s models in the stage the context names', () => {
    // Prepare
    const outdir = join(work, 'out-stage');
    const configPath = join(work, 'one-model.json');
    writeFileSync(configPath, JSON.stringify({ stage: 'prod', models: [MINIMAL_MODEL] }));

    // Act: the context's stage replaces the config's
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config: configPath, stage: 'staging', 'aws:cdk:bundling-stacks': [] }) },
      timeout: 200_000,
    });

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual(['Pitstop-staging-churn.template.json']);
  }, 200_000);
});
