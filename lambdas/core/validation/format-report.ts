/** Plain-text validation report for the CLI. */
import { alignTable, formatStatistic } from '../drift/format-report';
import type { ValidationResult } from './validate-data';

const MARK = { healthy: 'ok', warning: 'WARN', critical: 'CRIT' } as const;

/** The checks as an aligned table (problems first, then healthy checks) and the overall status. */
export function formatValidationReport(result: ValidationResult): string {
  const order = { critical: 0, warning: 1, healthy: 2 } as const;
  const checks = result.checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order[a.c.status] - order[b.c.status] || a.i - b.i)
    .map(({ c }) => c);
  const rows = checks.map((c) => [
    MARK[c.status],
    c.check,
    c.column ?? '',
    formatStatistic(c.value),
    formatStatistic(c.warning),
    formatStatistic(c.critical),
    c.message,
  ]);
  const table = alignTable(['status', 'check', 'column', 'value', 'warning', 'critical', 'message'], rows, new Set([3, 4, 5]));
  const counts = { healthy: 0, warning: 0, critical: 0 };
  for (const c of result.checks) counts[c.status]++;
  return `${table}\n\n${result.status.toUpperCase()}: ${result.rowCount} rows, ${counts.critical} critical, ${counts.warning} warning, ${counts.healthy} healthy checks\n`;
}
