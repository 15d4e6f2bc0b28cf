/**
 * Data validation checks: names, statuses, thresholds and the rule that turns a value
 * into a status.
 */
import type { ValidationConfig } from '../../../vocabulary/config/schema';
import { VALIDATION_DEFAULTS } from '../../../vocabulary/config/validation-defaults';

/** The checks `validateData` runs. */
export const CHECKS = {
  /** Expected columns (baseline features or `expectedColumns`) present. */
  schema: 'schema',
  /** Values of a numeric baseline column that are not numbers. */
  type: 'type',
  /** Share of missing cells per column. */
  missing: 'missing',
  /** Share of rows that exactly repeat an earlier row. */
  duplicates: 'duplicates',
  /** Share of a numeric column's values outside the baseline [min, max]. */
  outOfRange: 'outOfRange',
  /** Share of a categorical column's values not seen in the baseline. */
  unseenCategory: 'unseenCategory',
  /** Number of rows against `minRows`. */
  minRows: 'minRows',
  /** Age in hours of the newest timestamp against `freshnessHours`. */
  freshness: 'freshness',
  /** PSI of the label distribution against the baseline's. */
  labelShift: 'labelShift',
} as const;
export type CheckName = (typeof CHECKS)[keyof typeof CHECKS];

/** Status of one check and of the whole validation, from best to worst. */
export const CHECK_STATUSES = { healthy: 'healthy', warning: 'warning', critical: 'critical' } as const;
export type CheckStatus = (typeof CHECK_STATUSES)[keyof typeof CHECK_STATUSES];

/** The config's `validation` thresholds (every field set). */
export type ValidationThresholds = ValidationConfig;

/** The config's defaults for every threshold. */
export const DEFAULT_VALIDATION_THRESHOLDS: ValidationThresholds = { ...VALIDATION_DEFAULTS };

/** Fills in the defaults of missing thresholds. */
export function resolveThresholds(partial?: Partial<ValidationThresholds>): ValidationThresholds {
  const out = { ...DEFAULT_VALIDATION_THRESHOLDS };
  for (const [k, v] of Object.entries(partial ?? {})) if (v !== undefined) (out as Record<string, number>)[k] = v as number;
  return out;
}

/**
 * Status of a "higher is worse" value: critical when value >= critical, otherwise
 * warning when value >= warning, otherwise healthy. The boundary belongs to the worse
 * status (a share exactly at the critical level is critical). A value of 0 is always
 * healthy, so a threshold of 0 means "any at all".
 */
export function statusOf(value: number, warning: number, critical: number): CheckStatus {
  if (!(value > 0)) return 'healthy';
  if (value >= critical) return 'critical';
  if (value >= warning) return 'warning';
  return 'healthy';
}

const RANK: Record<CheckStatus, number> = { healthy: 0, warning: 1, critical: 2 };

/** The worse of statuses (healthy when none). */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'healthy';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}
