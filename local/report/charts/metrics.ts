/**
 * The evaluation chart: for each metric, the candidate's bar beside production's,
 * scaled per metric (metrics have different units).
 */
import { formatNumber } from '../format';
import { PALETTE, clamp, rect, svgOpen, text, truncate } from '../svg';
import type { Evaluation } from '../types';

/** Layout of the metrics chart, in SVG user units. */
export interface MetricsLayout {
  /** @default 960 */
  readonly width?: number;
  /** Width of the metric names on the left. @default 180 */
  readonly labelWidth?: number;
  /** Height of one bar. @default 16 */
  readonly barHeight?: number;
}

/** The metric names of an evaluation: the candidate's in order, then any only production has. */
export function metricNames(evaluation: Evaluation): string[] {
  return [...new Set([...Object.keys(evaluation.candidate), ...Object.keys(evaluation.production ?? {})])];
}

/**
 * The metrics chart as an `<svg data-chart="metrics">`: per metric, a
 * `rect[data-bar="candidate"]` and, when production has the metric, a
 * `rect[data-bar="production"]`. Bar length is |value| over the larger |value| of
 * the metric's pair, so each pair compares within its own units. Returns '' when
 * there is no metric.
 */
export function metricsChart(evaluation: Evaluation, layout: MetricsLayout = {}): string {
  const names = metricNames(evaluation);
  if (names.length === 0) return '';
  const width = layout.width ?? 960;
  const labelWidth = layout.labelWidth ?? 180;
  const barHeight = layout.barHeight ?? 16;
  const gap = 3;
  const groupGap = 14;
  const top = 8;
  const right = 110;
  const plotWidth = width - labelWidth - right;
  const groupHeight = barHeight * 2 + gap + groupGap;
  const height = top + names.length * groupHeight;

  const out: string[] = [svgOpen('metrics', width, height, `Candidate vs production on ${names.length} metrics`)];
  names.forEach((name, i) => {
    const y = top + i * groupHeight;
    const candidate = evaluation.candidate[name];
    const production = evaluation.production?.[name];
    const scale = Math.max(Math.abs(candidate ?? 0), Math.abs(production ?? 0));
    const len = (v: number) => (scale > 0 && Number.isFinite(v) ? clamp(Math.abs(v) / scale, 0, 1) * plotWidth : 0);
    out.push(text(labelWidth - 8, y + barHeight + gap / 2 + 4, truncate(name, 26), { 'text-anchor': 'end', class: 'label' }));
    const bars: [variant: 'candidate' | 'production', value: number | undefined][] = [
      ['candidate', candidate],
      ['production', production],
    ];
    bars.forEach(([variant, value], k) => {
      if (value === undefined) return;
      const by = y + k * (barHeight + gap);
      const w = Math.max(0.75, len(value));
      out.push(
        rect(labelWidth, by, w, barHeight, `${name}, ${variant}: ${formatNumber(value)}`, {
          'data-bar': variant,
          'data-metric': name,
          class: `bar ${variant}`,
          fill: PALETTE[variant],
          rx: 2,
        }),
      );
      out.push(text(labelWidth + w + 6, by + barHeight - 4, `${formatNumber(value)}`, { class: 'value' }));
    });
  });
  out.push('</svg>');
  return out.join('');
}
