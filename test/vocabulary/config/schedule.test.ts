import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, scheduleProblem } from '../../../vocabulary/config/schedule';

const daysInMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
const weekday = (d: Date) => d.getUTCDay(); // 0 = Sunday
const at = (h: number, m: number) => (d: Date) => d.getUTCHours() === h && d.getUTCMinutes() === m;
const monToFri = (d: Date) => weekday(d) >= 1 && weekday(d) <= 5;

/** The day of the month of the weekday nearest day `n`, never leaving the month (EventBridge's `nW`). */
function nearestWeekday(d: Date, n: number): number {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), n));
  if (weekday(day) === 6) return n === 1 ? 3 : n - 1;
  if (weekday(day) === 0) return n === daysInMonth(d) ? n - 2 : n + 1;
  return n;
}

/** The last Monday-to-Friday day of the month (EventBridge's `LW`). */
function lastWeekday(d: Date): number {
  const last = daysInMonth(d);
  const w = weekday(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), last)));
  return w === 6 ? last - 1 : w === 0 ? last - 2 : last;
}

/**
 * Expressions from the EventBridge cron reference (examples and the wildcard
 * descriptions), each with its documented meaning written as a predicate on a minute.
 */
const documented: [string, string, (d: Date) => boolean][] = [
  ['cron(0 10 * * ? *)', '10:00 every day', at(10, 0)],
  ['cron(15 12 * * ? *)', '12:15 every day', at(12, 15)],
  ['cron(0 18 ? * MON-FRI *)', '18:00 Monday to Friday', (d) => at(18, 0)(d) && monToFri(d)],
  ['cron(0 8 1 * ? *)', '08:00 on the first day of every month', (d) => at(8, 0)(d) && d.getUTCDate() === 1],
  ['cron(0/15 * * * ? *)', 'every 15 minutes', (d) => d.getUTCMinutes() % 15 === 0],
  ['cron(0/10 * ? * MON-FRI *)', 'every 10 minutes Monday to Friday', (d) => d.getUTCMinutes() % 10 === 0 && monToFri(d)],
  ['cron(0/5 8-17 ? * MON-FRI *)', 'every 5 minutes Monday to Friday 08:00-17:55', (d) => d.getUTCMinutes() % 5 === 0 && d.getUTCHours() >= 8 && d.getUTCHours() <= 17 && monToFri(d)],
  ['cron(1/10 * * * ? *)', '"1/10": minutes 1, 11, 21, ...', (d) => d.getUTCMinutes() % 10 === 1],
  ['cron(0 9 ? * 2#1 *)', '09:00 on the first Monday', (d) => at(9, 0)(d) && weekday(d) === 1 && d.getUTCDate() <= 7],
  ['cron(0 12 ? * 3#2 *)', '"3#2": the second Tuesday', (d) => at(12, 0)(d) && weekday(d) === 2 && d.getUTCDate() > 7 && d.getUTCDate() <= 14],
  ['cron(0 12 ? * MON#2 *)', 'the second Monday, by name', (d) => at(12, 0)(d) && weekday(d) === 1 && d.getUTCDate() > 7 && d.getUTCDate() <= 14],
  ['cron(0 12 ? * 6L *)', 'the last Friday of the month', (d) => at(12, 0)(d) && weekday(d) === 5 && d.getUTCDate() + 7 > daysInMonth(d)],
  ['cron(0 12 ? * L *)', '"L" in day-of-week: the last day of the week (Saturday)', (d) => at(12, 0)(d) && weekday(d) === 6],
  ['cron(0 12 L * ? *)', '"L" in day-of-month: the last day of the month', (d) => at(12, 0)(d) && d.getUTCDate() === daysInMonth(d)],
  ['cron(0 12 3W * ? *)', '"3W": the weekday closest to the third', (d) => at(12, 0)(d) && d.getUTCDate() === nearestWeekday(d, 3)],
  ['cron(0 12 15W * ? *)', '"15W": the weekday closest to the fifteenth', (d) => at(12, 0)(d) && d.getUTCDate() === nearestWeekday(d, 15)],
  ['cron(0 12 1W * ? *)', '"1W" on a Saturday the 1st: Monday the 3rd, never the month before', (d) => at(12, 0)(d) && d.getUTCDate() === nearestWeekday(d, 1)],
  ['cron(0 12 LW * ? *)', '"LW": the last weekday of the month', (d) => at(12, 0)(d) && d.getUTCDate() === lastWeekday(d)],
  ['cron(0 12 ? JAN,MAR,AUG 1-7 *)', 'every day of January, March and August', (d) => at(12, 0)(d) && [0, 2, 7].includes(d.getUTCMonth())],
  ['cron(0 12 1 * ? 2027)', 'the 1st of every month in 2027 only', (d) => at(12, 0)(d) && d.getUTCDate() === 1 && d.getUTCFullYear() === 2027],
];

