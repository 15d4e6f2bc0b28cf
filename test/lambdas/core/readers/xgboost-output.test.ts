import { describe, expect, it } from 'vitest';
import { xgboostOutputRows } from '../../../../lambdas/core/readers/xgboost-output';

describe('Function: xgboostOutputRows', () => {
  it('gives one row per input row for an endpoint call\'s one line and a batch transform\'s lines', () => {
    // Act
    const scores = xgboostOutputRows('0.25,0.75', 2, 'f.jsonl', 4);
    const vectors = xgboostOutputRows('[0.5, 0.5],[1e-05, 0.99999]', 2, 'f.jsonl', 4);
    const lines = xgboostOutputRows('[0.5, 0.5]\r\n[1e-05, 0.99999]\r\n', 2, 'f.jsonl', 4);
    // Assess
    expect(scores).toEqual([['0.25'], ['0.75']]);
    expect(vectors).toEqual([[0.5, 0.5], [0.00001, 0.99999]]);
    expect(lines).toEqual(vectors);
  });

  it('refuses an empty answer and vectors mixed with plain values, naming file and line', () => {
    // Assess
    expect(() => xgboostOutputRows('\n', 1, 'f.jsonl', 4)).toThrow(/f\.jsonl:4: endpointOutput\.data is empty/);
    expect(() => xgboostOutputRows('[0.5, 0.5],0.3', 2, 'f.jsonl', 4)).toThrow(/f\.jsonl:4: endpointOutput line .* mixes \[\.\.\] probability vectors with other values/);
  });
});
