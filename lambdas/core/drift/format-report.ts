/**
 * Plain-text drift report for the CLI: one aligned row per feature and a summary line.
 */
import { DRIFT_METHOD_TABLE } from './methods';
import type { DriftResult } from './compute-drift';

/** A number for a report cell: 4 decimals, scientific below 0.001, `-` when absent. */
export function formatStatistic(x: number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6) return x.toExponential(2);
  return x.toFixed(4);
}

/** Lays out rows as columns separated by two spaces; numeric-looking cells right-aligned. */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (rightAligned.has(j) ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The drift result as an aligned table followed by a one-line verdict. */
export function formatDriftReport(result: DriftResult): string {
  const header = ['feature', 'type', 'method', 'score', 'threshold', 'drifted', 'n ref', 'n cur', 'note'];
  const rows = result.features.map((f) => {
    const dir = DRIFT_METHOD_TABLE[f.method].direction === 'below' ? '<' : '>';
    const notes = [f.note, f.approximate ? 'approximate (sketch)' : undefined].filter((x) => x !== undefined);
    return [
      f.name,
      f.type,
      f.method,
      formatStatistic(f.score),
      `${dir} ${formatStatistic(f.threshold)}`,
      f.drifted ? 'YES' : 'no',
      String(f.nReference),
      String(f.nCurrent),
      notes.join('; '),
    ];
  });
  const table = alignTable(header, rows, new Set([3, 4, 6, 7]));
  const verdict = result.drifted
    ? `DRIFTED: ${result.driftedCount} of ${result.features.length} features drifted`
    : `no drift: ${result.driftedCount} of ${result.features.length} features drifted`;
  const adjusted = result.correction === 'none' ? '' : `\np-values (ks, chiSquare) adjusted for ${result.features.filter((f) => f.pValueAdjusted !== undefined).length} tests: ${result.correction}`;
  const floor = result.minEffect === undefined ? '' : `\nminimum effect for ks / chiSquare: ${result.minEffect}`;
  return `${table}\n\n${verdict}${adjusted}${floor}\n`;
}
