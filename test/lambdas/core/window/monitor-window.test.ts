import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import {
  MAX_WINDOW_SECONDS,
  capturePartitions,
  durationSeconds,
  durationSecondsOrProblem,
  formatDuration,
  hourPartition,
  hourPartitions,
  labelWindow,
  resolveWindow,
  windowJson,
  type WindowRequest,
} from '../../../../lambdas/core/window';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A scheduled run's request: hourly period, one-hour window, no lag, no label delay. */
function request(overrides: Partial<WindowRequest> = {}): WindowRequest {
  return {
    time: '',
    startedAt: '2026-11-30T10:37:12.345Z',
    periodSeconds: 3600,
    defaultLengthSeconds: 3600,
    captureLagSeconds: 0,
    labelDelaySeconds: 0,
    ...overrides,
  };
}

/** The window as ISO strings. */
const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

/** `yyyy/mm/dd/hh` of the UTC hour holding `ms`, written independently of hourPartition (from toISOString). */
const partitionOf = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace(/-/g, '/').replace('T', '/');

/** The thrown error of `fn`. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('Function: resolveWindow', () => {
  it('floors the run time to the hourly period and covers the hour before', () => {
    // Prepare
    const time = '2026-11-30T10:37:12.345Z';
    // Act
    const w = resolveWindow(request({ time }));
    // Assess
    expect(iso(w)).toEqual(['2026-11-30T09:00:00.000Z', '2026-11-30T10:00:00.000Z']);
    expect(w.backfill).toBe(false);
    expect(w.now.toISOString()).toBe(time);
  });

  it('floors a daily period to 00:00 UTC', () => {
    const w = resolveWindow(request({ time: '2026-11-30T17:45:00Z', periodSeconds: 86_400, defaultLengthSeconds: 86_400 }));
    expect(iso(w)).toEqual(['2026-11-29T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
  });

  it.each([
    // [time, period, expected end]
    ['2026-11-30T10:00:00.000Z', 3600, '2026-11-30T10:00:00.000Z'],
    ['2026-11-30T10:59:59.999Z', 3600, '2026-11-30T10:00:00.000Z'],
    ['2026-11-30T09:59:59.999Z', 3600, '2026-11-30T09:00:00.000Z'],
    ['2026-12-01T00:00:00.000Z', 86_400, '2026-12-01T00:00:00.000Z'],
    ['2026-11-30T23:59:59.999Z', 86_400, '2026-11-30T00:00:00.000Z'],
    ['2026-11-30T10:44:59.000Z', 900, '2026-11-30T10:30:00.000Z'],
    ['2026-11-30T10:45:00.000Z', 900, '2026-11-30T10:45:00.000Z'],
  ] as const)('at an hour or day boundary: %s with period %i ends at %s', (time, periodSeconds, end) => {
    const w = resolveWindow(request({ time, periodSeconds, defaultLengthSeconds: periodSeconds }));
    expect(w.end.toISOString()).toBe(end);
    expect(w.end.getTime() - w.start.getTime()).toBe(periodSeconds * 1000);
  });

  it.each([
    // [time, period, expected start, expected end]
    ['2027-01-01T00:30:00Z', 3600, '2026-12-31T23:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-12-01T00:10:00Z', 3600, '2026-11-30T23:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['2027-03-01T00:10:00Z', 3600, '2027-02-28T23:00:00.000Z', '2027-03-01T00:00:00.000Z'],
    ['2028-03-01T00:10:00Z', 3600, '2028-02-29T23:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['2027-01-01T05:00:00Z', 86_400, '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2028-03-01T12:00:00Z', 86_400, '2028-02-29T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
  ] as const)('rolls over months and years: %s with period %i', (time, periodSeconds, start, end) => {
    const w = resolveWindow(request({ time, periodSeconds, defaultLengthSeconds: periodSeconds }));
    expect(iso(w)).toEqual([start, end]);
  });

  it('takes a backfill window end as given, not floored, with its own length', () => {
    // Prepare: the run happens days later; the end is not on an hour
    const req = request({ time: '2026-12-03T08:00:00Z', windowEnd: '2026-11-30T10:20:00Z', length: 'PT6H' });
    // Act
    const w = resolveWindow(req);
    // Assess
    expect(iso(w)).toEqual(['2026-11-30T04:20:00.000Z', '2026-11-30T10:20:00.000Z']);
    expect(w.backfill).toBe(true);
    expect(w.now.toISOString()).toBe('2026-12-03T08:00:00.000Z');
  });

  it('a backfill without a length uses the default length', () => {
    const w = resolveWindow(request({ windowEnd: '2026-11-30T10:20:00Z', defaultLengthSeconds: 1800 }));
    expect(iso(w)).toEqual(['2026-11-30T09:50:00.000Z', '2026-11-30T10:20:00.000Z']);
  });

  it('a window longer than the period overlaps the previous run by design (start = end - length)', () => {
    // Act: two consecutive hourly runs with a three-hour window
    const first = resolveWindow(request({ time: '2026-11-30T10:30:00Z', length: 'PT3H' }));
    const next = resolveWindow(request({ time: '2026-11-30T11:30:00Z', length: 'PT3H' }));
    // Assess
    expect(iso(first)).toEqual(['2026-11-30T07:00:00.000Z', '2026-11-30T10:00:00.000Z']);
    expect(iso(next)).toEqual(['2026-11-30T08:00:00.000Z', '2026-11-30T11:00:00.000Z']);
    expect(first.end.getTime() - next.start.getTime()).toBe(2 * HOUR);
    // the same through the default length
    expect(iso(resolveWindow(request({ time: '2026-11-30T10:30:00Z', defaultLengthSeconds: 3 * 3600 })))).toEqual(iso(first));
  });

  it('uses the event time before the execution start', () => {
    // Prepare: the execution started two hours after the scheduled time (a retry, a queue)
    const req = request({ time: '2026-11-30T10:05:00Z', startedAt: '2026-11-30T12:07:00Z' });
    // Act
    const w = resolveWindow(req);
    // Assess
    expect(iso(w)).toEqual(['2026-11-30T09:00:00.000Z', '2026-11-30T10:00:00.000Z']);
    expect(w.now.toISOString()).toBe('2026-11-30T10:05:00.000Z');
  });

  it('falls back to the execution start without an event time', () => {
    const w = resolveWindow(request({ time: '', startedAt: '2026-11-30T12:07:00Z' }));
    expect(iso(w)).toEqual(['2026-11-30T11:00:00.000Z', '2026-11-30T12:00:00.000Z']);
    expect(w.now.toISOString()).toBe('2026-11-30T12:07:00.000Z');
  });

  it.each([
    [{ time: 'yesterday' }, /^time: expected an ISO 8601 time/, '"yesterday"'],
    [{ time: '2026-11-30' }, /^time: /, '"2026-11-30"'],
    [{ time: '2026-13-45T99:00:00Z' }, /^time: /, '"2026-13-45T99:00:00Z"'],
    [{ time: '', startedAt: 'not a date' }, /^startedAt: /, '"not a date"'],
    [{ windowEnd: 'soon' }, /^windowEnd: /, '"soon"'],
  ] as const)('rejects a malformed time %j, naming the field', (overrides, message, quoted) => {
    const err = thrown(() => resolveWindow(request(overrides)));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(quoted);
  });

  it.each(['PT1X', 'one hour', 'P1M', 'PT'])('rejects a malformed length %j, naming the window', (length) => {
    const err = thrown(() => resolveWindow(request({ length })));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^window: /);
    expect(err.message).toContain(JSON.stringify(length));
  });

  it('accepts a length of exactly PT24H and refuses anything longer', () => {
    const w = resolveWindow(request({ length: 'PT24H' }));
    expect(w.end.getTime() - w.start.getTime()).toBe(DAY);
    expect(MAX_WINDOW_SECONDS).toBe(86_400);
    for (const length of ['PT25H', 'P1DT1S', 'PT86401S', 'P2D']) {
      const err = thrown(() => resolveWindow(request({ length })));
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/^window: expected a length from 1 second to 24 hours \(PT24H\)/);
    }
    expect(() => resolveWindow(request({ defaultLengthSeconds: 86_401 }))).toThrow(/^window: .*86401 seconds/);
  });

  it('refuses a zero length and a non-positive period', () => {
    expect(() => resolveWindow(request({ length: 'PT0S' }))).toThrow(InputError);
    expect(() => resolveWindow(request({ periodSeconds: 0 }))).toThrow(/^periodSeconds: /);
  });

  it('consecutive scheduled runs tile time exactly when length = period (property)', () => {
    const periods = fc.constantFrom(60, 300, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400);
    const times = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(times, periods, (t, period) => {
        const at = (ms: number) => resolveWindow(request({ time: new Date(ms).toISOString(), periodSeconds: period, defaultLengthSeconds: period }));
        const a = at(t);
        const b = at(t + period * 1000);
        // end of one = start of the next, no gap, no overlap
        expect(b.start.getTime()).toBe(a.end.getTime());
        expect(b.end.getTime() - a.end.getTime()).toBe(period * 1000);
        // each window ends at or before its run, less than a period before it, on a multiple of the period
        expect(a.end.getTime()).toBeLessThanOrEqual(t);
        expect(t - a.end.getTime()).toBeLessThan(period * 1000);
        expect(a.end.getTime() % (period * 1000)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Function: labelWindow', () => {
  it('shifts the window back by the label delay', () => {
    // Prepare
    const w = { start: new Date('2026-11-30T10:00:00Z'), end: new Date('2026-11-30T11:00:00Z') };
    // Act / Assess
    expect(iso(labelWindow(w, 3600))).toEqual(['2026-11-30T09:00:00.000Z', '2026-11-30T10:00:00.000Z']);
    expect(iso(labelWindow(w, 0))).toEqual(['2026-11-30T10:00:00.000Z', '2026-11-30T11:00:00.000Z']);
    expect(iso(labelWindow(w, 36 * 3600))).toEqual(['2026-11-28T22:00:00.000Z', '2026-11-28T23:00:00.000Z']);
  });
});

describe('Function: hourPartitions / capturePartitions', () => {
  const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

  it('reads the window hour and the capture-lag hour', () => {
    const parts = capturePartitions(range('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'), 3600);
    expect(parts).toEqual(['2026/11/30/10', '2026/11/30/11']);
  });

  it('reads only the window hour without lag, and the next hour for any part of an hour of lag', () => {
    expect(capturePartitions(range('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'), 0)).toEqual(['2026/11/30/10']);
    expect(capturePartitions(range('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'), 1)).toEqual(['2026/11/30/10', '2026/11/30/11']);
    expect(capturePartitions(range('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'), 1800)).toEqual(['2026/11/30/10', '2026/11/30/11']);
    expect(capturePartitions(range('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'), 3601)).toEqual(['2026/11/30/10', '2026/11/30/11', '2026/11/30/12']);
  });

  it('crosses midnight, month end and year end', () => {
    expect(capturePartitions(range('2026-11-30T23:00:00Z', '2026-12-01T00:00:00Z'), 3600)).toEqual(['2026/11/30/23', '2026/12/01/00']);
    expect(capturePartitions(range('2026-12-31T23:00:00Z', '2027-01-01T00:00:00Z'), 3600)).toEqual(['2026/12/31/23', '2027/01/01/00']);
    expect(capturePartitions(range('2028-02-28T23:00:00Z', '2028-02-29T00:00:00Z'), 3600)).toEqual(['2028/02/28/23', '2028/02/29/00']);
    expect(capturePartitions(range('2027-02-28T23:30:00Z', '2027-03-01T00:30:00Z'), 0)).toEqual(['2027/02/28/23', '2027/03/01/00']);
  });

  it('covers every hour overlapping [from, until), oldest first', () => {
    // Prepare: a daily window plus one hour of lag
    const from = Date.UTC(2026, 10, 30);
    const until = from + DAY + HOUR;
    const expected = Array.from({ length: 25 }, (_, i) => partitionOf(from + i * HOUR));
    // Act / Assess
    expect(hourPartitions(new Date(from), new Date(until))).toEqual(expected);
    expect(hourPartitions(new Date(from), new Date(from))).toEqual([]);
    // a range inside one hour, and one starting mid-hour
    expect(hourPartitions(new Date('2026-11-30T10:20:00Z'), new Date('2026-11-30T10:40:00Z'))).toEqual(['2026/11/30/10']);
    expect(hourPartitions(new Date('2026-11-30T10:20:00Z'), new Date('2026-11-30T11:20:00Z'))).toEqual(['2026/11/30/10', '2026/11/30/11']);
  });

  it('names the UTC hour of any time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (ms) => {
        expect(hourPartition(new Date(ms))).toBe(partitionOf(ms));
      }),
    );
  });

  it('writes a window as ISO strings', () => {
    expect(windowJson(range('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'))).toEqual({
      start: '2026-11-30T10:00:00.000Z',
      end: '2026-11-30T11:00:00.000Z',
    });
  });
});

describe('Function: durationSecondsOrProblem', () => {
  it.each([
    ['PT1H', 3600],
    ['PT30M', 30 * 60],
    ['P1D', 86_400],
    ['P1DT6H', 86_400 + 6 * 3600],
    ['PT0S', 0],
    ['PT90S', 90],
    ['P1W', 7 * 86_400],
    ['PT1H30M15S', 3600 + 30 * 60 + 15],
    ['PT1.5H', 5400],
    [' PT2H ', 7200],
  ] as const)('accepts %j as %i seconds', (text, seconds) => {
    expect(durationSecondsOrProblem(text)).toEqual({ seconds });
  });

  it.each(['P1M', 'P1Y', 'P1Y2D', 'P0Y1M', 'P1MT1H'])('refuses %j (years and months vary in length)', (text) => {
    const r = durationSecondsOrProblem(text);
    expect(r).toHaveProperty('problem');
    expect((r as { problem: string }).problem).toMatch(/years and months vary in length/);
    expect((r as { problem: string }).problem).toContain(JSON.stringify(text));
  });

  it.each(['', 'P', 'PT', 'P1DT', '1H', 'PT1H30', 'garbage', 'PT-1H', 'pt1h', 'P1H', 'PT0.5S'])('refuses %j', (text) => {
    const r = durationSecondsOrProblem(text);
    expect(r).toHaveProperty('problem');
    expect((r as { problem: string }).problem).toContain(JSON.stringify(text));
  });

  it('does not depend on the time zone or the date it runs at', () => {
    // Prepare: a local clock 30 minutes before Berlin switches to summer time
    const savedTz = process.env.TZ;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-03-28T00:30:00Z'));
    process.env.TZ = 'Europe/Berlin';
    try {
      // Act / Assess: a duration is a fixed span of time
      expect(durationSecondsOrProblem('PT1H')).toEqual({ seconds: 3600 });
      expect(durationSecondsOrProblem('PT30M')).toEqual({ seconds: 1800 });
      expect(durationSecondsOrProblem('PT24H')).toEqual({ seconds: 86_400 });
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
      vi.useRealTimers();
    }
  });
});

describe('Function: durationSeconds', () => {
  it('names the field in its error', () => {
    expect(durationSeconds('PT15M', 'monitor.captureLag')).toBe(900);
    expect(() => durationSeconds('P1M', 'monitor.window')).toThrow(/^monitor\.window: expected a duration in weeks/);
    expect(() => durationSeconds('soon', 'monitor.labelDelay')).toThrow(/^monitor\.labelDelay: expected an ISO 8601 duration/);
  });
});

describe('Function: formatDuration', () => {
  it.each([
    [3600, 'PT1H'],
    [86_400 + 6 * 3600, 'P1DT6H'],
    [0, 'PT0S'],
    [86_400, 'P1D'],
    [90, 'PT1M30S'],
    [3661, 'PT1H1M1S'],
    [2 * 86_400 + 59, 'P2DT59S'],
  ] as const)('writes %i seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('round-trips through durationSecondsOrProblem (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 86_400 }), (seconds) => {
        expect(durationSecondsOrProblem(formatDuration(seconds))).toEqual({ seconds });
      }),
    );
  });
});
