import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { CBPE_METRICS, estimateFromReference, predictionDrift } from '../../../../lambdas/core/estimate';
import type { PredictionReference } from '../../../../lambdas/core/quality';
import { expectNear, loadEstimateFixture } from './fixture';

const { cbpe } = loadEstimateFixture();

const reference = (labels: number[], scores: number[], problemType: PredictionReference['problemType'] = 'binary'): PredictionReference => ({
  version: 1,
  problemType,
  labels,
  predictions: scores.map((p) => [p]),
});

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
  return c;
}

describe('Function: estimateFromReference', () => {
  it('reproduces scikit-learn’s calibrated estimate from output rows P(0), P(1)', () => {
    // Prepare: the reference case, each score as the two-column answer of a binary model
    const ref: PredictionReference = { version: 1, problemType: 'binary', labels: cbpe.reference_labels, predictions: cbpe.reference_scores.map((p) => [1 - p, p]) };

    // Act
    const out = estimateFromReference(ref, cbpe.current_scores.map((p) => [1 - p, p]), { threshold: cbpe.threshold });

    // Assess
    expect(out.calibrated).toBe(true);
    expect(out.metrics.map((m) => m.metric)).toEqual([...CBPE_METRICS]);
    for (const m of out.metrics) {
      expectNear(m.value, cbpe.estimated[m.metric as keyof typeof cbpe.estimated], 1e-6);
      expect(m.band![0]).toBeLessThanOrEqual(m.band![1]);
    }
    for (const name of CBPE_METRICS) expectNear(out.reference[name], cbpe.realized_reference[name], 1e-6);
  });

  it('gives the expected confusion-matrix metrics of uncalibrated scores (worked by hand)', () => {
    // Prepare: E[TP] = 0.9 + 0.8 = 1.7, E[FP] = 0.3, E[FN] = 0.2 + 0.4 = 0.6, E[TN] = 1.4
    const ref = reference([1, 0, 1, 0], [0.7, 0.3, 0.6, 0.4]);

    // Act
    const out = estimateFromReference(ref, [[0.9], [0.8], [0.2], [0.4]], { calibrate: 'never' });

    // Assess
    const by = Object.fromEntries(out.metrics.map((m) => [m.metric, m.value]));
    expectNear(by.accuracy!, (1.7 + 1.4) / 4);
    expectNear(by.precision!, 1.7 / 2);
    expectNear(by.recall!, 1.7 / 2.3);
    expectNear(by.f1!, 3.4 / (3.4 + 0.3 + 0.6));
    expect(out.calibrated).toBe(false);
  });

  it('leaves out a metric whose denominator is 0, with a note', () => {
    // Act: every current score below the threshold: no expected positive prediction
    const out = estimateFromReference(reference([1, 0], [0.8, 0.1]), [[0.1], [0.2]], { calibrate: 'never' });

    // Assess
    expect(out.metrics.map((m) => m.metric)).not.toContain('precision');
    expect(out.notes.some((n) => n.startsWith('estimated.precision'))).toBe(true);
  });

  it('refuses a reference that is not binary', () => {
    expect(() => estimateFromReference(reference([1.5, 2], [1, 2], 'regression'), [[1]])).toThrow(InputError);
  });
});

describe('Function: predictionDrift', () => {
  it('finds no drift when the captured scores are the reference’s', async () => {
    // Prepare
    const scores = Array.from({ length: 200 }, (_, i) => (i * 7919) % 200 / 200);

    // Act
    const out = await predictionDrift(reference(scores.map(() => 0), scores), scores.map((p) => [p]), { method: 'ks', threshold: 0.05 });

    // Assess
    expect(out).toMatchObject({ method: 'ks', score: 1, threshold: 0.05, drifted: false });
  });

  it('scores fully separated samples with the exact KS p-value 2 / C(100, 50)', async () => {
    // Prepare: 50 reference scores all below 50 captured ones
    const low = Array.from({ length: 50 }, (_, i) => 0.1 + i / 1000);
    const high = Array.from({ length: 50 }, (_, i) => 0.7 + i / 1000);

    // Act
    const out = await predictionDrift(reference(low.map(() => 0), low), high.map((p) => [1 - p, p]), { method: 'ks', threshold: 0.05 });

    // Assess: every one of the C(100, 50) splits is equally likely; 2 of them reach D = 1
    expect(out.drifted).toBe(true);
    expectNear(out.score / (2 / Number(choose(100, 50))), 1, 1e-6);
  });

  it('uses a distance method with its direction (psi over the threshold)', async () => {
    // Prepare
    const ref = Array.from({ length: 500 }, (_, i) => i / 500);
    const shifted = ref.map((x) => Math.min(1, x * 0.3 + 0.7));

    // Act
    const same = await predictionDrift(reference(ref.map(() => 0), ref), ref.map((p) => [p]), { method: 'psi', threshold: 0.2 });
    const moved = await predictionDrift(reference(ref.map(() => 0), ref), shifted.map((p) => [p]), { method: 'psi', threshold: 0.2 });

    // Assess
    expect(same).toMatchObject({ method: 'psi', drifted: false });
    expect(same.score).toBeLessThan(1e-9);
    expect(moved.drifted).toBe(true);
    expect(moved.score).toBeGreaterThan(0.2);
  });

  it('refuses a multiclass reference', async () => {
    await expect(predictionDrift(reference([0, 1], [0, 1], 'multiclass'), [[0.2, 0.8]], { method: 'psi', threshold: 0.2 })).rejects.toThrow('multiclass');
  });
});
