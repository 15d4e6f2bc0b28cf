/**
 * Human-readable text of a gate result, for the CLI and notifications.
 */
import type { GateResult, GateRuleResult } from './types';

/** A metric value with six significant digits; `-` when absent. */
function num(x: number | undefined, sign = false): string {
  if (x === undefined) return '-';
  if (Number.isNaN(x)) return 'NaN';
  const text = String(Number(x.toPrecision(6)));
  return sign && x > 0 ? `+${text}` : text;
}

function outcome(r: GateRuleResult): string {
  if (r.skipped) return `skipped${r.reason ? ` (${r.reason})` : ''}`;
  if (r.passed) return 'pass';
  return r.reason ? `FAIL (${r.reason})` : 'FAIL';
}

/**
 * Formats a gate result as a headline and an aligned table with one line per rule:
 * kind, rule, candidate, production, threshold, margin (signed) and the outcome.
 */
export function formatGateResult(result: GateResult): string {
  const applied = result.rules.filter((r) => !r.skipped);
  const passedCount = applied.filter((r) => r.passed).length;
  const skipped = result.rules.length - applied.length;
  const headline =
    `gate ${result.passed ? 'PASSED' : 'FAILED'} (${result.mode}): ${passedCount} of ${applied.length} rules passed` +
    (skipped ? `, ${skipped} skipped` : '');
  if (result.rules.length === 0) return `${headline} (no rules configured)`;
  const header = ['kind', 'rule', 'candidate', 'production', 'threshold', 'margin', 'result'];
  const rows = result.rules.map((r) => [
    r.kind,
    r.description,
    num(r.candidate),
    num(r.production),
    num(r.threshold),
    num(r.margin, true),
    outcome(r),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  return [headline, line(header), ...rows.map(line)].join('\n');
}
