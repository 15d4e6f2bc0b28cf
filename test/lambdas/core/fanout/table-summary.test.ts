import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDrift, planDrift, scoreDrift } from '../../../../lambdas/core/drift/compute-drift';
import { decodePartial, encodePartial } from '../../../../lambdas/core/fanout/partial-codec';
import { mergeSummaries, reviveSummary, summarizePart, type TableSummary } from '../../../../lambdas/core/fanout/table-summary';
import { buildProfile, type Profile } from '../../../../lambdas/core/profile';
import type { Cell } from '../../../../lambdas/core/readers/types';
import { concludeValidation, validateData, type ValidateOptions } from '../../../../lambdas/core/validation';
import { memoryTable } from '../../../helpers/memory-table';
import { MIN_BUDGET, ValueStore } from '../../../../lambdas/core/stats/value-store';

const COLUMNS = ['num', 'cat', 'gap', 'label', 'ts'];
const NOW = new Date('2026-03-01T12:00:00.000Z');

/** The reference: num 0..199, cat a..e, gap 'x'/'y', label 0/1, ts the hour before NOW. */
async function reference(): Promise<Profile> {
  const rows: Cell[][] = Array.from({ length: 200 }, (_, i) => [i, 'abcde'[i % 5]!, i % 2 ? 'x' : 'y', i % 2, NOW.getTime() - 3_600_000 + i]);
  return buildProfile(memoryTable(COLUMNS, rows), { label: 'label', now: NOW });
}

/** A current row: num sometimes missing, categories the baseline never saw, gap always missing. */
const row = fc.tuple(
  fc.oneof(fc.constant(null), fc.integer({ min: -50, max: 300 }), fc.double({ min: -10, max: 250, noNaN: true, noDefaultInfinity: true })),
  fc.constantFrom<Cell>('a', 'b', 'c', 'z', 'w', null),
  fc.constant<Cell>(null),
  fc.constantFrom<Cell>(0, 1, null),
  fc.integer({ min: NOW.getTime() - 7_200_000, max: NOW.getTime() }),
);

/** Rows and cut positions: consecutive parts, some empty. */
const split = fc
  .tuple(fc.array(row, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 6 }))
  .map(([rows, cuts]) => {
    const at = [...cuts.map((c) => (rows.length === 0 ? 0 : c % (rows.length + 1))), 0, rows.length].sort((a, b) => a - b);
    const parts: Cell[][][] = [];
    for (let k = 0; k + 1 < at.length; k++) parts.push(rows.slice(at[k], at[k + 1]).map((r) => [...r]));
    return { rows: rows.map((r) => [...r]), parts };
  });

/** A categorical value seen in one part only, and a part where num is all missing. */
function withSpecialParts(parts: Cell[][][]): Cell[][][] {
  return [...parts, [[null, 'only-here', null, 1, NOW.getTime() - 10]], [[null, 'a', null, 0, NOW.getTime() - 20], [null, 'b', null, 1, NOW.getTime() - 30]], []];
}

async function viaPartials(parts: Cell[][][], options: ValidateOptions, plan: Awaited<ReturnType<typeof planDrift>>): Promise<TableSummary> {
  const summaries: TableSummary[] = [];
  for (const [k, part] of parts.entries()) {
    const s = await summarizePart(k, async () => memoryTable(COLUMNS, part, { source: `part-${k}` }), options, plan);
    // Through the bytes a child writes to S3 and the reduce reads back, in reverse order.
    summaries.unshift(decodePartial(encodePartial(s), `part-${k}`, reviveSummary));
  }
  return mergeSummaries(summaries);
}

