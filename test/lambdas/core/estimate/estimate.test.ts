import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { CBPE_METRICS, estimatePerformance, metricsOf, percentileSorted } from '../../../../lambdas/core/estimate';
import { mulberry32 } from '../../../../lambdas/core/stats/random';
import { expectNear, loadEstimateFixture } from './fixture';

const { cbpe } = loadEstimateFixture();

describe('Function: estimatePerformance', () => {
  it('reproduces the reference case: ECE, isotonic calibration, expected and realized metrics', () => {
    // Act
    const result = estimatePerformance({ referenceLabels: cbpe.reference_labels, referenceScores: cbpe.reference_scores, currentScores: cbpe.current_scores, threshold: cbpe.threshold, draws: 50 });
    // Assess
    expect(result.calibration.applied).toBe(true);
    expectNear(result.calibration.eceBefore, cbpe.ece_before);
    expectNear(result.calibration.eceAfter, cbpe.ece_after);
    for (const m of CBPE_METRICS) {
      expectNear(result.estimated[m], cbpe.estimated[m]);
      expectNear(result.realizedReference[m], cbpe.realized_reference[m]);
    }
    expect(result.rows).toBe(cbpe.current_scores.length);
    expect(result.notes).toEqual([]);
  });

  it('uses the scores as they are with never, and auto follows --max-ece', () => {
    // Act
    const never = estimatePerformance({ referenceLabels: cbpe.reference_labels, referenceScores: cbpe.reference_scores, currentScores: cbpe.current_scores, calibrate: 'never', draws: 10 });
    const lenient = estimatePerformance({ referenceLabels: cbpe.reference_labels, referenceScores: cbpe.reference_scores, currentScores: cbpe.current_scores, maxEce: 0.5, draws: 10 });
    // Assess
    expect(never.calibration).toEqual({ applied: false, eceBefore: never.calibration.eceBefore, eceAfter: never.calibration.eceBefore });
    for (const m of CBPE_METRICS) expectNear(never.estimated[m], cbpe.estimated_uncalibrated[m]);
    expect(lenient.calibration.applied).toBe(false);
  });

  it('gives bands that hold the realized metric about 95 % of the time on data drawn from calibrated scores', () => {
    // Prepare: 120 data sets of 300 rows, p uniform, labels drawn from p
    const next = mulberry32(99);
    const reps = 120;
    const covered: Record<string, number> = { accuracy: 0, precision: 0, recall: 0, f1: 0, rocAuc: 0 };
    const realizedSum: Record<string, number> = { accuracy: 0, f1: 0 };
    const estimatedSum: Record<string, number> = { accuracy: 0, f1: 0 };
    for (let r = 0; r < reps; r++) {
      const p = Array.from({ length: 300 }, () => next());
      const y = p.map((v) => (next() < v ? 1 : 0));
      // Act
      const result = estimatePerformance({ referenceLabels: y, referenceScores: p, currentScores: p, calibrate: 'never', draws: 400, seed: r + 1 });
      const realized = metricsOf(p, y, 0.5).metrics;
      for (const m of CBPE_METRICS) {
        const band = result.bands[m]!;
        if (realized[m]! >= band[0] && realized[m]! <= band[1]) covered[m]!++;
      }
      for (const m of ['accuracy', 'f1'] as const) {
        realizedSum[m]! += realized[m]!;
        estimatedSum[m]! += result.estimated[m]!;
      }
    }
    // Assess: coverage near 95 % (binomial sd over 120 repetitions about 2 %)
    for (const m of CBPE_METRICS) {
      expect(covered[m]! / reps, m).toBeGreaterThanOrEqual(0.88);
      expect(covered[m]! / reps, m).toBeLessThanOrEqual(0.995);
    }
    // and the estimate equals the realized metric in expectation
    expect(Math.abs(realizedSum.accuracy! - estimatedSum.accuracy!) / reps).toBeLessThan(0.005);
    expect(Math.abs(realizedSum.f1! - estimatedSum.f1!) / reps).toBeLessThan(0.01);
  });

  it('draws the same bands for the same seed', () => {
    const a = estimatePerformance({ referenceLabels: [0, 1, 1, 0], referenceScores: [0.2, 0.7, 0.8, 0.4], currentScores: [0.1, 0.5, 0.9, 0.6, 0.3], calibrate: 'never', seed: 5 });
    const b = estimatePerformance({ referenceLabels: [0, 1, 1, 0], referenceScores: [0.2, 0.7, 0.8, 0.4], currentScores: [0.1, 0.5, 0.9, 0.6, 0.3], calibrate: 'never', seed: 5 });
    expect(a.bands).toEqual(b.bands);
  });

  it('reports null with a note when no current row is predicted positive', () => {
    const r = estimatePerformance({ referenceLabels: [0, 1], referenceScores: [0.2, 0.7], currentScores: [0.1, 0.2, 0.3], calibrate: 'never', draws: 20 });
    expect(r.estimated.precision).toBeNull();
    expect(r.notes).toContain('estimated.precision: no row predicted positive (TP + FP = 0)');
  });

  it('rejects bad input', () => {
    const base = { referenceLabels: [0, 1], referenceScores: [0.2, 0.7], currentScores: [0.5] };
    expect(() => estimatePerformance({ ...base, referenceLabels: [0, 2] })).toThrow(InputError);
    expect(() => estimatePerformance({ ...base, currentScores: [1.5] })).toThrow(/current score at index 0/);
    expect(() => estimatePerformance({ ...base, currentScores: [] })).toThrow(InputError);
    expect(() => estimatePerformance({ ...base, threshold: 2 })).toThrow(InputError);
  });
});

describe('Function: percentileSorted', () => {
  it('interpolates linearly as numpy.percentile', () => {
    // numpy.percentile([1, 2, 3, 4], 2.5) = 1 + 0.075 * 1; 97.5 -> 3 + 0.925
    expect(percentileSorted([1, 2, 3, 4], 2.5)).toBeCloseTo(1.075, 15);
    expect(percentileSorted([1, 2, 3, 4], 97.5)).toBeCloseTo(3.925, 15);
    expect(percentileSorted([7], 50)).toBe(7);
  });
});
