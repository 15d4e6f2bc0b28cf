import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../vocabulary/config/index';
import { configOf, issuesOf, minimalModel } from './fixtures';

describe('Config: monitor windows and retry', () => {
  it('defaults: the window is the schedule period (unset), an hour of capture lag, no label delay, 100 rows, 24 h retry', () => {
    const model = parseConfig(configOf()).models[0]!;
    expect(model.monitor).toEqual({ captureLag: 'PT1H', labelDelay: 'PT0H', minRows: 100, fanOutBytes: 9_000_000_000, shardBytes: 2_700_000_000, maxConcurrency: 40, toleratedFailurePercentage: 0 });
    expect(model.triggers.retryAfterHours).toBe(24);
  });

  it('accepts ISO 8601 durations', () => {
    const model = parseConfig(configOf(minimalModel({ monitor: { window: 'PT6H', captureLag: 'PT30M', labelDelay: 'P2D', minRows: 10 } }))).models[0]!;
    expect(model.monitor).toMatchObject({ window: 'PT6H', captureLag: 'PT30M', labelDelay: 'P2D', minRows: 10 });
  });

  it.each([
    ['a window over a day', { monitor: { window: 'PT25H' } }, /^models\[0\]\.monitor\.window: expected a window longer than 0 and at most PT24H, got PT25H/],
    ['a month (its length varies)', { monitor: { labelDelay: 'P1M' } }, /^models\[0\]\.monitor\.labelDelay: expected a duration in weeks, days, hours/],
    ['a malformed duration', { monitor: { captureLag: '1 hour' } }, /^models\[0\]\.monitor\.captureLag: expected an ISO 8601 duration/],
    ['a schedule slower than daily without a window', { triggers: { monitorSchedule: 'rate(2 days)' } }, /^models\[0\]\.monitor\.window: the monitor schedule rate\(2 days\) runs every 48 hours/],
    ['a cron at listed hours (uneven runs)', { triggers: { monitorSchedule: 'cron(0 9,17 * * ? *)' } }, /^models\[0\]\.triggers\.monitorSchedule: the monitor schedule cron\(0 9,17 \* \* \? \*\) runs at uneven times/],
    ['a cron twice an hour', { triggers: { monitorSchedule: 'cron(0/30 * * * ? *)' } }, /^models\[0\]\.triggers\.monitorSchedule: .* runs at uneven times/],
    ['a cron every 5 hours (24 is not a multiple)', { triggers: { monitorSchedule: 'cron(0 0/5 * * ? *)' } }, /24 is not a multiple of 5/],
  ])('rejects %s', (_, overrides, expected) => {
    expect(issuesOf(() => parseConfig(configOf(minimalModel(overrides))))).toEqual([expect.stringMatching(expected)]);
  });

  it.each(['rate(1 hour)', 'rate(6 hours)', 'cron(15 * * * ? *)', 'cron(0 0/6 * * ? *)', 'cron(30 2 * * ? *)'])('accepts the evenly spaced schedule %s', (monitorSchedule) => {
    expect(parseConfig(configOf(minimalModel({ triggers: { monitorSchedule } }))).models[0]!.triggers.monitorSchedule).toBe(monitorSchedule);
  });
});
