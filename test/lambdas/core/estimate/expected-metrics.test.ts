import { describe, expect, it } from 'vitest';
import { metricsOf } from '../../../../lambdas/core/estimate';
import { binaryMetrics } from '../../../../lambdas/core/metrics';

describe('Function: metricsOf', () => {
  it('gives the expected confusion-matrix metrics of the formulas on a small example', () => {
    // Prepare: p = 0.9, 0.6, 0.4, 0.1 with T = 0.5:
    // E[TP] = 0.9 + 0.6 = 1.5, E[FP] = 0.1 + 0.4 = 0.5, E[FN] = 0.4 + 0.1 = 0.5, E[TN] = 0.6 + 0.9 = 1.5
    const p = [0.9, 0.6, 0.4, 0.1];
    // Act
    const { metrics, notes } = metricsOf(p, p, 0.5);
    // Assess
    expect(metrics.accuracy).toBeCloseTo(3 / 4, 15);
    expect(metrics.precision).toBeCloseTo(1.5 / 2, 15);
    expect(metrics.recall).toBeCloseTo(1.5 / 2, 15);
    expect(metrics.f1).toBeCloseTo(3 / 4, 15);
    // ROC points: (0,0), (0.1/2, 0.9/2), (0.5/2, 1.5/2), (1.1/2, 1.9/2), (1, 1)
    const pts = [[0, 0], [0.05, 0.45], [0.25, 0.75], [0.55, 0.95], [1, 1]];
    let area = 0;
    for (let i = 1; i < pts.length; i++) area += ((pts[i]![0]! - pts[i - 1]![0]!) * (pts[i]![1]! + pts[i - 1]![1]!)) / 2;
    expect(metrics.rocAuc).toBeCloseTo(area, 15);
    expect(notes).toEqual([]);
  });

  it('with 0/1 outcomes equals the realized metrics evaluate computes', () => {
    // Prepare
    const p = Array.from({ length: 300 }, (_, i) => Math.round(((i * 7919) % 1000) / 10) / 100);
    const y = p.map((v, i) => (((i * 104729) % 997) / 997 < v ? 1 : 0));
    // Act
    const { metrics } = metricsOf(p, y, 0.5);
    const sk = binaryMetrics(y, p, 0.5);
    // Assess
    expect(metrics.accuracy).toBeCloseTo(sk.accuracy, 14);
    expect(metrics.precision).toBeCloseTo(sk.precision, 14);
    expect(metrics.recall).toBeCloseTo(sk.recall, 14);
    expect(metrics.f1).toBeCloseTo(sk.f1, 14);
    expect(metrics.rocAuc).toBeCloseTo(sk.rocAuc, 12);
  });

  it('gives null with a note when a denominator is 0', () => {
    // Act: every probability below the threshold, and one certain negative set
    const low = metricsOf([0.2, 0.3], [0.2, 0.3], 0.5);
    const zero = metricsOf([0, 0], [0, 0], 0.5);
    // Assess
    expect(low.metrics.precision).toBeNull();
    expect(low.notes.some((n) => n.startsWith('precision:'))).toBe(true);
    expect(low.metrics.recall).toBeCloseTo(0, 15);
    expect(zero.metrics).toMatchObject({ accuracy: 1, precision: null, recall: null, f1: null, rocAuc: null });
    expect(zero.notes).toHaveLength(4);
  });
});
