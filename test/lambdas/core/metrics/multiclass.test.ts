/**
 * Multiclass metrics on a small case computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { argmaxLabels, evaluate, EVALUATED_METRICS, multiclassLogLoss } from '../../../../lambdas/core/metrics';

// Seven rows, three classes. Columns are P(class 0), P(class 1), P(class 2).
//   row  y   P0   P1   P2   argmax
//   r0   0   .7   .2   .1   0  correct
//   r1   0   .3   .4   .3   1  wrong
//   r2   1   .2   .5   .3   1  correct
//   r3   1   .4   .4   .2   0  wrong (tie 0/1 goes to the lowest index)
//   r4   2   .1   .2   .7   2  correct
//   r5   2   .2   .2   .6   2  correct
//   r6   2   .5   .1   .4   0  wrong
const y = Float64Array.of(0, 0, 1, 1, 2, 2, 2);
const P = [
  Float64Array.of(0.7, 0.3, 0.2, 0.4, 0.1, 0.2, 0.5),
  Float64Array.of(0.2, 0.4, 0.5, 0.4, 0.2, 0.2, 0.1),
  Float64Array.of(0.1, 0.3, 0.3, 0.2, 0.7, 0.6, 0.4),
];

describe('Function: evaluate (multiclass, hand-computed)', () => {
  const m = evaluate('multiclass', y, P);

  it('predicts the argmax, ties to the lowest class', () => {
    expect(Array.from(argmaxLabels(P))).toEqual([0, 1, 1, 0, 2, 2, 0]);
  });

  it('computes accuracy: 4 of 7 correct', () => {
    expect(m.accuracy).toBeCloseTo(4 / 7, 15);
  });

  // Per class (tp, fp, fn -> precision, recall, F1 = 2tp/(2tp+fp+fn)), support:
  //   0: tp 1 (r0), fp 2 (r3, r6), fn 1 (r1) -> 1/3, 1/2, 2/5; support 2
  //   1: tp 1 (r2), fp 1 (r1),     fn 1 (r3) -> 1/2, 1/2, 1/2; support 2
  //   2: tp 2 (r4, r5), fp 0,      fn 1 (r6) -> 1,   2/3, 4/5; support 3
  it('computes macro averages: the unweighted mean over classes', () => {
    expect(m.precisionMacro).toBeCloseTo((1 / 3 + 1 / 2 + 1) / 3, 15); // 11/18
    expect(m.recallMacro).toBeCloseTo((1 / 2 + 1 / 2 + 2 / 3) / 3, 15); // 5/9
    // Mean of per-class F1 (17/30), not the F1 of macro precision and recall.
    expect(m.f1Macro).toBeCloseTo(17 / 30, 15);
  });

  it('computes weighted averages: weighted by support 2, 2, 3', () => {
    expect(m.precisionWeighted).toBeCloseTo((2 * (1 / 3) + 2 * (1 / 2) + 3 * 1) / 7, 15); // 2/3
    expect(m.recallWeighted).toBeCloseTo(4 / 7, 15); // equals accuracy
    expect(m.f1Weighted).toBeCloseTo((2 * (2 / 5) + 2 * (1 / 2) + 3 * (4 / 5)) / 7, 15); // 3/5
  });

  it('computes log loss from the true class column: -ln(.7*.3*.5*.4*.7*.6*.4)/7', () => {
    // Product = 0.007056.
    expect(m.logLoss).toBeCloseTo(-Math.log(0.007056) / 7, 14);
  });

  // One-vs-rest AUC, counting (positive, negative) pairs, ties 1/2:
  //   class 0: pos .7 .3; neg .2 .4 .1 .2 .5 -> .7 beats 5, .3 beats 3 -> 8/10
  //   class 1: pos .5 .4; neg .2 .4 .2 .2 .1 -> .5 beats 5, .4 beats 4 + ties 1 -> 9.5/10
  //   class 2: pos .7 .6 .4; neg .1 .3 .3 .2 -> all 12 pairs -> 1
  it('computes one-vs-rest macro ROC AUC: (0.8 + 0.95 + 1) / 3', () => {
    expect(m.rocAucOvrMacro).toBeCloseTo(11 / 12, 15);
  });

  it('returns exactly the multiclass metric names', () => {
    expect(Object.keys(m).sort()).toEqual([...EVALUATED_METRICS.multiclass].sort());
  });
});

describe('Function: multiclassLogLoss', () => {
  it('does not renormalise rows that do not sum to 1', () => {
    // Row [0.2, 0.3] with y=1: -ln 0.3 without renormalisation, -ln 0.6 with it.
    const loss = multiclassLogLoss(Float64Array.of(1), [Float64Array.of(0.2), Float64Array.of(0.3)]);
    expect(loss).toBeCloseTo(-Math.log(0.3), 15);
  });

  it('clips a zero probability of the true class at float64 eps: 52 ln 2', () => {
    const loss = multiclassLogLoss(Float64Array.of(0), [Float64Array.of(0), Float64Array.of(1)]);
    expect(loss).toBeCloseTo(52 * Math.LN2, 12);
  });
});

describe('Function: evaluate (multiclass, undefined and bad input)', () => {
  it('gives NaN one-vs-rest AUC when a class never occurs in the labels', () => {
    // Class 2 is absent from y: its one-vs-rest AUC has no positives.
    const m = evaluate('multiclass', Float64Array.of(0, 1, 0, 1), [
      Float64Array.of(0.8, 0.1, 0.6, 0.3),
      Float64Array.of(0.1, 0.8, 0.3, 0.6),
      Float64Array.of(0.1, 0.1, 0.1, 0.1),
    ]);
    expect(m.rocAucOvrMacro).toBeNaN();
    expect(m.accuracy).toBe(1);
    // Classes averaged over are those in y or the predictions: 0 and 1, both perfect.
    expect(m.f1Macro).toBe(1);
  });

  it('rejects a label that is not a class index', () => {
    expect(() => evaluate('multiclass', Float64Array.of(0, 3), [Float64Array.of(1, 0), Float64Array.of(0, 1), Float64Array.of(0, 0)])).toThrow(InputError);
    expect(() => evaluate('multiclass', Float64Array.of(0, 1.5), [Float64Array.of(1, 0), Float64Array.of(0, 1), Float64Array.of(0, 0)])).toThrow(/1.5/);
  });

  it('rejects columns of different lengths', () => {
    expect(() => evaluate('multiclass', Float64Array.of(0, 1), [Float64Array.of(1, 0), Float64Array.of(0)])).toThrow(InputError);
  });
});
