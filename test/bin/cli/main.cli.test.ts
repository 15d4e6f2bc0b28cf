import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';
import { loadReference } from '../../helpers/reference';

const run = (...argv: string[]) => runCli(argv);
const close = (actual: number, expected: number, tol = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-'));
  // Prepare: the numeric and categorical reference cases as CSV files, one column each.
  const num = loadReference('02_numeric_mean_and_scale_shift');
  const cat = loadReference('05_categorical_drift');
  writeFileSync(file('ref.csv'), ['x', ...num.inputs.reference!].join('\n') + '\n');
  writeFileSync(file('cur.csv'), ['x', ...num.inputs.current!].join('\n') + '\n');
  writeFileSync(file('cat-ref.csv'), ['tier', ...cat.inputs.reference!].join('\n') + '\n');
  writeFileSync(file('cat-cur.csv'), ['tier', ...cat.inputs.current!].join('\n') + '\n');
  const bin = loadReference('06_binary_candidate_vs_production');
  const y = bin.inputs.y_true!;
  const rows = y.map((v, i) => `${v},${bin.inputs.p_candidate![i]},${bin.inputs.p_production![i]}`);
  writeFileSync(file('holdout.csv'), ['label,cand,prod', ...rows].join('\n') + '\n');
});

describe('Function: pitstop drift', () => {
  it('reproduces the reference values through the CLI, raw data against raw data', async () => {
    // Act
    const out = await run('drift', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--json');
    // Assess
    const expected = loadReference('02_numeric_mean_and_scale_shift').expected;
    expect(out.stderr).toBe('');
    const result = JSON.parse(out.stdout);
    const x = result.features[0];
    expect(x).toMatchObject({ name: 'x', type: 'numeric', method: 'psi', drifted: true });
    close(x.psi, expected.psi);
    close(x.klDivergence, expected.kl_ref_to_cur);
    close(x.jsDistance, expected.js_distance_base2);
    close(x.ksStatistic, expected.ks_statistic);
    expect(Math.abs(x.ksPValue / expected.ks_pvalue_auto - 1)).toBeLessThan(1e-6);
    expect(Math.abs(x.ksPValueAsymptotic / expected.ks_pvalue_kolmogorov_limit - 1)).toBeLessThan(1e-6);
    expect(result.drifted).toBe(true);
    expect(out.exitCode).toBe(1);
  });

  it('applies --correction and --min-effect to the KS p-value', async () => {
    // Act
    const plain = JSON.parse((await run('drift', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--method', 'ks', '--json')).stdout);
    const bad = await run('drift', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--correction', 'sidak');
    const floored = await run('drift', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--method', 'ks', '--correction', 'bh', '--min-effect', '0.9', '--json');
    // Assess: one p-value method feature, so every correction leaves it as it is; the floor blocks the verdict
    expect(plain.correction).toBe('none');
    expect(plain.features[0].pValueAdjusted).toBe(plain.features[0].ksPValue);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/correction/);
    const f = JSON.parse(floored.stdout);
    expect(f.correction).toBe('bh');
    expect(f.features[0]).toMatchObject({ drifted: false, threshold: 0.05, score: 0.05 });
    expect(floored.exitCode).toBe(0);
  });

  it('gives the same binned statistics against a profile as against the raw reference', async () => {
    // Prepare
    const profile = file('cat-profile.json');
    const built = await run('profile', file('cat-ref.csv'), '--out', profile);
    expect(built.exitCode).toBe(0);
    // Act
    const viaProfile = JSON.parse((await run('drift', '--reference', profile, '--current', file('cat-cur.csv'), '--json')).stdout);
    const viaRaw = JSON.parse((await run('drift', '--reference', file('cat-ref.csv'), '--current', file('cat-cur.csv'), '--json')).stdout);
    // Assess
    const expected = loadReference('05_categorical_drift').expected;
    for (const r of [viaProfile, viaRaw]) {
      const f = r.features[0];
      expect(f.type).toBe('categorical');
      close(f.psi, expected.psi);
      close(f.chiSquareStatistic, expected.chi2_contingency_statistic);
      expect(f).not.toHaveProperty('ksStatistic');
    }
  });

  it('does not drift when the current data is the reference itself, exit 0', async () => {
    const out = await run('drift', '--reference', file('ref.csv'), '--current', file('ref.csv'));
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('x');
  });

  it('honours --method and --threshold', async () => {
    const out = await run('drift', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--method', 'psi', '--threshold', '0.5', '--json');
    const f = JSON.parse(out.stdout).features[0];
    expect(f.threshold).toBe(0.5);
    expect(f.drifted).toBe(false);
    expect(out.exitCode).toBe(0);
  });
});

describe('Function: pitstop evaluate and gate', () => {
  it('evaluate reports the reference binary metrics', async () => {
    const out = await run('evaluate', file('holdout.csv'), '--problem', 'binary', '--label', 'label', '--score', 'cand', '--json');
    expect(out.exitCode).toBe(0);
    const { metrics } = JSON.parse(out.stdout);
    const expected = loadReference('06_binary_candidate_vs_production').expected.candidate;
    close(metrics.rocAuc, expected.roc_auc);
    close(metrics.f1, expected.f1_binary);
    close(metrics.logLoss, expected.log_loss);
    expect(metrics).not.toHaveProperty('mae');
  });

  it('gate passes the better candidate and fails the worse one by the default primary rule', async () => {
    const args = ['--problem', 'binary', '--label', 'label', '--json'];
    const better = await run('gate', file('holdout.csv'), ...args, '--candidate', 'cand', '--production', 'prod');
    const worse = await run('gate', file('holdout.csv'), ...args, '--candidate', 'prod', '--production', 'cand');
    expect(better.exitCode).toBe(0);
    expect(JSON.parse(better.stdout).passed).toBe(true);
    expect(worse.exitCode).toBe(1);
    expect(JSON.parse(worse.stdout).passed).toBe(false);
  });
});

describe('Function: pitstop bad input', () => {
  it('names file, line and column for a non-number in a numeric column, exit 2', async () => {
    const bad = file('bad.csv');
    writeFileSync(bad, 'x\n1\n2\nthree\n');
    const out = await run('drift', '--reference', file('ref.csv'), '--current', bad);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(bad);
    expect(out.stderr).toMatch(/:4\b/);
    expect(out.stderr).toContain('"x"');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stdout).toBe('');
  });

  it('reports a ragged CSV row with its line', async () => {
    const bad = file('ragged.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n');
    const out = await run('profile', bad, '--out', file('never.json'));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(`${bad}:3`);
  });

  it('reports a truncated gzip and writes nothing', async () => {
    const bad = file('trunc.csv.gz');
    const gz = gzipSync(Buffer.from('x\n' + Array.from({ length: 5000 }, (_, i) => String(i)).join('\n')));
    writeFileSync(bad, gz.subarray(0, Math.floor(gz.length / 2)));
    const out = await run('profile', bad, '--out', file('trunc-profile.json'));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(bad);
    expect(() => readFileSync(file('trunc-profile.json'))).toThrow();
  });

  it('rejects unknown options and missing arguments as usage errors', async () => {
    expect((await run('drift', '--bogus')).exitCode).toBe(2);
    expect((await run('evaluate', file('holdout.csv'), '--label', 'label', '--score', 'cand')).stderr).toContain('--problem');
    expect((await run('nope')).exitCode).toBe(2);
    expect((await run('evaluate', file('holdout.csv'), '--problem', 'binary', '--label', 'missing', '--score', 'cand')).stderr).toContain('missing');
  });

  it('prints help for every command with exit 0', async () => {
    for (const cmd of ['profile', 'validate', 'drift', 'evaluate', 'gate']) {
      const out = await run(cmd, '--help');
      expect(out.exitCode).toBe(0);
      expect(out.stdout).toContain(`pitstop ${cmd}`);
    }
  });
});

describe('Function: bin/pitstop.ts entry point', () => {
  it('sets the process exit code and keeps --json output on stdout alone', async () => {
    const exec = promisify(execFile);
    const res = await exec(process.execPath, ['--import', 'tsx', 'bin/pitstop.ts', 'drift', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--json'], {
      cwd: new URL('../../..', import.meta.url).pathname,
    }).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).drifted).toBe(true);
  });
});
