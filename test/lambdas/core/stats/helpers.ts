/** Test helpers for the drift statistics: reference-metrics loading and tolerant comparison. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { mulberry32 } from '../../../../lambdas/core/stats/random';

/** Loads a reference-metrics file from test/fixtures/reference-metrics. */
export function loadReference<T = any>(name: string): T {
  const url = new URL(`../../../fixtures/reference-metrics/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** |actual - expected| <= abs or <= rel * |expected| (the files' suggested tolerance). */
export function expectClose(actual: number, expected: number, abs = 1e-9, rel = 1e-9): void {
  const diff = Math.abs(actual - expected);
  const ok = diff <= abs || diff <= rel * Math.abs(expected);
  expect(ok, `expected ${actual} to be within abs ${abs} / rel ${rel} of ${expected} (diff ${diff})`).toBe(true);
}

/** Relative comparison only (p-values: 1e-6 relative). */
export function expectRel(actual: number, expected: number, rel = 1e-6): void {
  const diff = Math.abs(actual - expected);
  expect(diff <= rel * Math.abs(expected), `expected ${actual} to be within rel ${rel} of ${expected}`).toBe(true);
}

/** Element-wise expectClose. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, abs = 1e-9, rel = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i]!, expected[i]!, abs, rel);
}

/** Deterministic pseudo-random numbers (mulberry32) for large generated inputs. */
export const rng = mulberry32;

/** Standard normal deviates (Box-Muller) from a uniform generator. */
export function normals(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  const u = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    out[i] = mean + sd * r * Math.cos(2 * Math.PI * u());
  }
  return out;
}
