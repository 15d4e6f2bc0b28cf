/**
 * Small pure helpers for the report's inline SVG charts: scales, ticks, and
 * element strings. Every text given to them is escaped here.
 */
import { esc } from './escape';

/** Colours shared by the charts and the page's CSS legend swatches. */
export const PALETTE = {
  candidate: '#2563eb',
  production: '#9ca3af',
  succeeded: '#16a34a',
  failed: '#dc2626',
  caught: '#f59e0b',
  drifted: '#dc2626',
  stable: '#60a5fa',
  threshold: '#111827',
  breach: '#fee2e2',
  grid: '#e5e7eb',
  axis: '#6b7280',
  text: '#111827',
  rowShade: '#f9fafb',
} as const;

/** The charts a report draws, as found by `svg[data-chart=...]`. */
export const CHART_KINDS = ['timeline', 'drift', 'metrics', 'canary', 'soak-volume', 'soak-drift'] as const;
/** One kind of chart. */
export type ChartKind = (typeof CHART_KINDS)[number];

/** Rounds to two decimals, so that coordinates stay short. */
export function r2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Clamps `n` into `[lo, hi]`; a non-finite `n` becomes `lo`. */
export function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return lo;
  return Math.min(hi, Math.max(lo, n));
}

/**
 * A "nice" tick step (1, 2 or 5 times a power of ten) that splits `[0, max]`
 * into about `count` intervals.
 */
export function niceStep(max: number, count = 5): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const raw = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * The ticks of an axis from 0 to at least `max`: multiples of `niceStep`, the last
 * one at or above `max`. With `max <= 0` (or not finite), `[0, 1]`.
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const step = niceStep(max, count);
  const n = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = 0; i <= n; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Attributes from an object; `undefined` values are left out, all values escaped. */
export function attrs(values: Readonly<Record<string, string | number | boolean | undefined>>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? r2(v) : v)}"`)
    .join('');
}

/** Opening tag of a chart's `<svg>`, with its `data-chart`, size and accessible name. */
export function svgOpen(chart: ChartKind, width: number, height: number, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({
      'data-chart': chart,
      class: 'chart',
      width,
      height,
      viewBox: `0 0 ${r2(width)} ${r2(height)}`,
      role: 'img',
      'aria-label': label,
    })}>` + `<title>${esc(label)}</title>`
  );
}

/** A text element. */
export function text(x: number, y: number, content: string, extra: Readonly<Record<string, string | number | undefined>> = {}): string {
  return `<text${attrs({ x, y, ...extra })}>${esc(content)}</text>`;
}

/** A line element. */
export function line(x1: number, y1: number, x2: number, y2: number, extra: Readonly<Record<string, string | number | undefined>> = {}): string {
  return `<line${attrs({ x1, y1, x2, y2, ...extra })}/>`;
}

/** A rectangle with a tooltip (`<title>`), e.g. one bar of a chart. */
export function rect(
  x: number,
  y: number,
  width: number,
  height: number,
  tooltip: string | undefined,
  extra: Readonly<Record<string, string | number | boolean | undefined>> = {},
): string {
  const open = `<rect${attrs({ x, y, width, height, ...extra })}`;
  return tooltip === undefined ? `${open}/>` : `${open}><title>${esc(tooltip)}</title></rect>`;
}

/** Shortens `value` to at most `max` characters, ending with `…` when cut. */
export function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(1, max - 1))}…`;
}
