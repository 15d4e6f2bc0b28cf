/** Plain-text tables and number formatting for the CLI's human-readable output. */

/** Formats a number for a table: 4 significant decimals, scientific when tiny. */
export function fmt(x: number | undefined | null): string {
  if (x === undefined || x === null) return '';
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e7) return x.toExponential(3);
  return Number(x.toFixed(4)).toString();
}

/** Left-aligned columns separated by two spaces, with a header rule. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
