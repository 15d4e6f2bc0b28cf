import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDrift, decideDrift, type ScoredFeature } from '../../../../lambdas/core/drift';
import { InputError } from '../../../../vocabulary/errors';
import { DRIFT_CORRECTIONS } from '../../../../vocabulary/evaluation-names';
import { asCsvStrings, columnsTable } from '../../../helpers/memory-table';

function numeric(name: string, p: number, d: number): ScoredFeature {
  return { name, type: 'numeric', ksStatistic: d, ksPValue: p, method: 'ks', score: p, threshold: 0.05, nReference: 100, nCurrent: 100, missingReference: 0, missingCurrent: 0 };
}
function categorical(name: string, p: number, v: number): ScoredFeature {
  return { name, type: 'categorical', chiSquarePValue: p, cramersV: v, method: 'chiSquare', score: p, threshold: 0.05, nReference: 100, nCurrent: 100, missingReference: 0, missingCurrent: 0 };
}
function distance(name: string, psi: number): ScoredFeature {
  return { name, type: 'numeric', psi, method: 'psi', score: psi, threshold: 0.2, nReference: 100, nCurrent: 100, missingReference: 0, missingCurrent: 0 };
}

describe('Function: decideDrift', () => {
  it('decides on the adjusted p-value and publishes it as the score', () => {
    // Prepare: three tests, p = 0.01, 0.03, 0.04; Bonferroni: 0.03, 0.09, 0.12
    const features = [numeric('a', 0.01, 0.3), numeric('b', 0.03, 0.3), categorical('c', 0.04, 0.3), distance('d', 0.5)];
    // Act
    const none = decideDrift(features);
    const bonferroni = decideDrift(features, { correction: 'bonferroni' });
    // Assess
    expect(none.map((f) => f.drifted)).toEqual([true, true, true, true]);
    expect(none.map((f) => f.pValueAdjusted)).toEqual([0.01, 0.03, 0.04, undefined]);
    expect(bonferroni.map((f) => f.drifted)).toEqual([true, false, false, true]);
    [0.03, 0.09, 0.12].forEach((x, i) => expect(bonferroni[i]!.pValueAdjusted).toBeCloseTo(x, 15));
    expect(bonferroni.map((f) => f.score)).toEqual(bonferroni.map((f, i) => (i < 3 ? f.pValueAdjusted : 0.5)));
    // the raw p-values stay
    expect(bonferroni[1]!.ksPValue).toBe(0.03);
  });

  it('counts only the features with a p-value method and a p-value', () => {
    // Prepare: a null score (no values on one side) is not a test
    const empty: ScoredFeature = { ...numeric('e', 0, 0), ksPValue: undefined, ksStatistic: undefined, score: null, note: 'no values in the current data' };
    const features = [numeric('a', 0.02, 0.3), empty, distance('d', 0.1)];
    // Act
    const out = decideDrift(features, { correction: 'bonferroni' });
    // Assess: m = 1, so the p-value is unchanged
    expect(out[0]!.pValueAdjusted).toBe(0.02);
    expect(out[1]).toMatchObject({ drifted: false, score: null });
    expect(out[1]!.pValueAdjusted).toBeUndefined();
  });

  it('with minEffect, drifts only when the effect also reaches the floor, and keeps the score at or above the threshold', () => {
    // Prepare
    const features = [numeric('a', 1e-9, 0.01), numeric('b', 1e-9, 0.2), categorical('c', 1e-9, 0.05), categorical('d', 1e-9, 0.15)];
    // Act
    const out = decideDrift(features, { minEffect: 0.1 });
    // Assess
    expect(out.map((f) => f.drifted)).toEqual([false, true, false, true]);
    expect(out.map((f) => f.score)).toEqual([0.05, 1e-9, 0.05, 1e-9]);
    expect(out[0]!.note).toMatch(/below minEffect 0.1/);
  });

  it('keeps the published score and the verdict in agreement for every correction and floor', () => {
    const feature = fc.record({
      p: fc.double({ min: 0, max: 1, noNaN: true }),
      effect: fc.double({ min: 0, max: 1, noNaN: true }),
      categorical: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(feature, { minLength: 1, maxLength: 20 }), fc.constantFrom(...DRIFT_CORRECTIONS), fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), (fs, correction, minEffect) => {
        const features = fs.map((f, i) => (f.categorical ? categorical(`f${i}`, f.p, f.effect) : numeric(`f${i}`, f.p, f.effect)));
        for (const f of decideDrift(features, { correction, minEffect })) {
          // the per-feature alarm fires when the published p-value is below the threshold
          expect(f.drifted).toBe(f.score! < f.threshold);
          expect(f.pValueAdjusted!).toBeGreaterThanOrEqual(features.find((x) => x.name === f.name)!.score!);
        }
      }),
    );
  });
});

