import { describe, expect, it } from 'vitest';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { buildTrain } from '../../../statemachines/retrain/train';
import { modelConfig } from '../fixtures';
import { STAND_INS, buildPhase, dangling, predecessors, writtenFields } from './phase-fixture';

const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';
const tuned = modelConfig({
  training: { image, tuning: { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } } },
});

describe('Function: buildTrain', () => {
  it.each([
    ['a training job', modelConfig(), 'Train candidate'],
    ['a tuning job', tuned, 'Tune candidate'],
  ])('with %s: validates first, continues after the baseline profile only', (_name, model, job) => {
    // Act
    const train = buildPhase(buildTrain, model);

    // Assess
    expect(train.startAt).toBe('Validate training data');
    expect(dangling(train)).toEqual([]);
    expect(train.states[job]).toBeDefined();
    expect(predecessors(train, STAND_INS.next)).toEqual(['Profile baseline']);
    expect(predecessors(train, STAND_INS.finish)).toEqual(expect.arrayContaining(['Training data critical', 'Training failed']));
  });

  it.each([
    ['a training job', modelConfig(), 'Train candidate'],
    ['a tuning job', tuned, 'Tune candidate'],
  ])('with %s: adds the job policy the definition needs and writes only layout fields', (_name, model) => {
    // Act
    const train = buildPhase(buildTrain, model);

    // Assess
    expect(train.policy.length).toBeGreaterThan(0);
    expect(writtenFields(train).filter((field) => !Object.values<string>(RETRAIN_PATHS).includes(field))).toEqual([]);
  });
});