describe('Function: parseScheduleExpression', () => {
  // 2026-08-01 is a Saturday and 2026-08-15 a Saturday; 2026-02-15 and 2026-03-15 are Sundays
  const from = Date.UTC(2026, 0, 1);

  it.each(documented)('%s fires at the times EventBridge documents (%s)', (expression, _meaning, fires) => {
    // Prepare: eight months (two weeks for the expressions firing several times an hour)
    const to = /^cron\(\d+\//.test(expression) ? Date.UTC(2026, 0, 15) : Date.UTC(2026, 8, 1);
    const parsed = parseScheduleExpression(expression);
    if ('problem' in parsed) throw new Error(parsed.problem);
    const expected: number[] = [];
    for (let t = from + 60_000; t <= to; t += 60_000) if (fires(new Date(t))) expected.push(t);

    // Act
    const actual: number[] = [];
    for (let next = parsed.next(new Date(from)); next && next.getTime() <= to; next = parsed.next(next)) actual.push(next.getTime());

    // Assess
    expect(actual.map((t) => new Date(t).toISOString())).toEqual(expected.map((t) => new Date(t).toISOString()));
  });

  it('lands 15W on Friday the 14th when the 15th is a Saturday, and 1W on Monday the 3rd (August 2026)', () => {
    // Prepare
    const w15 = parseScheduleExpression('cron(0 12 15W * ? *)');
    const w1 = parseScheduleExpression('cron(0 12 1W * ? *)');
    if ('problem' in w15 || 'problem' in w1) throw new Error('expected valid expressions');

    // Act / Assess
    expect(w15.next(new Date('2026-08-01T00:00:00Z'))?.toISOString()).toBe('2026-08-14T12:00:00.000Z');
    expect(w1.next(new Date('2026-07-20T00:00:00Z'))?.toISOString()).toBe('2026-08-03T12:00:00.000Z');
  });

  it('fires rates at multiples of their period from the epoch, strictly after the given time', () => {
    // Prepare
    const parsed = parseScheduleExpression('rate(6 hours)');
    if ('problem' in parsed) throw new Error(parsed.problem);

    // Act / Assess
    expect(parsed.next(new Date('2026-01-01T05:59:00Z'))?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
    expect(parsed.next(new Date('2026-01-01T06:00:00Z'))?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(parsed.periodMs).toBe(6 * 3_600_000);
  });

  it('has no firing once the years of the expression have passed', () => {
    const parsed = parseScheduleExpression('cron(0 12 1 * ? 2027)');
    if ('problem' in parsed) throw new Error(parsed.problem);
    expect(parsed.next(new Date(Date.UTC(2028, 0, 1)))).toBeUndefined();
  });
});

describe('Function: scheduleProblem', () => {
  it.each([
    ['cron(0 12 * * MON *)', /exactly one of day-of-month and day-of-week must be "\?"/],
    ['cron(0 12 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 12 ? * 3#1,6#3 *)', /with "#" the day-of-week field holds one expression only/],
    ['cron(0 12 ? * 0 *)', /invalid day-of-week field value "0" \(allowed 1-7 or SUN-SAT\)/],
    ['cron(0 12 ? * 8 *)', /invalid day-of-week field value "8"/],
    ['cron(0 12 ? * 2#6 *)', /occurrence after "#" is 1-5/],
    ['cron(0 12 ? * MON/2 *)', /"\/" is not allowed in the day-of-week field/],
    ['cron(0 12 32 * ? *)', /invalid day-of-month field value "32"/],
    ['cron(0 12 1 * ? 2200)', /invalid year field value "2200" \(allowed 1970-2199\)/],
    ['cron(? 12 1 * ? *)', /"\?" is allowed only in the day-of-month and day-of-week fields/],
    ['cron(0 24 ? * MON *)', /invalid hours field value "24"/],
    ['cron(0 12 1W,L * ? *)', undefined],
    ['cron(0 12 ? * 1L *)', undefined],
    ['cron(0 2 ? * SUN)', /need 6 fields/],
    ['rate(1 hours)', /singular unit/],
    ['rate(2 hour)', /plural unit/],
    ['every hour', /expected "rate\(N unit\)"/],
  ] as const)('%s', (expression, expected) => {
    // Act
    const problem = scheduleProblem(expression);

    // Assess
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
