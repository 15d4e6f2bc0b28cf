import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfigInput } from '../../../vocabulary/config/index';
import { graphKey } from '../../../local/trace';
import { synthesizeDefinitions, variantGraphs, type Graph } from '../../../scripts/sfn-coverage/graphs';
import { BASE_MODEL, TUNING, VARIANTS } from '../../../scripts/sfn-coverage/variants';
import { STATE_MACHINE_KINDS } from '../../../statemachines';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';

/**
 * Every optional config feature, with a value that turns it on (merged over the base
 * model). A feature that changes a state machine's graph must have a variant in
 * scripts/sfn-coverage/variants.ts with that graph.
 */
const FEATURES: Record<string, Partial<ModelConfigInput>> = {
  'manual approval': { approval: { mode: 'manual', timeoutHours: 2 } },
  tuning: { training: { image: IMAGE, tuning: TUNING } },
  'spot training': { training: { image: IMAGE, managedSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 5400 } },
  'separate inference image': { training: { image: IMAGE, inferenceImage: `${IMAGE}-serve` } },
  'one canary stage': { canary: { stages: [{ percent: 100, bakeMinutes: 5 }] } },
  'default canary stages': { canary: {} },
  'canary custom metric': {
    canary: { stages: BASE_MODEL.canary!.stages, customMetric: { namespace: 'Shop', metricName: 'Orders', threshold: 10, comparison: 'LessThanThreshold' } },
  },
  'listed features': { features: [{ name: 'age', type: 'numeric' }, { name: 'plan', type: 'categorical', drift: { method: 'chiSquare' } }] },
  'quality trigger': { triggers: { quality: { metric: 'f1', threshold: 0.7 } } },
  'monitor window': { monitor: { window: 'PT6H' } },
  'capture attributes': { capture: { features: 'features', inference: 'predicted_label' } },
  'artifacts prefix': { data: { ...BASE_MODEL.data, artifactsUri: 's3://churn-artifacts/pitstop/' } },
  'regression problem': { problemType: 'regression', gate: { absolute: [{ metric: 'rmse', max: 5 }], relative: [{ metric: 'rmse', maxDegradation: 0.1 }] } },
};

let graphs: Graph[];
beforeAll(() => {
  graphs = variantGraphs(VARIANTS);
}, 600_000);

describe('Variants: scripts/sfn-coverage/variants.ts', () => {
  it('has a variant with the graph of every optional feature that changes one', () => {
    // Prepare
    const base = synthesizeDefinitions(BASE_MODEL);
    const missing: string[] = [];

    // Act
    for (const [feature, overrides] of Object.entries(FEATURES)) {
      let definitions;
      try {
        definitions = synthesizeDefinitions({ ...BASE_MODEL, ...overrides } as ModelConfigInput);
      } catch (error) {
        throw new Error(`feature "${feature}": the sample value is not a valid config: ${(error as Error).message}`);
      }
      for (const kind of STATE_MACHINE_KINDS) {
        const key = graphKey(definitions[kind]);
        if (key === graphKey(base[kind])) continue;
        if (!graphs.some((g) => g.machine === kind && g.key === key)) missing.push(`${feature} changes the ${kind} graph`);
      }
    }

    // Assess
    expect(missing).toEqual([]);
  }, 600_000);

  it('gives each variant a graph no other variant has, so none is idle', () => {
    // Prepare
    const byVariant = new Map(VARIANTS.map((v) => [v.name, 0]));

    // Act
    for (const g of graphs) {
      const names = g.variant.split(', ');
      if (names.length === 1) byVariant.set(names[0]!, (byVariant.get(names[0]!) ?? 0) + 1);
    }

    // Assess: the first variant owns the base graphs; every other one changes at least one
    expect([...byVariant].filter(([name, n]) => n === 0 && name !== VARIANTS[0]!.name)).toEqual([]);
  });
});
