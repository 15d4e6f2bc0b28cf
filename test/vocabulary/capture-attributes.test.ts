/**
 * Capture attributes: no guessing without them (each ambiguous shape stops with a message
 * naming file, line, the shape and what to set), their JMESPath and CSV forms, and the
 * contradictions a `capture` block is rejected for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, ParseError } from '../../vocabulary/errors';
import { buildProfile } from '../../lambdas/core/profile';
import { openTable } from '../../lambdas/core/readers/index';
import { capturePlan, type CaptureSettings } from '../../vocabulary/capture-presets';
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
const write = (records: string[]) => tmp.write(`attr-${(n += 1)}.jsonl`, records.join('\n') + '\n');
async function read(records: string[], capture?: CaptureSettings) {
  const file = await write(records);
  const t = await readAll(file, { format: 'capture', ...(capture ? { capture } : {}) });
  return { file, columns: t.columns.slice(3), rows: t.rows.map((r) => r.slice(3)) };
}

describe('Function: openTable (capture without attributes)', () => {
  const cases: { name: string; output: unknown; message: RegExp }[] = [
    {
      name: 'an object with several fields',
      output: { predicted_label: 1, score: 0.3 },
      message: /endpointOutput is an object with fields "predicted_label", "score": .* pitstop does not guess; set capture.probability \(--probability-attribute\) or capture.inference \(--inference-attribute\)/,
    },
    {
      name: 'an object with one field holding a probability vector (the issue\'s {"probabilities": [[0.2, 0.8]]})',
      output: { probabilities: [[0.2, 0.8]] },
      message: /endpointOutput is an object with field "probabilities": .* \(e\.g\. "probabilities\[\*\]\[1\]" for P\(class 1\), or the preset "probabilities"/,
    },
    {
      name: 'a probability vector of two classes',
      output: [0.2, 0.8],
      message: /endpointOutput is an array of 2 numbers: .* a probability vector of 2 classes .* capture.preset \(--capture-preset\) "probability-vector"/,
    },
    {
      name: 'a list of vectors',
      output: [[0.1, 0.2, 0.7]],
      message: /endpointOutput is an array of 1 array .* one vector per row: set capture.probability \(--probability-attribute\) \(e\.g\. "\[\*\]\[1\]"/,
    },
    {
      name: 'a label-and-score pair',
      output: [{ label: 'NEGATIVE', score: 0.97 }],
      message: /endpointOutput is an array of 1 object .* the score of the predicted label is not P\(positive\): set capture.preset \(--capture-preset\) "huggingface-text-classification" with capture.positiveLabel \(--positive-label\)/,
    },
  ];
  for (const c of cases) {
    it(`stops on ${c.name}, naming file, line, shape and what to set`, async () => {
      // Prepare: a good first record, the ambiguous one on line 2
      const file = await write([record('e1', json([1]), json(0.5)), record('e2', json([2]), json(c.output))]);
      const table = await openTable(file, { format: 'capture' });
      // Act
      const read = async () => {
        for await (const _ of table.batches());
      };
      // Assess
      const err = await read().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).location).toEqual({ file, line: 2 });
      expect((err as Error).message).toMatch(c.message);
    });
  }

  it('reads what is unambiguous: CSV, a bare number, a one-element array', async () => {
    const t = await read([record('e1', csv('1,2'), csv('0.7')), record('e2', csv('3,4'), json(0.2)), record('e3', csv('5,6'), json([0.9]))]);
    expect(t.rows).toEqual([
      ['1', '2', '0.7'],
      ['3', '4', 0.2],
      ['5', '6', 0.9],
    ]);
  });
});

describe('Function: openTable (capture attributes)', () => {
  it('takes CSV column indexes for CSV payloads (features and inference)', async () => {
    // Prepare: the request carries an id column first; the response is "label,score"
    const t = await read([record('e1', csv('id-1,1.5,2\nid-2,3,4\n'), csv('1,0.8\n0,0.3\n'))], { features: '1,2', probability: '1' });
    expect(t.columns).toEqual(['f0', 'f1', 'prediction']);
    expect(t.rows).toEqual([
      ['1.5', '2', '0.8'],
      ['3', '4', '0.3'],
    ]);
  });

  it('evaluates JMESPath on JSON payloads (features and probability)', async () => {
    const t = await read([record('e1', json({ request: { rows: [{ a: 1, b: 'x' }] }, meta: 7 }), json({ out: { p: [0.25] }, label: [0] }))], {
      features: 'request.rows',
      probability: 'out.p',
    });
    expect(t.columns).toEqual(['a', 'b', 'prediction']);
    expect(t.rows).toEqual([[1, 'x', 0.25]]);
  });

  it('prefers probability over inference for the scores when both are set', async () => {
    const t = await read([record('e1', json([1]), json({ predictions: [{ predicted_label: 1, score: 0.6 }] }))], {
      inference: 'predictions[*].predicted_label',
      probability: 'predictions[*].score',
    });
    expect(t.rows).toEqual([[1, 0.6]]);
  });

  it('rejects a JMESPath attribute on a CSV payload and column indexes on a JSON one', async () => {
    await expect(read([record('e1', csv('1,2'), csv('0.5'))], { probability: 'predictions' })).rejects.toThrow(
      /:1: capture.probability \(--probability-attribute\) "predictions" is a JMESPath expression, but endpointOutput is CSV: give 0-based column indexes/,
    );
    await expect(read([record('e1', json([1]), json({ p: 1 }))], { inference: '0' })).rejects.toThrow(
      /:1: capture.inference \(--inference-attribute\) "0" is CSV column indexes, but endpointOutput is JSON: give a JMESPath expression/,
    );
  });

  it('rejects an expression that selects nothing or objects, naming it', async () => {
    await expect(read([record('e1', json([1]), json({ predictions: [0.5] }))], { probability: 'prediction' })).rejects.toThrow(
      /capture.probability \(--probability-attribute\) "prediction" selected nothing \(null\) from endpointOutput/,
    );
    await expect(read([record('e1', json([1]), json({ predictions: [{ score: 0.5 }] }))], { probability: 'predictions' })).rejects.toThrow(
      /selected an array of 1 object .* select a field of each \(e\.g\. "predictions\[\*\]\.score"\)/,
    );
  });

  it('rejects a CSV column beyond the row', async () => {
    await expect(read([record('e1', csv('1,2'), csv('0.5'))], { inference: '1' })).rejects.toThrow(
      /capture.inference \(--inference-attribute\) "1" asks for CSV column 1 of endpointOutput, which has 1 column/,
    );
  });
});

describe('Function: capturePlan', () => {
  it('is undefined when nothing is set (no JMESPath is evaluated on the hot path)', () => {
    expect(capturePlan(undefined)).toBeUndefined();
    expect(capturePlan({})).toBeUndefined();
  });

  it('rejects an attribute the preset already sets, instead of preferring one', () => {
    expect(() => capturePlan({ preset: 'linear-learner', probability: 'predictions[*].predicted_label' })).toThrow(
      'capture.probability (--probability-attribute) contradicts capture.preset (--capture-preset) "linear-learner", which sets it to "predictions[*].score": give one or the other',
    );
  });

  it('rejects an unknown preset, a bad expression, a threshold outside (0, 1) and a stray positiveLabel', () => {
    expect(() => capturePlan({ preset: 'sklearn' as never })).toThrow(/"sklearn" is not a preset; expected one of xgboost, linear-learner/);
    expect(() => capturePlan({ probability: 'predictions[*.score' })).toThrow(InputError);
    expect(() => capturePlan({ probability: 'predictions[*.score' })).toThrow(/capture.probability \(--probability-attribute\) "predictions\[\*\.score" is not a JMESPath expression/);
    expect(() => capturePlan({ probability: 'p', probabilityThreshold: 1 })).toThrow(/probabilityThreshold .* must be between 0 and 1 \(exclusive\), got 1/);
    expect(() => capturePlan({ inference: 'label', positiveLabel: 'yes' })).toThrow(/positiveLabel .* applies to label-and-score outputs/);
  });

  it('lets a preset take the attributes it does not set', () => {
    const plan = capturePlan({ preset: 'probabilities', features: 'body.rows', probabilityThreshold: 0.3 });
    expect(plan?.features).toEqual({ kind: 'jmespath', text: 'body.rows' });
    expect(plan?.output).toMatchObject({ attribute: 'probability', selector: { text: 'probabilities' }, shape: 'auto' });
    expect(plan?.probabilityThreshold).toBe(0.3);
  });
});

describe('Meta columns of a capture table', () => {
  it('are carried but never profiled as features', async () => {
    // Prepare
    const file = await write([record('e1', csv('1,2'), csv('0.5')), record('e2', csv('3,4'), csv('0.7'))]);
    const table = await openTable(file, { format: 'capture' });
    // Act
    const profile = await buildProfile(table);
    // Assess
    expect(table.columns.slice(0, 3)).toEqual(['eventId', 'inferenceId', 'inferenceTime']);
    expect(table.metaColumns).toEqual(['eventId', 'inferenceId', 'inferenceTime']);
    expect(profile.features.map((f) => f.name)).toEqual(['f0', 'f1', 'prediction']);
  });
});

describe('Function: openTable (one prediction per instance)', () => {
  it('does not spread one selected prediction over the rows of a multi-row request', async () => {
    await expect(read([record('e1', json({ instances: [[1], [2]] }), json({ p: 0.4 }))], { probability: 'p' })).rejects.toThrow(
      /:1: capture.probability \(--probability-attribute\) "p" gave 1 prediction for 2 input rows: expected one per row/,
    );
    await expect(read([record('e1', csv('1\n2\n'), csv('0,0.4\n'))], { probability: '1' })).rejects.toThrow(/gave 1 prediction for 2 input rows/);
  });
});
