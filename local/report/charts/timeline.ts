/**
 * The Gantt-like timeline chart: one row per state machine, one bar per state
 * entered, coloured by its status.
 */
import { formatDuration, formatOffset } from '../format';
import { PALETTE, clamp, line, niceTicks, rect, svgOpen, text, truncate } from '../svg';
import type { TimelineEntry } from '../types';

/** Layout of the timeline chart, in SVG user units. */
export interface TimelineLayout {
  /** @default 960 */
  readonly width?: number;
  /** Width of the state machine names on the left. @default 150 */
  readonly labelWidth?: number;
  /** Height of one state machine's row. @default 30 */
  readonly rowHeight?: number;
}

/** The fill of a bar for each status. */
export const STATUS_FILL = {
  succeeded: PALETTE.succeeded,
  failed: PALETTE.failed,
  caught: PALETTE.caught,
} as const;

/** The state machines of a timeline, in the order they first appear. */
export function stateMachinesOf(timeline: readonly TimelineEntry[]): string[] {
  return [...new Set(timeline.map((e) => e.stateMachine))];
}

/**
 * The timeline chart as an `<svg data-chart="timeline">`, with one
 * `rect[data-bar="state"]` per entry. Bars span `startMs`–`endMs` on a time axis
 * from 0 to the longer of `totalMs` and the last end; a bar is at least 2 units
 * wide so that an instant state still shows. Returns '' for an empty timeline.
 */
export function timelineChart(timeline: readonly TimelineEntry[], totalMs: number, layout: TimelineLayout = {}): string {
  if (timeline.length === 0) return '';
  const width = layout.width ?? 960;
  const labelWidth = layout.labelWidth ?? 150;
  const rowHeight = layout.rowHeight ?? 30;
  const barHeight = rowHeight * 0.62;
  const top = 8;
  const axisHeight = 28;
  const right = 16;
  const plotWidth = width - labelWidth - right;

  const machines = stateMachinesOf(timeline);
  const lastEnd = Math.max(0, ...timeline.map((e) => (Number.isFinite(e.endMs) ? e.endMs : 0)));
  const ticks = niceTicks(Math.max(Number.isFinite(totalMs) ? totalMs : 0, lastEnd, 1), 6);
  const span = ticks[ticks.length - 1]!;
  const x = (ms: number) => labelWidth + clamp(ms / span, 0, 1) * plotWidth;
  const height = top + machines.length * rowHeight + axisHeight;
  const plotBottom = top + machines.length * rowHeight;

  const out: string[] = [svgOpen('timeline', width, height, `Timeline of ${timeline.length} states across ${machines.length} state machines`)];
  machines.forEach((machine, row) => {
    const y = top + row * rowHeight;
    if (row % 2 === 0) out.push(rect(0, y, width, rowHeight, undefined, { fill: PALETTE.rowShade }));
    out.push(text(labelWidth - 8, y + rowHeight / 2 + 4, truncate(machine, 22), { 'text-anchor': 'end', class: 'label' }));
  });
  for (const t of ticks) {
    const tx = x(t);
    out.push(line(tx, top, tx, plotBottom, { stroke: PALETTE.grid }));
    const anchor = t === 0 ? 'start' : t === span ? 'end' : 'middle';
    out.push(text(tx, plotBottom + 16, formatDuration(t), { 'text-anchor': anchor, class: 'tick' }));
  }
  out.push(line(labelWidth, plotBottom, labelWidth + plotWidth, plotBottom, { stroke: PALETTE.axis }));

  timeline.forEach((entry, index) => {
    const row = machines.indexOf(entry.stateMachine);
    const y = top + row * rowHeight + (rowHeight - barHeight) / 2;
    const x0 = x(entry.startMs);
    const x1 = Math.max(x(entry.endMs), x0);
    const barWidth = Math.max(2, x1 - x0);
    const duration = entry.endMs - entry.startMs;
    const tooltip = `${entry.stateMachine} › ${entry.state}: ${entry.status}, ${formatOffset(entry.startMs)} → ${formatOffset(entry.endMs)} (${formatDuration(duration)})`;
    const marked = entry.status !== 'succeeded';
    out.push(
      rect(x0, y, barWidth, barHeight, tooltip, {
        'data-bar': 'state',
        'data-index': index,
        'data-state': entry.state,
        'data-state-machine': entry.stateMachine,
        'data-status': entry.status,
        class: `bar status-${entry.status}`,
        fill: STATUS_FILL[entry.status] ?? PALETTE.axis,
        stroke: marked ? PALETTE.text : '#fff',
        'stroke-width': marked ? 1.5 : 0.75,
        rx: 2,
      }),
    );
    const maxChars = Math.floor((barWidth - 6) / 6.2);
    if (maxChars >= 4) {
      out.push(text(x0 + 3, y + barHeight / 2 + 4, truncate(entry.state, maxChars), { class: 'bar-label', 'pointer-events': 'none' }));
    }
    if (marked) {
      out.push(text(x0 + barWidth / 2, y - 1, entry.status === 'failed' ? '✕' : '!', { 'text-anchor': 'middle', class: `mark mark-${entry.status}` }));
    }
  });
  out.push('</svg>');
  return out.join('');
}
