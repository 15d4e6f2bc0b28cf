/**
 * The canary chart: per stage, the candidate's and production's error rate
 * (top panel) and p99 latency (bottom panel), breached stages marked.
 */
import { formatLatency, formatNumber, formatRate } from '../format';
import { PALETTE, clamp, line, niceTicks, rect, svgOpen, text } from '../svg';
import type { CanaryStage } from '../types';

/** Layout of the canary chart, in SVG user units. */
export interface CanaryLayout {
  /** @default 960 */
  readonly width?: number;
  /** Height of one panel's plot area. @default 150 */
  readonly panelHeight?: number;
}

/** The measures the canary chart draws, one panel each. */
export const CANARY_MEASURES = [
  { key: 'errorRate', title: '5XX error rate', format: formatRate, tick: (v: number) => formatRate(v) },
  { key: 'latencyP99Ms', title: 'p99 latency', format: formatLatency, tick: (v: number) => `${formatNumber(v)} ms` },
] as const;

const VARIANTS = ['candidate', 'production'] as const;

/**
 * The canary chart as an `<svg data-chart="canary">`: for each stage and each
 * measure (error rate, p99 latency), a `rect[data-bar="candidate"]` and a
 * `rect[data-bar="production"]` carrying `data-stage` and `data-measure`; a
 * breached stage gets a `rect.breach[data-breach]` band and a "breach" label.
 * Returns '' when no stage was reached.
 */
export function canaryChart(stages: readonly CanaryStage[], layout: CanaryLayout = {}): string {
  if (stages.length === 0) return '';
  const width = layout.width ?? 960;
  const panelHeight = layout.panelHeight ?? 150;
  const left = 80;
  const right = 16;
  const panelTitle = 22;
  const xAxis = 34;
  const panelGap = 12;
  const plotWidth = width - left - right;
  const groupWidth = plotWidth / stages.length;
  const barWidth = Math.min(48, (groupWidth * 0.7) / 2);
  const panelTotal = panelTitle + panelHeight + xAxis;
  const height = CANARY_MEASURES.length * panelTotal + (CANARY_MEASURES.length - 1) * panelGap;

  const out: string[] = [svgOpen('canary', width, height, `Canary: ${stages.length} stages, ${stages.filter((s) => s.breached).length} breached`)];
  CANARY_MEASURES.forEach((measure, p) => {
    const panelTop = p * (panelTotal + panelGap);
    const plotTop = panelTop + panelTitle;
    const plotBottom = plotTop + panelHeight;
    const values = stages.flatMap((s) => VARIANTS.map((v) => s[v][measure.key])).filter((v) => Number.isFinite(v));
    const ticks = niceTicks(Math.max(0, ...values), 4);
    const span = ticks[ticks.length - 1]!;
    const y = (v: number) => plotBottom - clamp(v / span, 0, 1) * panelHeight;

    out.push(text(left, panelTop + 14, measure.title, { class: 'panel-title' }));
    stages.forEach((s, i) => {
      if (!s.breached) return;
      out.push(
        rect(left + i * groupWidth + 2, plotTop, groupWidth - 4, panelHeight, `Stage ${s.stage} breached${s.reason ? `: ${s.reason}` : ''}`, {
          class: 'breach',
          'data-breach': s.stage,
          fill: PALETTE.breach,
        }),
      );
      out.push(text(left + (i + 1) * groupWidth - 6, plotTop + 12, 'breach', { 'text-anchor': 'end', class: 'breach-label' }));
    });
    for (const t of ticks) {
      out.push(line(left, y(t), left + plotWidth, y(t), { stroke: PALETTE.grid }));
      out.push(text(left - 6, y(t) + 4, measure.tick(t), { 'text-anchor': 'end', class: 'tick' }));
    }
    stages.forEach((s, i) => {
      const center = left + (i + 0.5) * groupWidth;
      VARIANTS.forEach((variant, k) => {
        const value = s[variant][measure.key];
        const top = Number.isFinite(value) ? y(value) : plotBottom;
        const bx = center - barWidth - 2 + k * (barWidth + 4);
        const h = Math.max(0.75, plotBottom - top);
        out.push(
          rect(bx, plotBottom - h, barWidth, h, `Stage ${s.stage} (${s.percent} %), ${variant}: ${measure.title} ${measure.format(value)}`, {
            'data-bar': variant,
            'data-stage': s.stage,
            'data-measure': measure.key,
            class: `bar ${variant}`,
            fill: PALETTE[variant],
          }),
        );
        out.push(text(bx + barWidth / 2, plotBottom - h - 4, measure.format(value), { 'text-anchor': 'middle', class: 'value small' }));
      });
      out.push(
        text(center, plotBottom + 16, `Stage ${s.stage} · ${formatNumber(s.percent)} %`, {
          'text-anchor': 'middle',
          class: s.breached ? 'label breached' : 'label',
        }),
      );
    });
    out.push(line(left, plotBottom, left + plotWidth, plotBottom, { stroke: PALETTE.axis }));
  });
  out.push('</svg>');
  return out.join('');
}
