/**
 * The Retrain with hyperparameter tuning: every shared path (the tuning job in the
 * training job's place), the best training job's description failing, and what the
 * run did after.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TUNING } from '../../../scripts/sfn-coverage/variants';
import { modelConfig, synthesize, type Synthesized } from '../fixtures';
import { callsTo } from '../harness';
import { CAUSE, VARIANT_STATES, assessScenario, runScenario, sharedScenarios, throws, type Scenario } from './sweep-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(modelConfig({ training: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1', tuning: TUNING } }));
});

const TUNING_PATHS: Scenario[] = [
  {
    name: 'the best training job cannot be described: PipelineFailed through Unexpected error',
    states: { 'Describe best training job': throws() },
    expected: { error: 'PipelineFailed', edges: ['Describe best training job#catch:1', 'Unexpected error#next'], endpoint: 'old', mailed: CAUSE },
  },
];

describe('State machine: Retrain with tuning, every path', () => {
  it.each([...sharedScenarios({ trainingJob: 'Tune candidate' }), ...TUNING_PATHS].map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    // Act
    const result = await runScenario(synth.definitions.retrain, scenario, VARIANT_STATES.tuning);

    // Assess
    assessScenario(result, scenario.expected);
    // No single training job runs beside the tuner.
    expect(callsTo(result.execution, 'sagemaker:createTrainingJob')).toHaveLength(0);
  });

  it('builds the candidate from the best training job the tuner found', async () => {
    // Act
    const { execution } = await runScenario(synth.definitions.retrain, sharedScenarios({ trainingJob: 'Tune candidate' })[0]!, VARIANT_STATES.tuning);

    // Assess
    expect(callsTo(execution, 'Describe best training job')[0]!.input.TrainingJobName).toBe('pt-0123456789ab-001-abcdef01');
    expect(callsTo(execution, 'Create candidate model')[0]!.input.PrimaryContainer.ModelDataUrl).toContain('pt-0123456789ab-001-abcdef01');
  });
});
