/**
 * ISO 8601 durations (`PT1H`, `PT30M`, `P1D`, `P1DT6H`) as whole seconds, parsed with
 * the iso8601-duration library. Years and months are refused: their length depends on
 * the date, and every pitstop duration (window, capture lag, label delay) is a fixed
 * span of time.
 */
import { parse, pattern } from 'iso8601-duration';

/** Longest monitor window, in seconds. */
export const MAX_WINDOW_SECONDS = 86_400;

/**
 * Seconds of an ISO 8601 duration, or a problem sentence ("expected ..., got ...").
 */
export function durationSecondsOrProblem(text: string): { seconds: number } | { problem: string } {
  const trimmed = text.trim();
  if (!new RegExp(`^${pattern.source}$`).test(trimmed) || trimmed === 'P' || trimmed.endsWith('T')) {
    return { problem: `expected an ISO 8601 duration such as PT1H, PT30M or P1D, got ${JSON.stringify(text)}` };
  }
  const d = parse(trimmed);
  if ((d.years ?? 0) !== 0 || (d.months ?? 0) !== 0) {
    return { problem: `expected a duration in weeks, days, hours, minutes or seconds (years and months vary in length), got ${JSON.stringify(text)}` };
  }
  // Fixed lengths: the library's toSeconds measures from the local clock (a day across a
  // daylight-saving change would be 23 or 25 hours).
  const seconds = (d.weeks ?? 0) * 604_800 + (d.days ?? 0) * 86_400 + (d.hours ?? 0) * 3_600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  if (!Number.isFinite(seconds) || !Number.isInteger(seconds)) {
    return { problem: `expected a whole number of seconds, got ${JSON.stringify(text)} (${seconds} s)` };
  }
  return { seconds };
}

/**
 * Seconds of an ISO 8601 duration.
 * @throws Error naming `field` when the text is not a fixed-length ISO 8601 duration
 */
export function durationSeconds(text: string, field: string): number {
  const r = durationSecondsOrProblem(text);
  if ('problem' in r) throw new Error(`${field}: ${r.problem}`);
  return r.seconds;
}

/** The shortest ISO 8601 text of a whole number of seconds (`PT1H`, `P1DT6H`, `PT0S`). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return 'PT0S';
  const days = Math.floor(seconds / 86_400);
  let rest = seconds - days * 86_400;
  const hours = Math.floor(rest / 3_600);
  rest -= hours * 3_600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${secs ? `${secs}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
