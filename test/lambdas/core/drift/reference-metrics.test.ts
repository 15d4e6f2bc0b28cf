import { describe, expect, it } from 'vitest';
import { computeDrift } from '../../../../lambdas/core/drift';
import { buildProfile } from '../../../../lambdas/core/profile';
import { asCsvStrings, columnsTable } from '../../../helpers/memory-table';
import { expectClose, expectPValue, loadCase } from './reference';

describe('Function: computeDrift (reference-metrics files)', () => {
  for (const [file, asStrings] of [
    ['01_numeric_no_drift.json', true],
    ['01_numeric_no_drift.json', false],
    ['02_numeric_mean_and_scale_shift.json', true],
  ] as const) {
    it(`reproduces ${file} (${asStrings ? 'CSV strings' : 'JSON numbers'})`, async () => {
      // Prepare
      const c = loadCase(file);
      const ref = c.inputs.reference as number[];
      const cur = c.inputs.current as number[];
      const e = c.expected as Record<string, number> & typeof c.expected;
      const reference = columnsTable({ x: asStrings ? asCsvStrings(ref) : ref }, { source: 'ref.csv' });
      const current = columnsTable({ x: asStrings ? asCsvStrings(cur) : cur }, { source: 'cur.csv', batchSize: 97 });

      // Act
      const result = await computeDrift({ reference, current });

      // Assess
      const f = result.features[0]!;
      expect(f.type).toBe('numeric');
      expect(f.nReference).toBe(e.n_reference);
      expect(f.nCurrent).toBe(e.n_current);
      expectClose(f.psi, e.psi);
      expectClose(f.klDivergence, e.kl_ref_to_cur);
      expectClose(f.jsDistance, e.js_distance_base2);
      expectClose(f.ksStatistic, e.ks_statistic);
      expectPValue(f.ksPValue, e.ks_pvalue_auto);
      expectPValue(f.ksPValueAsymptotic, e.ks_pvalue_kolmogorov_limit);
      expectClose(f.wasserstein, e.wasserstein_distance);
      expectClose(f.wassersteinNormed, e.wasserstein_normed_evidently);
      expectClose(f.linf, e.linf_simple);
      expectClose(f.linfRobust, e.linf_robust);
      expect(f.approximate).toBeUndefined();
      expect(f.method).toBe('psi');
      expect(f.threshold).toBe(0.2);
      expect(f.drifted).toBe(e.psi > 0.2);
      expect(result.drifted).toBe(e.psi > 0.2);
      expect(f.chiSquarePValue).toBeUndefined();
    });
  }

  it('bins 01 exactly as the recipe (cut points and counts), through the profile', async () => {
    // Prepare
    const c = loadCase('01_numeric_no_drift.json');
    const bins = c.expected.bins!;

    // Act
    const profile = await buildProfile(columnsTable({ x: asCsvStrings(c.inputs.reference as number[]) }));

    // Assess
    const f = profile.features[0]!;
    expect(f.type).toBe('numeric');
    if (f.type !== 'numeric') return;
    expect(f.cutPoints).toEqual(bins.cut_points);
    expect(f.binCounts).toEqual(bins.reference_counts);
    expectClose(f.std, c.expected.reference_std_ddof0 as number);
  });

  it('reproduces 05_categorical_drift.json', async () => {
    // Prepare
    const c = loadCase('05_categorical_drift.json');
    const e = c.expected as Record<string, number>;
    const reference = columnsTable({ tier: c.inputs.reference });
    const current = columnsTable({ tier: c.inputs.current });

    // Act
    const result = await computeDrift({ reference, current, method: 'chiSquare' });

    // Assess
    const f = result.features[0]!;
    expect(f.type).toBe('categorical');
    expectClose(f.psi, e.psi);
    expectClose(f.klDivergence, e.kl_ref_to_cur);
    expectClose(f.jsDistance, e.js_distance_base2);
    expectClose(f.chiSquareStatistic, e.chi2_contingency_statistic);
    expectPValue(f.chiSquarePValue, e.chi2_contingency_pvalue);
    expectClose(f.linf, e.linf_simple);
    expectClose(f.linfRobust, e.linf_robust);
    expect(f.ksStatistic).toBeUndefined();
    expect(f.wasserstein).toBeUndefined();
    expect(f.method).toBe('chiSquare');
    expect(f.score).toBe(f.chiSquarePValue);
    expect(f.drifted).toBe(true);
  });
});
