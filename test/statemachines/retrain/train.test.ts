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
    // One Catch, to Training failed: with States.TaskFailed and States.Timeout it matches every error of the
    // job, so a States.ALL Catch after it could never be taken.
    const catches = train.states[job]!.Catch as { ErrorEquals: string[]; Next: string }[];
    expect(catches).toHaveLength(1);
    expect(catches[0]!.ErrorEquals).toEqual(expect.arrayContaining(['States.TaskFailed', 'States.Timeout']));
    expect(catches[0]!.Next).toBe('Training failed');
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

describe('Function: buildTrain (categorical tuning ranges)', () => {
  const ranges = { categorical: [{ name: 'criterion', values: ['gini', 'entropy', '3'] }] };
  const tuning = { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges };

  it('sends a framework script\'s categorical values as JSON text, as its toolkit decodes every hyperparameter', () => {
    // Prepare
    const model = modelConfig({
      training: { framework: 'sklearn', version: '1.2-1', entryPoint: 'train.py', sourceDir: 's3://code-bucket/churn/sourcedir.tar.gz', tuning },
    });
    // Act
    const train = buildPhase(buildTrain, model);
    // Assess
    const sent = train.states['Tune candidate']!.Parameters.HyperParameterTuningJobConfig.ParameterRanges.CategoricalParameterRanges;
    expect(sent).toEqual([{ Name: 'criterion', Values: ['"gini"', '"entropy"', '3'] }]);
    expect(sent[0].Values.map((v: string) => JSON.parse(v))).toEqual(['gini', 'entropy', 3]);
  });

  it('sends a container\'s own categorical values as they are', () => {
    // Prepare
    const model = modelConfig({ training: { image, tuning } });
    // Act
    const train = buildPhase(buildTrain, model);
    // Assess
    const sent = train.states['Tune candidate']!.Parameters.HyperParameterTuningJobConfig.ParameterRanges.CategoricalParameterRanges;
    expect(sent).toEqual([{ Name: 'criterion', Values: ['gini', 'entropy', '3'] }]);
  });
});
