import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config/index';
import { modelSettings, loadModelSettings } from '../../../lambdas/runtime/model-settings';
import { configOf, issuesOf, minimalModel } from './fixtures';

describe('Schema: capture', () => {
  it('is absent by default, and accepts a preset with the attributes it needs', () => {
    expect(parseConfig(configOf()).models[0]!.capture).toBeUndefined();
    const m = parseConfig(configOf(minimalModel({ capture: { preset: 'huggingface-text-classification', positiveLabel: 'POSITIVE' } }))).models[0]!;
    expect(m.capture).toEqual({ preset: 'huggingface-text-classification', positiveLabel: 'POSITIVE' });
  });

  it('reaches the Lambdas through the model settings', () => {
    const m = parseConfig(configOf(minimalModel({ capture: { probability: 'probabilities[*][1]', probabilityThreshold: 0.3 } }))).models[0]!;
    const settings = modelSettings(m);
    expect(settings.capture).toEqual({ probability: 'probabilities[*][1]', probabilityThreshold: 0.3 });
    expect(loadModelSettings({ PITSTOP_MODEL_CONFIG: JSON.stringify(settings) }).capture).toEqual(settings.capture);
  });

  it('lists every problem by its path: unknown preset, unknown field, contradiction, bad expression, bad threshold', () => {
    const issues = (capture: unknown) => issuesOf(() => parseConfig(configOf(minimalModel({ capture }))));
    expect(issues({ preset: 'sklearn' })).toEqual([expect.stringMatching(/^models\[0\]\.capture\.preset: .*xgboost.*linear-learner/)]);
    expect(issues({ inferenceAttribute: 'x' })).toEqual([expect.stringMatching(/^models\[0\]\.capture.*inferenceAttribute/)]);
    expect(issues({ preset: 'linear-learner', probability: 'predictions[*].predicted_label' })).toEqual([
      expect.stringMatching(/^models\[0\]\.capture: capture\.probability .* contradicts capture\.preset .* "linear-learner"/),
    ]);
    expect(issues({ probability: 'predictions[*.score' })).toEqual([expect.stringMatching(/^models\[0\]\.capture: .*is not a JMESPath expression/)]);
    expect(issues({ probability: 'p', probabilityThreshold: 1.5 })).toEqual([expect.stringMatching(/^models\[0\]\.capture\.probabilityThreshold: expected/)]);
  });
});
