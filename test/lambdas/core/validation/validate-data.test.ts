import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../../lambdas/core/profile';
import { buildProfile } from '../../../../lambdas/core/profile';
import type { Cell } from '../../../../lambdas/core/readers/types';
import {
  DEFAULT_VALIDATION_THRESHOLDS,
  HashSet64,
  formatValidationReport,
  hashRow,
  statusOf,
  validateData,
  type ValidationResult,
} from '../../../../lambdas/core/validation';
import { columnsTable, memoryTable } from '../../../helpers/memory-table';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function only(result: ValidationResult, check: string, column?: string) {
  const found = result.checks.filter((c) => c.check === check && (column === undefined || c.column === column));
  expect(found, `${check} ${column ?? ''}`).toHaveLength(1);
  return found[0]!;
}

/** 100 distinct rows: id 0..99, num 0..99, cat a/b/c/d. */
function baseRows(): Cell[][] {
  return Array.from({ length: 100 }, (_, i) => [String(i), String(i), 'abcd'[i % 4]!]);
}
const COLUMNS = ['id', 'num', 'cat'];

let baselineCache: Profile | undefined;
async function baseline(): Promise<Profile> {
  baselineCache ??= await buildProfile(memoryTable(COLUMNS, baseRows()), { now: NOW });
  return baselineCache;
}

describe('Function: statusOf', () => {
  it('puts the boundary in the worse status and keeps 0 healthy', () => {
    expect(statusOf(0.0499, 0.05, 0.1)).toBe('healthy');
    expect(statusOf(0.05, 0.05, 0.1)).toBe('warning');
    expect(statusOf(0.1, 0.05, 0.1)).toBe('critical');
    expect(statusOf(0, 0, 0)).toBe('healthy');
    expect(statusOf(1e-9, 0, 0.5)).toBe('warning');
  });
});

