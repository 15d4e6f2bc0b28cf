/**
 * The defaults of the `validation` block, as plain numbers: the config schema applies
 * them, and the validate Lambda reads them without bundling the schema.
 */

/** Data quality limits (fractions of rows unless named otherwise) when the config leaves them out. */
export const VALIDATION_DEFAULTS = {
  missingWarning: 0.05,
  missingCritical: 0.1,
  duplicateWarning: 0.01,
  duplicateCritical: 0.05,
  outOfRangeWarning: 0.01,
  outOfRangeCritical: 0.05,
  unseenCategoryWarning: 0.01,
  unseenCategoryCritical: 0.05,
  /** Rows. */
  minRows: 100,
  /** Hours. */
  freshnessHours: 24,
  labelShiftWarning: 0.1,
  labelShiftCritical: 0.25,
} as const;
