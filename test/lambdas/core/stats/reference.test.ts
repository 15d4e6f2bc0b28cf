/**
 * Reproduces every drift value of shared/testdata/reference-metrics 01, 02 (numeric)
 * and 05 (categorical), following each file's `recipe`.
 */
import { describe, expect, it } from 'vitest';
import {
  binCounts,
  categoryCounts,
  chiSquareIndependence,
  exactSample,
  jsDistance,
  klDivergence,
  kolmogorovPValue,
  ksStatistic,
  linfCategorical,
  linfRobust,
  momentsOf,
  proportions,
  psi,
  quantileCutPoints,
  smoothProportions,
  stdPopulation,
  ValueStore,
  wasserstein1,
  wassersteinNormed,
} from '../../../../lambdas/core/stats';
import { expectAllClose, expectClose, expectRel, loadReference } from './helpers';

describe.each(['01_numeric_no_drift.json', '02_numeric_mean_and_scale_shift.json'])('Reference: %s', (file) => {
  const ref = loadReference(file);
  const reference: number[] = ref.inputs.reference;
  const current: number[] = ref.inputs.current;
  const e = ref.expected;
  const refSample = exactSample(reference);
  const curSample = exactSample(current);
  const cuts = quantileCutPoints(refSample.values);
  const refCounts = binCounts(cuts, reference);
  const curCounts = binCounts(cuts, current);

  it('reproduces cut points and counts exactly', () => {
    expect(reference.length).toBe(e.n_reference);
    expect(current.length).toBe(e.n_current);
    expect(cuts).toEqual(e.bins.cut_points);
    expect(cuts.length + 1).toBe(e.bins.n_bins);
    expect(refCounts).toEqual(e.bins.reference_counts);
    expect(curCounts).toEqual(e.bins.current_counts);
  });

  it('reproduces raw and smoothed proportions', () => {
    expectAllClose(proportions(refCounts), e.bins.reference_proportions_raw);
    expectAllClose(proportions(curCounts), e.bins.current_proportions_raw);
    expectAllClose(smoothProportions(proportions(refCounts)), e.reference_proportions_smoothed);
    expectAllClose(smoothProportions(proportions(curCounts)), e.current_proportions_smoothed);
  });

  it('reproduces PSI, KL both ways and JS distance', () => {
    expectClose(psi(refCounts, curCounts), e.psi);
    expectClose(klDivergence(refCounts, curCounts), e.kl_ref_to_cur);
    expectClose(klDivergence(curCounts, refCounts), e.kl_cur_to_ref);
    expectClose(jsDistance(refCounts, curCounts), e.js_distance_base2);
    expectClose(jsDistance(refCounts, curCounts) ** 2, e.js_divergence_base2);
    expectClose(jsDistance(refCounts, curCounts, Math.E), e.js_distance_base_e);
  });

  it('reproduces KS, its Kolmogorov-limit p-value and the L-infinity forms', () => {
    const d = ksStatistic(refSample, curSample);
    expectClose(d, e.ks_statistic);
    expectRel(kolmogorovPValue(d, reference.length, current.length), e.ks_pvalue_kolmogorov_limit);
    expectClose(d, e.linf_simple);
    expectClose(linfRobust(d, reference.length, current.length), e.linf_robust);
  });

  it('reproduces Wasserstein-1, the reference std and the normed form', () => {
    const w = wasserstein1(refSample, curSample);
    expectClose(w, e.wasserstein_distance);
    const std = stdPopulation(momentsOf(reference));
    expectClose(std, e.reference_std_ddof0);
    expectClose(wassersteinNormed(w, std), e.wasserstein_normed_evidently);
  });

  it('gives the same values from exact ValueStores', () => {
    const a = new ValueStore();
    a.addAll(reference);
    const b = new ValueStore();
    b.addAll(current);
    expect(a.exact && b.exact).toBe(true);
    expect(quantileCutPoints(a.sample().values)).toEqual(e.bins.cut_points);
    expectClose(ksStatistic(a.sample(), b.sample()), e.ks_statistic);
    expectClose(wasserstein1(a.sample(), b.sample()), e.wasserstein_distance);
  });
});

describe('Reference: 05_categorical_drift.json', () => {
  const ref = loadReference('05_categorical_drift.json');
  const e = ref.expected;
  const { categories, refCounts, curCounts } = categoryCounts(ref.inputs.reference, ref.inputs.current);

  it('reproduces categories and counts exactly', () => {
    expect(categories).toEqual(e.categories);
    expect(refCounts).toEqual(e.reference_counts);
    expect(curCounts).toEqual(e.current_counts);
  });

  it('reproduces proportions, smoothing, PSI, KL and JS', () => {
    expectAllClose(proportions(refCounts), e.reference_proportions_raw);
    expectAllClose(proportions(curCounts), e.current_proportions_raw);
    expectAllClose(smoothProportions(proportions(refCounts)), e.reference_proportions_smoothed);
    expectAllClose(smoothProportions(proportions(curCounts)), e.current_proportions_smoothed);
    expectClose(psi(refCounts, curCounts), e.psi);
    expectClose(klDivergence(refCounts, curCounts), e.kl_ref_to_cur);
    expectClose(klDivergence(curCounts, refCounts), e.kl_cur_to_ref);
    expectClose(jsDistance(refCounts, curCounts), e.js_distance_base2);
    expectClose(jsDistance(refCounts, curCounts) ** 2, e.js_divergence_base2);
    expectClose(jsDistance(refCounts, curCounts, Math.E), e.js_distance_base_e);
  });

  it('reproduces the chi-square test of independence', () => {
    const r = chiSquareIndependence(refCounts, curCounts);
    expect(r.dof).toBe(e.chi2_contingency_dof);
    expectClose(r.statistic, e.chi2_contingency_statistic);
    expectRel(r.pValue, e.chi2_contingency_pvalue);
  });

  it('reproduces L-infinity and its robust form (same formula with n, m = the count totals)', () => {
    const d = linfCategorical(refCounts, curCounts);
    expectClose(d, e.linf_simple);
    expectClose(linfRobust(d, e.n_reference, e.n_current), e.linf_robust);
  });
});
