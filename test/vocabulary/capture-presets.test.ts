/**
 * One test per capture preset, on records shaped as each serving container's
 * documentation shows (the page is cited beside each test), read through `openTable`
 * as the Lambdas and the CLI read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePlan, CAPTURE_PRESET_NAMES, type CaptureSettings } from '../../vocabulary/capture-presets';
import { readAll, tempDir } from '../lambdas/core/readers/helpers';
import { csv, json, record } from '../lambdas/core/readers/capture-records';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});


let n = 0;
async function read(records: string[], capture: CaptureSettings) {
  const file = await tmp.write(`capture-${(n += 1)}.jsonl`, records.join('\n') + '\n');
  const t = await readAll(file, { format: 'capture', capture });
  // Drop the meta columns: each test is about features and predictions.
  return { file, columns: t.columns.slice(3), rows: t.rows.map((r) => r.slice(3)) };
}

describe('Presets: capturePlan', () => {
  it('knows the seven presets the docs list', () => {
    expect(CAPTURE_PRESET_NAMES).toEqual([
      'xgboost',
      'linear-learner',
      'probabilities',
      'predictions',
      'tensorflow-serving',
      'huggingface-text-classification',
      'probability-vector',
    ]);
  });
});

describe('Preset: xgboost', () => {
  // https://docs.aws.amazon.com/sagemaker/latest/dg/cdf-inference.html — XGBoost takes text/csv
  // ("a record for a model with four features might look like 1.5,16.0,14,23.0") and answers
  // text/csv: one score per line (binary:logistic), K per line (multi:softprob).
  it('reads CSV features and the CSV score (one column per class for softprob)', async () => {
    const binary = await read([record('e1', csv('1.5,16.0,14,23.0\n'), csv('0.73\n'))], { preset: 'xgboost' });
    expect(binary.columns).toEqual(['f0', 'f1', 'f2', 'f3', 'prediction']);
    expect(binary.rows).toEqual([['1.5', '16.0', '14', '23.0', '0.73']]);
    const multi = await read([record('e1', csv('1.5,16.0,14,23.0'), csv('0.1,0.2,0.7'))], { preset: 'xgboost' });
    expect(multi.columns).toEqual(['f0', 'f1', 'f2', 'f3', 'prediction_0', 'prediction_1', 'prediction_2']);
    expect(multi.rows).toEqual([['1.5', '16.0', '14', '23.0', '0.1', '0.2', '0.7']]);
  });

  it('rejects a JSON payload: that container speaks CSV', async () => {
    await expect(read([record('e1', json({ instances: [[1, 2]] }), json({ predictions: [0.5] }))], { preset: 'xgboost' })).rejects.toThrow(
      /:1: endpointOutput is JSON, but capture.preset \(--capture-preset\) "xgboost" reads CSV payloads/,
    );
  });
});

describe('Preset: xgboost (several rows in one request)', () => {
  // sagemaker-xgboost-container algorithm_mode/serve.py answers an endpoint call with ONE line,
  // ",".join(map(str, preds.tolist())): one value per record, or each record's multi:softprob
  // probabilities as a Python list; a batch transform (SAGEMAKER_BATCH) one line per record.
  it('spreads a one-line answer of one score per record over the request\'s rows', async () => {
    const t = await read([record('e1', csv('1,2,3,4\n5,6,7,8\n9,1,2,3'), csv('0.6,0.3,0.95'))], { preset: 'xgboost' });
    expect(t.columns).toEqual(['f0', 'f1', 'f2', 'f3', 'prediction']);
    expect(t.rows.map((r) => r.slice(4))).toEqual([['0.6'], ['0.3'], ['0.95']]);
  });

  it('reads multi:softprob [..] vectors, on one line for an endpoint call or one per line', async () => {
    const oneLine = await read([record('e1', csv('1,2\n3,4'), csv('[0.1, 0.2, 0.7],[0.6, 0.3, 0.1]'))], { preset: 'xgboost' });
    const perLine = await read([record('e1', csv('1,2\n3,4'), csv('[0.1, 0.2, 0.7]\n[0.6, 0.3, 0.1]\n'))], { preset: 'xgboost' });
    const single = await read([record('e1', csv('1,2'), csv('[0.1, 0.2, 0.7]'))], { preset: 'xgboost' });
    for (const t of [oneLine, perLine]) {
      expect(t.columns).toEqual(['f0', 'f1', 'prediction_0', 'prediction_1', 'prediction_2']);
      expect(t.rows.map((r) => r.slice(2))).toEqual([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]]);
    }
    expect(single.rows).toEqual([['1', '2', 0.1, 0.2, 0.7]]);
  });

  it('splits a flat one-line answer of N x k values into N rows of k', async () => {
    const t = await read([record('e1', csv('1,2\n3,4'), csv('0.1,0.2,0.7,0.6,0.3,0.1'))], { preset: 'xgboost' });
    expect(t.rows.map((r) => r.slice(2))).toEqual([['0.1', '0.2', '0.7'], ['0.6', '0.3', '0.1']]);
  });

  it('refuses a one-line answer whose values cannot be shared out over the rows, naming file and line', async () => {
    await expect(read([record('e1', csv('1,2\n3,4\n5,6'), csv('0.6,0.3'))], { preset: 'xgboost' })).rejects.toThrow(
      /:1: endpointOutput holds 2 values on one line for 3 input rows: .*2 is not a multiple of 3/,
    );
    await expect(read([record('e1', csv('1,2\n3,4'), csv('[0.1, 0.9],[0.2'))], { preset: 'xgboost' })).rejects.toThrow(
      /:1: endpointOutput line .* is neither numbers nor \[\.\.\] probability vectors/,
    );
  });

  it('still refuses to spread one line over several rows without the preset', async () => {
    await expect(read([record('e1', csv('1,2,3,4\n5,6,7,8'), csv('0.6,0.3'))], { features: '0,1,2,3' })).rejects.toThrow(
      /:1: 2 input rows but 1 output row: expected one prediction per input row/,
    );
  });
});

describe('Preset: linear-learner', () => {
  // Built-in algorithms take text/csv requests (https://docs.aws.amazon.com/sagemaker/latest/dg/cdf-inference.html)
  // and answer JSON: the preset reads the response, whatever the request's kind.
  it('reads a JSON answer to a CSV request', async () => {
    const t = await read([record('e1', csv('1,2'), json({ predictions: [{ score: 0.4, predicted_label: 0 }] }))], { preset: 'linear-learner' });
    expect(t.rows.map((r) => r.at(-1))).toEqual([0.4]);
  });


  // https://docs.aws.amazon.com/sagemaker/latest/dg/LL-in-formats.html — binary
  // {"predictions": [{"score": 0.4, "predicted_label": 0}]}, multiclass score is a vector;
  // request in the common JSON format {"instances": [{"features": [...]}]}
  // (https://docs.aws.amazon.com/sagemaker/latest/dg/cdf-inference.html).
  it('takes score, not predicted_label, even though the label is listed second', async () => {
    const t = await read(
      [
        record('e1', json({ instances: [{ features: [1.5, 16, 14, 23] }] }), json({ predictions: [{ score: 0.4, predicted_label: 0 }] })),
        record('e2', json({ instances: [{ features: [2, 1, 0, 3] }] }), json({ predictions: [{ predicted_label: 1, score: 0.93 }] })),
      ],
      { preset: 'linear-learner' },
    );
    expect(t.columns).toEqual(['f0', 'f1', 'f2', 'f3', 'prediction']);
    expect(t.rows).toEqual([
      [1.5, 16, 14, 23, 0.4],
      [2, 1, 0, 3, 0.93],
    ]);
  });

  it('gives one column per class for a multiclass score vector', async () => {
    const t = await read(
      [record('e1', json({ instances: [{ features: [1, 2] }] }), json({ predictions: [{ score: [0.1, 0.2, 0.4, 0.3], predicted_label: 2 }] }))],
      { preset: 'linear-learner' },
    );
    expect(t.columns).toEqual(['f0', 'f1', 'prediction_0', 'prediction_1', 'prediction_2', 'prediction_3']);
    expect(t.rows).toEqual([[1, 2, 0.1, 0.2, 0.4, 0.3]]);
  });
});

describe('Preset: probabilities', () => {
  // scikit-learn's predict_proba gives one row of class probabilities per sample
  // (https://scikit-learn.org/stable/glossary.html#term-predict_proba); handlers return it
  // as {"probabilities": [[p0, p1]]}. The case: P(class 1) is the second value.
  it('keeps P(class 0) and P(class 1) as two columns, so binary quality uses P(class 1)', async () => {
    const t = await read(
      [
        record('e1', json({ instances: [[1, 2]] }), json({ probabilities: [[0.2, 0.8]] })),
        record('e2', json([[3, 4], [5, 6]]), json({ probabilities: [[0.9, 0.1], [0.35, 0.65]] })),
      ],
      { preset: 'probabilities' },
    );
    expect(t.columns).toEqual(['f0', 'f1', 'prediction_0', 'prediction_1']);
    expect(t.rows).toEqual([
      [1, 2, 0.2, 0.8],
      [3, 4, 0.9, 0.1],
      [5, 6, 0.35, 0.65],
    ]);
  });

  it('reads P(class 1) alone with the attribute "probabilities[*][1]"', async () => {
    const t = await read([record('e1', json({ instances: [[1, 2]] }), json({ probabilities: [[0.2, 0.8]] }))], { probability: 'probabilities[*][1]' });
    expect(t.columns).toEqual(['f0', 'f1', 'prediction']);
    expect(t.rows).toEqual([[1, 2, 0.8]]);
  });
});

describe('Preset: predictions', () => {
  // scikit-learn's predict gives one value per sample (https://scikit-learn.org/stable/glossary.html#term-predict);
  // handlers return {"predictions": [y, ...]}, one per instance.
  it('reads one value per instance', async () => {
    const t = await read([record('e1', json({ instances: [{ a: 1 }, { a: 2 }] }), json({ predictions: [0.1, 0.9] }))], { preset: 'predictions' });
    expect(t.columns).toEqual(['a', 'prediction']);
    expect(t.rows).toEqual([
      [1, 0.1],
      [2, 0.9],
    ]);
  });

  it('rejects a count of predictions that is not the count of instances, naming the attribute', async () => {
    await expect(read([record('e1', json({ instances: [[1], [2], [3]] }), json({ predictions: [0.1, 0.9] }))], { preset: 'predictions' })).rejects.toThrow(
      /:1: capture.inference \(--inference-attribute\) "predictions" selected an array of 2 numbers from endpointOutput: 2 values for 3 input rows/,
    );
  });
});

describe('Preset: tensorflow-serving', () => {
  // https://www.tensorflow.org/tfx/serving/api_rest#predict_api — row format request
  // {"instances": [...]} (each element one instance) answered by {"predictions": [...]};
  // the page's example: {"instances": [1.0, 2.0, 5.0]} -> {"predictions": [3.5, 4.0, 5.5]}.
  it('reads each instance as a row, as the REST API documents (scalars, lists and named inputs)', async () => {
    const t = await read([record('e1', json({ instances: [1.0, 2.0, 5.0] }), json({ predictions: [3.5, 4.0, 5.5] }))], { preset: 'tensorflow-serving' });
    expect(t.columns).toEqual(['f0', 'prediction']);
    expect(t.rows).toEqual([
      [1, 3.5],
      [2, 4],
      [5, 5.5],
    ]);
    const named = await read(
      [record('e1', json({ signature_name: 'serving_default', instances: [{ tag: 'foo', x: 1 }] }), json({ predictions: [[0.3, 0.7]] }))],
      { preset: 'tensorflow-serving' },
    );
    expect(named.columns).toEqual(['tag', 'x', 'prediction_0', 'prediction_1']);
    expect(named.rows).toEqual([['foo', 1, 0.3, 0.7]]);
  });
});

describe('Preset: huggingface-text-classification', () => {
  // https://huggingface.co/docs/transformers/main_classes/pipelines#transformers.TextClassificationPipeline —
  // classifier("This movie is disgustingly good !") -> [{'label': 'POSITIVE', 'score': 1.0}];
  // classifier("Director tried too much.") -> [{'label': 'NEGATIVE', 'score': 0.996}];
  // with top_k=None every label's score is listed. Requests are {"inputs": "text"}.
  it('turns the predicted label\'s score into P(positive) with positiveLabel', async () => {
    const t = await read(
      [
        record('e1', json({ inputs: 'This movie is disgustingly good !' }), json([{ label: 'POSITIVE', score: 0.98 }])),
        record('e2', json({ inputs: 'Director tried too much.' }), json([{ label: 'NEGATIVE', score: 0.996 }])),
        record('e3', json({ inputs: 'Fine.' }), json([[{ label: 'NEGATIVE', score: 0.45 }, { label: 'POSITIVE', score: 0.55 }]])),
      ],
      { preset: 'huggingface-text-classification', positiveLabel: 'POSITIVE' },
    );
    expect(t.columns).toEqual(['f0', 'prediction']);
    expect(t.rows[0]).toEqual(['This movie is disgustingly good !', 0.98]);
    expect(t.rows[1]![0]).toBe('Director tried too much.');
    expect(t.rows[1]![1]).toBeCloseTo(0.004, 12);
    expect(t.rows[2]).toEqual(['Fine.', 0.55]);
  });

  it('needs positiveLabel, and names it', () => {
    expect(() => capturePlan({ preset: 'huggingface-text-classification' })).toThrow(
      'capture.preset (--capture-preset) "huggingface-text-classification" needs capture.positiveLabel (--positive-label)',
    );
  });

  it('rejects a positive label that is not among the listed labels', async () => {
    await expect(
      read([record('e1', json({ inputs: 'x' }), json([[{ label: 'NEG', score: 0.4 }, { label: 'POS', score: 0.6 }]]))], {
        preset: 'huggingface-text-classification',
        positiveLabel: 'POSITIVE',
      }),
    ).rejects.toThrow(/no score for the positive label "POSITIVE" among the labels "NEG", "POS"/);
  });
});

describe('Preset: probability-vector', () => {
  // Model Monitor's multiclass problem type reads one probability per class
  // (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html);
  // a bare vector per row becomes one column per class.
  it('gives one column per class, for one row or several', async () => {
    const t = await read(
      [record('e1', json([1, 2]), json([0.1, 0.2, 0.7])), record('e2', json([[3, 4], [5, 6]]), json([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]))],
      { preset: 'probability-vector' },
    );
    expect(t.columns).toEqual(['f0', 'f1', 'prediction_0', 'prediction_1', 'prediction_2']);
    expect(t.rows).toEqual([
      [1, 2, 0.1, 0.2, 0.7],
      [3, 4, 0.6, 0.3, 0.1],
      [5, 6, 0.2, 0.2, 0.6],
    ]);
  });
});
