import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../bin/cli/main';
import { expectNear, loadEstimateFixture } from '../../../lambdas/core/estimate/fixture';

const { cbpe } = loadEstimateFixture();
let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  // Prepare: the reference case as two CSV files
  dir = mkdtempSync(join(tmpdir(), 'pitstop-estimate-'));
  writeFileSync(file('ref.csv'), ['y,p', ...cbpe.reference_labels.map((y, i) => `${y},${cbpe.reference_scores[i]}`)].join('\n') + '\n');
  writeFileSync(file('cur.csv'), ['p', ...cbpe.current_scores.map(String)].join('\n') + '\n');
  writeFileSync(file('bad.csv'), 'p\n0.2\n1.7\n');
});

describe('Function: pitstop estimate', () => {
  it('prints the estimate in the documented JSON shape, reproducing the reference values', async () => {
    // Act
    const out = await runCli(['estimate', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--label', 'y', '--score', 'p', '--json']);
    // Assess
    expect(out.exitCode).toBe(0);
    const r = JSON.parse(out.stdout);
    expect(Object.keys(r)).toEqual(['calibration', 'estimated', 'realizedReference', 'rows', 'bands', 'notes']);
    expect(Object.keys(r.calibration)).toEqual(['applied', 'eceBefore', 'eceAfter']);
    expect(r.calibration.applied).toBe(true);
    expect(r.rows).toBe(cbpe.current_scores.length);
    for (const m of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const) {
      expectNear(r.estimated[m], cbpe.estimated[m]);
      expectNear(r.realizedReference[m], cbpe.realized_reference[m]);
      expect(r.bands[m][0]).toBeLessThanOrEqual(r.estimated[m]);
      expect(r.bands[m][1]).toBeGreaterThanOrEqual(r.estimated[m]);
    }
  });

  it('shows a table with the bands, and follows --calibrate never', async () => {
    // Act
    const out = await runCli(['estimate', '--reference', file('ref.csv'), '--current', file('cur.csv'), '--label', 'y', '--score', 'p', '--calibrate', 'never']);
    // Assess
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/calibration: none/);
    expect(out.stdout).toMatch(/95 % band/);
    expect(out.stdout).toMatch(/^rocAuc\s+0\.802\d*\s+0\.\d+ \.\. 0\.\d+/m);
  });

  it('names the file, line and column of a bad score', async () => {
    // Act
    const out = await runCli(['estimate', '--reference', file('ref.csv'), '--current', file('bad.csv'), '--label', 'y', '--score', 'p']);
    // Assess
    expect(out.exitCode).not.toBe(0);
    expect(out.stderr).toMatch(/bad\.csv/);
    expect(out.stderr).toMatch(/bad\.csv:3, column "p"/);
    expect(out.stderr).toMatch(/outside \[0, 1\]/);
  });
});
