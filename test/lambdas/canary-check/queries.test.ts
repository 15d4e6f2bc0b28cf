import { describe, expect, it } from 'vitest';
import { metricResolutionSeconds, metricWindow } from '../../../lambdas/canary-check/queries';

describe('Function: metricWindow', () => {
  it('rounds the start up and the end (lag taken off) down to the minute, one period covering it', () => {
    // 12:10:30 -> 12:11:00; 12:30:20 - 3 min = 12:27:20 -> 12:27:00
    const w = metricWindow(new Date('2026-03-01T12:30:20Z'), new Date('2026-03-01T12:10:30Z'), 3);
    expect(w).toEqual({ start: new Date('2026-03-01T12:11:00Z'), end: new Date('2026-03-01T12:27:00Z'), period: 960, empty: false });
  });

  it('is empty while no whole minute has passed after the lag', () => {
    expect(metricWindow(new Date('2026-03-01T12:14:59Z'), new Date('2026-03-01T12:10:30Z'), 3).empty).toBe(true);
    expect(metricWindow(new Date('2026-03-01T12:15:00Z'), new Date('2026-03-01T12:10:30Z'), 3).empty).toBe(false);
  });

  it('aligns to the second at one-second resolution, the period still a multiple of 60 seconds', () => {
    // 12:10:30.400 -> 12:10:31; 12:10:33.900 -> 12:10:33: 2 seconds of data, one 60 s period
    const w = metricWindow(new Date('2026-03-01T12:10:33.900Z'), new Date('2026-03-01T12:10:30.400Z'), 0, 1);
    expect(w).toEqual({ start: new Date('2026-03-01T12:10:31Z'), end: new Date('2026-03-01T12:10:33Z'), period: 60, empty: false });
  });
});

describe('Function: metricResolutionSeconds', () => {
  it('is a minute by default and takes 1..60 seconds from the environment', () => {
    expect(metricResolutionSeconds({})).toBe(60);
    expect(metricResolutionSeconds({ PITSTOP_METRIC_RESOLUTION_SECONDS: '1' })).toBe(1);
    expect(() => metricResolutionSeconds({ PITSTOP_METRIC_RESOLUTION_SECONDS: '0.5' })).toThrow(/PITSTOP_METRIC_RESOLUTION_SECONDS: expected an integer from 1 to 60, got "0.5"/);
  });
});
