import { describe, expect, it } from 'vitest';
import { alarmWindowProblem, schedulePeriodSeconds } from '../../vocabulary/periods';

describe('Function: schedulePeriodSeconds', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(15 minutes)', 900],
    ['rate(1 hour)', 3_600],
    ['rate(6 hours)', 21_600],
    ['rate(1 day)', 86_400],
    ['cron(0 * * * ? *)', 3_600],
    ['cron(0 0/6 * * ? *)', 21_600],
    ['cron(0 */2 * * ? *)', 7_200],
    ['cron(0 2 ? * SUN *)', 86_400],
    ['cron(30 8 * * ? *)', 86_400],
  ])('%s -> %i seconds', (expression, seconds) => {
    expect(schedulePeriodSeconds(expression)).toBe(seconds);
  });

  it('rejects an expression that is neither rate nor cron', () => {
    expect(() => schedulePeriodSeconds('every hour')).toThrow('expected a schedule expression "rate(N unit)" or "cron(...)", got "every hour"');
  });
});

describe('Function: alarmWindowProblem', () => {
  it('accepts the limits exactly: 1 day under one-hour periods, 7 days otherwise', () => {
    expect(alarmWindowProblem(60, 1_440)).toBeUndefined();
    expect(alarmWindowProblem(3_600, 168)).toBeUndefined();
    expect(alarmWindowProblem(10, 1)).toBeUndefined();
  });

  it('refuses one period more than the limits', () => {
    expect(alarmWindowProblem(60, 1_441)).toMatch(/^expected period x evaluationPeriods <= 86400 seconds .*got 60 x 1441 = 86460$/);
    expect(alarmWindowProblem(3_600, 169)).toMatch(/^expected period x evaluationPeriods <= 604800 seconds .*got 3600 x 169 = 608400$/);
  });

  it('refuses periods CloudWatch does not accept and bad evaluation periods', () => {
    expect(alarmWindowProblem(45, 1)).toBe('expected an alarm period of 10, 20, 30 or a multiple of 60 seconds, got 45');
    expect(alarmWindowProblem(90, 1)).toMatch(/got 90$/);
    expect(alarmWindowProblem(60, 0)).toBe('expected evaluationPeriods to be an integer >= 1, got 0');
  });
});
