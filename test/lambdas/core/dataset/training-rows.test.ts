import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinTrainingRows } from '../../../../lambdas/core/dataset';
import { InputError } from '../../../../vocabulary/errors';
import { SCHEMA, captureLine, captureTable, scratch, type CapturedRequest } from './fixtures';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  dir = await scratch();
});
afterEach(async () => {
  await dir.cleanup();
});

async function capture(requests: readonly CapturedRequest[]) {
  return captureTable(await dir.write('capture.jsonl', `${requests.map(captureLine).join('\n')}\n`));
}

const T = '2026-12-01T10:00:00Z';

describe('Function: joinTrainingRows', () => {
  it('joins by inferenceId when the request has one, else by eventId, with the label from the ground truth', async () => {
    // Prepare: one request keyed by its inferenceId, one by its eventId, one whose label was filed under the eventId although it has an inferenceId
    const table = await capture([
      { eventId: 'ev-1', inferenceId: 'inf-1', time: T, features: '31,12,basic' },
      { eventId: 'ev-2', time: T, features: '45,3,pro' },
      { eventId: 'ev-3', inferenceId: 'inf-3', time: T, features: '50,1,pro' },
    ]);
    const truth = new Map([
      ['inf-1', [1]],
      ['ev-2', [0]],
      ['ev-3', [1]],
    ]);

    // Act
    const out = await joinTrainingRows(table, truth, { schema: SCHEMA });

    // Assess: features read as numbers where the schema says numeric, in the schema's order
    expect(out.rows.map((r) => [r.key, ...r.features, r.label])).toEqual([
      ['inf-1', 31, 12, 'basic', 1],
      ['ev-2', 45, 3, 'pro', 0],
    ]);
    expect(out.unlabeled).toBe(1);
    expect(out.dropped).toEqual({ duplicate: 0, labelCount: 0, schema: 0 });
  });

  it('keeps the first of two records with the same inference id and counts the other as a duplicate', async () => {
    // Prepare
    const table = await capture([
      { eventId: 'ev-1', inferenceId: 'same', time: T, features: '31,12,basic' },
      { eventId: 'ev-2', inferenceId: 'same', time: T, features: '99,99,pro' },
    ]);

    // Act
    const out = await joinTrainingRows(table, new Map([['same', [1]]]), { schema: SCHEMA });

    // Assess
    expect(out.rows.map((r) => r.features)).toEqual([[31, 12, 'basic']]);
    expect(out.dropped.duplicate).toBe(1);
  });

  it('counts and leaves out rows whose features fail the schema, naming file and line, without guessing a value', async () => {
    // Prepare: line 2 has a non-number age, line 3 a missing tenure
    const table = await capture([
      { eventId: 'a', time: T, features: '31,12,basic' },
      { eventId: 'b', time: T, features: 'old,12,basic' },
      { eventId: 'c', time: T, features: '40,,pro' },
    ]);
    const truth = new Map([
      ['a', [0]],
      ['b', [1]],
      ['c', [1]],
    ]);

    // Act
    const out = await joinTrainingRows(table, truth, { schema: SCHEMA });

    // Assess
    expect(out.rows.map((r) => r.key)).toEqual(['a']);
    expect(out.dropped.schema).toBe(2);
    expect(out.problems).toEqual([
      expect.stringMatching(/capture\.jsonl:2: feature "age" is not a number: "old"$/),
      expect.stringMatching(/capture\.jsonl:3: feature "tenure" is missing$/),
    ]);
  });

  it('leaves out requests outside the window even when their late labels arrived', async () => {
    // Prepare: one request before the window, one inside, both labeled
    const table = await capture([
      { eventId: 'early', time: '2026-11-01T00:00:00Z', features: '31,12,basic' },
      { eventId: 'inside', time: '2026-12-01T00:00:00Z', features: '32,12,basic' },
    ]);
    const truth = new Map([
      ['early', [1]],
      ['inside', [0]],
    ]);
    const range = { start: Date.parse('2026-11-15T00:00:00Z'), end: Date.parse('2026-12-15T00:00:00Z') };

    // Act
    const out = await joinTrainingRows(table, truth, { schema: SCHEMA, range });

    // Assess
    expect(out.rows.map((r) => r.key)).toEqual(['inside']);
    expect(out.unlabeled).toBe(0);
  });

  it('matches the labels of a request of several instances in order, and leaves out one whose label count differs', async () => {
    // Prepare
    const table = await capture([
      { eventId: 'pair', time: T, features: '31,12,basic\n45,3,pro' },
      { eventId: 'short', time: T, features: '50,1,pro\n51,2,pro' },
    ]);
    const truth = new Map([
      ['pair', [1, 0]],
      ['short', [1]],
    ]);

    // Act
    const out = await joinTrainingRows(table, truth, { schema: SCHEMA });

    // Assess
    expect(out.rows.map((r) => [r.features[0], r.label])).toEqual([
      [31, 1],
      [45, 0],
    ]);
    expect(out.dropped.labelCount).toBe(2);
  });

  it('rejects a capture that lacks a feature of the schema, naming the column', async () => {
    // Prepare
    const table = await capture([{ eventId: 'a', time: T, features: '31,12,basic' }]);
    const schema = { ...SCHEMA, features: [...SCHEMA.features, { name: 'region', type: 'categorical' as const }] };

    // Act
    const err = await joinTrainingRows(table, new Map([['a', [1]]]), { schema }).catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/column "region": feature column is absent from the capture/);
  });
});
