import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigSchema, type ModelConfigInput } from '../../../vocabulary/config/index';
import { graphKey } from '../../../local/trace';
import { synthesizeDefinitions, variantGraphs, type Graph } from '../../../scripts/sfn-coverage/graphs';
import { BASE_MODEL, BUILT_IN_ALGORITHM, DATASET, TUNING, VARIANTS } from '../../../scripts/sfn-coverage/variants';
import { STATE_MACHINE_KINDS } from '../../../statemachines';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';

/**
 * Every optional config feature, with a value that turns it on (merged over the base
 * model), and samples that set every other config field to a value other than its
 * default. A sample that changes a state machine's graph must have a variant in
 * scripts/sfn-coverage/variants.ts with that graph; every field of the config schema
 * must be set by a sample (or the base model), so a new field is tried too.
 */
const FEATURES: Record<string, Partial<ModelConfigInput>> = {
  'manual approval': { approval: { mode: 'manual', timeoutHours: 2 } },
  tuning: { training: { image: IMAGE, tuning: TUNING } },
  'spot training': { training: { image: IMAGE, managedSpot: true, maxRuntimeSeconds: 3600, maxWaitSeconds: 5400 } },
  'separate inference image': { training: { image: IMAGE, inferenceImage: `${IMAGE}-serve` } },
  'one canary stage': { canary: { stages: [{ percent: 100, bakeMinutes: 5 }] } },
  'default canary stages': { canary: {} },
  'no bake extensions': { canary: { stages: BASE_MODEL.canary!.stages, maxExtensions: 0 } },
  'canary custom metric': {
    canary: { stages: BASE_MODEL.canary!.stages, customMetric: { namespace: 'Shop', metricName: 'Orders', threshold: 10, comparison: 'LessThanThreshold' } },
  },
  'listed features': { features: [{ name: 'age', type: 'numeric' }, { name: 'plan', type: 'categorical', drift: { method: 'chiSquare' } }] },
  'quality trigger': { triggers: { quality: { metric: 'f1', threshold: 0.7 } } },
  'monitor window': { monitor: { window: 'PT6H' } },
  'capture attributes': { capture: { features: 'features', inference: 'predicted_label' } },
  'artifacts prefix': { data: { ...BASE_MODEL.data, artifactsUri: 's3://churn-artifacts/pitstop/' } },
  'regression problem': { problemType: 'regression', gate: { absolute: [{ metric: 'rmse', max: 5 }], relative: [{ metric: 'rmse', maxDegradation: 0.1 }] } },
  dataset: DATASET,
  'dataset, every option': {
    features: DATASET.features,
    data: {
      ...BASE_MODEL.data,
      dataset: {
        history: { window: 'P90D', timestampColumn: 'event_time' },
        production: { enabled: false, window: 'P7D' },
        holdout: { kind: 'fixed', fraction: 0.3, minRows: 50 },
        output: { format: 'parquet', header: true },
        skew: 'critical',
      },
    },
  },
  'built-in algorithm': { training: BUILT_IN_ALGORITHM },
  'framework container': { training: { framework: 'sklearn', version: '1.2-1', entryPoint: 'train.py', sourceDir: 's3://churn-code/sourcedir.tar.gz' } },
  'multiclass problem': { problemType: 'multiclass', classes: 3, gate: { absolute: [{ metric: 'accuracy', min: 0.5 }], relative: [{ metric: 'accuracy', maxDegradation: 0.01 }] } },
  'capture preset': { capture: { preset: 'xgboost' } },
  'capture probability': { capture: { features: 'features', inference: 'predicted_label', probability: 'score', probabilityThreshold: 0.4, positiveLabel: '1' } },
  'training resources': {
    training: {
      image: IMAGE,
      instanceType: 'ml.c5.2xlarge',
      instanceCount: 2,
      volumeSizeGb: 50,
      hyperparameters: { max_depth: 6 },
      metricDefinitions: [{ name: 'validation:f1', regex: 'f1=([0-9.]+)' }],
      maxRuntimeSeconds: 7200,
      inferenceInstanceType: 'ml.c5.large',
    },
  },
  'tuning, every range': {
    training: {
      image: IMAGE,
      tuning: {
        objectiveMetric: { name: 'validation:f1', type: 'Maximize' },
        maxJobs: 8,
        maxParallelJobs: 2,
        ranges: {
          continuous: [{ name: 'eta', min: 0.01, max: 0.3, scaling: 'Logarithmic' }],
          integer: [{ name: 'max_depth', min: 3, max: 9, scaling: 'Linear' }],
          categorical: [{ name: 'booster', values: ['gbtree', 'dart'] }],
        },
      },
    },
  },
  'trigger settings': {
    triggers: {
      monitorSchedule: 'rate(2 hours)',
      retrainSchedules: ['cron(0 3 ? * MON *)'],
      drift: { method: 'ks', threshold: 0.05, driftedFeatures: 2, correction: 'none', minEffect: 0.1, datapointsToAlarm: 1, evaluationPeriods: 2 },
      quality: { metric: 'f1', threshold: 0.7, comparison: 'lowerIsWorse', datapointsToAlarm: 1, evaluationPeriods: 2 },
      newLabeledSamples: 500,
      cooldownDays: 3,
      maxModelAgeDays: 60,
      retryAfterHours: 6,
    },
  },
  'feature drift settings': { features: [{ name: 'age', type: 'numeric', drift: { method: 'ks', threshold: 0.05 } }] },
  'monitor settings': { monitor: { window: 'PT2H', captureLag: 'PT30M', labelDelay: 'P1D', minRows: 50 } },
  'fan-out settings': { monitor: { window: 'PT1H', fanOutBytes: 1_000_000, shardBytes: 200_000, maxConcurrency: 10, toleratedFailurePercentage: 5 } },
  'estimated quality trigger': { triggers: { estimatedQuality: { metric: 'f1', threshold: 0.7, datapointsToAlarm: 1, evaluationPeriods: 2 } } },
  'prediction drift trigger': { triggers: { predictionDrift: { method: 'ks', threshold: 0.05, datapointsToAlarm: 1, evaluationPeriods: 2 } } },
  'validation thresholds': {
    validation: {
      missingWarning: 0.02,
      missingCritical: 0.3,
      duplicateWarning: 0.02,
      duplicateCritical: 0.3,
      outOfRangeWarning: 0.02,
      outOfRangeCritical: 0.3,
      unseenCategoryWarning: 0.02,
      unseenCategoryCritical: 0.3,
      minRows: 20,
      freshnessHours: 12,
      labelShiftWarning: 0.05,
      labelShiftCritical: 0.2,
    },
  },
  'gate primary metric': {
    gate: { absolute: [{ metric: 'f1', min: 0.5, max: 0.99 }], relative: [{ metric: 'f1', maxDegradation: 0.01 }], primary: { metric: 'f1', minImprovement: 0.01 } },
  },
  'canary limits': {
    canary: {
      stages: BASE_MODEL.canary!.stages,
      maxErrorRate: 0.02,
      maxLatencyP95Ms: 300,
      maxLatencyP99Ms: 600,
      minRequests: 50,
      maxExtensions: 2,
      alpha: 0.01,
      metricLagMinutes: 5,
      customMetric: { namespace: 'Shop', metricName: 'Orders', dimensions: { Shop: 'eu' }, statistic: 'Sum', threshold: 10, comparison: 'LessThanThreshold' },
      smokeTest: { requests: 20, p99Ms: 500 },
    },
  },
  'notifications, logs and network': {
    notifications: { emails: ['ops@example.com'] },
    logRetentionDays: 400,
    network: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] },
  },
};