describe('Function: computeDrift with a correction', () => {
  /** Four numeric features shifted by growing amounts and a categorical one. */
  function tables() {
    const n = 400;
    const col = (shift: number, offset: number) => asCsvStrings(Array.from({ length: n }, (_, i) => ((i * 37 + offset) % n) / n + shift));
    const tier = (k: number) => Array.from({ length: n }, (_, i) => (i % 10 < k ? 'a' : i % 10 < 8 ? 'b' : 'c'));
    return {
      reference: columnsTable({ a: col(0, 0), b: col(0, 0), c: col(0, 0), d: col(0, 0), t: tier(3) }),
      current: columnsTable({ a: col(0.02, 5), b: col(0.08, 5), c: col(0.12, 5), d: col(0.3, 5), t: tier(4) }),
    };
  }

  it.each(DRIFT_CORRECTIONS)('adjusts the ks and chiSquare p-values together (%s)', async (correction) => {
    // Prepare
    const plain = await computeDrift({ ...tables(), method: 'ks' });
    const p = plain.features.map((f) => f.score!);
    const m = p.length;
    const sorted = [...p].sort((x, y) => x - y);
    const rank = (x: number) => sorted.indexOf(x) + 1;
    const expected = p.map((x) => {
      if (correction === 'none') return x;
      if (correction === 'bonferroni') return Math.min(1, m * x);
      if (correction === 'holm') return Math.max(...sorted.slice(0, rank(x)).map((y, k) => Math.min(1, (m - k) * y)));
      return Math.min(1, ...sorted.slice(rank(x) - 1).map((y, k) => (m * y) / (rank(x) + k)));
    });
    // Act
    const result = await computeDrift({ ...tables(), method: 'ks', correction });
    // Assess
    expect(result.correction).toBe(correction);
    expect(result.features.map((f) => f.method)).toEqual(['ks', 'ks', 'ks', 'ks', 'chiSquare']);
    result.features.forEach((f, i) => {
      expect(f.pValueAdjusted).toBeCloseTo(expected[i]!, 14);
      expect(f.score).toBe(f.pValueAdjusted);
      expect(f.drifted).toBe(f.pValueAdjusted! < 0.05);
    });
    expect(result.driftedCount).toBe(result.features.filter((f) => f.drifted).length);
  });

  it('reports Cramér\'s V for categorical features and floors the verdict with minEffect', async () => {
    // Act
    const result = await computeDrift({ ...tables(), method: 'ks', minEffect: 0.2 });
    // Assess
    const t = result.features.find((f) => f.name === 't')!;
    expect(t.cramersV).toBeGreaterThan(0);
    expect(t.cramersV).toBeLessThan(0.2);
    expect(t.drifted).toBe(false);
    for (const f of result.features.filter((x) => x.type === 'numeric')) expect(f.drifted).toBe(f.ksPValue! < 0.05 && f.ksStatistic! >= 0.2);
    expect(result.minEffect).toBe(0.2);
  });

  it('rejects a minEffect outside [0, 1]', async () => {
    await expect(computeDrift({ ...tables(), minEffect: 1.5 })).rejects.toThrow(InputError);
  });
});