describe('Function: mergeSummaries', () => {
  it('gives the single pass validation and drift, field for field, over random splits', async () => {
    // Prepare
    const baseline = await reference();
    const options: ValidateOptions = { baseline, timestampColumn: 'ts', now: NOW, expectedColumns: ['num', 'cat', 'gap'] };
    const drift = { reference: baseline, method: 'psi' as const };

    await fc.assert(
      fc.asyncProperty(split, async ({ parts }) => {
        const all = withSpecialParts(parts);
        const whole = all.flat();

        // Act
        const single = await validateData(memoryTable(COLUMNS, whole), options);
        const singleDrift = await computeDrift({ ...drift, current: memoryTable(COLUMNS, whole) });
        const merged = await viaPartials(all, options, await planDrift(drift));
        const mergedValidation = concludeValidation(merged.validation, options);
        const mergedDrift = await scoreDrift(await planDrift(drift), merged.drift!, drift);

        // Assess: every part merged once, in order; same checks and same drift statistics
        expect(merged.parts).toEqual(all.map((_, k) => k));
        expect(mergedValidation).toEqual(single);
        expect(mergedDrift).toEqual(singleDrift);
      }),
      { numRuns: 40 },
    );
  });

  it("stays within the sketch's tracked rank-error bound of the exact KS distance and Wasserstein-1 beyond the value budget", async () => {
    // Prepare: a budget of MIN_BUDGET values, exceeded by every generated window
    const baseline = await reference();
    const options: ValidateOptions = { now: NOW };
    const drift = { reference: baseline, method: 'ks' as const, columns: ['num'] };
    const sketched = await planDrift({ ...drift, budget: MIN_BUDGET });
    const value = fc.double({ min: -100, max: 400, noNaN: true, noDefaultInfinity: true });
    const window = fc
      .tuple(fc.array(value, { minLength: 3 * MIN_BUDGET, maxLength: 2000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }))
      .map(([values, cuts]) => {
        const rows: Cell[][] = values.map((v, i) => [v, 'a', null, i % 2, NOW.getTime() - 1000 - i]);
        const at = [...cuts.map((c) => c % (rows.length + 1)), 0, rows.length].sort((a, b) => a - b);
        return { rows, parts: at.slice(1).map((end, k) => rows.slice(at[k], end)) };
      });

    await fc.assert(
      fc.asyncProperty(window, async ({ rows, parts }) => {
        // Act: the exact figures (default budget: every value kept), and the merge of sketched partials
        const exact = (await computeDrift({ ...drift, current: memoryTable(COLUMNS, rows) })).features[0]!;
        const merged = await viaPartials(parts, options, sketched);
        const store = (merged.drift!.columns.find((c) => c.name === 'num') as unknown as { store: ValueStore }).store;
        const bound = store.rankErrorBound();
        const mergedFeature = (await scoreDrift(sketched, merged.drift!, drift)).features[0]!;

        // Assess: the merge is a sketch (the budget was exceeded) whose figures stay within its bound
        const nums = rows.map((r) => r[0] as number);
        const spread = Math.max(...nums) - Math.min(...nums);
        expect(store.exact).toBe(false);
        expect(store.count).toBe(rows.length);
        expect(bound).toBeGreaterThan(0);
        expect(bound).toBeLessThan(1);
        expect(Math.abs(mergedFeature.ksStatistic! - exact.ksStatistic!)).toBeLessThanOrEqual(bound + 1e-12);
        expect(Math.abs(mergedFeature.wasserstein! - exact.wasserstein!)).toBeLessThanOrEqual(bound * spread + 1e-9 * Math.max(1, spread));
      }),
      { numRuns: 25 },
    );
  });

  it('counts rows repeated across parts as duplicates', async () => {
    // Prepare: the same row in two parts, and twice within a third
    const r: Cell[] = [1, 'a', null, 0, NOW.getTime()];
    const parts = [[r], [[2, 'b', null, 1, NOW.getTime()]], [r, r]];
    const options: ValidateOptions = { now: NOW };

    // Act
    const merged = await viaPartials(parts, options, await planDrift({ reference: await reference() }));

    // Assess: rows 3 and 4 repeat row 1
    expect(merged.validation.duplicates).toBe(2);
    expect(concludeValidation(merged.validation, options)).toEqual(await validateData(memoryTable(COLUMNS, parts.flat()), options));
  });

  it('refuses parts of different columns, naming the part', async () => {
    // Prepare
    const a = await summarizePart(0, async () => memoryTable(COLUMNS, []), {}, undefined);
    const b = await summarizePart(1, async () => memoryTable(['num'], [], { source: 'part-1' }), {}, undefined);

    // Act / Assess
    expect(() => mergeSummaries([a, b])).toThrow(/^part-1: columns differ/);
  });
});

describe('Function: decodePartial', () => {
  it('refuses bytes that are no partial summary, naming the file', () => {
    expect(() => decodePartial(new TextEncoder().encode('{"a":1}\n'), 's3://b/partials/3.bin', (x) => x)).toThrow(/^s3:\/\/b\/partials\/3\.bin: not a partial summary/);
  });

  it('refuses a partial written by another Node major version', () => {
    // Prepare: a header claiming Node 4
    const bytes = encodePartial({ a: 1 });
    const text = Buffer.from(bytes);
    const nl = text.indexOf(0x0a);
    const forged = Buffer.concat([Buffer.from('pitstop-partial/1 node4'), text.subarray(nl)]);

    // Act / Assess
    expect(() => decodePartial(forged, 'p.bin', (x) => x)).toThrow(/written by Node 4/);
  });
});
