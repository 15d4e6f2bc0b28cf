import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDrift, formatDriftReport, type FeatureDrift } from '../../../../lambdas/core/drift';
import { InputError, ValueTypeError } from '../../../../vocabulary/errors';
import { buildProfile, parseProfile } from '../../../../lambdas/core/profile';
import { ValueStore } from '../../../../lambdas/core/stats/value-store';
import { asCsvStrings, columnsTable, memoryTable } from '../../../helpers/memory-table';
import { expectClose, loadCase } from './reference';

const BINNED = ['psi', 'klDivergence', 'jsDistance', 'chiSquareStatistic', 'chiSquarePValue', 'linf'] as const;
const NUMERIC_FIELDS = ['psi', 'klDivergence', 'jsDistance', 'ksStatistic', 'ksPValue', 'wasserstein', 'wassersteinNormed', 'linf', 'linfRobust'] as const;

function expectNoNaN(f: FeatureDrift): void {
  for (const [k, v] of Object.entries(f)) if (typeof v === 'number') expect(Number.isNaN(v), `${f.name}.${k}`).toBe(false);
}

/** Two-feature dataset from the reference files: numeric x (01 or 02) and categorical tier (05). */
function mixedTables(numericFile: string) {
  const num = loadCase(numericFile);
  const cat = loadCase('05_categorical_drift.json');
  const ref = num.inputs.reference as number[];
  const cur = num.inputs.current as number[];
  const n = Math.min(ref.length, cat.inputs.reference.length);
  const m = Math.min(cur.length, cat.inputs.current.length);
  const label = (i: number) => (i % 3 === 0 ? 'yes' : 'no');
  return {
    reference: columnsTable({
      x: asCsvStrings(ref.slice(0, n)),
      tier: cat.inputs.reference.slice(0, n),
      y: Array.from({ length: n }, (_, i) => label(i)),
    }),
    current: columnsTable({
      tier: cat.inputs.current.slice(0, m),
      x: asCsvStrings(cur.slice(0, m)),
      y: Array.from({ length: m }, (_, i) => label(i + 1)),
    }),
  };
}

describe('Function: computeDrift against a profile', () => {
  it('gives the same statistics against a profile as against the raw reference', async () => {
    // Prepare
    const raw = mixedTables('02_numeric_mean_and_scale_shift.json');
    const profile = await buildProfile(raw.reference, { label: 'y' });
    const viaJson = parseProfile(JSON.parse(JSON.stringify(profile)), 'baseline.json');
    const again = mixedTables('02_numeric_mean_and_scale_shift.json');

    // Act
    const fromRaw = await computeDrift({ reference: raw.reference, current: raw.current, label: 'y' });
    const fromProfile = await computeDrift({ reference: viaJson, current: again.current });

    // Assess: the profile's sketch is exact (n <= sketchItems), so every statistic is identical
    expect(fromProfile.features.map((f) => f.name)).toEqual(['x', 'tier']);
    expect(fromProfile).toEqual(fromRaw);
  });

  it('keeps binned statistics exact when the sketch is compacted, and flags the rest approximate', async () => {
    // Prepare
    const raw = mixedTables('01_numeric_no_drift.json');
    const profile = await buildProfile(raw.reference, { label: 'y', sketchItems: 200 });
    const again = mixedTables('01_numeric_no_drift.json');

    // Act
    const fromRaw = await computeDrift({ reference: raw.reference, current: raw.current, label: 'y' });
    const fromProfile = await computeDrift({ reference: profile, current: again.current });

    // Assess
    for (let i = 0; i < 2; i++) {
      const a = fromRaw.features[i]!;
      const b = fromProfile.features[i]!;
      const binned = a.type === 'numeric' ? (['psi', 'klDivergence', 'jsDistance'] as const) : BINNED;
      for (const k of binned) expect(b[k], `${a.name}.${k}`).toBe(a[k]);
    }
    const x = fromProfile.features[0]!;
    expect(x.approximate).toBe(true);
    expect(fromRaw.features[0]!.approximate).toBeUndefined();
    const sketch = profile.features[0]!;
    const bound = sketch.type === 'numeric' ? ValueStore.fromJSON(sketch.sketch).rankErrorBound() : 0;
    expect(bound).toBeGreaterThan(0);
    expect(Math.abs(x.ksStatistic! - fromRaw.features[0]!.ksStatistic!)).toBeLessThanOrEqual(bound + 1e-12);
  });

  it('reads the current data with the profile types: a non-number in a numeric column names file, line, column, value', async () => {
    // Prepare
    const profile = await buildProfile(columnsTable({ x: ['1', '2', '3'], c: ['a', 'b', 'c'] }));
    const current = columnsTable({ x: ['1', 'oops', '3'], c: ['1', '2', '3'] }, { source: 'cur.csv' });

    // Act
    const run = computeDrift({ reference: profile, current });

    // Assess
    await expect(run).rejects.toThrow(ValueTypeError);
    await expect(computeDrift({ reference: profile, current: columnsTable({ x: ['1', 'oops'], c: ['a', 'b'] }, { source: 'cur.csv' }) })).rejects.toThrow(
      'cur.csv:3, column "x": non-numeric value "oops" in numeric column',
    );
  });
});

