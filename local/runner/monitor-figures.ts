/**
 * The figures one monitor run published (drift score per feature, live quality per
 * metric, matched count), and their comparison between two runs of the same traffic:
 * the json-capture scenario runs the period once as CSV and once as JSON and requires
 * the same figures. Equal up to `tolerance`, relative: sums over the same values in
 * another order may differ in the last bits.
 */
import type { DemoSession } from './session';

/** What one monitor run found. */
export interface MonitorFigures {
  /** Drift score by feature. */
  readonly drift: Readonly<Record<string, number>>;
  /** Live quality by metric. */
  readonly quality: Readonly<Record<string, number>>;
  /** Captured requests matched with ground truth. */
  readonly matched: number;
}

/** The figures of the session's latest monitor run. */
export function latestMonitorFigures(s: DemoSession): MonitorFigures {
  const drift = s.driftRuns.at(-1)?.scores ?? [];
  const quality = s.qualityRuns.at(-1);
  return {
    drift: Object.fromEntries(drift.map((d) => [d.feature, d.score])),
    quality: Object.fromEntries((quality?.metrics ?? []).map((m) => [m.metric, m.value])),
    matched: quality?.matched ?? 0,
  };
}

/** One line per figure that differs (or is absent on one side); empty when all agree. */
export function compareMonitorFigures(a: MonitorFigures, b: MonitorFigures, tolerance = 1e-9): string[] {
  const out: string[] = [];
  const same = (x: number, y: number) => Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y));
  const section = (name: string, x: Readonly<Record<string, number>>, y: Readonly<Record<string, number>>) => {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (!(k in x) || !(k in y)) out.push(`${name} ${k}: only in the ${k in x ? 'first' : 'second'} run`);
      else if (!same(x[k]!, y[k]!)) out.push(`${name} ${k}: ${x[k]} vs ${y[k]}`);
    }
  };
  section('drift', a.drift, b.drift);
  section('quality', a.quality, b.quality);
  if (a.matched !== b.matched) out.push(`matched: ${a.matched} vs ${b.matched}`);
  return out;
}
