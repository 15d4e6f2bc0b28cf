import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../vocabulary/errors';
import { csvField, csvLine } from '../../../lambdas/core/transform-input';
import { handler as prepareHoldout } from '../../../lambdas/prepare-holdout/handler';
import { PrepareHoldoutOutput } from '../../../vocabulary/contracts';
import { RUN, useHandlerFixture } from '../helpers';

const s3 = useHandlerFixture();

const INPUT_URI = 's3://art/transforms/churn/churn-0123456789ab/input/holdout.csv';
const LABELS_URI = 's3://art/transforms/churn/churn-0123456789ab/labels.csv';
const EVENT = {
  ...RUN,
  holdoutUri: 's3://data/holdout/',
  label: 'churned',
  problemType: 'binary',
  features: [] as string[],
  transformInputUri: INPUT_URI,
  labelsUri: LABELS_URI,
} as const;

const body = (uri: string) => {
  const w = s3().written.get(uri);
  if (!w) throw new Error(`nothing written to ${uri}`);
  return w.body;
};

describe('Function: prepareHoldout handler', () => {
  it('drops the header and the label column, keeping the other columns in file order', async () => {
    // Prepare: the label sits between the features
    s3().put({ 's3://data/holdout/part-0.csv': 'age,churned,plan\n31,1,basic\n45,0,pro\n27,1,basic\n' });

    // Act
    const out = await prepareHoldout(EVENT);

    // Assess
    expect(PrepareHoldoutOutput.parse(out)).toEqual({ transformInputUri: INPUT_URI, labelsUri: LABELS_URI, rows: 3, features: ['age', 'plan'] });
    expect(body(INPUT_URI)).toBe('31,basic\n45,pro\n27,basic\n');
    expect(body(LABELS_URI)).toBe('churned\n1\n0\n1\n');
    expect(s3().written.get(INPUT_URI)!.contentType).toMatch(/^text\/csv/);
  });

  it("writes the config's features in the config's order, leaving out unlisted columns", async () => {
    // Prepare
    s3().put({ 's3://data/holdout/h.csv': 'id,plan,churned,age\n7,basic,0,31\n8,pro,1,45\n' });

    // Act
    const out = await prepareHoldout({ ...EVENT, features: ['age', 'plan'] });

    // Assess
    expect(out.features).toEqual(['age', 'plan']);
    expect(body(INPUT_URI)).toBe('31,basic\n45,pro\n');
    expect(body(LABELS_URI)).toBe('churned\n0\n1\n');
  });

  it('reads every file under the prefix in key order, one line and one label per row', async () => {
    // Prepare: inserted out of order; the readers sort by key
    s3().put({
      's3://data/holdout/part-1.csv': 'x,churned\n3,1\n',
      's3://data/holdout/part-0.csv': 'x,churned\n1,0\n2,1\n',
    });

    // Act
    const out = await prepareHoldout(EVENT);

    // Assess
    expect(out.rows).toBe(3);
    expect(body(INPUT_URI)).toBe('1\n2\n3\n');
    expect(body(LABELS_URI)).toBe('churned\n0\n1\n1\n');
  });

  it('quotes fields that need it, and the lines parse back to the holdout values', async () => {
    // Prepare: a comma, a quote, surrounding spaces and an empty value (quoted fields in the holdout itself)
    s3().put({ 's3://data/holdout/h.csv': 'name,note,churned,x\n"Smith, J","say ""hi""",1,\n" pad ",plain,0,2\n' });

    // Act
    await prepareHoldout(EVENT);

    // Assess: hand-written RFC 4180 lines
    const text = body(INPUT_URI);
    expect(text).toBe('"Smith, J","say ""hi""",\n" pad ",plain,2\n');
    // an independent parser reads back the same cells (empty stays empty)
    expect(parseCsv(text, { relax_column_count: false })).toEqual([
      ['Smith, J', 'say "hi"', ''],
      [' pad ', 'plain', '2'],
    ]);
  });

  it('keeps a row of one empty feature as a non-blank line, so batch transform still sends it', async () => {
    // Prepare
    s3().put({ 's3://data/holdout/h.csv': 'x,churned\n1,0\n,1\n3,0\n' });

    // Act
    const out = await prepareHoldout(EVENT);

    // Assess: three records, the second one empty
    const lines = body(INPUT_URI).split('\n').slice(0, -1);
    expect(out.rows).toBe(3);
    expect(lines).toEqual(['1', '""', '3']);
    expect(lines.every((l) => l.trim() !== '')).toBe(true);
  });

  it('writes JSON Lines values as CSV and binary labels as numbers', async () => {
    // Prepare
    s3().put({
      's3://data/holdout/h.jsonl': [
        JSON.stringify({ age: 31.5, vip: true, plan: 'basic', churned: true }),
        JSON.stringify({ age: 45, vip: false, plan: null, churned: false }),
      ].join('\n'),
    });

    // Act
    const out = await prepareHoldout(EVENT);

    // Assess
    expect(out.features).toEqual(['age', 'vip', 'plan']);
    expect(body(INPUT_URI)).toBe('31.5,true,basic\n45,false,\n');
    expect(body(LABELS_URI)).toBe('churned\n1\n0\n');
  });

  it('names the file and the column when the label column is absent', async () => {
    // Prepare
    s3().put({ 's3://data/holdout/h.csv': 'age,plan\n31,basic\n' });

    // Act
    const err = await prepareHoldout(EVENT).catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('s3://data/holdout/, column "churned": label column is absent (the columns are: age, plan)');
    expect(s3().written.size).toBe(0);
  });

  it('names the file and the column when a configured feature is absent', async () => {
    // Prepare
    s3().put({ 's3://data/holdout/h.csv': 'age,churned\n31,1\n' });

    // Act
    const err = await prepareHoldout({ ...EVENT, features: ['age', 'tenure'] }).catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('s3://data/holdout/, column "tenure": feature column is absent (the columns are: age, churned)');
  });

  it('names the file, line and column of a missing or invalid label, before writing anything', async () => {
    s3().put({ 's3://data/holdout/h.csv': 'x,churned\n1,1\n2,\n' });
    await expect(prepareHoldout(EVENT)).rejects.toThrow('s3://data/holdout/h.csv:3, column "churned": missing label');
    s3().put({ 's3://data/holdout/h.csv': 'x,churned\n1,yes\n' });
    await expect(prepareHoldout(EVENT)).rejects.toThrow('s3://data/holdout/h.csv:2, column "churned": label "yes" is not a number');
    expect(s3().written.size).toBe(0);
  });

  it('refuses a value with a line break, which batch transform would split into two records', async () => {
    // Prepare: a quoted field spanning lines 2 and 3
    s3().put({ 's3://data/holdout/h.csv': 'note,churned\n"two\nlines",1\n' });

    // Act
    const err = await prepareHoldout(EVENT).catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^s3:\/\/data\/holdout\/h\.csv:2, column "note": the value holds a line break/);
  });

  it('refuses a holdout without rows', async () => {
    s3().put({ 's3://data/holdout/h.csv': 'x,churned\n' });
    await expect(prepareHoldout(EVENT)).rejects.toThrow('s3://data/holdout/: the holdout has no rows');
  });

  it('rejects an event without the output URIs', async () => {
    const { transformInputUri: _, ...partial } = EVENT;
    await expect(prepareHoldout(partial)).rejects.toThrow(/invalid prepareHoldout event: transformInputUri/);
  });
});

describe('Function: csvField', () => {
  it.each<[string | number | boolean | null, string]>([
    [null, ''],
    ['', ''],
    ['plain', 'plain'],
    [1.5, '1.5'],
    [false, 'false'],
    ['a,b', '"a,b"'],
    ['6" tall', '"6"" tall"'],
    [' lead', '" lead"'],
    ['trail\t', '"trail\t"'],
  ])('writes %j as %s', (cell, field) => {
    expect(csvField(cell, {})).toBe(field);
  });

  it('round-trips arbitrary single-line strings through an independent CSV parser', () => {
    // A small exhaustive set over the characters that matter, two fields per line.
    const alphabet = ['a', ',', '"', ' ', ''];
    for (const x of alphabet) for (const y of alphabet) for (const z of alphabet) {
      const value = `${x}${y}${z}`;
      const line = csvLine([value, 'end'], () => ({}));
      expect(parseCsv(line, { relax_column_count: false })).toEqual([[value, 'end']]);
    }
  });
});