describe('Function: validateData', () => {
  it('defaults its thresholds to the config defaults', () => {
    expect(DEFAULT_VALIDATION_THRESHOLDS).toMatchObject({ missingWarning: 0.05, missingCritical: 0.1, minRows: 100, freshnessHours: 24, labelShiftCritical: 0.25 });
  });

  it('runs only the schema-free checks without a baseline', async () => {
    // Act
    const result = await validateData(memoryTable(COLUMNS, baseRows()));

    // Assess
    expect(new Set(result.checks.map((c) => c.check))).toEqual(new Set(['minRows', 'missing', 'duplicates']));
    expect(result.status).toBe('healthy');
    expect(result.rowCount).toBe(100);
  });

  it.each([
    [4, 'healthy'],
    [5, 'warning'],
    [9, 'warning'],
    [10, 'critical'],
  ] as const)('missing: %i of 100 missing is %s (warning 0.05, critical 0.10)', async (n, status) => {
    // Prepare
    const rows = baseRows().map((r, i) => (i < n ? [r[0]!, null, r[2]!] : r));

    // Act
    const result = await validateData(memoryTable(COLUMNS, rows));

    // Assess
    const c = only(result, 'missing', 'num');
    expect(c.value).toBe(n / 100);
    expect(c.status).toBe(status);
    expect(only(result, 'missing', 'id').status).toBe('healthy');
    expect(result.status).toBe(status);
  });

  it.each([
    [0, 'healthy'],
    [1, 'warning'],
    [4, 'warning'],
    [5, 'critical'],
  ] as const)('duplicates: %i repeated rows of 100 is %s (0.01, 0.05)', async (n, status) => {
    // Prepare: the last n rows repeat the first n
    const rows = baseRows().map((r, i) => (i >= 100 - n ? [...baseRows()[i - (100 - n)]!] : r));

    // Act
    const result = await validateData(memoryTable(COLUMNS, rows));

    // Assess
    const c = only(result, 'duplicates');
    expect(c.value).toBe(n / 100);
    expect(c.status).toBe(status);
  });

  it('duplicates: rows that differ only in cell type or blank kind are distinct', async () => {
    // Prepare
    const rows: Cell[][] = [['1', null], [1, null], ['1', ''], ['1', null], ['ab', 'c'], ['a', 'bc']];

    // Act
    const result = await validateData(memoryTable(['a', 'b'], rows), { thresholds: { minRows: 1 } });

    // Assess
    expect(only(result, 'duplicates').value).toBe(1 / 6);
  });

  it.each([
    [99, 'critical'],
    [100, 'healthy'],
  ] as const)('minRows: %i rows with minRows 100 is %s', async (n, status) => {
    const result = await validateData(memoryTable(COLUMNS, baseRows().slice(0, n)));
    expect(only(result, 'minRows')).toMatchObject({ value: n, critical: 100, status });
  });

  it.each([
    [0, 'healthy'],
    [1, 'warning'],
    [5, 'critical'],
  ] as const)('outOfRange: %i of 100 values outside the baseline range is %s', async (n, status) => {
    // Prepare: values 0..99 in the baseline; move n of them above 99 or below 0
    const rows = baseRows().map((r, i) => (i < n ? [r[0]!, i % 2 ? '100' : '-0.5', r[2]!] : r));

    // Act
    const result = await validateData(memoryTable(COLUMNS, rows), { baseline: await baseline() });

    // Assess
    const c = only(result, 'outOfRange', 'num');
    expect(c.value).toBe(n / 100);
    expect(c.status).toBe(status);
  });

  it.each([
    [0, 'healthy'],
    [1, 'warning'],
    [5, 'critical'],
  ] as const)('unseenCategory: %i of 100 values in new categories is %s', async (n, status) => {
    // Prepare: id is numeric in the baseline; cat knows a..d
    const rows = baseRows().map((r, i) => (i < n ? [r[0]!, r[1]!, `new${i}`] : r));

    // Act
    const result = await validateData(memoryTable(COLUMNS, rows), { baseline: await baseline() });

    // Assess
    const c = only(result, 'unseenCategory', 'cat');
    expect(c.value).toBe(n / 100);
    expect(c.status).toBe(status);
  });

  it('schema and type: an absent baseline column and a non-number in a numeric column are critical', async () => {
    // Prepare
    const rows = baseRows().map((r, i) => [i === 7 ? 'seven' : r[0]!, r[2]!]);

    // Act
    const bad = await validateData(memoryTable(['id', 'cat'], rows, { source: 'cur.csv' }), { baseline: await baseline() });
    const good = await validateData(memoryTable(COLUMNS, baseRows()), { baseline: await baseline(), expectedColumns: ['id'] });

    // Assess
    expect(only(bad, 'schema', 'num')).toMatchObject({ status: 'critical' });
    expect(only(bad, 'type', 'id')).toMatchObject({ status: 'critical', value: 0.01 });
    expect(only(bad, 'type', 'id').message).toContain('"seven" at cur.csv:9');
    expect(bad.status).toBe('critical');
    expect(only(good, 'schema').status).toBe('healthy');
    expect(only(good, 'type').status).toBe('healthy');
    expect(good.status).toBe('healthy');
  });

  it('schema without a baseline: expectedColumns alone', async () => {
    const result = await validateData(memoryTable(COLUMNS, baseRows()), { expectedColumns: ['id', 'zzz'] });
    expect(only(result, 'schema', 'zzz').status).toBe('critical');
  });

  it.each([
    [0, 'healthy'],
    [24 * 3_600_000, 'healthy'],
    [24 * 3_600_000 + 1, 'critical'],
  ] as const)('freshness: newest timestamp %i ms old is %s (24 h limit)', async (age, status) => {
    // Prepare: ISO text, epoch seconds and blanks mixed; the newest is `age` old
    const newest = new Date(NOW.getTime() - age).toISOString();
    const table = columnsTable({ t: ['2020-01-01T00:00:00Z', newest, String(1_500_000_000), null] });

    // Act
    const result = await validateData(table, { now: NOW, timestampColumn: 't', thresholds: { minRows: 1 } });

    // Assess
    const c = only(result, 'freshness');
    expect(c.value).toBeCloseTo(age / 3_600_000, 9);
    expect(c.status).toBe(status);
  });

  it('freshness: an absent or unreadable timestamp column is critical', async () => {
    const absent = await validateData(columnsTable({ a: ['1'] }), { now: NOW, timestampColumn: 'inferenceTime' });
    const unreadable = await validateData(columnsTable({ t: ['soon', 'later'] }), { now: NOW, timestampColumn: 't' });
    expect(only(absent, 'freshness').status).toBe('critical');
    expect(only(unreadable, 'freshness').status).toBe('critical');
  });

  describe('labelShift', () => {
    // baseline label a:50 b:50; current a:60 b:40
    const expected = (0.6 - 0.5) * Math.log(0.6 / 0.5) + (0.4 - 0.5) * Math.log(0.4 / 0.5);
    const label = async () => buildProfile(columnsTable({ x: Array.from({ length: 100 }, (_, i) => String(i)), y: Array.from({ length: 100 }, (_, i) => (i < 50 ? 'a' : 'b')) }), { label: 'y' });
    const current = () => columnsTable({ x: Array.from({ length: 100 }, (_, i) => String(i)), y: Array.from({ length: 100 }, (_, i) => (i < 60 ? 'a' : 'b')) });

    it.each([
      [0.05, 0.1, 'healthy'],
      [0.04, 0.05, 'warning'],
      [0.01, 0.04, 'critical'],
    ] as const)('PSI %#: warning %d, critical %d is %s', async (warning, critical, status) => {
      const result = await validateData(current(), { baseline: await label(), thresholds: { labelShiftWarning: warning, labelShiftCritical: critical } });
      const c = only(result, 'labelShift', 'y');
      expect(c.value).toBeCloseTo(expected, 12);
      expect(c.status).toBe(status);
    });

    it('skips label shift when the data has no label column (capture data)', async () => {
      const result = await validateData(columnsTable({ x: ['1', '2'] }), { baseline: await label() });
      expect(result.checks.some((c) => c.check === 'labelShift')).toBe(false);
    });
  });
});

