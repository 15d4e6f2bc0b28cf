import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config';
import { configOf, issuesOf, minimalModel } from './fixtures';

const FEATURES = [
  { name: 'age', type: 'numeric' },
  { name: 'plan', type: 'categorical' },
];
const withDataset = (dataset: unknown, extra: Record<string, unknown> = { features: FEATURES }) =>
  minimalModel({ ...extra, data: { ...(minimalModel().data as object), dataset } });

describe('Function: DatasetSchema (data.dataset)', () => {
  it('applies the documented defaults to an empty block', () => {
    // Act
    const model = parseConfig(configOf(withDataset({}))).models[0]!;

    // Assess
    expect(model.data.dataset).toEqual({
      history: {},
      production: { enabled: true, window: 'P30D' },
      holdout: { fraction: 0.2, minRows: 500 },
      output: { format: 'csv', header: true },
      skew: 'warning',
    });
  });

  it('is absent when the model does not set it', () => {
    expect(parseConfig(configOf(minimalModel())).models[0]!.data.dataset).toBeUndefined();
  });

  it('needs the timestamp column when the history has a window', () => {
    const issues = issuesOf(() => parseConfig(configOf(withDataset({ history: { window: 'P365D' } }))));
    expect(issues).toEqual([expect.stringMatching(/^models\[0\]\.data\.dataset\.history\.timestampColumn: expected the column of row times/)]);
  });

  it('needs the features when production rows are read, not when they are off', () => {
    const issues = issuesOf(() => parseConfig(configOf(withDataset({}, {}))));
    expect(issues).toEqual([expect.stringMatching(/^models\[0\]\.data\.dataset\.production: production rows are read into the training schema: list the model's features/)]);
    expect(() => parseConfig(configOf(withDataset({ production: { enabled: false } }, {})))).not.toThrow();
  });

  it('rejects a holdout fraction of 0, a bad window and an unknown holdout kind, each by its path', () => {
    const issues = issuesOf(() =>
      parseConfig(configOf(withDataset({ holdout: { fraction: 0, kind: 'latest' }, production: { window: '30 days' } }))),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^models\[0\]\.data\.dataset\.holdout\.fraction: /),
        expect.stringMatching(/^models\[0\]\.data\.dataset\.holdout\.kind: /),
        expect.stringMatching(/^models\[0\]\.data\.dataset\.production\.window: /),
      ]),
    );
  });
});
