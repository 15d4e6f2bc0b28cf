/**
 * The soak charts, on one time axis in days: bytes read per monitor run against all the
 * capture on disk (two panels, each with its own scale), and drift per feature per run;
 * retrains are vertical markers on both, labeled with their trigger and outcome.
 */
import { formatNumber } from '../format';
import { PALETTE, line, niceTicks, svgOpen, text } from '../svg';
import type { SoakReport } from '../types';

/** Colors of the drift lines, one per feature in order. */
const SERIES = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d', '#64748b', '#ca8a04'];

interface Panel {
  readonly top: number;
  readonly height: number;
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly kind: string;
}

const WIDTH = 960;
const LEFT = 90;
const RIGHT = 20;

function xOf(day: number, days: number): number {
  return LEFT + (days > 0 ? day / days : 0) * (WIDTH - LEFT - RIGHT);
}

function polyline(points: readonly [number, number][], color: string, kind: string): string {
  if (points.length === 0) return '';
  const d = points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ');
  return `<polyline fill="none" stroke="${color}" stroke-width="1.5" data-series="${kind}" points="${d}"/>`;
}

function markers(soak: SoakReport, days: number, top: number, bottom: number): string[] {
  return soak.retrains.flatMap((r, i) => {
    const x = xOf(r.day, days);
    return [
      line(x, top, x, bottom, { stroke: r.outcome === 'Promoted' ? PALETTE.stable : PALETTE.drifted, 'stroke-dasharray': '4 3', 'data-retrain': r.outcome }),
      text(x + 3, top + 10 + (i % 3) * 11, `${r.trigger}: ${r.outcome}`, { class: 'tick' }),
    ];
  });
}

/** Bytes read per run and capture on disk, over the days, as `<svg data-chart="soak-volume">`. */
export function soakVolumeChart(soak: SoakReport): string {
  if (soak.monitor.length === 0) return '';
  const days = Math.max(...soak.monitor.map((m) => m.day));
  const panels: Panel[] = [
    { top: 10, height: 150, label: 'capture on disk (MB)', values: soak.monitor.map((m) => m.captureBytesTotal / 1e6), color: PALETTE.threshold, kind: 'capture' },
    { top: 190, height: 150, label: 'read per run (KB)', values: soak.monitor.map((m) => m.bytesRead / 1e3), color: PALETTE.stable, kind: 'read' },
  ];
  const height = 370;
  const out = [svgOpen('soak-volume', WIDTH, height, `Bytes read per monitor run against capture on disk over ${formatNumber(days)} days`)];
  for (const p of panels) {
    const ticks = niceTicks(Math.max(0, ...p.values.filter((v): v is number => v !== null)), 4);
    const span = ticks.at(-1)! || 1;
    const y = (v: number) => p.top + p.height - (v / span) * p.height;
    for (const t of ticks) {
      out.push(line(LEFT, y(t), WIDTH - RIGHT, y(t), { stroke: PALETTE.grid }));
      out.push(text(LEFT - 6, y(t) + 4, formatNumber(t), { 'text-anchor': 'end', class: 'tick' }));
    }
    out.push(text(LEFT + 4, p.top + 12, p.label, { class: 'label' }));
    out.push(polyline(soak.monitor.flatMap((m, i) => (p.values[i] === null ? [] : [[xOf(m.day, days), y(p.values[i]!)] as [number, number]])), p.color, p.kind));
    out.push(...markers(soak, days, p.top, p.top + p.height));
  }
  for (let d = 0; d <= Math.floor(days); d += 1) out.push(text(xOf(d, days), height - 8, `day ${d}`, { 'text-anchor': 'middle', class: 'tick' }));
  out.push('</svg>');
  return out.join('');
}

/** Drift per feature per run over the days, as `<svg data-chart="soak-drift">` (runs with too little data leave a gap). */
export function soakDriftChart(soak: SoakReport): string {
  const features = [...new Set(soak.monitor.flatMap((m) => Object.keys(m.drift)))];
  if (features.length === 0) return '';
  const days = Math.max(...soak.monitor.map((m) => m.day));
  const top = 10;
  const plot = 260;
  const height = top + plot + 30 + 16 * Math.ceil(features.length / 4);
  const ticks = niceTicks(Math.max(0, ...soak.monitor.flatMap((m) => Object.values(m.drift).filter(Number.isFinite))), 5);
  const span = ticks.at(-1)! || 1;
  const y = (v: number) => top + plot - (Math.min(v, span) / span) * plot;
  const out = [svgOpen('soak-drift', WIDTH, height, `Drift per feature over ${formatNumber(days)} days`)];
  for (const t of ticks) {
    out.push(line(LEFT, y(t), WIDTH - RIGHT, y(t), { stroke: PALETTE.grid }));
    out.push(text(LEFT - 6, y(t) + 4, formatNumber(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  features.forEach((f, i) => {
    const color = SERIES[i % SERIES.length]!;
    const points = soak.monitor.flatMap((m) => (m.drift[f] === undefined ? [] : [[xOf(m.day, days), y(m.drift[f]!)] as [number, number]]));
    out.push(polyline(points, color, `drift:${f}`));
    out.push(text(LEFT + (i % 4) * 210, top + plot + 40 + Math.floor(i / 4) * 16, `— ${f}`, { fill: color, class: 'label' }));
  });
  out.push(...markers(soak, days, top, top + plot));
  for (let d = 0; d <= Math.floor(days); d += 1) out.push(text(xOf(d, days), top + plot + 16, `day ${d}`, { 'text-anchor': 'middle', class: 'tick' }));
  out.push('</svg>');
  return out.join('');
}
