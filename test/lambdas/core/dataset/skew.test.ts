import { describe, expect, it } from 'vitest';
import { checkSkew } from '../../../../lambdas/core/dataset';
import type { Cell } from '../../../../lambdas/core/readers/types';
import { SCHEMA } from './fixtures';

/** n rows whose age runs from `from` in steps of 1, the other features fixed. */
const rows = (n: number, from: number): Cell[][] => Array.from({ length: n }, (_, i) => [from + (i % 50), 12, i % 2 ? 'basic' : 'pro', i % 2]);

describe('Function: checkSkew', () => {
  it('is healthy when production looks like history', async () => {
    const out = await checkSkew(rows(500, 20), rows(300, 20), { schema: SCHEMA, severity: 'warning' });
    expect(out.status).toBe('healthy');
    expect(out.features.map((f) => f.feature)).toEqual(['age', 'tenure', 'plan']);
    expect(out.driftedFeatures).toBe(0);
  });

  it('reports a shifted feature at the configured severity', async () => {
    // Prepare: production ages lie wholly above history's
    const history = rows(500, 20);
    const production = rows(300, 200);

    // Act
    const warning = await checkSkew(history, production, { schema: SCHEMA, severity: 'warning' });
    const critical = await checkSkew(history, production, { schema: SCHEMA, severity: 'critical' });

    // Assess
    expect(warning.status).toBe('warning');
    expect(critical.status).toBe('critical');
    expect(warning.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['age']);
  });

  it('has nothing to compare when a side is empty', async () => {
    expect(await checkSkew(rows(10, 0), [], { schema: SCHEMA, severity: 'critical' })).toEqual({ status: 'healthy', features: [], driftedFeatures: 0 });
  });
});
