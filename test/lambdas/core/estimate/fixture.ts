/** test/fixtures/estimate (scikit-learn's values) and a tolerant comparison. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export interface IsotonicCase {
  x: number[];
  y: number[];
  predict_at: number[];
  x_thresholds: number[];
  y_thresholds: number[];
  predictions: number[];
}
type Five = { accuracy: number; precision: number; recall: number; f1: number; rocAuc: number };
export interface EstimateFixture {
  isotonic: IsotonicCase[];
  cbpe: {
    threshold: number;
    reference_labels: number[];
    reference_scores: number[];
    current_scores: number[];
    ece_before: number;
    ece_after: number;
    calibrated_current: number[];
    estimated: Five;
    estimated_uncalibrated: Five;
    realized_reference: Five;
  };
}

export function loadEstimateFixture(): EstimateFixture {
  const url = new URL('../../../fixtures/estimate/estimate.json', import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as EstimateFixture;
}

/** |actual - expected| <= 1e-9 (absolute, or relative to |expected| when larger). */
export function expectNear(actual: number | null | undefined, expected: number, tol = 1e-9): void {
  expect(actual, `expected a number near ${expected}`).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}
