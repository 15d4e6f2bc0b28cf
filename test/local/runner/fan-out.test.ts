import { describe, expect, it } from 'vitest';
import { compareDriftRuns, fanOutConfig } from '../../../local/runner/fan-out';
import type { DemoSession } from '../../../local/runner/session';

type DriftRun = DemoSession['driftRuns'][number];
const score = (feature: string, value: number, drifted = false) => ({ feature, method: 'psi', score: value, threshold: 0.2, drifted });
const run: DriftRun = { atMs: 0, rows: 1100, window: { start: '2026-01-07T10:00:00.000Z', end: '2026-01-07T11:00:00.000Z' }, scores: [score('age', 0.31, true), score('plan', 0.02)] };

describe('Function: compareDriftRuns', () => {
  it('agrees on the same rows and verdicts with scores equal up to a relative 1e-9', () => {
    // Prepare
    const other: DriftRun = { ...run, atMs: 5, scores: [score('age', 0.31 * (1 + 1e-12), true), score('plan', 0.02)] };
    // Act / Assess
    expect(compareDriftRuns(run, other)).toEqual([]);
  });

  it('names different rows, a feature missing on one side, another verdict and a score beyond the tolerance', () => {
    // Prepare
    const other: DriftRun = { ...run, rows: 1099, scores: [score('age', 0.3101, false)] };
    // Act
    const differences = compareDriftRuns(run, other);
    // Assess
    expect(differences).toEqual([
      'rows: 1100 fanned out vs 1099 single',
      'features: 2 fanned out vs 1 single',
      'age: psi/true vs psi/false',
      'age psi: 0.31 fanned out vs 0.3101 single',
      'plan: only on the fan-out',
    ]);
  });
});

describe('Function: fanOutConfig', () => {
  it('sets the fan-out threshold, shard size and concurrency and keeps the rest of monitor', () => {
    // Act
    const patched = fanOutConfig({ name: 'churn', monitor: { minRows: 100 } });
    // Assess
    expect(patched).toEqual({ name: 'churn', monitor: { minRows: 100, fanOutBytes: 100_000, shardBytes: 40_000, maxConcurrency: 4 } });
  });
});
