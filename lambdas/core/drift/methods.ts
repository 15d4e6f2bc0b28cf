/**
 * Drift methods: which statistic each one scores a feature with, its default threshold
 * and which way it alarms. Names, thresholds and directions come from `vocabulary/evaluation-names`.
 */
import type { ColumnType } from '../columns/column-types';
import { InputError } from '../../../vocabulary/errors';
import {
  DRIFT_DEFAULT_THRESHOLD,
  DRIFT_METHOD_SCORE,
  DRIFT_METHODS_BY_FEATURE_TYPE,
  type DriftMethod,
} from '../../../vocabulary/evaluation-names';

/** How a score is compared with its threshold. */
export const DRIFT_DIRECTIONS = {
  /** Drifted when the score (a distance) is greater than the threshold. */
  above: 'above',
  /** Drifted when the score (a p-value) is less than the threshold. */
  below: 'below',
} as const;
export type DriftDirection = (typeof DRIFT_DIRECTIONS)[keyof typeof DRIFT_DIRECTIONS];

/** Per method: the feature-result field that is its score, default threshold, direction. */
export const DRIFT_METHOD_TABLE = {
  psi: { field: 'psi', threshold: DRIFT_DEFAULT_THRESHOLD.psi, direction: 'above' },
  kl: { field: 'klDivergence', threshold: DRIFT_DEFAULT_THRESHOLD.kl, direction: 'above' },
  js: { field: 'jsDistance', threshold: DRIFT_DEFAULT_THRESHOLD.js, direction: 'above' },
  ks: { field: 'ksPValue', threshold: DRIFT_DEFAULT_THRESHOLD.ks, direction: 'below' },
  wasserstein: { field: 'wassersteinNormed', threshold: DRIFT_DEFAULT_THRESHOLD.wasserstein, direction: 'above' },
  linf: { field: 'linf', threshold: DRIFT_DEFAULT_THRESHOLD.linf, direction: 'above' },
  linfRobust: { field: 'linfRobust', threshold: DRIFT_DEFAULT_THRESHOLD.linfRobust, direction: 'above' },
  chiSquare: { field: 'chiSquarePValue', threshold: DRIFT_DEFAULT_THRESHOLD.chiSquare, direction: 'below' },
} as const satisfies Record<DriftMethod, { field: string; threshold: number; direction: DriftDirection }>;

/** The method used when none is given. */
export const DEFAULT_DRIFT_METHOD: DriftMethod = 'psi';

/**
 * What a dataset-wide method becomes for a feature type it does not apply to: the KS
 * test and the chi-square test stand in for each other (both p-values, so the threshold
 * carries over); Wasserstein on a categorical feature becomes PSI, robust L-infinity
 * becomes L-infinity, each with its own default threshold.
 */
export const DRIFT_METHOD_FALLBACK = {
  numeric: { chiSquare: 'ks' },
  categorical: { ks: 'chiSquare', wasserstein: 'psi', linfRobust: 'linf' },
} as const satisfies Record<ColumnType, Partial<Record<DriftMethod, DriftMethod>>>;

/** True when `method` applies to features of `type`. */
export function methodApplies(method: DriftMethod, type: ColumnType): boolean {
  return (DRIFT_METHODS_BY_FEATURE_TYPE[type] as readonly DriftMethod[]).includes(method);
}

/**
 * The method and threshold for one feature.
 *
 * @param override a per-feature choice: must apply to the feature's type
 * @param method the dataset-wide method, replaced by its fallback when it does not apply
 * @param threshold the dataset-wide threshold (default: the method's own)
 */
export function resolveMethod(
  feature: string,
  type: ColumnType,
  method: DriftMethod,
  threshold: number | undefined,
  override?: { readonly method: DriftMethod; readonly threshold?: number },
): { method: DriftMethod; threshold: number } {
  if (override) {
    if (!methodApplies(override.method, type)) {
      throw new InputError(`drift method "${override.method}" does not apply to a ${type} feature`, { column: feature });
    }
    return { method: override.method, threshold: override.threshold ?? DRIFT_METHOD_TABLE[override.method].threshold };
  }
  if (methodApplies(method, type)) return { method, threshold: threshold ?? DRIFT_METHOD_TABLE[method].threshold };
  const fallback = (DRIFT_METHOD_FALLBACK[type] as Partial<Record<DriftMethod, DriftMethod>>)[method];
  if (fallback === undefined) throw new InputError(`drift method "${method}" does not apply to a ${type} feature`, { column: feature });
  const keep = DRIFT_METHOD_SCORE[fallback] === 'pValue' && DRIFT_METHOD_SCORE[method] === 'pValue';
  return { method: fallback, threshold: keep && threshold !== undefined ? threshold : DRIFT_METHOD_TABLE[fallback].threshold };
}

/** True when `score` crosses `threshold` in the method's direction. */
export function isDrifted(method: DriftMethod, score: number, threshold: number): boolean {
  return DRIFT_METHOD_TABLE[method].direction === 'below' ? score < threshold : score > threshold;
}
