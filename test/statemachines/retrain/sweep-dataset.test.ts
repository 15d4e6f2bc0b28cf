/**
 * The Retrain of a model with `data.dataset`: every shared path (the dataset ready,
 * judged on the fixed holdout too), then every way the dataset phase and the fixed
 * holdout end, and what the run did after.
 */
import { beforeAll, describe, it } from 'vitest';
import { DATASET } from '../../../scripts/sfn-coverage/variants';
import { modelConfig, synthesize, type Synthesized } from '../fixtures';
import { datasetReady, datasetStopped } from './dataset-world';
import { CAUSE, VARIANT_STATES, assessScenario, runScenario, sharedScenarios, throws, type Scenario } from './sweep-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(modelConfig(DATASET));
});

const notJudged = (state: string, edge: string): Scenario => ({
  name: `${state} throws: the fixed holdout is not judged and the run promotes on the recent one`,
  states: { [state]: throws() },
  expected: { edges: [edge, 'Fixed holdout not judged#next', 'Promoted#succeed'], endpoint: 'new' },
});

const DATASET_PATHS: Scenario[] = [
  {
    name: 'too few labeled rows: InsufficientLabels, nothing trained',
    states: { 'Prepare dataset': datasetStopped('insufficientLabels', 'only 12 labeled rows of 200') },
    expected: { error: 'InsufficientLabels', edges: ['Dataset ready?#rule:1', 'Insufficient labels#next', 'InsufficientLabels#fail'], endpoint: 'old', mailed: 'only 12 labeled rows' },
  },
  {
    name: 'critical training/serving skew: DataQualityFailed, nothing trained',
    states: { 'Prepare dataset': datasetStopped('skewCritical', 'age drifted between history and production') },
    expected: { error: 'DataQualityFailed', edges: ['Dataset ready?#rule:2', 'DataQualityFailed#fail'], endpoint: 'old', mailed: 'age drifted' },
  },
  {
    name: 'the dataset step throws: PipelineFailed through Unexpected error',
    states: { 'Prepare dataset': throws() },
    expected: { error: 'PipelineFailed', edges: ['Prepare dataset#catch:1', 'Unexpected error#next'], endpoint: 'old', mailed: CAUSE },
  },
  {
    name: 'the holdout is the fixed one already: judged once, promoted',
    states: { 'Prepare dataset': (i: any) => ({ ...datasetReady(i), holdoutKind: 'fixed' }) },
    expected: { edges: ['Recent holdout to compare?#default', 'Promoted#succeed'], endpoint: 'new' },
  },
  notJudged('Prepare fixed holdout', 'Prepare fixed holdout#catch:1'),
  notJudged('Score fixed holdout with candidate', 'Score fixed holdout#catch:1'),
  notJudged('Evaluate on fixed holdout', 'Evaluate on fixed holdout#catch:1'),
];

describe('State machine: Retrain with a dataset, every path', () => {
  it.each([...sharedScenarios({ trainingJob: 'Train candidate' }), ...DATASET_PATHS].map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    // Act
    const result = await runScenario(synth.definitions.retrain, scenario, VARIANT_STATES.dataset);

    // Assess
    assessScenario(result, scenario.expected);
  });
});
