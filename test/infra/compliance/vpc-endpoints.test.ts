import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_CLIENT_ENDPOINTS } from '../../../infra/compliance/vpc-endpoints';
import { FUNCTION_DIRS } from '../../../infra/functions';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** The `@aws-sdk/client-*` packages imported by any source file under lambdas/. */
function sdkClientsOfLambdas(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/from '(@aws-sdk\/client-[a-z0-9-]+)'/g)) found.add(m[1]!);
      }
    }
  };
  walk(join(ROOT, 'lambdas'));
  return [...found].sort();
}

describe('Table: SDK_CLIENT_ENDPOINTS', () => {
  it('lists exactly the SDK clients the Lambdas import', () => {
    expect(Object.keys(SDK_CLIENT_ENDPOINTS).sort()).toEqual(sdkClientsOfLambdas());
  });

  it('names only pitstop functions', () => {
    for (const endpoint of Object.values(SDK_CLIENT_ENDPOINTS)) {
      for (const fn of endpoint.functions) expect(Object.keys(FUNCTION_DIRS)).toContain(fn);
    }
  });

  it('is the table docs/operations.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const endpoint of Object.values(SDK_CLIENT_ENDPOINTS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${endpoint.serviceName}\``));
      expect(row, endpoint.serviceName).toBeDefined();
      expect(row).toContain(endpoint.functions.join(', '));
      expect(row).toContain(endpoint.calls.join(', '));
    }
  });
});
