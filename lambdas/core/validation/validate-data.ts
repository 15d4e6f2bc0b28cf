/**
 * Data validation: one pass over a table, then a list of checks each with a value, its
 * thresholds and a status (see `statusOf` for the boundary rule: a value exactly at the
 * critical level is critical).
 *
 * Without a baseline only the checks that need no reference run: missing share per
 * column, duplicate rows, minimum rows, freshness (plus schema when `expectedColumns` is
 * given). With a baseline profile: schema against its features, type (non-numbers in a
 * numeric column), out-of-range share against its min/max, unseen-category share
 * against its categories, and label shift (PSI of the label distribution).
 */
import type { ColumnSummary } from '../columns/column-summary';
import { alignCategories } from '../drift/feature-drift';
import type { Table } from '../readers/types';
import { psi } from '../stats/divergence';
import {
  resolveThresholds,
  statusOf,
  worstStatus,
  type CheckName,
  type CheckStatus,
  type ValidationThresholds,
} from './checks';
import { headerIndex, scanValidation, type ValidationPass, type ValidationPassOptions } from './validation-pass';

export { timestampMs } from './validation-pass';

/** The outcome of one check. */
export interface ValidationCheck {
  readonly check: CheckName;
  /** The column checked, for per-column checks. */
  readonly column?: string;
  /** The measured value: a share in [0, 1], a row count (minRows), hours (freshness), a PSI (labelShift). */
  readonly value: number;
  /** Warning level, when the check has one. */
  readonly warning?: number;
  /** Critical level. */
  readonly critical?: number;
  readonly status: CheckStatus;
  /** One human-readable line. */
  readonly message: string;
}

/** The outcome of a validation. */
export interface ValidationResult {
  /** The worst status of any check. */
  readonly status: CheckStatus;
  readonly rowCount: number;
  readonly checks: ValidationCheck[];
}

