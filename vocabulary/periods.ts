/**
 * CloudWatch alarm periods: which period fits a monitor schedule, and the limits
 * PutMetricAlarm enforces on a period and its evaluation range.
 */

const SECONDS = { minute: 60, hour: 3_600, day: 86_400 } as const;

/** Longest evaluation range (period x evaluation periods) of an alarm, in seconds. */
export const MAX_EVALUATION_RANGE_SECONDS = 7 * SECONDS.day;
/** Longest evaluation range when the period is under one hour, in seconds. */
export const MAX_SHORT_PERIOD_RANGE_SECONDS = SECONDS.day;

/**
 * The alarm period, in seconds, that matches how often a schedule publishes one
 * datapoint, so that "M of N datapoints" counts monitor runs.
 *
 * - `rate(N unit)`: exactly N units.
 * - `cron(...)`: one hour when the hours field is `*` (or a step such as `0/2`, taken
 *   as its step), else one day. Unusual crons (several runs a day at listed hours)
 *   should set the period explicitly.
 *
 * @throws Error when the expression is neither `rate(...)` nor `cron(...)`
 */
export function schedulePeriodSeconds(expression: string): number {
  const rate = /^rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)$/.exec(expression.trim());
  if (rate) return Number(rate[1]) * SECONDS[rate[2] as keyof typeof SECONDS];
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron) {
    const hours = cron[1]!.trim().split(/\s+/)[1] ?? '*';
    if (hours === '*') return SECONDS.hour;
    const step = /^(?:\*|\d+)\/(\d+)$/.exec(hours);
    if (step) return Number(step[1]) * SECONDS.hour;
    return SECONDS.day;
  }
  throw new Error(`expected a schedule expression "rate(N unit)" or "cron(...)", got "${expression}"`);
}

/**
 * Why an alarm with this period and number of evaluation periods would be refused by
 * CloudWatch, or undefined when it is accepted.
 */
export function alarmWindowProblem(periodSeconds: number, evaluationPeriods: number): string | undefined {
  if (!Number.isInteger(periodSeconds) || periodSeconds <= 0 || (periodSeconds % 60 !== 0 && ![10, 20, 30].includes(periodSeconds))) {
    return `expected an alarm period of 10, 20, 30 or a multiple of 60 seconds, got ${periodSeconds}`;
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    return `expected evaluationPeriods to be an integer >= 1, got ${evaluationPeriods}`;
  }
  const range = periodSeconds * evaluationPeriods;
  const max = periodSeconds < SECONDS.hour ? MAX_SHORT_PERIOD_RANGE_SECONDS : MAX_EVALUATION_RANGE_SECONDS;
  if (range > max) {
    return (
      `expected period x evaluationPeriods <= ${max} seconds (${max / SECONDS.day} day${max > SECONDS.day ? 's' : ''}` +
      `${periodSeconds < SECONDS.hour ? ' for periods under one hour' : ''}), got ${periodSeconds} x ${evaluationPeriods} = ${range}`
    );
  }
  return undefined;
}
