import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../../vocabulary/errors';
import { openTable } from '../../../../lambdas/core/readers/index';
import { gz, readAll, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

/** One capture record in the layout SageMaker writes. */
function record(
  id: string,
  input: { data: string; encoding: string; type: string },
  output?: { data: string; encoding: string; type: string },
): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: input.type, mode: 'INPUT', data: input.data, encoding: input.encoding },
      ...(output && {
        endpointOutput: { observedContentType: output.type, mode: 'OUTPUT', data: output.data, encoding: output.encoding },
      }),
    },
    eventMetadata: { eventId: id, inferenceTime: `2024-05-01T10:00:0${id.slice(-1)}Z` },
    eventVersion: '0',
  });
}
const csvIn = (data: string) => ({ data, encoding: 'CSV', type: 'text/csv' });
const csvOut = (data: string) => ({ data, encoding: 'CSV', type: 'text/csv; charset=utf-8' });
const jsonIn = (v: unknown) => ({ data: JSON.stringify(v), encoding: 'JSON', type: 'application/json' });
const b64 = (v: string, type: string) => ({ data: Buffer.from(v).toString('base64'), encoding: 'BASE64', type });

describe('Function: openTable (data capture)', () => {
  it('auto-detects capture records and splits CSV input into named features', async () => {
    // Prepare: SageMaker appends a newline to CSV payloads
    const text = [record('e1', csvIn('1.5,2,abc\n'), csvOut('0.9')), record('e2', csvIn('3,,x'), csvOut('0.1'))].join('\n');
    const file = await tmp.write('capture.jsonl', text);
    // Act
    const t = await readAll(file, { captureFeatureNames: ['age', 'income', 'city'] });
    // Assess
    expect(t.columns).toEqual(['eventId', 'inferenceId', 'inferenceTime', 'age', 'income', 'city', 'prediction']);
    expect(t.rows).toEqual([
      ['e1', null, '2024-05-01T10:00:01Z', '1.5', '2', 'abc', '0.9'],
      ['e2', null, '2024-05-01T10:00:02Z', '3', null, 'x', '0.1'],
    ]);
    expect(t.lines).toEqual([1, 2]);
  });

  it('names positional features f0..fn-1 and multi-value CSV outputs prediction_0..k', async () => {
    const file = await tmp.write('multi.jsonl', record('e1', csvIn('1,2'), csvOut('0.2,0.8')) + '\n');
    const t = await readAll(file, { format: 'capture' });
    expect(t.columns).toEqual(['eventId', 'inferenceId', 'inferenceTime', 'f0', 'f1', 'prediction_0', 'prediction_1']);
    expect(t.rows).toEqual([['e1', null, '2024-05-01T10:00:01Z', '1', '2', '0.2', '0.8']]);
  });

  it('reads JSON objects, JSON arrays and BASE64 payloads; a JSON output of one scalar is the prediction', async () => {
    const objects = [
      record('e1', jsonIn({ a: 1, b: 'u' }), { data: '0.85', encoding: 'JSON', type: 'application/json' }),
      record('e2', b64('{"b":"v","a":2}', 'application/json'), b64('[0]', 'application/json')),
    ].join('\n');
    const t1 = await readAll(await tmp.write('obj.jsonl', objects));
    expect(t1.columns).toEqual(['eventId', 'inferenceId', 'inferenceTime', 'a', 'b', 'prediction']);
    expect(t1.rows).toEqual([
      ['e1', null, '2024-05-01T10:00:01Z', 1, 'u', 0.85],
      ['e2', null, '2024-05-01T10:00:02Z', 2, 'v', 0],
    ]);

    const arrays = [record('e1', jsonIn([0.5, 7]), csvOut('1')), record('e2', b64('3,4\n', 'text/csv'), csvOut('0'))].join('\n');
    const t2 = await readAll(await tmp.write('arr.jsonl.gz', gz(arrays)));
    expect(t2.columns).toEqual(['eventId', 'inferenceId', 'inferenceTime', 'f0', 'f1', 'prediction']);
    expect(t2.rows).toEqual([
      ['e1', null, '2024-05-01T10:00:01Z', 0.5, 7, '1'],
      ['e2', null, '2024-05-01T10:00:02Z', '3', '4', '0'],
    ]);
  });

  it('never takes the first value of a JSON output with several fields: it stops and names the attribute to set', async () => {
    // Prepare: the label comes first, the probability second; the old reader took the label
    const file = await tmp.write(
      'two-fields.jsonl',
      record('e1', jsonIn({ a: 1 }), { data: '{"predictions":[1],"probabilities":[0.85]}', encoding: 'JSON', type: 'application/json' }) + '\n',
    );
    // Act / Assess
    await expect(readAll(file)).rejects.toThrow(
      `${file}:1: endpointOutput is an object with fields "predictions", "probabilities": which value is the prediction is ambiguous and pitstop does not guess; set capture.probability (--probability-attribute)`,
    );
    // With the attribute the same record reads the probability
    const t = await readAll(file, { capture: { probability: 'probabilities' } });
    expect(t.rows).toEqual([['e1', null, '2024-05-01T10:00:01Z', 1, 0.85]]);
  });

  it('gives one row per instance when a request carried several', async () => {
    const file = await tmp.write('batch.jsonl', record('e1', csvIn('1,2\n3,4\n'), csvOut('0\n1\n')) + '\n');
    const t = await readAll(file);
    expect(t.rows).toEqual([
      ['e1', null, '2024-05-01T10:00:01Z', '1', '2', '0'],
      ['e1', null, '2024-05-01T10:00:01Z', '3', '4', '1'],
    ]);
    expect(t.lines).toEqual([1, 1]);
  });

  it('carries the caller\'s inferenceId when the record has one, else null', async () => {
    // Prepare: InvokeEndpoint's InferenceId lands in eventMetadata.inferenceId
    const withId = JSON.parse(record('e1', csvIn('1,2'), csvOut('0'))) as { eventMetadata: Record<string, string> };
    withId.eventMetadata.inferenceId = 'req-42';
    const file = await tmp.write('ids.jsonl', [JSON.stringify(withId), record('e2', csvIn('3,4'), csvOut('1'))].join('\n'));
    // Act
    const t = await readAll(file);
    // Assess
    expect(t.rows.map((r) => r.slice(0, 3))).toEqual([
      ['e1', 'req-42', '2024-05-01T10:00:01Z'],
      ['e2', null, '2024-05-01T10:00:02Z'],
    ]);
  });

  it('rejects a line that is not JSON, naming file and line', async () => {
    const file = await tmp.write('broken.jsonl', [record('e1', csvIn('1,2'), csvOut('0')), '{"captureData":'].join('\n'));
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toMatch(new RegExp(`^${file}:2: not valid JSON`));
  });

  it('rejects a record whose feature count differs from the first', async () => {
    const file = await tmp.write('ragged.jsonl', [record('e1', csvIn('1,2'), csvOut('0')), record('e2', csvIn('1,2,3'), csvOut('0'))].join('\n'));
    await expect(readAll(file)).rejects.toThrow(`${file}:2: expected 2 features, found 3`);
  });

  it('rejects captureFeatureNames of the wrong length at open', async () => {
    const file = await tmp.write('names.jsonl', record('e1', csvIn('1,2'), csvOut('0')));
    await expect(openTable(file, { captureFeatureNames: ['a'] })).rejects.toThrow(`${file}:1: expected 1 features`);
  });
});
