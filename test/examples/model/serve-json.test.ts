/**
 * The example model's JSON responses: `{"predictions": [p]}` by default, the scikit-learn /
 * PyTorch handler shape `{"probabilities": [[1 - p, p]]}` with `json_response=probabilities`
 * (what the local json-capture scenario serves), and the same P(class 1) either way.
 */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../../examples/model/serve';
import { parseHyperparameters } from '../../../examples/model/hyperparameters';
import { trainOn } from '../helpers';

const REQUEST = JSON.stringify({ instances: [[12, 70.5, 846, 2, 41, 'basic', 'north', 'card'], [60, 20, 1200, 0, 55, 'premium', 'south', 'bank']] });

describe('Function: invoke (JSON responses)', () => {
  it('answers {"predictions"} by default and {"probabilities": [[1 - p, p]]} with json_response=probabilities', () => {
    // Prepare
    const plain = trainOn({ rows: 300, seed: 3 });
    const probabilities = trainOn({ rows: 300, seed: 3 }, { json_response: 'probabilities' });
    // Act
    const a = JSON.parse(invoke(plain, 'application/json', undefined, REQUEST).body) as { predictions: number[] };
    const b = JSON.parse(invoke(probabilities, 'application/json', undefined, REQUEST).body) as { probabilities: number[][] };
    // Assess: same model, same P(class 1), in the second slot of each vector
    expect(Object.keys(b)).toEqual(['probabilities']);
    expect(b.probabilities.map((v) => v[1])).toEqual(a.predictions);
    expect(b.probabilities.map((v) => v[0]! + v[1]!)).toEqual([1, 1]);
    // CSV answers do not change
    expect(invoke(probabilities, 'text/csv', undefined, '12,70.5,846,2,41,basic,north,card').body).toBe(`${a.predictions[0]}\n`);
  });

  it('rejects an unknown json_response, naming it', () => {
    expect(() => parseHyperparameters({ json_response: 'scores' })).toThrow('hyperparameter json_response: expected predictions or probabilities, got "scores"');
  });
});
