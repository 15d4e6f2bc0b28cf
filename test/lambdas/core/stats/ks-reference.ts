/** Loads test/fixtures/ks-pvalues (scipy's values) and rebuilds its generated samples. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** How a sample of the fixture is generated (see test/fixtures/ks-pvalues/generate.py). */
export interface SampleSpec {
  readonly n: number;
  readonly seed: number;
  readonly offset: number;
  readonly scale: number;
  readonly levels?: number;
}

export interface KsFixture {
  readonly two_sample: {
    name: string;
    reference: SampleSpec;
    current: SampleSpec;
    ks_statistic: number;
    ks_pvalue_auto: number;
    ks_pvalue_exact: number;
    ks_pvalue_asymp: number;
    ks_pvalue_kolmogorov_limit: number;
  }[];
  readonly kstwo_sf: { n: number; x: number; sf: number }[];
  readonly smirnov_sf: { n: number; x: number; sf: number }[];
}

export function loadKsFixture(): KsFixture {
  const url = new URL('../../../fixtures/ks-pvalues/ks-pvalues.json', import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as KsFixture;
}

/** The generator's sample: Lehmer x <- 48271 x mod (2^31 - 1), as generate.py. */
export function generate(spec: SampleSpec): number[] {
  let x = spec.seed;
  const out: number[] = [];
  for (let i = 0; i < spec.n; i++) {
    x = (x * 48271) % 2147483647;
    const u = x / 2147483647;
    out.push(spec.levels ? spec.offset + spec.scale * (Math.floor(spec.levels * u) / spec.levels) : spec.offset + spec.scale * u);
  }
  return out;
}

/** |actual - expected| <= rel |expected| (exact equality when expected is 0). */
export function expectRelative(actual: number, expected: number, rel = 1e-6): void {
  const diff = Math.abs(actual - expected);
  expect(diff <= rel * Math.abs(expected), `expected ${actual} within ${rel} relative of ${expected}`).toBe(true);
}
