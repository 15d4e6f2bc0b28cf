import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../vocabulary/errors';
import { parseConfig } from '../../../vocabulary/config/index';
import { configOf, issuesOf, minimalModel } from './fixtures';

const examplePath = fileURLToPath(new URL('../../../examples/pitstop.config.json', import.meta.url));

describe('Function: parseConfig', () => {
  it('accepts a minimal model and applies the documented defaults', () => {
    // Act
    const config = parseConfig(configOf());
    const model = config.models[0]!;

    // Assess: values from the config reference, not from the code
    expect(config.version).toBe(1);
    expect(model.training.instanceType).toBe('ml.m5.xlarge');
    expect(model.training.instanceCount).toBe(1);
    expect(model.training.volumeSizeGb).toBe(30);
    expect(model.training.maxRuntimeSeconds).toBe(86_400);
    expect(model.training.managedSpot).toBe(false);
    expect(model.training.hyperparameters).toEqual({});
    expect(model.training.inferenceInstanceType).toBe('ml.m5.large');
    expect(model.training.inferenceImage).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:latest');
    expect(model.triggers.monitorSchedule).toBe('rate(1 hour)');
    expect(model.triggers.retrainSchedules).toEqual(['cron(0 2 ? * SUN *)']);
    expect(model.triggers.drift).toEqual({ method: 'psi', threshold: 0.2, driftedFeatures: 1, correction: 'bh', datapointsToAlarm: 2, evaluationPeriods: 3 });
    expect(model.triggers.quality).toBeUndefined();
    expect(model.triggers).toMatchObject({ newLabeledSamples: 10_000, cooldownDays: 7, maxModelAgeDays: 30 });
    expect(model.validation).toEqual({
      missingWarning: 0.05,
      missingCritical: 0.1,
      duplicateWarning: 0.01,
      duplicateCritical: 0.05,
      outOfRangeWarning: 0.01,
      outOfRangeCritical: 0.05,
      unseenCategoryWarning: 0.01,
      unseenCategoryCritical: 0.05,
      minRows: 100,
      freshnessHours: 24,
      labelShiftWarning: 0.1,
      labelShiftCritical: 0.25,
    });
    expect(model.gate).toEqual({ absolute: [], relative: [] });
    expect(model.canary.stages.map((s) => [s.percent, s.bakeMinutes])).toEqual([[5, 10], [25, 10], [50, 10], [100, 10]]);
    expect(model.canary).toMatchObject({ maxErrorRate: 0.01, maxLatencyP95Ms: 500, maxLatencyP99Ms: 1000, smokeTest: { requests: 100, p99Ms: 1000 } });
    expect(model.approval).toEqual({ mode: 'manual', timeoutHours: 24 });
    expect(model.notifications).toEqual({ emails: [] });
    expect(model.features).toBeUndefined();
  });

  it('does not share default objects between parses', () => {
    // Prepare
    const first = parseConfig(configOf());
    first.models[0]!.canary.stages[0]!.percent = 99;

    // Act
    const second = parseConfig(configOf());

    // Assess
    expect(second.models[0]!.canary.stages[0]!.percent).toBe(5);
  });

  it('parses the example config file', () => {
    // Act
    const config = parseConfig(JSON.parse(readFileSync(examplePath, 'utf8')), examplePath);
    const churn = config.models[0]!;

    // Assess
    expect(config.models.map((m) => m.name)).toEqual(['churn']);
    expect(churn.problemType).toBe('binary');
    expect(churn.features?.map((f) => f.name)).toEqual([
      'tenure_months', 'monthly_charges', 'total_charges', 'support_calls', 'age', 'plan', 'region', 'payment_method',
    ]);
    expect(churn.canary.stages.map((s) => s.percent)).toEqual([5, 25, 50, 100]);
    expect(churn.approval.mode).toBe('auto');
    expect(churn.gate.absolute).toEqual([{ metric: 'rocAuc', min: 0.7 }]);
    expect(churn.gate.relative).toEqual([
      { metric: 'f1', maxDegradation: 0.01 },
      { metric: 'rocAuc', maxDegradation: 0.005 },
    ]);
    expect(churn.gate.primary).toEqual({ metric: 'rocAuc', minImprovement: 0 });
  });

  it('fills feature drift settings from triggers.drift, and a chosen method its own default threshold', () => {
    // Act
    const model = parseConfig(
      configOf(
        minimalModel({
          features: [
            { name: 'age', type: 'numeric' },
            { name: 'plan', type: 'categorical', drift: { method: 'chiSquare' } },
            { name: 'tenure', type: 'numeric', drift: { threshold: 0.3 } },
          ],
          triggers: { drift: { method: 'js', threshold: 0.15 } },
        }),
      ),
    ).models[0]!;

    // Assess
    expect(model.features?.map((f) => f.drift)).toEqual([
      { method: 'js', threshold: 0.15 },
      { method: 'chiSquare', threshold: 0.05 },
      { method: 'js', threshold: 0.3 },
    ]);
  });

  it('derives the quality alarm comparison from the metric direction', () => {
    const score = parseConfig(configOf(minimalModel({ triggers: { quality: { metric: 'f1', threshold: 0.6 } } })));
    const loss = parseConfig(configOf(minimalModel({ triggers: { quality: { metric: 'logLoss', threshold: 0.5 } } })));
    expect(score.models[0]!.triggers.quality?.comparison).toBe('lowerIsWorse');
    expect(loss.models[0]!.triggers.quality?.comparison).toBe('higherIsWorse');
  });

  it('turns numeric and boolean hyperparameters into strings', () => {
    const model = parseConfig(
      configOf(minimalModel({ training: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn', hyperparameters: { eta: 0.1, early_stop: true, objective: 'binary:logistic' } } })),
    ).models[0]!;
    expect(model.training.hyperparameters).toEqual({ eta: '0.1', early_stop: 'true', objective: 'binary:logistic' });
  });

  it('throws a ConfigError that names the file', () => {
    expect(() => parseConfig({ models: [] }, 'conf/pitstop.json')).toThrow(ConfigError);
    expect(() => parseConfig({ models: [] }, 'conf/pitstop.json')).toThrow(/^conf\/pitstop\.json: invalid config:/);
  });

  it('lists every problem of a config with several errors, each with its path', () => {
    // Prepare
    const model = minimalModel({
      name: 'Churn',
      canary: { stages: [{ percent: 5 }, { percent: 25 }, { percent: 150 }, { percent: 100 }] },
      validation: { missingWarning: 0.3 },
      approval: { timeoutHours: 0 },
    });
    const second = minimalModel({ name: 'other', endpointName: 'other-prod', problemType: 'regression', gate: { relative: [{ metric: 'f1', maxDegradation: 0.01 }] } });
    delete (second as { label?: string }).label;

    // Act
    const issues = issuesOf(() => parseConfig(configOf(model, second)));

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^models\[0\]\.name: expected .*got "Churn"$/),
        'models[0].canary.stages[2].percent: expected a number between 1 and 100, got 150',
        expect.stringMatching(/^models\[0\]\.validation\.missingWarning: must be <= missingCritical \(0\.1\), got 0\.3$/),
        expect.stringMatching(/^models\[0\]\.approval\.timeoutHours: expected a number > 0.*, got 0$/),
        expect.stringMatching(/^models\[1\]\.label: required/),
        expect.stringMatching(/^models\[1\]\.gate\.relative\[0\]\.metric: metric "f1" does not apply to a regression model/),
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('rejects unknown keys and names their path', () => {
    const issues = issuesOf(() =>
      parseConfig({ models: [minimalModel({ canary: { stage: [] } })], extra: true }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^models\[0\]\.canary: unknown key "stage" \(did you mean "stages"\?\)/),
        expect.stringMatching(/^\(root\): unknown key "extra"/),
      ]),
    );
  });

  it('rejects a typo in a nested key of a minimal model', () => {
    const model = minimalModel();
    (model.training as Record<string, unknown>).instanceTyp = 'ml.m5.large';
    expect(issuesOf(() => parseConfig(configOf(model)))).toEqual([
      expect.stringMatching(/^models\[0\]\.training: unknown key "instanceTyp" \(did you mean "instanceType"\?\)/),
    ]);
  });

  it('reports a missing required section and a non-object model', () => {
    const model = minimalModel();
    delete (model as { data?: unknown }).data;
    const issues = issuesOf(() => parseConfig(configOf(model, 'churn')));
    expect(issues).toEqual(['models[0].data: required (expected an object)', 'models[1]: expected an object, got "churn"']);
  });

  it('rejects a config that is not an object', () => {
    expect(issuesOf(() => parseConfig([]))).toEqual(['(root): expected an object, got an array']);
  });
});

describe('Function: parseConfig (stage)', () => {
  it('accepts a stage and keeps the model names as written', async () => {
    const { parseConfig } = await import('../../../vocabulary/config/index');
    const { configOf } = await import('./fixtures');
    const config = parseConfig({ ...configOf(), stage: 'staging' });
    expect(config.stage).toBe('staging');
    expect(config.models[0]!.name).toBe('churn');
  });

  it.each([
    ['Staging', /^stage: expected a stage name/],
    ['st-aging', /^stage: expected a stage name/],
    ['abcdefghijklm', /^stage: expected a stage name/],
  ])('rejects the stage %s', async (stage, expected) => {
    const { configOf, issuesOf } = await import('./fixtures');
    const { parseConfig } = await import('../../../vocabulary/config/index');
    expect(issuesOf(() => parseConfig({ ...configOf(), stage }))[0]).toMatch(expected);
  });

  it('rejects a model whose staged name passes 32 characters', async () => {
    const { configOf, issuesOf, minimalModel } = await import('./fixtures');
    const { parseConfig } = await import('../../../vocabulary/config/index');
    const name = 'a'.repeat(25);
    // "staging-" + 25 letters = 33 characters
    expect(issuesOf(() => parseConfig({ ...configOf(minimalModel({ name })), stage: 'staging' }))).toEqual([
      `models[0].name: with stage "staging" the model is deployed as "staging-${name}", 33 characters; at most 32`,
    ]);
  });
});