describe('Function: computeDrift edge cases', () => {
  it('names an empty reference sample (a profile built keeping no values) as bad input, for short decimals too', async () => {
    // Prepare: a profile whose sketch holds nothing although the feature has values
    const built = await buildProfile(columnsTable({ a: ['1.5', '2.5', '3'] }), { types: { a: 'numeric' }, now: new Date(0), budget: 0 });
    const reference = parseProfile(JSON.parse(JSON.stringify(built)));
    // Act / Assess: the current values (short decimals, held by a histogram) are compared with nothing
    await expect(computeDrift({ reference, current: columnsTable({ a: ['1.5', '2', '4'] }) })).rejects.toThrow(InputError);
    await expect(computeDrift({ reference, current: columnsTable({ a: ['1.5', '2', '4'] }) })).rejects.toThrow(/sample is empty/);
  });

  it('handles a constant column: no NaN, zero PSI against itself, drift when values move below', async () => {
    // Prepare
    const reference = () => columnsTable({ k: Array(50).fill('5') });

    // Act
    const same = await computeDrift({ reference: reference(), current: columnsTable({ k: Array(20).fill('5') }) });
    const below = await computeDrift({ reference: reference(), current: columnsTable({ k: Array(20).fill('4') }) });

    // Assess
    const s = same.features[0]!;
    expectNoNaN(s);
    expect(s.psi).toBe(0);
    expect(s.ksStatistic).toBe(0);
    expect(s.drifted).toBe(false);
    const b = below.features[0]!;
    expectNoNaN(b);
    expect(b.ksStatistic).toBe(1);
    expect(b.wasserstein).toBe(1);
    expect(b.wassersteinNormed).toBe(1 / 0.001); // std 0 is floored at 0.001
    expect(b.drifted).toBe(true);
  });

  it('reports an all-missing column with a note, not drifted, without NaN', async () => {
    // Prepare
    const reference = columnsTable({ a: ['1', '2', '3', '4'], empty: [null, null, '', null] });
    const current = columnsTable({ a: ['1', '2', '3', '4'], empty: ['x', null, 'y', 'z'] });

    // Act
    const result = await computeDrift({ reference, current, driftedFeatures: 1 });

    // Assess
    const f = result.features.find((x) => x.name === 'empty')!;
    expect(f.note).toBe('no values in the reference');
    expect(f.score).toBeNull();
    expect(f.drifted).toBe(false);
    expect(f.missingReference).toBe(4);
    expect(f.psi).toBeUndefined();
    expectNoNaN(f);
    expect(result.drifted).toBe(false);
    expect(formatDriftReport(result)).toContain('no values in the reference');
  });

  it('notes a numeric column that is empty in the current data', async () => {
    // Prepare / Act
    const result = await computeDrift({ reference: columnsTable({ a: ['1', '2'] }), current: columnsTable({ a: [null, null] }) });

    // Assess
    expect(result.features[0]!.note).toBe('no values in the current data');
    expect(result.features[0]!.missingCurrent).toBe(2);
    expect(result.features[0]!.drifted).toBe(false);
  });

  it('counts a category unseen in the reference with the eps floor (hand-computed PSI)', async () => {
    // Prepare: ref a:2 b:2, cur a:1 b:1 c:2
    const reference = columnsTable({ c: ['a', 'b', 'a', 'b'] });
    const current = columnsTable({ c: ['a', 'c', 'b', 'c'] });
    const expected = 2 * (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);

    // Act
    const result = await computeDrift({ reference, current });

    // Assess
    const f = result.features[0]!;
    expectClose(f.psi, expected, 1e-12, 1e-12);
    expect(f.linf).toBe(0.5);
    expect(f.drifted).toBe(true);
    expectNoNaN(f);
  });

  it('puts current values outside the reference range into the outer bins', async () => {
    // Prepare: reference 1..11 gives cut points 2..10, reference counts [1 x 9, 2]
    const reference = columnsTable({ v: Array.from({ length: 11 }, (_, i) => String(i + 1)) });
    const current = columnsTable({ v: ['100', '200', '-50', '0'] });
    const p = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2].map((c) => c / 11);
    const q = [0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5].map((x) => Math.max(x, 1e-4));
    const expectedPsi = p.reduce((s, pi, i) => s + (q[i]! - pi) * Math.log(q[i]! / pi), 0);

    // Act
    const result = await computeDrift({ reference, current, method: 'ks' });

    // Assess
    const f = result.features[0]!;
    expectClose(f.psi, expectedPsi, 1e-12, 1e-12);
    expect(f.ksStatistic).toBe(0.5); // ECDF_ref reaches 1 at 11 while ECDF_cur stays 0.5 until 100
    expect(f.method).toBe('ks');
    expect(f.score).toBe(f.ksPValue);
    expectNoNaN(f);
  });

  it('handles one value on each side', async () => {
    // Prepare / Act
    const result = await computeDrift({ reference: columnsTable({ v: ['1'] }), current: columnsTable({ v: ['2'] }) });

    // Assess
    const f = result.features[0]!;
    expectNoNaN(f);
    expect(f.ksStatistic).toBe(1);
    expect(f.wasserstein).toBe(1);
    expect(f.nReference).toBe(1);
    expect(f.linfRobust).toBe(0);
  });

  it('rejects a reference column absent from the current data, naming it', async () => {
    // Prepare
    const reference = columnsTable({ a: ['1'], b: ['2'] });
    const current = columnsTable({ a: ['1'] }, { source: 'cur.csv' });

    // Act / Assess
    await expect(computeDrift({ reference, current })).rejects.toThrow(InputError);
    await expect(computeDrift({ reference: columnsTable({ a: ['1'], b: ['2'] }), current: columnsTable({ a: ['1'] }, { source: 'cur.csv' }) })).rejects.toThrow(
      /cur\.csv, column "b"/,
    );
  });

  it('rejects requested columns that are not in a profile, ignores extra current columns', async () => {
    // Prepare
    const profile = await buildProfile(columnsTable({ a: ['1', '2'] }));

    // Act / Assess
    await expect(computeDrift({ reference: profile, current: columnsTable({ a: ['1'] }), columns: ['zzz'] })).rejects.toThrow(/column "zzz"/);
    const ok = await computeDrift({ reference: profile, current: columnsTable({ extra: ['q', 'r'], a: ['1', '2'] }) });
    expect(ok.features.map((f) => f.name)).toEqual(['a']);
  });

  it('leaves the label out and rejects NaN in the current numeric data', async () => {
    // Prepare
    const reference = columnsTable({ a: ['1', '2', '3'], y: ['0', '1', '0'] });

    // Act
    const result = await computeDrift({ reference, current: columnsTable({ a: ['1', '2'], y: ['1', '1'] }), label: 'y' });

    // Assess
    expect(result.features.map((f) => f.name)).toEqual(['a']);
    await expect(
      computeDrift({ reference: columnsTable({ a: ['1', '2'] }), current: columnsTable({ a: ['1', 'NaN'] }, { source: 'c.csv' }) }),
    ).rejects.toThrow('c.csv:3, column "a": non-finite value "NaN" in numeric column');
  });
});

