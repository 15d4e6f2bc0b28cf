import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { DRIFT_CORRECTIONS } from '../../../../vocabulary/evaluation-names';
import { adjustPValues } from '../../../../lambdas/core/stats';

/** The textbook definitions, written out with explicit ranks and nested loops. */
function byDefinition(p: readonly number[], correction: string): number[] {
  const m = p.length;
  // rank of each p-value: 1-based position in ascending order, ties broken by index
  const rank = p.map((pi, i) => 1 + p.filter((pj, j) => pj < pi || (pj === pi && j < i)).length);
  const sorted = [...p].sort((a, b) => a - b);
  return p.map((pi, i) => {
    const r = rank[i]!;
    if (correction === 'none') return pi;
    if (correction === 'bonferroni') return Math.min(1, m * pi);
    if (correction === 'holm') {
      let best = 0;
      for (let k = 1; k <= r; k++) best = Math.max(best, Math.min(1, (m - k + 1) * sorted[k - 1]!));
      return best;
    }
    let best = Infinity;
    for (let j = r; j <= m; j++) best = Math.min(best, (m * sorted[j - 1]!) / j);
    return Math.min(1, best);
  });
}

const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });

describe('Function: adjustPValues', () => {
  it('gives the worked example of each correction', () => {
    // Prepare: sorted 0.01, 0.02, 0.03, 0.5 (m = 4), given out of order
    const p = [0.03, 0.5, 0.01, 0.02];
    // Act / Assess
    expect(adjustPValues(p, 'none')).toEqual(p);
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, 15));
    // Bonferroni: 4 p, capped at 1
    close(adjustPValues(p, 'bonferroni'), [0.12, 1, 0.04, 0.08]);
    // Holm: 4*0.01 = 0.04, 3*0.02 = 0.06, 2*0.03 = 0.06, 1*0.5 = 0.5 (running maximum)
    close(adjustPValues(p, 'holm'), [0.06, 0.5, 0.04, 0.06]);
    // BH: 4*0.01/1 = 0.04, 4*0.02/2 = 0.04, 4*0.03/3 = 0.04, 4*0.5/4 = 0.5 (minimum from the top)
    close(adjustPValues(p, 'bh'), [0.04, 0.5, 0.04, 0.04]);
  });

  it.each(DRIFT_CORRECTIONS)('agrees with the definition of %s on any p-values', (correction) => {
    fc.assert(
      fc.property(pValues, (p) => {
        const got = adjustPValues(p, correction);
        const want = byDefinition(p, correction);
        got.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(1e-15 * Math.max(1, want[i]!)));
      }),
    );
  });

  it.each(DRIFT_CORRECTIONS)('%s: monotone in p, never below p, at most 1', (correction) => {
    fc.assert(
      fc.property(pValues, (p) => {
        const adjusted = adjustPValues(p, correction);
        for (let i = 0; i < p.length; i++) {
          expect(adjusted[i]!).toBeGreaterThanOrEqual(p[i]!);
          expect(adjusted[i]!).toBeLessThanOrEqual(1);
          for (let j = 0; j < p.length; j++) if (p[i]! <= p[j]!) expect(adjusted[i]!).toBeLessThanOrEqual(adjusted[j]!);
        }
      }),
    );
  });

  it('orders the corrections: none <= bh <= holm <= bonferroni', () => {
    fc.assert(
      fc.property(pValues, (p) => {
        const [none, bh, holm, bonferroni] = (['none', 'bh', 'holm', 'bonferroni'] as const).map((c) => adjustPValues(p, c));
        p.forEach((_, i) => {
          expect(none![i]!).toBeLessThanOrEqual(bh![i]! + 1e-15);
          expect(bh![i]!).toBeLessThanOrEqual(holm![i]! + 1e-15);
          expect(holm![i]!).toBeLessThanOrEqual(bonferroni![i]! + 1e-15);
        });
      }),
    );
  });

  it('leaves a single test and an empty family as they are', () => {
    for (const c of DRIFT_CORRECTIONS) {
      expect(adjustPValues([0.03], c)).toEqual([0.03]);
      expect(adjustPValues([], c)).toEqual([]);
    }
  });

  it('rejects a value that is not a p-value', () => {
    expect(() => adjustPValues([0.1, 1.2], 'bh')).toThrow(InputError);
    expect(() => adjustPValues([Number.NaN], 'holm')).toThrow(/index 0/);
  });
});
