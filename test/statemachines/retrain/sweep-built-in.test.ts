/**
 * The Retrain of a model trained by a SageMaker built-in algorithm: every shared path
 * (the label-first training channel written before the training job), the channel
 * step failing, and what the run did after.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ALGORITHM } from '../../../scripts/sfn-coverage/variants';
import { modelConfig, synthesize, type Synthesized } from '../fixtures';
import { callsTo } from '../harness';
import { CAUSE, VARIANT_STATES, assessScenario, runScenario, sharedScenarios, throws, type Scenario } from './sweep-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(modelConfig({ training: BUILT_IN_ALGORITHM }));
});

const CHANNEL_PATHS: Scenario[] = [
  {
    name: 'the training channel cannot be written: PipelineFailed, nothing trained',
    states: { 'Prepare training channel': throws() },
    expected: { error: 'PipelineFailed', edges: ['Prepare training channel#catch:1', 'Unexpected error#next'], endpoint: 'old', mailed: CAUSE },
  },
];

describe('State machine: Retrain with a built-in algorithm, every path', () => {
  it.each([...sharedScenarios({ trainingJob: 'Train candidate' }), ...CHANNEL_PATHS].map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    // Act
    const result = await runScenario(synth.definitions.retrain, scenario, VARIANT_STATES.builtIn);

    // Assess
    assessScenario(result, scenario.expected);
    // The training job reads the channel the step wrote, never data.training as it is.
    const trainings = callsTo(result.execution, 'sagemaker:createTrainingJob');
    const channels = callsTo(result.execution, 'Prepare training channel');
    if (trainings.length > 0) expect(trainings[0]!.input.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toBe(channels[0]!.input.transformInputUri);
  });
});
