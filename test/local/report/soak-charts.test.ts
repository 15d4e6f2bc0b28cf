import { describe, expect, it } from 'vitest';
import { soakDriftChart, soakVolumeChart } from '../../../local/report/charts/soak';
import { soakSection } from '../../../local/report/sections';
import type { RunReportData, SoakReport } from '../../../local/report/types';

/** A soak of `days` days, hourly, with capture growing by `step` bytes an hour and a quiet hour a day. */
function soak(days: number, step: number): SoakReport {
  const monitor = Array.from({ length: days * 24 }, (_, h) => ({
    day: (h + 1) / 24,
    bytesRead: step,
    captureBytesTotal: step * (h + 1),
    insufficientData: h % 24 === 3,
    drift: (h % 24 === 3 ? {} : { age: 0.1 + (h % 5) / 10, plan: 0.05 }) as Record<string, number>,
  }));
  return { monitor, retrains: [{ day: 1.1, trigger: 'alarm', outcome: 'Rejected' }, { day: 2.1, trigger: 'alarm', outcome: 'Promoted' }, { day: 5, trigger: 'maxAge', outcome: 'Promoted' }] };
}

const points = (svg: string, series: string) => {
  const m = new RegExp(`data-series="${series}" points="([^"]*)"`).exec(svg);
  return m ? m[1]!.split(' ').map((p) => p.split(',').map(Number)) : [];
};

describe('Function: soakVolumeChart', () => {
  it('draws one point per run for the bytes read and the capture on disk, and one marker per retrain in each panel', () => {
    // Prepare
    const data = soak(3, 12_000);
    // Act
    const svg = soakVolumeChart(data);
    // Assess
    expect(svg).toContain('data-chart="soak-volume"');
    expect(points(svg, 'read')).toHaveLength(data.monitor.length);
    const capture = points(svg, 'capture');
    expect(capture).toHaveLength(data.monitor.length);
    // capture grows: its line rises (SVG y decreases) from the first run to the last; the flat reads stay level
    expect(capture.at(-1)![1]!).toBeLessThan(capture[0]![1]!);
    expect(new Set(points(svg, 'read').map((p) => p[1]))).toHaveProperty('size', 1);
    expect(svg.match(/data-retrain=/g)).toHaveLength(2 * data.retrains.length);
  });
});

describe('Function: soakDriftChart', () => {
  it('draws one line per feature with a gap for the runs that had too little data', () => {
    // Prepare
    const data = soak(2, 1000);
    // Act
    const svg = soakDriftChart(data);
    // Assess
    const judged = data.monitor.filter((m) => !m.insufficientData).length;
    expect(points(svg, 'drift:age')).toHaveLength(judged);
    expect(points(svg, 'drift:plan')).toHaveLength(judged);
    expect(svg.match(/data-retrain="Promoted"/g)).toHaveLength(2);
  });

  it('draws nothing without drift scores', () => {
    expect(soakDriftChart({ monitor: [], retrains: [] })).toBe('');
  });
});

describe('Function: soakSection', () => {
  it('is empty for the other scenarios and lists the retrains of a soak', () => {
    const base = { soak: undefined } as unknown as RunReportData;
    expect(soakSection(base)).toBe('');
    const html = soakSection({ soak: soak(2, 1000) } as unknown as RunReportData);
    expect(html).toContain('48 monitor runs (46 with enough data), 3 retrains');
    expect(html).toContain('maxAge');
  });
});
