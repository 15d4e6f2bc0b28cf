/**
 * The simulated clock of a local run: real time plus an offset that the runner moves
 * forward ("an hour later", "four days later"), so hourly monitor runs, M-of-N alarm
 * periods and retrain cooldowns behave as synthesized without waiting for them.
 *
 * Only what pitstop schedules reads this clock (the backend's metric timestamps and
 * alarm evaluation, EventBridge schedules, `$$.Execution.StartTime`); endpoint
 * metrics and the canary check keep real time, because live traffic happens in real time.
 */

/** A clock that runs at real speed from a movable starting point. */
export class SimulatedClock {
  private offsetMs = 0;

  /** @param realNow the real clock @default Date.now */
  public constructor(private readonly realNow: () => number = Date.now) {}

  /** The simulated time now. */
  public now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  /** How far the simulated time is ahead of real time, in milliseconds. */
  public get offset(): number {
    return this.offsetMs;
  }

  /** Moves the simulated time forward by `ms` (never backwards). */
  public advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`expected a non-negative duration, got ${ms}`);
    this.offsetMs += ms;
  }

  /** Moves the simulated time forward to `time`; a time already passed leaves it where it is. */
  public advanceTo(time: Date): void {
    this.advance(Math.max(0, time.getTime() - this.now().getTime()));
  }
}

const DAY_MS = 86_400_000;

/**
 * The first `weekday` (0 = Sunday) at `hourUtc`:00 UTC that is at least `minAheadMs`
 * after `from`: where the runner lands when "days pass" after the bootstrap, chosen so
 * the landing is past the retrain cooldown and away from weekly schedules.
 */
export function nextWeekdayAt(from: Date, minAheadMs: number, weekday: number, hourUtc: number): Date {
  const earliest = from.getTime() + minAheadMs;
  const day = new Date(earliest);
  day.setUTCHours(hourUtc, 0, 0, 0);
  let t = day.getTime();
  if (t < earliest) t += DAY_MS;
  while (new Date(t).getUTCDay() !== weekday) t += DAY_MS;
  return new Date(t);
}
