/** Loads the reference values in test/fixtures/reference-metrics (copied from the team's shared test data). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(new URL('../fixtures/reference-metrics/', import.meta.url));

export interface ReferenceCase {
  id: string;
  inputs: Record<string, unknown[]>;
  expected: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function loadReference(name: string): ReferenceCase {
  return JSON.parse(readFileSync(`${REFERENCE_DIR}${name}.json`, 'utf8')) as ReferenceCase;
}
