/**
 * The metrics against the scikit-learn reference values of
 * 06_binary_candidate_vs_production.json and 08_regression.json.
 */
import { describe, expect, it } from 'vitest';
import {
  binaryConfusion,
  binaryLogLoss,
  calibrationBins,
  evaluate,
  EVALUATED_METRICS,
} from '../../../../lambdas/core/metrics';
import { loadReference } from '../../../helpers/reference';

const TOL = 1e-9;
const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
};

const binary = loadReference('06_binary_candidate_vs_production');
const y = Float64Array.from(binary.inputs.y_true as number[]);

describe('Function: evaluate (binary, reference 06)', () => {
  for (const model of ['candidate', 'production'] as const) {
    const p = Float64Array.from(binary.inputs[`p_${model}`] as number[]);
    const expected = binary.expected[model];

    it(`reproduces every ${model} metric to 1e-9`, () => {
      // Act
      const m = evaluate('binary', y, [p]);

      // Assess
      close(m.accuracy, expected.accuracy);
      close(m.precision, expected.precision_binary);
      close(m.recall, expected.recall_binary);
      close(m.f1, expected.f1_binary);
      close(m.precisionMacro, expected.precision_macro);
      close(m.recallMacro, expected.recall_macro);
      close(m.f1Macro, expected.f1_macro);
      close(m.precisionWeighted, expected.precision_weighted);
      close(m.recallWeighted, expected.recall_weighted);
      close(m.f1Weighted, expected.f1_weighted);
      close(m.rocAuc, expected.roc_auc);
      close(m.logLoss, expected.log_loss);
      close(m.brier, expected.brier_score);
      close(m.ece, expected.ece_10_uniform);
      expect(Object.keys(m).sort()).toEqual([...EVALUATED_METRICS.binary].sort());
    });

    it(`counts the ${model} confusion matrix and ECE bins exactly`, () => {
      expect(binaryConfusion(y, p)).toEqual(expected.confusion);
      expect(calibrationBins(y, p).counts).toEqual(expected.ece_bin_counts);
    });

    it(`differs from the pre-1.2 eps=1e-15 log loss for ${model} (clipping at float64 eps)`, () => {
      // The file's log_loss_eps_1e-15 is the old clip; ours must not match it.
      expect(Math.abs(binaryLogLoss(y, p) - expected['log_loss_eps_1e-15'])).toBeGreaterThan(1e-4);
    });
  }

  it('takes two columns [P(0), P(1)] and uses the second', () => {
    const p = Float64Array.from(binary.inputs.p_candidate as number[]);
    const p0 = p.map((x) => 1 - x);
    close(evaluate('binary', y, [p0, p]).rocAuc, binary.expected.candidate.roc_auc);
  });
});

describe('Function: evaluate (regression, reference 08)', () => {
  it('reproduces MAE, MSE, RMSE, R2 and MAPE to 1e-9', () => {
    // Prepare
    const reg = loadReference('08_regression');
    const yt = Float64Array.from(reg.inputs.y_true as number[]);
    const yp = Float64Array.from(reg.inputs.y_pred as number[]);

    // Act
    const m = evaluate('regression', yt, [yp]);

    // Assess
    close(m.mae, reg.expected.mae);
    close(m.mse, reg.expected.mse);
    close(m.rmse, reg.expected.rmse);
    close(m.r2, reg.expected.r2);
    close(m.mape, reg.expected.mape);
    expect(Object.keys(m).sort()).toEqual([...EVALUATED_METRICS.regression].sort());
  });
});
