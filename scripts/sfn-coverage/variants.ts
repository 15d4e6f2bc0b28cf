/**
 * The config variants whose state machine graphs the coverage check measures: one per
 * optional feature that changes a definition (test/scripts/sfn-coverage/variants.test.ts
 * fails when a feature changes a graph that no variant here produces). Each variant is
 * the base model (the one the state machine tests synthesize) with its overrides.
 */
import type { ModelConfigInput } from '../../vocabulary/config/index';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';

/** The model the state machine tests synthesize (test/statemachines/fixtures.ts). */
export const BASE_MODEL: ModelConfigInput = {
  name: 'churn',
  endpointName: 'churn-endpoint',
  problemType: 'binary',
  label: 'churned',
  data: {
    training: 's3://churn-data/training/',
    holdout: 's3://churn-data/holdout/',
    captureUri: 's3://churn-data/capture/',
    groundTruthUri: 's3://churn-data/ground-truth/',
  },
  training: { image: IMAGE },
  gate: { absolute: [{ metric: 'f1', min: 0.5 }], relative: [{ metric: 'f1', maxDegradation: 0.01 }] },
  canary: {
    stages: [
      { percent: 10, bakeMinutes: 5 },
      { percent: 50, bakeMinutes: 5 },
      { percent: 100, bakeMinutes: 5 },
    ],
  },
  approval: { mode: 'auto' },
};

/** Hyperparameter tuning settings of the tuning variants. */
export const TUNING = { objectiveMetric: { name: 'validation:f1', type: 'Maximize' as const }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } };

/** The dataset of the dataset variant (`data.dataset`; the Retrain's dataset phase and fixed holdout). */
export const DATASET = {
  features: [
    { name: 'age', type: 'numeric' as const },
    { name: 'plan', type: 'categorical' as const },
  ],
  data: { ...BASE_MODEL.data, dataset: { holdout: { minRows: 200 } } },
};

/** A SageMaker built-in algorithm (its training channel is written label-first before training). */
export const BUILT_IN_ALGORITHM = { algorithm: 'xgboost' as const, version: '1.7-1', hyperparameters: { num_round: 100, objective: 'binary:logistic' } };

/** A named config variant. */
export interface ConfigVariant {
  readonly name: string;
  /** Merged over {@link BASE_MODEL} (top-level keys replace). */
  readonly overrides: Partial<ModelConfigInput>;
}

/**
 * The variants, checked in: adding a feature that changes a graph means adding one
 * here. Features that change only values (spot training, thresholds, names) share the
 * base graphs and need none.
 */
export const VARIANTS: readonly ConfigVariant[] = [
  { name: 'auto approval', overrides: {} },
  { name: 'manual approval', overrides: { approval: { mode: 'manual', timeoutHours: 2 } } },
  { name: 'tuning', overrides: { training: { image: IMAGE, tuning: TUNING } } },
  { name: 'dataset', overrides: DATASET },
  { name: 'built-in algorithm', overrides: { training: BUILT_IN_ALGORITHM } },
  { name: 'one canary stage', overrides: { canary: { stages: [{ percent: 100, bakeMinutes: 5 }] } } },
  // maxExtensions 0: no `extend bake` / `count extension` states in any stage
  { name: 'no bake extensions', overrides: { canary: { stages: BASE_MODEL.canary!.stages, maxExtensions: 0 } } },
  {
    name: 'default canary stages',
    overrides: { canary: { stages: [{ percent: 5, bakeMinutes: 10 }, { percent: 25, bakeMinutes: 10 }, { percent: 50, bakeMinutes: 15 }, { percent: 100, bakeMinutes: 5 }] } },
  },
];

/** The model input of a variant. */
export function variantModel(variant: ConfigVariant): ModelConfigInput {
  return { ...BASE_MODEL, ...variant.overrides } as ModelConfigInput;
}
