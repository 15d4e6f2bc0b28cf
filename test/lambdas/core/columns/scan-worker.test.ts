import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnAccumulator } from '../../../../lambdas/core/columns/column-accumulator';
import { accumulatorTransferables, prepareForTransfer, reviveAccumulator } from '../../../../lambdas/core/columns/scan-worker';
import type { EcdfReference } from '../../../../lambdas/core/columns/value-counts';
import { exactSample } from '../../../../lambdas/core/stats';

const CUTS = [0, 1];
const REF = exactSample([-1, 0, 0.5, 1, 2]);
const reference: EcdfReference = { values: REF.values, weights: null, total: REF.total, cuts: CUTS };
const cell = fc.oneof(fc.integer({ min: -8, max: 8 }).map((n) => String(n / 4)), fc.constantFrom(null, 'x', 'NaN'), fc.integer({ min: -2, max: 2 }));

/** The figures of an accumulator, finished, or the error finishing gave. */
function figures(acc: ColumnAccumulator) {
  try {
    const type = acc.finish();
    if (type === 'categorical') return { type, count: acc.count, categories: [...acc.categoryCounts()] };
    return { type, count: acc.count, moments: { ...acc.moments }, bins: acc.binCounts, statistics: acc.valueCounts?.statistics(), sample: acc.store?.sample() };
  } catch (err) {
    return { error: String(err) };
  }
}

describe('Function: reviveAccumulator', () => {
  it('gives back, after a structured clone, an accumulator with the same figures that takes more rows', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 60 }), fc.array(cell, { maxLength: 20 }), fc.constantFrom(undefined, 'numeric' as const), fc.boolean(), (cells, more, type, prepare) => {
        // Prepare
        const o = { type, cuts: CUTS, histogram: true, ecdfReference: reference, onBadValue: 'count' as const };
        const make = () => {
          const acc = new ColumnAccumulator('c', o);
          cells.forEach((c, i) => acc.add(c, 'f.csv', i + 2));
          return acc;
        };
        const original = make();
        const sent = make();
        // Act
        if (prepare) {
          prepareForTransfer(original);
          prepareForTransfer(sent);
        }
        const revived = reviveAccumulator(structuredClone(sent, { transfer: accumulatorTransferables(sent) }));
        const feedMore = (acc: ColumnAccumulator) => more.forEach((c, i) => acc.add(c, 'f.csv', 100 + i));
        let e1: unknown = null;
        let e2: unknown = null;
        try {
          feedMore(original);
        } catch (err) {
          e1 = String(err);
        }
        try {
          feedMore(revived);
        } catch (err) {
          e2 = String(err);
        }
        // Assess
        expect(revived).toBeInstanceOf(ColumnAccumulator);
        expect(e2).toEqual(e1);
        if (e1 === null) expect(figures(revived)).toEqual(figures(original));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what is not a cloned accumulator', () => {
    // Act / Assess
    expect(() => reviveAccumulator({})).toThrow(/not a cloned ColumnAccumulator/);
  });
});
