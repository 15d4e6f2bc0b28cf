/**
 * The drift verdict of every feature, once all features are scored: the multiple-testing
 * correction over the features scored by a p-value method, the effect-size floor, and
 * the published score.
 *
 * - The m features whose method gives a p-value (ks, chiSquare) and that have one get
 *   `pValueAdjusted` (see stats/multiple-testing.ts); they drift when it is below their
 *   threshold and, with `minEffect`, when their effect (`ksStatistic` for numeric
 *   features, `cramersV` for categorical ones) also reaches it.
 * - `score` is the value the verdict used, so that the per-feature `Drift` metric and
 *   its alarm (p-value below the threshold) agree with `drifted`: the adjusted p-value;
 *   when the effect is below the floor, max(adjusted p-value, threshold) — at or above
 *   the threshold, so the alarm does not fire for a feature the verdict did not count.
 * - Distance methods are untouched: drifted when the score crosses the threshold.
 */
import { DRIFT_METHOD_SCORE, type DriftCorrection } from '../../../vocabulary/evaluation-names';
import { adjustPValues } from '../stats/multiple-testing';
import type { FeatureDrift } from './feature-drift';
import { isDrifted } from './methods';

/** What decides the verdicts. */
export interface VerdictOptions {
  /** @default 'none' */
  readonly correction?: DriftCorrection;
  /** Least effect (KS distance, Cramér's V) for a p-value method to drift. @default none */
  readonly minEffect?: number;
}

/** A feature before its verdict: `score` is the method's raw statistic. */
export type ScoredFeature = Omit<FeatureDrift, 'drifted' | 'pValueAdjusted'>;

/** The effect size a p-value method's verdict is floored on. */
export function effectOf(f: ScoredFeature): number | undefined {
  return f.type === 'numeric' ? f.ksStatistic : f.cramersV;
}

/** Decides every feature's verdict (see the module header). Order is kept. */
export function decideDrift(features: readonly ScoredFeature[], options: VerdictOptions = {}): FeatureDrift[] {
  const tested = features.flatMap((f, i) => (DRIFT_METHOD_SCORE[f.method] === 'pValue' && f.score !== null ? [i] : []));
  const adjusted = adjustPValues(
    tested.map((i) => features[i]!.score!),
    options.correction ?? 'none',
  );
  const adjustedOf = new Map(tested.map((i, k) => [i, adjusted[k]!]));
  return features.map((f, i): FeatureDrift => {
    const pAdjusted = adjustedOf.get(i);
    if (pAdjusted === undefined) return { ...f, drifted: f.score !== null && isDrifted(f.method, f.score, f.threshold) };
    const effect = effectOf(f);
    const effectReached = options.minEffect === undefined || (effect !== undefined && effect >= options.minEffect);
    return {
      ...f,
      ...(effectReached ? {} : { note: `effect ${effect === undefined ? 'unknown' : effect.toPrecision(4)} below minEffect ${options.minEffect}` }),
      pValueAdjusted: pAdjusted,
      score: effectReached ? pAdjusted : Math.max(pAdjusted, f.threshold),
      drifted: effectReached && pAdjusted < f.threshold,
    };
  });
}
