/**
 * The time window one monitor run covers, and the hour partitions it reads.
 *
 * A run covers `[windowEnd - length, windowEnd)`. `windowEnd` is the run's time (the
 * schedule event's `time`, else the execution's start) floored to the schedule's
 * period, so that consecutive scheduled runs tile time exactly: no gap, no overlap.
 * Periods are floored from the Unix epoch, so an hourly schedule ends its windows on
 * the hour and a daily one at 00:00 UTC. A backfill names `windowEnd` itself (taken
 * as given, not floored). The length is at most 24 hours.
 *
 * Live quality joins the predictions of the window shifted back by the label delay
 * with the ground truth that has arrived since the shifted window's start.
 *
 * SageMaker writes data capture under `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/`
 * and ground truth under `<prefix>/yyyy/mm/dd/hh/` (UTC hours).
 */
import { InputError } from '../../../vocabulary/errors';
import { durationSecondsOrProblem, MAX_WINDOW_SECONDS } from '../../../vocabulary/duration';

export { MAX_WINDOW_SECONDS };
const HOUR_MS = 3_600_000;

/** What a monitor run asks for (the `window` field of the monitor Lambdas' inputs). */
export interface WindowRequest {
  /** The schedule event's time; empty for a console or CLI start. */
  readonly time?: string;
  /** The execution's start (`$$.Execution.StartTime`). */
  readonly startedAt: string;
  /** A backfill's window end (ISO 8601), taken as given; empty: from the run's time. */
  readonly windowEnd?: string;
  /** A backfill's window length (ISO 8601 duration); empty: `defaultLengthSeconds`. */
  readonly length?: string;
  /** The monitor schedule's period, in seconds. */
  readonly periodSeconds: number;
  /** `monitor.window` in seconds. */
  readonly defaultLengthSeconds: number;
  /** `monitor.captureLag` in seconds. */
  readonly captureLagSeconds: number;
  /** `monitor.labelDelay` in seconds. */
  readonly labelDelaySeconds: number;
}

/** A half-open time interval `[start, end)`. */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

/** The resolved window of a run. */
export interface MonitorWindow extends TimeRange {
  /** True when the input named the window end (a backfill). */
  readonly backfill: boolean;
  /** The run's "now": the event time or execution start (ground truth is read up to it). */
  readonly now: Date;
}

function parseTime(text: string, field: string): Date {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw new InputError(`${field}: expected an ISO 8601 time such as 2026-11-30T10:00:00Z, got ${JSON.stringify(text)}`);
  }
  return new Date(ms);
}

/**
 * The window of a run.
 * @throws InputError for a malformed time or duration, or a length over 24 hours or under one second
 */
export function resolveWindow(req: WindowRequest): MonitorWindow {
  const now = parseTime(req.time || req.startedAt, req.time ? 'time' : 'startedAt');
  let lengthSeconds = req.defaultLengthSeconds;
  if (req.length) {
    const r = durationSecondsOrProblem(req.length);
    if ('problem' in r) throw new InputError(`window: ${r.problem}`);
    lengthSeconds = r.seconds;
  }
  if (!(lengthSeconds > 0) || lengthSeconds > MAX_WINDOW_SECONDS) {
    throw new InputError(`window: expected a length from 1 second to 24 hours (PT24H), got ${lengthSeconds} seconds`);
  }
  let end: Date;
  if (req.windowEnd) {
    end = parseTime(req.windowEnd, 'windowEnd');
  } else {
    const periodMs = req.periodSeconds * 1000;
    if (!(periodMs > 0)) throw new InputError(`periodSeconds: expected a positive number, got ${req.periodSeconds}`);
    end = new Date(Math.floor(now.getTime() / periodMs) * periodMs);
  }
  return { start: new Date(end.getTime() - lengthSeconds * 1000), end, backfill: Boolean(req.windowEnd), now };
}

/** The window whose predictions are joined with ground truth: the run's window shifted back by the label delay. */
export function labelWindow(window: TimeRange, labelDelaySeconds: number): TimeRange {
  const shift = labelDelaySeconds * 1000;
  return { start: new Date(window.start.getTime() - shift), end: new Date(window.end.getTime() - shift) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The `yyyy/mm/dd/hh` partition of the UTC hour holding `time`. */
export function hourPartition(time: Date): string {
  return `${time.getUTCFullYear()}/${pad(time.getUTCMonth() + 1)}/${pad(time.getUTCDate())}/${pad(time.getUTCHours())}`;
}

/**
 * The hour partitions of every UTC hour that starts before `until` and ends after
 * `from` (the hours overlapping `[from, until)`), oldest first.
 */
export function hourPartitions(from: Date, until: Date): string[] {
  const out: string[] = [];
  for (let h = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS; h < until.getTime(); h += HOUR_MS) out.push(hourPartition(new Date(h)));
  return out;
}

/** The capture partitions a window reads: from the window start's hour through `captureLag` past its end. */
export function capturePartitions(window: TimeRange, captureLagSeconds: number): string[] {
  return hourPartitions(window.start, new Date(window.end.getTime() + captureLagSeconds * 1000));
}

/** The window as ISO strings, for contracts and reports. */
export function windowJson(range: TimeRange): { start: string; end: string } {
  return { start: range.start.toISOString(), end: range.end.toISOString() };
}
