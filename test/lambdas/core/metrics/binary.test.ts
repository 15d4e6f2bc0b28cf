/**
 * Binary metrics on small hand-computed cases and edge cases.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { calibrationBins, evaluate, expectedCalibrationError, FLOAT64_EPS, rocAuc } from '../../../../lambdas/core/metrics';

const f = (...xs: number[]): Float64Array => Float64Array.from(xs);

describe('Function: evaluate (binary edge cases)', () => {
  it('scores a model that predicts one class only (zero_division gives 0)', () => {
    // Prepare: every p < 0.5, so every prediction is 0.
    const y = f(0, 1, 0, 1);
    const p = f(0.1, 0.2, 0.3, 0.4);

    // Act
    const m = evaluate('binary', y, [p]);

    // Assess: class 1 has tp=fp=0, fn=2: precision 0/0 -> 0, recall 0, F1 0.
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
    expect(m.accuracy).toBe(0.5);
    // Class 0: tp 2, fp 2, fn 0 -> P 1/2, R 1, F1 4/6. Macro over {0,1}.
    expect(m.precisionMacro).toBeCloseTo(0.25, 15);
    expect(m.recallMacro).toBeCloseTo(0.5, 15);
    expect(m.f1Macro).toBeCloseTo(1 / 3, 15);
    // Ranking still works: positives .2 and .4 against negatives .1 and .3 -> 3 of 4 pairs.
    expect(m.rocAuc).toBeCloseTo(0.75, 15);
  });

  it('scores perfect predictions', () => {
    const m = evaluate('binary', f(0, 1, 1, 0), [f(0, 1, 1, 0)]);
    for (const name of ['accuracy', 'precision', 'recall', 'f1', 'f1Macro', 'f1Weighted', 'rocAuc'] as const) {
      expect(m[name]).toBe(1);
    }
    expect(m.brier).toBe(0);
    expect(m.ece).toBe(0);
    // Clipped at 1 - eps: -ln(1 - eps) ~ eps.
    expect(m.logLoss).toBeGreaterThan(0);
    expect(Math.abs(m.logLoss - FLOAT64_EPS)).toBeLessThan(1e-30);
  });

  it('clips confidently wrong probabilities at float64 eps: -ln(eps) = 52 ln 2', () => {
    const m = evaluate('binary', f(1, 0), [f(0, 1)]);
    expect(m.logLoss).toBeCloseTo(52 * Math.LN2, 12);
    expect(m.brier).toBe(1);
  });

  it('gives NaN ROC AUC when the labels hold a single class, and still the other metrics', () => {
    // y all 1; predictions 1, 0. Present labels {0, 1}.
    const m = evaluate('binary', f(1, 1), [f(0.9, 0.2)]);
    expect(m.rocAuc).toBeNaN();
    expect(m.accuracy).toBe(0.5);
    // Class 1: tp 1, fp 0, fn 1 -> P 1, R 1/2, F1 2/3; class 0: tp 0, fp 1, fn 0 -> 0, 0, 0.
    expect(m.precision).toBe(1);
    expect(m.recall).toBe(0.5);
    expect(m.precisionMacro).toBeCloseTo(0.5, 15);
    expect(m.f1Macro).toBeCloseTo(1 / 3, 15);
    // Weighted by support in y: class 0 has none.
    expect(m.f1Weighted).toBeCloseTo(2 / 3, 15);
  });

  it('averages over the present label only when labels and predictions are all 0', () => {
    const m = evaluate('binary', f(0, 0, 0), [f(0.1, 0.2, 0.3)]);
    expect(m.f1).toBe(0); // no positives at all: 0/0 -> 0
    expect(m.precisionMacro).toBe(1);
    expect(m.f1Macro).toBe(1);
    expect(m.rocAuc).toBeNaN();
  });

  it('predicts positive at exactly 0.5', () => {
    const m = evaluate('binary', f(1, 0), [f(0.5, 0.49)]);
    expect(m.accuracy).toBe(1);
  });

  it('rejects labels other than 0 and 1, and misaligned or empty input', () => {
    expect(() => evaluate('binary', f(0, 2), [f(0.1, 0.2)])).toThrow(InputError);
    expect(() => evaluate('binary', f(0, 1), [f(0.1)])).toThrow(InputError);
    expect(() => evaluate('binary', f(), [f()])).toThrow(/no rows/);
    expect(() => evaluate('binary', f(0, 1), [f(0, 1), f(0, 1), f(0, 1)])).toThrow(/1 or 2 score columns/);
  });
});

describe('Function: calibrationBins / expectedCalibrationError', () => {
  it('bins by comparing with the edges: (a, b], first [0, 0.1]', () => {
    // 0 and 0.1 -> bin 0; 0.3 -> bin 2 (edge 0.30000000000000004 lies above it, where
    // ceil(0.3 * 10) = ceil(3.0000000000000004) = 4 would say bin 3); 0.31 -> 3;
    // 0.6 -> 5 (edge 0.6000000000000001); 1 -> 9.
    const bins = calibrationBins(f(0, 0, 1, 0, 1, 1, 1), f(0, 0.1, 0.3, 0.3, 0.31, 0.6, 1));
    expect(bins.counts).toEqual([2, 0, 2, 1, 0, 1, 0, 0, 0, 1]);
  });

  it('weights each bin by its share of rows', () => {
    // bin 2: y {1,0}, p {.3,.3} -> |.5 - .3| * 2/4 = 0.1
    // bin 3: y {1},   p {.31}   -> |1 - .31| * 1/4 = 0.1725
    // bin 5: y {1},   p {.6}    -> |1 - .6|  * 1/4 = 0.1
    expect(expectedCalibrationError(f(1, 0, 1, 1), f(0.3, 0.3, 0.31, 0.6))).toBeCloseTo(0.3725, 15);
  });
});

describe('Function: rocAuc', () => {
  it('counts tied (positive, negative) pairs one half', () => {
    // All four scores tie: every pair counts 1/2.
    expect(rocAuc(f(0, 1, 0, 1), f(0.5, 0.5, 0.5, 0.5))).toBe(0.5);
    // Positives .8, .4; negatives .4, .1: pairs 1 + 1 + 1/2 + 1 = 3.5 of 4.
    expect(rocAuc(f(1, 1, 0, 0), f(0.8, 0.4, 0.4, 0.1))).toBe(0.875);
  });

  it('is 0 for a perfectly inverted ranking', () => {
    expect(rocAuc(f(1, 1, 0, 0), f(0.1, 0.2, 0.3, 0.4))).toBe(0);
  });
});
