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

  it('needs the features whether or not production rows are read (without them the set would hold the label alone)', () => {
    for (const dataset of [{}, { production: { enabled: false } }]) {
      const issues = issuesOf(() => parseConfig(configOf(withDataset(dataset, {}))));
      expect(issues).toEqual([expect.stringMatching(/^models\[0\]\.data\.dataset: the data set is assembled in the training schema: list the model's features/)]);
    }
  });

  it('refuses a header-less CSV set, which validation and the profile would read by a header', () => {
    const issues = issuesOf(() => parseConfig(configOf(withDataset({ output: { format: 'csv', header: false } }))));
    expect(issues).toEqual([expect.stringMatching(/^models\[0\]\.data\.dataset\.output\.header: expected a header \(true\)/)]);
    expect(() => parseConfig(configOf(withDataset({ output: { format: 'parquet' } })))).not.toThrow();
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
