/** Loading the shared reference-metrics files and comparing with their tolerances. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REFERENCE_DIR = fileURLToPath(new URL('../../../fixtures/reference-metrics/', import.meta.url));

/** One reference-metrics file (the fields these tests use). */
export interface ReferenceCase {
  readonly inputs: { readonly reference: (number | string)[]; readonly current: (number | string)[] };
  readonly expected: Record<string, unknown> & {
    readonly bins?: { cut_points: number[]; reference_counts: number[]; current_counts: number[] };
  };
}

export function loadCase(file: string): ReferenceCase {
  return JSON.parse(readFileSync(`${REFERENCE_DIR}/${file}`, 'utf8')) as ReferenceCase;
}

/** |actual - expected| <= abs + rel |expected|. */
export function expectClose(actual: number | null | undefined, expected: number, rel = 1e-9, abs = 1e-9): void {
  expect(actual).toBeTypeOf('number');
  const tol = abs + rel * Math.abs(expected);
  expect(Math.abs((actual as number) - expected), `expected ${actual} to be within ${tol} of ${expected}`).toBeLessThanOrEqual(tol);
}

/** Relative comparison for p-values (1e-6 relative). */
export function expectPValue(actual: number | null | undefined, expected: number): void {
  expectClose(actual, expected, 1e-6, 0);
}
