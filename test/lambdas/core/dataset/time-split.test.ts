import { describe, expect, it } from 'vitest';
import { InsufficientLabelsError, timeSplit, type LabeledRow } from '../../../../lambdas/core/dataset';
import { mulberry32 } from '../../../../lambdas/core/stats/random';

const row = (time: number, key = `k${time}`): LabeledRow => ({ key, time, features: [time], label: time % 2 });

/** A small deterministic generator, so the property runs on the same rows each time. */
const random = mulberry32;

describe('Function: timeSplit', () => {
  it('puts the most recent fraction of the rows in the holdout', () => {
    // Prepare: times 1..10, given out of order
    const rows = [5, 3, 9, 1, 10, 2, 8, 4, 7, 6].map((t) => row(t));

    // Act
    const split = timeSplit(rows, { fraction: 0.2, minRows: 1 });

    // Assess
    expect(split.holdout.map((r) => r.time)).toEqual([9, 10]);
    expect(split.training.map((r) => r.time)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([split.from, split.to]).toEqual([9, 10]);
  });

  it('keeps rows at or before the production model training cut-off out of the holdout', () => {
    // Prepare: the cut-off falls inside the newest fifth
    const rows = Array.from({ length: 10 }, (_, i) => row(i + 1));

    // Act
    const split = timeSplit(rows, { fraction: 0.3, minRows: 1, cutoff: 9 });

    // Assess
    expect(split.holdout.map((r) => r.time)).toEqual([10]);
    expect(split.training).toHaveLength(9);
  });

  it('moves every row tied with the boundary time into the holdout', () => {
    // Prepare: three rows share the newest time; a fifth of five is one row
    const rows = [row(1), row(2), row(3, 'a'), row(3, 'b'), row(3, 'c')];

    // Act
    const split = timeSplit(rows, { fraction: 0.2, minRows: 1 });

    // Assess
    expect(split.holdout.map((r) => r.key).sort()).toEqual(['a', 'b', 'c']);
    expect(split.training.map((r) => r.time)).toEqual([1, 2]);
  });

  it('holds, on random rows, that no training row is as new as the oldest holdout row and every row lands once', () => {
    const next = random(17);
    for (let trial = 0; trial < 200; trial++) {
      // Prepare: times with many ties, a random fraction and cut-off
      const n = 1 + Math.floor(next() * 60);
      const rows = Array.from({ length: n }, (_, i) => row(Math.floor(next() * 20), `r${i}`));
      const fraction = 0.05 + next() * 0.9;
      const cutoff = next() < 0.5 ? undefined : Math.floor(next() * 20);

      // Act
      let split;
      try {
        split = timeSplit(rows, { fraction, minRows: 1, cutoff });
      } catch (err) {
        // Assess: only when no row is newer than the cut-off
        expect(err).toBeInstanceOf(InsufficientLabelsError);
        expect(rows.every((r) => cutoff !== undefined && r.time <= cutoff)).toBe(true);
        continue;
      }

      // Assess
      const oldestHoldout = Math.min(...split.holdout.map((r) => r.time));
      expect(split.training.every((r) => r.time < oldestHoldout)).toBe(true);
      if (cutoff !== undefined) expect(split.holdout.every((r) => r.time > cutoff)).toBe(true);
      expect(new Set([...split.training, ...split.holdout].map((r) => r.key)).size).toBe(n);
      expect(split.training.length + split.holdout.length).toBe(n);
      const wanted = Math.ceil(fraction * n);
      const eligible = rows.filter((r) => cutoff === undefined || r.time > cutoff).length;
      expect(split.holdout.length).toBeGreaterThanOrEqual(Math.min(wanted, eligible));
    }
  });

  it('stops with InsufficientLabels below holdout.minRows, saying how many rows there were', () => {
    // Prepare: a fifth of 100 rows is 20, fewer than 500
    const rows = Array.from({ length: 100 }, (_, i) => row(i));

    // Act
    const err = (() => {
      try {
        timeSplit(rows, { fraction: 0.2, minRows: 500 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    // Assess
    expect(err).toBeInstanceOf(InsufficientLabelsError);
    expect((err as Error).name).toBe('InsufficientLabels');
    expect(err).toMatchObject({ holdoutRows: 20, minRows: 500, productionRows: 100 });
    expect((err as Error).message).toMatch(/20 labeled production rows .* fewer than holdout\.minRows 500/);
  });

  it('stops with InsufficientLabels when there is no labeled row at all', () => {
    expect(() => timeSplit([], { fraction: 0.2, minRows: 0 })).toThrow(InsufficientLabelsError);
  });
});
