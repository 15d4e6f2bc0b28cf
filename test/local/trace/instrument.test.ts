import { describe, expect, it } from 'vitest';
import { graphEdges } from '../../../local/trace';
import { run, stepError } from '../../statemachines/harness';

const TASK = 'arn:aws:states:::lambda:invoke';

/** Two Catch entries and two Choice rules with the same targets, a Map and a Parallel. */
const definition = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: TASK,
      ResultSelector: { 'value.$': '$.value', 'items.$': '$.items' },
      Catch: [
        { ErrorEquals: ['Custom.Error'], Next: 'Handle' },
        { ErrorEquals: ['States.ALL'], Next: 'Handle' },
      ],
      Next: 'Pick',
    },
    Pick: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.value', NumericGreaterThan: 10, Next: 'Fan out' },
        { Variable: '$.value', NumericLessThan: 0, Next: 'Fan out' },
      ],
      Default: 'Handle',
    },
    'Fan out': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Item kind',
        States: {
          'Item kind': {
            Type: 'Choice',
            Choices: [{ Variable: '$', NumericGreaterThan: 0, Next: 'Positive' }],
            Default: 'Negative',
          },
          Positive: { Type: 'Wait', Seconds: 1, End: true },
          Negative: { Type: 'Pass', End: true },
        },
      },
      ResultPath: null,
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', Next: 'Left tail' }, 'Left tail': { Type: 'Wait', Seconds: 1, End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
      ],
      Next: 'Done',
    },
    Handle: { Type: 'Fail', Error: 'Handled' },
    Done: { Type: 'Succeed' },
  },
};

describe('Function: instrument', () => {
  it('tells two Choice rules with the same target apart, and records the rule that matched', async () => {
    // Prepare
    const items = { value: 11, items: [] as number[] };
    const negative = { value: -1, items: [] };

    // Act
    const high = await run(definition, {}, { states: { Work: () => items } });
    const low = await run(definition, {}, { states: { Work: () => negative } });

    // Assess
    expect(high.edges.has('Pick#rule:1')).toBe(true);
    expect(high.edges.has('Pick#rule:2')).toBe(false);
    expect(low.edges.has('Pick#rule:2')).toBe(true);
    expect(low.edges.has('Pick#rule:1')).toBe(false);
  });

  it('tells two Catch entries with the same target apart', async () => {
    // Prepare
    const custom = () => {
      throw stepError('Custom.Error', 'boom');
    };
    const other = () => {
      throw stepError('Other.Error', 'boom');
    };

    // Act
    const first = await run(definition, {}, { states: { Work: custom } });
    const second = await run(definition, {}, { states: { Work: other } });

    // Assess
    expect([...first.edges]).toEqual(['Work#catch:1', 'Handle#fail']);
    expect([...second.edges]).toEqual(['Work#catch:2', 'Handle#fail']);
    expect(second.error).toBe('Handled');
  });

  it('does not count a Next the engine read when the state then failed', async () => {
    // Prepare: no `value` in the result, so the ResultSelector fails after the engine read Next
    const noValue = () => ({ other: 1 });

    // Act
    const execution = await run(definition, {}, { states: { Work: noValue } });

    // Assess: States.Runtime is not caught (as in Step Functions), and no edge was taken
    expect(execution.error).toBe('States.Runtime');
    expect([...execution.edges]).toEqual([]);
    expect(execution.states).toEqual(['Work']);
  });

  it('keeps concurrent Map iterations and Parallel branches apart, and lists every state entered', async () => {
    // Prepare: one positive item (waits, ends later) and one negative (ends at once)
    const input = { value: 20, items: [5, -5] };

    // Act
    const execution = await run(definition, {}, { states: { Work: () => input } });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const all = graphEdges(definition).map((e) => e.id);
    const expected = ['Work#next', 'Pick#rule:1', 'Item kind#rule:1', 'Item kind#default', 'Positive#end', 'Negative#end', 'Fan out#next', 'Left#next', 'Left tail#end', 'Right#end', 'Both#next', 'Done#succeed'];
    expect([...execution.edges].sort()).toEqual(expected.sort());
    expect(all.filter((id) => !execution.edges.has(id)).sort()).toEqual(['Pick#default', 'Pick#rule:2', 'Work#catch:1', 'Work#catch:2', 'Handle#fail'].sort());
    // The tail of a branch that ends after its sibling is in the list, as is every iteration's state.
    expect(execution.states.filter((s) => s === 'Item kind')).toHaveLength(2);
    expect(execution.states).toEqual(expect.arrayContaining(['Positive', 'Negative', 'Left', 'Left tail', 'Right', 'Done']));
    expect(execution.states.at(-1)).toBe('Done');
  });
});
