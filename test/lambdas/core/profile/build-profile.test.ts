import { describe, expect, it } from 'vitest';
import { InputError, ParseError } from '../../../../vocabulary/errors';
import {
  ProfileSchema,
  accumulateProfile,
  buildProfile,
  finishProfile,
  mergeProfileAccumulators,
  parseProfile,
  type Profile,
} from '../../../../lambdas/core/profile';
import { memoryTable } from '../../../helpers/memory-table';
import { loadCase } from '../drift/reference';

const NOW = new Date('2026-01-02T03:04:05.000Z');

/** A dataset of 1001 rows: x from the 02 reference file, a category, a 0/1 label, an integer column with gaps. */
function dataset(): { columns: string[]; rows: (string | null)[][] } {
  const ref = loadCase('02_numeric_mean_and_scale_shift.json').inputs.reference as number[];
  const cats = loadCase('05_categorical_drift.json').inputs.reference as string[];
  const rows = ref.map((x, i) => [String(x), cats[i % cats.length]!, i % 7 === 0 ? null : String(i % 13), String(i % 4 === 0 ? 1 : 0)]);
  return { columns: ['x', 'tier', 'k', 'y'], rows };
}

describe('Function: buildProfile', () => {
  it('profiles numeric and categorical features and a categorical label', async () => {
    // Prepare
    const { columns, rows } = dataset();

    // Act
    const profile = await buildProfile(memoryTable(columns, rows, { source: 'train.csv' }), { label: 'y', labelType: 'categorical', now: NOW });

    // Assess
    expect(ProfileSchema.safeParse(profile).success).toBe(true);
    expect(profile).toMatchObject({ version: 1, createdAt: NOW.toISOString(), source: 'train.csv', rowCount: 1001 });
    expect(profile.features.map((f) => [f.name, f.type])).toEqual([
      ['x', 'numeric'],
      ['tier', 'categorical'],
      ['k', 'numeric'],
    ]);
    const k = profile.features[2]!;
    expect(k.missing).toBe(Math.floor(1000 / 7) + 1);
    expect(k.count + k.missing).toBe(1001);
    if (k.type === 'numeric') {
      expect([k.min, k.max]).toEqual([0, 12]);
      expect(k.binCounts.reduce((a, b) => a + b, 0)).toBe(k.count);
      expect(new Set(k.cutPoints).size).toBe(k.cutPoints.length); // de-duplicated
    }
    const tier = profile.features[1]!;
    if (tier.type === 'categorical') expect(Object.values(tier.categoryCounts).reduce((a, b) => a + b, 0)).toBe(1001);
    expect(profile.label).toEqual({ name: 'y', type: 'categorical', count: 1001, missing: 0, counts: { '0': 750, '1': 251 } });
  });

  it('profiles a numeric label with moments and bins', async () => {
    // Prepare
    const rows = [1, 2, 3, 4].map((v) => [String(v), String(v * 10)]);

    // Act
    const profile = await buildProfile(memoryTable(['a', 'target'], rows), { label: 'target', bins: 2 });

    // Assess
    expect(profile.label).toMatchObject({ name: 'target', type: 'numeric', count: 4, moments: { count: 4, mean: 25, m2: 500, min: 10, max: 40 } });
    expect(profile.label?.type === 'numeric' && profile.label.bins).toEqual({ cutPoints: [25], binCounts: [2, 2] });
  });

  it('marks bins approximate beyond the value budget and keeps the sketch within sketchItems', async () => {
    // Prepare
    const rows = Array.from({ length: 3000 }, (_, i) => [String((i * 7919) % 3000)]);

    // Act
    const profile = await buildProfile(memoryTable(['v'], rows), { budget: 256, sketchItems: 128 });

    // Assess
    const f = profile.features[0]!;
    expect(f.type).toBe('numeric');
    if (f.type !== 'numeric') return;
    expect(f.approximate).toBe(true);
    expect(f.binCounts.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(f.sketch.levels.reduce((a, l) => a + l.length, 0)).toBeLessThanOrEqual(128);
    expect([f.min, f.max]).toEqual([0, 2999]);
  });

  it('rejects an absent label column', async () => {
    await expect(buildProfile(memoryTable(['a'], [['1']], { source: 't.csv' }), { label: 'y' })).rejects.toThrow('t.csv, column "y"');
  });
});

describe('Function: mergeProfileAccumulators', () => {
  it('merges the accumulators of two halves into the accumulator of the whole', async () => {
    // Prepare
    const { columns, rows } = dataset();
    const half = 437;
    const options = { label: 'y', now: NOW };

    // Act
    const whole = finishProfile(await accumulateProfile(memoryTable(columns, rows), options), options);
    const a = await accumulateProfile(memoryTable(columns, rows.slice(0, half)), options);
    const b = await accumulateProfile(memoryTable(columns, rows.slice(half)), options);
    const merged = finishProfile(mergeProfileAccumulators(a, b), options);

    // Assess: everything equal, moments to 1e-12
    const strip = (p: Profile) => ({
      ...p,
      features: p.features.map((f) => (f.type === 'numeric' ? { ...f, mean: 0, std: 0 } : f)),
      label: p.label?.type === 'numeric' ? { ...p.label, moments: { ...p.label.moments, mean: 0, m2: 0 } } : p.label,
    });
    expect(strip(merged)).toEqual(strip(whole));
    merged.features.forEach((f, i) => {
      const w = whole.features[i]!;
      if (f.type === 'numeric' && w.type === 'numeric') {
        expect(Math.abs(f.mean! - w.mean!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w.mean!)));
        expect(Math.abs(f.std! - w.std!)).toBeLessThanOrEqual(1e-12 * Math.max(1, w.std!));
      }
    });
  });
});

describe('Function: parseProfile', () => {
  it('round-trips a profile through JSON text', async () => {
    // Prepare
    const profile = await buildProfile(memoryTable(['a', 'b'], [['1', 'x'], ['2', 'y']]), { now: NOW });

    // Act / Assess
    expect(parseProfile(JSON.stringify(profile), 'p.json')).toEqual(profile);
  });

  it('rejects an unsupported version, a bad shape, bad JSON and a bad sketch', async () => {
    // Prepare
    const profile = await buildProfile(memoryTable(['a'], [['1'], ['2']]), { now: NOW });
    const json = JSON.parse(JSON.stringify(profile)) as Record<string, unknown>;

    // Act / Assess
    expect(() => parseProfile({ ...json, version: 2 }, 'p.json')).toThrow('p.json: unsupported profile version 2 (expected 1)');
    expect(() => parseProfile({ ...json, rowCount: -1 }, 'p.json')).toThrow(InputError);
    expect(() => parseProfile('{not json', 'p.json')).toThrow(ParseError);
    const broken = JSON.parse(JSON.stringify(profile)) as { features: { sketch: { count: number } }[] };
    broken.features[0]!.sketch.count = 99;
    expect(() => parseProfile(broken, 'p.json')).toThrow(/p\.json, column "a": invalid sketch/);
    const unequal = JSON.parse(JSON.stringify(profile)) as { features: { binCounts: number[] }[] };
    unequal.features[0]!.binCounts.push(1);
    expect(() => parseProfile(unequal, 'p.json')).toThrow(/bin counts/);
  });
});