/** Options of {@link validateData}. */
export interface ValidateOptions extends ValidationPassOptions {
  /** Thresholds, the config's `validation` shape. @default the config defaults */
  readonly thresholds?: Partial<ValidationThresholds>;
  /** Columns that must be present (in addition to the baseline's features). @default none */
  readonly expectedColumns?: readonly string[];
  /** The time freshness is measured at. @default new Date() */
  readonly now?: Date;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Validates a table: one pass (./validation-pass.ts), then the checks. Never throws on
 * bad values: they become `type` checks.
 *
 * @throws ParseError / InputError only from the reader (unreadable data)
 */
export async function validateData(table: Table, options: ValidateOptions = {}): Promise<ValidationResult> {
  return concludeValidation(await scanValidation(table, options), options);
}

/**
 * The checks of a validation pass (of a whole table, or merged from passes over its
 * parts), with the same options the pass was made with.
 */
export function concludeValidation(pass: ValidationPass, options: ValidateOptions = {}): ValidationResult {
  const t = resolveThresholds(options.thresholds);
  const { baseline } = options;
  const { header, rowCount, missing, duplicates, hashes, newest, badTimestamps } = pass;
  const indexOf = headerIndex(header);
  const features = (baseline?.features ?? []).filter((f) => indexOf.has(f.name));
  const labelColumn = options.label ?? baseline?.label?.name;
  const baseLabel = pass.hasLabel ? baseline?.label : undefined;
  const tsIdx = options.timestampColumn === undefined ? -1 : (indexOf.get(options.timestampColumn) ?? -1);

  // From here on the columns are only read, through their summaries.
  const columns: readonly ColumnSummary[] = pass.columns;
  const labelColumnSummary: ColumnSummary | null = pass.hasLabel ? pass.columns.at(-1)! : null;

  const checks: ValidationCheck[] = [];
  const share = (x: number, n: number) => (n > 0 ? x / n : 0);

  // minRows: fewer rows than minRows is critical; exactly minRows is healthy.
  checks.push({
    check: 'minRows',
    value: rowCount,
    critical: t.minRows,
    status: rowCount < t.minRows ? 'critical' : 'healthy',
    message: rowCount < t.minRows ? `${rowCount} rows, fewer than the minimum ${t.minRows}` : `${rowCount} rows (minimum ${t.minRows})`,
  });

  // schema
  const expected = [...new Set([...(options.expectedColumns ?? []), ...(baseline?.features.map((f) => f.name) ?? [])])];
  if (options.expectedColumns !== undefined || baseline !== undefined) {
    const absent = expected.filter((c) => !indexOf.has(c));
    for (const c of absent) {
      checks.push({ check: 'schema', column: c, value: 1, critical: 1, status: 'critical', message: `expected column "${c}" is absent` });
    }
    if (absent.length === 0) {
      const extra = header.filter((h) => !expected.includes(h) && h !== labelColumn).length;
      checks.push({
        check: 'schema',
        value: 0,
        critical: 1,
        status: 'healthy',
        message: `all ${expected.length} expected columns present${extra > 0 ? ` (${extra} other columns ignored)` : ''}`,
      });
    }
  }

  // type
  if (baseline !== undefined) {
    const bad = columns.filter((a) => a.badCount > 0);
    for (const a of bad) {
      const first = a.firstBad!;
      checks.push({
        check: 'type',
        column: a.name,
        value: share(a.badCount, a.count),
        status: 'critical',
        message: `${a.badCount} values of numeric column "${a.name}" are not finite numbers, first ${JSON.stringify(first.value)} at ${first.file}:${first.line}`,
      });
    }
    if (bad.length === 0) checks.push({ check: 'type', value: 0, status: 'healthy', message: 'every numeric column holds numbers only' });
  }

  // missing (not of the meta columns: an unset inferenceId is no missing feature)
  const meta = new Set(pass.metaColumns);
  header.forEach((h, j) => {
    if (meta.has(h)) return;
    const value = share(missing[j]!, rowCount);
    checks.push({
      check: 'missing',
      column: h,
      value,
      warning: t.missingWarning,
      critical: t.missingCritical,
      status: statusOf(value, t.missingWarning, t.missingCritical),
      message: `column "${h}": ${pct(value)} missing (${missing[j]} of ${rowCount})`,
    });
  });

  // duplicates
  {
    const value = share(duplicates, rowCount);
    checks.push({
      check: 'duplicates',
      value,
      warning: t.duplicateWarning,
      critical: t.duplicateCritical,
      status: statusOf(value, t.duplicateWarning, t.duplicateCritical),
      message: `${duplicates} of ${rowCount} rows repeat an earlier row (${pct(value)})${hashes.saturated ? `; lower bound: more than ${hashes.size} distinct rows` : ''}`,
    });
  }

  // outOfRange, unseenCategory
  features.forEach((f, k) => {
    const acc = columns[k]!;
    if (f.type === 'numeric') {
      if (f.min === null || f.max === null) return;
      const n = acc.moments.count;
      const value = share(acc.outOfRange, n);
      checks.push({
        check: 'outOfRange',
        column: f.name,
        value,
        warning: t.outOfRangeWarning,
        critical: t.outOfRangeCritical,
        status: statusOf(value, t.outOfRangeWarning, t.outOfRangeCritical),
        message: `column "${f.name}": ${acc.outOfRange} of ${n} values outside the baseline range [${f.min}, ${f.max}] (${pct(value)})`,
      });
    } else {
      const seen = f.categoryCounts;
      let unseen = 0;
      const examples: string[] = [];
      for (const [c, n] of acc.categoryCounts()) {
        if (Object.hasOwn(seen, c)) continue;
        unseen += n;
        if (examples.length < 3) examples.push(JSON.stringify(c));
      }
      const value = share(unseen, acc.count);
      checks.push({
        check: 'unseenCategory',
        column: f.name,
        value,
        warning: t.unseenCategoryWarning,
        critical: t.unseenCategoryCritical,
        status: statusOf(value, t.unseenCategoryWarning, t.unseenCategoryCritical),
        message: `column "${f.name}": ${unseen} of ${acc.count} values in categories the baseline never saw (${pct(value)})${examples.length ? `, e.g. ${examples.join(', ')}` : ''}`,
      });
    }
  });

  // freshness: the newest timestamp older than freshnessHours is critical.
  if (options.timestampColumn !== undefined) {
    const col = options.timestampColumn;
    const hours = t.freshnessHours;
    if (tsIdx < 0) {
      checks.push({ check: 'freshness', column: col, value: Infinity, critical: hours, status: 'critical', message: `timestamp column "${col}" is absent` });
    } else if (newest === -Infinity) {
      checks.push({ check: 'freshness', column: col, value: Infinity, critical: hours, status: 'critical', message: `column "${col}" holds no readable timestamp` });
    } else {
      const age = ((options.now ?? new Date()).getTime() - newest) / 3_600_000;
      const stale = age > hours;
      checks.push({
        check: 'freshness',
        column: col,
        value: age,
        critical: hours,
        status: stale ? 'critical' : 'healthy',
        message: `newest ${col} ${new Date(newest).toISOString()} is ${age.toFixed(2)} h old (limit ${hours} h)${badTimestamps > 0 ? `; ${badTimestamps} unreadable timestamps` : ''}`,
      });
    }
  }

  // labelShift
  if (baseLabel && labelColumnSummary) {
    let refCounts: number[];
    let curCounts: readonly number[];
    if (baseLabel.type === 'categorical') {
      ({ refCounts, curCounts } = alignCategories(new Map(Object.entries(baseLabel.counts)), labelColumnSummary.categoryCounts()));
    } else {
      refCounts = baseLabel.bins.binCounts;
      curCounts = labelColumnSummary.binCounts ?? [];
    }
    const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    if (total(refCounts) === 0 || total(curCounts) === 0) {
      checks.push({ check: 'labelShift', column: labelColumn, value: 0, warning: t.labelShiftWarning, critical: t.labelShiftCritical, status: 'healthy', message: `label "${labelColumn}": no values to compare` });
    } else {
      const value = psi(refCounts, curCounts);
      checks.push({
        check: 'labelShift',
        column: labelColumn,
        value,
        warning: t.labelShiftWarning,
        critical: t.labelShiftCritical,
        status: statusOf(value, t.labelShiftWarning, t.labelShiftCritical),
        message: `label "${labelColumn}": PSI ${value.toFixed(4)} against the baseline distribution`,
      });
    }
  }

  return { status: worstStatus(checks.map((c) => c.status)), rowCount, checks };
}