describe('Class: HashSet64 and hashRow', () => {
  it('finds repeats, separates different rows, and becomes a lower bound past its cap', () => {
    // Prepare
    const set = new HashSet64(3);
    const h = new Uint32Array(2);
    const seen = (row: Cell[]) => {
      hashRow(row, row.length, h);
      return set.addOrHas(h[0]!, h[1]!);
    };

    // Act / Assess
    expect(seen(['a', 1])).toBe(false);
    expect(seen(['a', 1])).toBe(true);
    expect(seen(['a', '1'])).toBe(false);
    expect(seen([true, null])).toBe(false);
    expect(seen(['late'])).toBe(false); // not stored: the cap of 3 is reached
    expect(set.saturated).toBe(true);
    expect(seen(['late'])).toBe(false); // a repeat after the cap goes uncounted
    expect(seen(['a', 1])).toBe(true); // repeats of stored rows are still found
  });

  it('keeps many distinct rows apart while growing', () => {
    const set = new HashSet64();
    const h = new Uint32Array(2);
    let repeats = 0;
    for (let i = 0; i < 50_000; i++) {
      hashRow([String(i), i % 7], 2, h);
      if (set.addOrHas(h[0]!, h[1]!)) repeats++;
    }
    for (let i = 0; i < 1000; i++) {
      hashRow([String(i), i % 7], 2, h);
      if (set.addOrHas(h[0]!, h[1]!)) repeats++;
    }
    expect(repeats).toBe(1000);
    expect(set.size).toBe(50_000);
  });
});

describe('Function: formatValidationReport', () => {
  it('lists problems first and ends with the overall status', async () => {
    const rows = baseRows().map((r, i) => (i < 20 ? [r[0]!, null, r[2]!] : r));
    const text = formatValidationReport(await validateData(memoryTable(COLUMNS, rows)));
    const lines = text.trim().split('\n');
    expect(lines[2]).toMatch(/^CRIT\s+missing\s+num/);
    expect(lines.at(-1)).toBe('CRITICAL: 100 rows, 1 critical, 0 warning, 4 healthy checks');
  });
});