/** The config fields of a zod schema, as paths (`training.tuning.maxJobs`, `canary.stages[].percent`). */
function schemaFields(schema: unknown, prefix = ''): string[] {
  const def = (schema as { _zod?: { def: Record<string, any> } })._zod?.def;
  if (!def) return [prefix];
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
      return schemaFields(def.innerType, prefix);
    case 'pipe':
      return schemaFields(def.in, prefix);
    case 'object':
      return Object.entries(def.shape).flatMap(([key, value]) => schemaFields(value, prefix ? `${prefix}.${key}` : key));
    case 'array':
      return schemaFields(def.element, `${prefix}[]`);
    case 'union':
      return [...new Set<string>(def.options.flatMap((o: unknown) => schemaFields(o, prefix)))];
    default:
      return [prefix];
  }
}

/** The paths a config value sets, in {@link schemaFields}' notation (records' keys included). */
function setFields(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [prefix] : value.flatMap((v) => setFields(v, `${prefix}[]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => setFields(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

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

  it('sets every config field in a sample above (or the base model), so no field escapes the check', () => {
    // Prepare
    const fields = schemaFields(ModelConfigSchema);
    const set = [BASE_MODEL, ...Object.values(FEATURES)].flatMap((sample) => setFields(sample));

    // Act: a field is tried when a sample sets it or a key under it (a record's)
    const untried = fields.filter((field) => !set.some((path) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[]`)));

    // Assess
    expect(fields.length).toBeGreaterThan(100);
    expect(fields).toContain('canary.stages[].bakeMinutes');
    expect(untried).toEqual([]);
  });

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
