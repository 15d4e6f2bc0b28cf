import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_YEAR, YEARS, clockTables, epochSeconds } from '../../statemachines/clock';
import { run } from './harness';

const ADD = 174_600;

/** A definition made of the clock chain alone, reading `$.iso`. */
function clockDefinition(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Clock');
  const chain = epochSeconds(stack, 'Clock', { isoPath: '$.iso', resultPath: '$.clock', addSeconds: ADD });
  return stack.resolve(new sfn.StateGraph(chain.start, 'clock').toGraphJson());
}

describe('Function: clockTables', () => {
  it('starts 2024 at 1704067200 and knows 2100 is not a leap year', () => {
    const t = clockTables();
    expect(t.years[0]).toBe(1_704_067_200); // 2024-01-01T00:00:00Z
    expect(t.leap[0]).toBe(1); // 2024
    expect(t.leap[2100 - FIRST_YEAR]).toBe(0);
    expect(t.leap[2000 + 96 - FIRST_YEAR]).toBe(1); // 2096
    expect(t.months[1][3]).toBe((31 + 29) * 86_400); // March 1st in a leap year
  });
});

describe('Function: epochSeconds', () => {
  const definition = clockDefinition();

  it('reads a hand-checked timestamp', async () => {
    // 2024-03-01T00:00:00Z is 1709251200; one second before is Feb 29th 23:59:59
    const execution = await run(definition, { iso: '2024-02-29T23:59:59.999Z' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output.clock).toEqual({
      epochSeconds: 1_709_251_199,
      epochSecondsText: '1709251199',
      plusSeconds: 1_709_251_199 + ADD,
      plusSecondsText: String(1_709_251_199 + ADD),
    });
  });

  it('agrees with Date.parse on any time the tables cover, with or without milliseconds', async () => {
    const start = Date.UTC(FIRST_YEAR, 0, 1);
    const end = Date.UTC(FIRST_YEAR + YEARS, 0, 1) - 1;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: start, max: end }), fc.boolean(), async (ms, withMillis) => {
        const iso = withMillis ? new Date(ms).toISOString() : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const execution = await run(definition, { iso });
        const expected = Math.floor(ms / 1000);
        expect(execution.output?.clock?.epochSeconds, iso).toBe(expected);
        expect(execution.output.clock.plusSecondsText).toBe(String(expected + ADD));
      }),
      { numRuns: 60 },
    );
  });

  it('fails the state outside the years the tables cover', async () => {
    const execution = await run(definition, { iso: '2019-05-01T00:00:00.000Z' });
    expect(execution.status).toBe('FAILED');
  });
});
