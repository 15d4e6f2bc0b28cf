/**
 * The drift chart: one horizontal bar per feature, its length the drift score,
 * a tick at the feature's threshold, drifted features highlighted.
 */
import { formatNumber } from '../format';
import { PALETTE, clamp, line, niceTicks, rect, svgOpen, text, truncate } from '../svg';
import type { FeatureDrift } from '../types';

/** Layout of the drift chart, in SVG user units. */
export interface DriftLayout {
  /** @default 960 */
  readonly width?: number;
  /** Width of the feature names on the left. @default 220 */
  readonly labelWidth?: number;
  /** Height of one feature's row. @default 28 */
  readonly rowHeight?: number;
}

/**
 * The drift chart as an `<svg data-chart="drift">`, with one `rect[data-bar="feature"]`
 * per feature (`data-drifted="true"` on drifted ones) and one `line.threshold` per
 * feature at its threshold. The axis runs from 0 to a round value above every score
 * and threshold. Returns '' when there is no feature.
 */
export function driftChart(drift: readonly FeatureDrift[], layout: DriftLayout = {}): string {
  if (drift.length === 0) return '';
  const width = layout.width ?? 960;
  const labelWidth = layout.labelWidth ?? 220;
  const rowHeight = layout.rowHeight ?? 28;
  const barHeight = rowHeight * 0.6;
  const top = 8;
  const right = 90;
  const axisHeight = 28;
  const plotWidth = width - labelWidth - right;
  const finite = (n: number) => (Number.isFinite(n) ? Math.max(0, n) : 0);
  const ticks = niceTicks(Math.max(...drift.map((d) => Math.max(finite(d.score), finite(d.threshold)))), 5);
  const span = ticks[ticks.length - 1]!;
  const x = (v: number) => labelWidth + clamp(v / span, 0, 1) * plotWidth;
  const plotBottom = top + drift.length * rowHeight;
  const height = plotBottom + axisHeight;
  const driftedCount = drift.filter((d) => d.drifted).length;

  const out: string[] = [svgOpen('drift', width, height, `Drift score per feature: ${driftedCount} of ${drift.length} drifted`)];
  for (const t of ticks) {
    out.push(line(x(t), top, x(t), plotBottom, { stroke: PALETTE.grid }));
    out.push(text(x(t), plotBottom + 16, formatNumber(t), { 'text-anchor': t === 0 ? 'start' : 'middle', class: 'tick' }));
  }
  drift.forEach((d, row) => {
    const y = top + row * rowHeight;
    const barY = y + (rowHeight - barHeight) / 2;
    out.push(
      text(labelWidth - 8, y + rowHeight / 2 + 4, truncate(d.feature, 24), {
        'text-anchor': 'end',
        class: d.drifted ? 'label drifted' : 'label',
      }),
    );
    const tooltip = `${d.feature} (${d.type}, ${d.method}): score ${formatNumber(d.score)}, threshold ${formatNumber(d.threshold)}${d.drifted ? ', drifted' : ''}`;
    out.push(
      rect(labelWidth, barY, Math.max(0.5, x(finite(d.score)) - labelWidth), barHeight, tooltip, {
        'data-bar': 'feature',
        'data-feature': d.feature,
        'data-drifted': d.drifted,
        class: d.drifted ? 'bar drifted' : 'bar',
        fill: d.drifted ? PALETTE.drifted : PALETTE.stable,
        rx: 2,
      }),
    );
    const tx = x(finite(d.threshold));
    out.push(
      line(tx, barY - 3, tx, barY + barHeight + 3, {
        class: 'threshold',
        'data-threshold': d.threshold,
        stroke: PALETTE.threshold,
        'stroke-width': 2,
        'stroke-dasharray': '3 2',
      }),
    );
    out.push(
      text(x(Math.max(finite(d.score), finite(d.threshold))) + 6, y + rowHeight / 2 + 4, `${formatNumber(d.score)}${d.drifted ? ' ▲' : ''}`, {
        class: d.drifted ? 'value drifted' : 'value',
      }),
    );
  });
  out.push(line(labelWidth, top, labelWidth, plotBottom, { stroke: PALETTE.axis }));
  out.push('</svg>');
  return out.join('');
}
