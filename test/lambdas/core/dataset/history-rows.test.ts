import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHistoryRows, timestampMs } from '../../../../lambdas/core/dataset';
import { openTable } from '../../../../lambdas/core/readers';
import { SCHEMA, scratch } from './fixtures';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeEach(async () => {
  dir = await scratch();
});
afterEach(async () => {
  await dir.cleanup();
});

const history = async (csv: string) => openTable(await dir.write('history.csv', csv));

describe('Function: readHistoryRows', () => {
  it('lays rows out as the schema (features in its order, then the label as a number), whole', async () => {
    // Prepare: columns in another order, with a column the schema does not use
    const table = await history('churned,plan,id,tenure,age\ntrue,basic,7,12,31\n0,pro,8,3,45\n');

    // Act
    const out = await readHistoryRows(table, { schema: SCHEMA, problemType: 'binary' });

    // Assess: CSV cells stay as read; the label is the number of the binary label
    expect(out.rows).toEqual([
      ['31', '12', 'basic', 1],
      ['45', '3', 'pro', 0],
    ]);
    expect(out.outsideWindow).toBe(0);
  });

  it('keeps only the rows of the window by the timestamp column (ISO 8601 or epoch seconds)', async () => {
    // Prepare: one row before, one inside (ISO), one inside (epoch seconds), one at the end (excluded)
    const start = Date.parse('2026-11-01T00:00:00Z');
    const end = Date.parse('2026-12-01T00:00:00Z');
    const inside = (Date.parse('2026-11-20T00:00:00Z') / 1000).toString();
    const table = await history(
      `ts,age,tenure,plan,churned\n2026-10-01T00:00:00Z,1,1,a,0\n2026-11-02T00:00:00Z,2,2,a,1\n${inside},3,3,a,0\n2026-12-01T00:00:00Z,4,4,a,1\n`,
    );

    // Act
    const out = await readHistoryRows(table, { schema: SCHEMA, problemType: 'binary', timestampColumn: 'ts', window: { start, end } });

    // Assess
    expect(out.rows.map((r) => r[0])).toEqual(['2', '3']);
    expect(out.outsideWindow).toBe(2);
  });

  it('leaves out the rows at or after `before` (the holdout start), counted apart from the window', async () => {
    // Prepare: rows 1 h before, at, and 1 h after the holdout start, all inside the window
    const holdoutStart = Date.parse('2026-11-20T00:00:00Z');
    const at = (offsetHours: number) => new Date(holdoutStart + offsetHours * 3_600_000).toISOString();
    const table = await history(`ts,age,tenure,plan,churned\n${at(-1)},1,1,a,0\n${at(0)},2,2,a,1\n${at(1)},3,3,a,0\n1990-01-01T00:00:00Z,4,4,a,1\n`);

    // Act
    const window = { start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') };
    const out = await readHistoryRows(table, { schema: SCHEMA, problemType: 'binary', timestampColumn: 'ts', window, before: holdoutStart });

    // Assess: only the row strictly older than the holdout start is kept
    expect(out.rows.map((r) => r[0])).toEqual(['1']);
    expect(out.atOrAfterHoldout).toBe(2);
    expect(out.outsideWindow).toBe(1);
  });

  it('cuts at `before` with no window too, and refuses a cut without a timestamp column', async () => {
    const table = await history('ts,age,tenure,plan,churned\n100,1,1,a,0\n200,2,2,a,1\n');
    const out = await readHistoryRows(table, { schema: SCHEMA, problemType: 'binary', timestampColumn: 'ts', before: 150_000 });
    expect(out.rows.map((r) => r[0])).toEqual(['1']);
    await expect(readHistoryRows(table, { schema: SCHEMA, problemType: 'binary', before: 150_000 })).rejects.toThrow(/history\.csv: history rows need a timestampColumn/);
  });

  it('rejects an unreadable timestamp and a missing label, naming file, line and column', async () => {
    const window = { start: 0, end: Date.now() };
    await expect(readHistoryRows(await history('ts,age,tenure,plan,churned\nyesterday,1,1,a,0\n'), { schema: SCHEMA, problemType: 'binary', timestampColumn: 'ts', window })).rejects.toThrow(
      /history\.csv:2, column "ts": "yesterday" is not a timestamp/,
    );
    await expect(readHistoryRows(await history('age,tenure,plan,churned\n1,1,a,\n'), { schema: SCHEMA, problemType: 'binary' })).rejects.toThrow(
      /history\.csv:2, column "churned": missing label/,
    );
  });

  it('rejects a history without a column of the schema', async () => {
    await expect(readHistoryRows(await history('age,plan,churned\n1,a,0\n'), { schema: SCHEMA, problemType: 'binary' })).rejects.toThrow(
      /column "tenure": feature column is absent/,
    );
  });
});

describe('Function: timestampMs', () => {
  it('reads ISO 8601 text and epoch seconds, and nothing else', () => {
    expect(timestampMs('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(timestampMs(1_767_225_600)).toBe(Date.UTC(2026, 0, 1));
    expect(timestampMs('1767225600')).toBe(Date.UTC(2026, 0, 1));
    expect(timestampMs('soon')).toBeUndefined();
    expect(timestampMs(null)).toBeUndefined();
  });
});
