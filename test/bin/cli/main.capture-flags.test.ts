/**
 * The capture flags of `profile`, `validate`, `drift` and `evaluate`, through the CLI's
 * own entry (in-process): a JSON capture whose output is the issue's
 * `{"probabilities": [[p0, p1]]}` is refused without them, read right with them, and the
 * meta columns are never profiled.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../bin/cli/main';

const run = (...argv: string[]) => runCli(argv);
let dir: string;
const file = (name: string) => join(dir, name);

/** Capture lines: request `{"x", "plan", "label"}` (a replay of labeled rows), response `{"probabilities": [[1 - p, p]]}`. */
function captureLines(rows: readonly { x: number; plan: string; label: number; p: number }[]): string {
  return rows
    .map((r, i) =>
      JSON.stringify({
        captureData: {
          endpointInput: { observedContentType: 'application/json', mode: 'INPUT', data: JSON.stringify({ x: r.x, plan: r.plan, label: r.label }), encoding: 'JSON' },
          endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: JSON.stringify({ probabilities: [[1 - r.p, r.p]] }), encoding: 'JSON' },
        },
        eventMetadata: { eventId: `e${i}`, inferenceTime: '2026-12-01T10:00:00Z' },
        eventVersion: '0',
      }),
    )
    .join('\n');
}

// P(class 1) 0.9, 0.6, 0.2, 0.7 for labels 1, 1, 0, 0: at 0.5 accuracy 3/4; at 0.65, 2/4.
const ROWS = [
  { x: 1, plan: 'basic', label: 1, p: 0.9 },
  { x: 2, plan: 'pro', label: 1, p: 0.6 },
  { x: 3, plan: 'basic', label: 0, p: 0.2 },
  { x: 4, plan: 'pro', label: 0, p: 0.7 },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-capture-'));
  writeFileSync(file('capture.jsonl'), captureLines(ROWS) + '\n');
  writeFileSync(file('train.csv'), 'x,plan\n1,basic\n2,pro\n3,basic\n4,pro\n');
});

describe('Function: pitstop profile --format capture', () => {
  it('refuses an ambiguous output, naming file, line and the flag to set', async () => {
    const out = await run('profile', file('capture.jsonl'), '--format', 'capture', '--out', file('p0.json'));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(`${file('capture.jsonl')}:1: endpointOutput is an object with field "probabilities"`);
    expect(out.stderr).toContain('--probability-attribute');
  });

  it('profiles the features and P(class 1), never the meta columns', async () => {
    const out = await run('profile', file('capture.jsonl'), '--format', 'capture', '--probability-attribute', 'probabilities[*][1]', '--out', file('p1.json'));
    expect(out.exitCode, out.stderr).toBe(0);
    const profile = JSON.parse(readFileSync(file('p1.json'), 'utf8')) as { features: { name: string; mean?: number }[] };
    expect(profile.features.map((f) => f.name)).toEqual(['x', 'plan', 'label', 'prediction']);
    expect(profile.features.find((f) => f.name === 'prediction')!.mean).toBeCloseTo(0.6, 12);
  });

  it('takes a preset, and rejects an unknown one', async () => {
    const ok = await run('profile', file('capture.jsonl'), '--format', 'capture', '--capture-preset', 'probabilities', '--out', file('p2.json'));
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect((JSON.parse(readFileSync(file('p2.json'), 'utf8')) as { features: { name: string }[] }).features.map((f) => f.name)).toEqual([
      'x',
      'plan',
      'label',
      'prediction_0',
      'prediction_1',
    ]);
    const bad = await run('profile', file('capture.jsonl'), '--format', 'capture', '--capture-preset', 'sklearn', '--out', file('p3.json'));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--capture-preset expects one of xgboost, linear-learner/);
  });
});

describe('Function: pitstop validate and drift on capture data', () => {
  it('validate checks the features, not the meta columns', async () => {
    const out = await run('validate', file('capture.jsonl'), '--format', 'capture', '--capture-preset', 'probabilities', '--json');
    const result = JSON.parse(out.stdout) as { checks: { check: string; column?: string }[] };
    const missing = result.checks.filter((c) => c.check === 'missing').map((c) => c.column);
    expect(missing).toEqual(['x', 'plan', 'label', 'prediction_0', 'prediction_1']);
  });

  it('drift compares the captured features with the training data', async () => {
    const out = await run('drift', '--reference', file('train.csv'), '--current', file('capture.jsonl'), '--format', 'capture', '--probability-attribute', 'probabilities[*][1]', '--json');
    expect(out.stderr).toBe('');
    const result = JSON.parse(out.stdout) as { features: { name: string; drifted: boolean }[] };
    expect(result.features.map((f) => [f.name, f.drifted])).toEqual([
      ['x', false],
      ['plan', false],
    ]);
  });
});

describe('Function: pitstop evaluate on capture data', () => {
  it('scores P(class 1) at the probability threshold', async () => {
    const args = ['evaluate', file('capture.jsonl'), '--format', 'capture', '--problem', 'binary', '--label', 'label', '--score', 'prediction', '--probability-attribute', 'probabilities[*][1]', '--json'];
    const at05 = JSON.parse((await run(...args)).stdout) as { metrics: Record<string, number> };
    const at065 = JSON.parse((await run(...args, '--probability-threshold', '0.65')).stdout) as { metrics: Record<string, number> };
    expect(at05.metrics.accuracy).toBeCloseTo(0.75, 12);
    expect(at065.metrics.accuracy).toBeCloseTo(0.5, 12);
    expect(at05.metrics.rocAuc).toBeCloseTo(at065.metrics.rocAuc!, 12);
  });
});