describe('Function: computeDrift methods and thresholds', () => {
  it('applies overrides, fallbacks and driftedFeatures', async () => {
    // Prepare: x shifts strongly, tier does not change
    const reference = () =>
      columnsTable({ x: Array.from({ length: 200 }, (_, i) => String(i)), tier: Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a' : 'b')) });
    const current = () =>
      columnsTable({ x: Array.from({ length: 200 }, (_, i) => String(i + 150)), tier: Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a' : 'b')) });

    // Act
    const ks = await computeDrift({ reference: reference(), current: current(), method: 'ks', threshold: 0.01 });
    const override = await computeDrift({
      reference: reference(),
      current: current(),
      featureOverrides: [{ name: 'x', method: 'wasserstein', threshold: 1e9 }],
    });
    const two = await computeDrift({ reference: reference(), current: current(), driftedFeatures: 2 });

    // Assess
    const [kx, kt] = ks.features;
    expect(kx!.method).toBe('ks');
    expect(kx!.threshold).toBe(0.01);
    expect(kx!.drifted).toBe(true);
    expect(kt!.method).toBe('chiSquare'); // KS does not apply to a categorical feature: its p-value counterpart
    expect(kt!.threshold).toBe(0.01);
    expect(kt!.drifted).toBe(false);
    expect(override.features[0]!.method).toBe('wasserstein');
    expect(override.features[0]!.drifted).toBe(false);
    expect(override.features[1]!.method).toBe('psi');
    expect(two.driftedCount).toBe(1);
    expect(two.drifted).toBe(false);
    await expect(
      computeDrift({ reference: reference(), current: current(), featureOverrides: [{ name: 'tier', method: 'ks' }] }),
    ).rejects.toThrow(/does not apply to a categorical feature/);
  });

  it('drifts on a distance strictly above the threshold', async () => {
    // Prepare: a threshold equal to the score is not drift
    const make = () => ({ reference: columnsTable({ c: ['a', 'b', 'a', 'b'] }), current: columnsTable({ c: ['a', 'a', 'a', 'b'] }) });
    const first = await computeDrift({ ...make(), method: 'linf' });
    const score = first.features[0]!.score!;

    // Act
    const at = await computeDrift({ ...make(), method: 'linf', threshold: score });
    const below = await computeDrift({ ...make(), method: 'linf', threshold: score - 1e-9 });

    // Assess
    expect(score).toBeCloseTo(0.25, 12);
    expect(at.features[0]!.drifted).toBe(false);
    expect(below.features[0]!.drifted).toBe(true);
  });
});

describe('Function: computeDrift properties', () => {
  const cellsArb = fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String)), {
    minLength: 1,
    maxLength: 80,
  });

  it('finds no drift in a dataset against itself', async () => {
    await fc.assert(
      fc.asyncProperty(cellsArb, fc.array(fc.constantFrom('a', 'b', 'c', null), { minLength: 1, maxLength: 80 }), async (nums, cats) => {
        const data = { n: nums, c: cats };
        const result = await computeDrift({ reference: columnsTable(data), current: columnsTable(data), method: 'ks' });
        for (const f of result.features) {
          if (f.note) continue;
          expect(f.psi).toBe(0);
          expect(f.jsDistance).toBe(0);
          expect(f.drifted).toBe(false);
          if (f.type === 'numeric') expect(f.ksStatistic).toBe(0);
        }
        expect(result.drifted).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on row order', async () => {
    await fc.assert(
      fc.asyncProperty(cellsArb, cellsArb, fc.integer(), async (ref, cur, seed) => {
        const shuffled = [...cur];
        let s = seed >>> 0 || 1;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = await computeDrift({ reference: columnsTable({ v: ref }), current: columnsTable({ v: cur }) });
        const b = await computeDrift({ reference: columnsTable({ v: ref }), current: columnsTable({ v: shuffled }) });
        for (const k of NUMERIC_FIELDS) expect(b.features[0]![k]).toBe(a.features[0]![k]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('Function: formatDriftReport', () => {
  it('prints one aligned row per feature and the verdict', async () => {
    // Prepare
    const result = await computeDrift({
      reference: memoryTable(['a', 'long_feature_name'], [['1', 'x'], ['2', 'y'], ['3', 'x']]),
      current: memoryTable(['a', 'long_feature_name'], [['10', 'z'], ['20', 'z'], ['30', 'z']]),
    });

    // Act
    const text = formatDriftReport(result);

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^feature\s+type\s+method\s+score/);
    expect(lines[2]!.indexOf('numeric')).toBe(lines[3]!.indexOf('categorical'));
    expect(text).toContain('DRIFTED: 2 of 2 features drifted');
  });
});
