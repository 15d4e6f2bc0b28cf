import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { joinByEventId, parseGroundTruthRecord, parsePredictionValues, scoreColumns } from '../../../../lambdas/core/quality';
import { loadModelSettings, modelSettings } from '../../../../lambdas/runtime/model-settings';
import { model } from '../../../infra/fixtures';

describe('Function: joinByEventId', () => {
  it('matches multi-instance events in order and leaves out mismatched counts', () => {
    const captured = new Map([
      ['a', [[0.9], [0.1]]],
      ['b', [[0.4]]],
      ['c', [[0.7]]],
    ]);
    const truth = new Map([
      ['a', [1, 0]],
      ['b', [1, 1]],
      ['d', [0]],
    ]);
    expect(joinByEventId(captured, truth)).toEqual({ labels: [1, 0], predictions: [[0.9], [0.1]], matched: 2, mismatched: 1 });
  });
});

describe('Function: parseGroundTruthRecord', () => {
  it('reads the SageMaker record, CSV or JSON encoded', () => {
    const rec = (data: string, encoding: string) => ({ groundTruthData: { data, encoding }, eventMetadata: { eventId: 'e' }, eventVersion: '0' });
    expect(parseGroundTruthRecord(rec('1', 'CSV'), 'binary', {})).toEqual({ eventId: 'e', labels: [1] });
    expect(parseGroundTruthRecord(rec('0,1', 'CSV'), 'binary', {})).toEqual({ eventId: 'e', labels: [0, 1] });
    expect(parseGroundTruthRecord(rec('[2, 0]', 'JSON'), 'multiclass', {})).toEqual({ eventId: 'e', labels: [2, 0] });
    expect(parseGroundTruthRecord(rec('3.25', 'CSV'), 'regression', {})).toEqual({ eventId: 'e', labels: [3.25] });
    expect(() => parseGroundTruthRecord(rec('2', 'CSV'), 'binary', { file: 'f', line: 3 })).toThrow('f:3: label 2 is not 0 or 1');
    expect(() => parseGroundTruthRecord({ groundTruthData: { data: '1' } }, 'binary', { line: 1 })).toThrow('line 1: not a ground-truth record: missing eventMetadata.eventId');
  });
});

describe('Function: parsePredictionValues', () => {
  it.each([
    ['0.3', [0.3]],
    [' 0.2,0.8\n', [0.2, 0.8]],
    ['[0.1, 0.9]', [0.1, 0.9]],
    ['[[1.5]]', [1.5]],
    // XGBoost multi:softprob under batch transform: str() of a Python list
    ['[0.1, 0.2, 0.7]\n', [0.1, 0.2, 0.7]],
    ['[1e-05, 0.99999]', [0.00001, 0.99999]],
    ['abc', undefined],
    ['0.1,', undefined],
    ['{"score":1}', undefined],
    ['Infinity', undefined],
  ] as const)('%j -> %j', (text, expected) => {
    expect(parsePredictionValues(text)).toEqual(expected);
  });
});

describe('Function: scoreColumns', () => {
  it('one-hot encodes multiclass class indexes over the classes seen', () => {
    const cols = scoreColumns('multiclass', [[2], [0]], [1, 0]);
    expect(cols.map((c) => [...c])).toEqual([
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
  });
  it('rejects binary scores outside [0, 1] and ragged rows', () => {
    expect(() => scoreColumns('binary', [[1.2]], [1])).toThrow(InputError);
    expect(() => scoreColumns('binary', [[0.2], [0.1, 0.9]], [1, 0])).toThrow(/different rows/);
  });
});

describe('Function: modelSettings', () => {
  it('keeps only per-feature drift that differs from the model-wide setting, and round-trips through the environment', () => {
    const m = model({
      features: [
        { name: 'age', type: 'numeric' },
        { name: 'plan', type: 'categorical', drift: { method: 'chiSquare' } },
      ],
    });
    const settings = modelSettings(m);
    expect(settings.features).toEqual([
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical', drift: { method: 'chiSquare', threshold: m.features![1]!.drift.threshold } },
    ]);
    expect(loadModelSettings({ PITSTOP_MODEL_CONFIG: JSON.stringify(settings) })).toEqual(settings);
    expect(() => loadModelSettings({ PITSTOP_MODEL_CONFIG: '{"name":1}' })).toThrow(/^PITSTOP_MODEL_CONFIG is invalid: name: /);
  });
});
