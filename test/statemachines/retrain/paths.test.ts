import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { buildRetrain } from '../../../statemachines/retrain';
import { RETRAIN_PATHS, RETRAIN_START_PATHS } from '../../../statemachines/retrain/paths';
import { modelConfig } from '../fixtures';
import { context, testStack, type AslState } from './phase-fixture';

/** The whole Retrain of a model with manual approval and tuning, rendered. */
function wholeRetrain(): Record<string, AslState> {
  const stack = testStack();
  const model = modelConfig({
    approval: { mode: 'manual' },
    training: {
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1',
      tuning: { objectiveMetric: { name: 'validation:f1', type: 'Maximize' }, ranges: { continuous: [{ name: 'eta', min: 0.01, max: 0.3 }] } },
    },
  });
  const machine = (id: string) => sfn.StateMachine.fromStateMachineName(stack, id, id);
  const { definition } = buildRetrain(stack, context(stack, model), { canary: machine('canary'), rollback: machine('rollback') });
  const graph = new sfn.StateGraph(definition.startState, 'retrain');
  return (stack.resolve(graph.toGraphJson()) as { States: Record<string, AslState> }).States;
}

/** Top-level fields of every state-data JSONPath (`$.x...`, not `$$.`) in `value`, results of tasks (ResultSelector) aside. */
function fieldsIn(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/(?<![$\w])\$\.([A-Za-z_]\w*)/g)) into.add(`$.${match[1]}`);
  } else if (Array.isArray(value)) {
    for (const item of value) fieldsIn(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'ResultSelector' || key === 'ItemSelector') continue;
      if (key === 'States') for (const state of Object.values(item as object)) fieldsIn(state, into);
      else fieldsIn(item, into);
    }
  }
}

describe('Constant: RETRAIN_PATHS', () => {
  it('holds every top-level field the Retrain reads or writes', () => {
    // Prepare
    const states = wholeRetrain();
    const used = new Set<string>();

    // Act
    fieldsIn(states, used);

    // Assess
    const declared = [...Object.values<string>(RETRAIN_PATHS), ...Object.values<string>(RETRAIN_START_PATHS)];
    expect([...used].filter((field) => !declared.includes(field)).sort()).toEqual([]);
  });

  it('declares no field the Retrain does not write', () => {
    // Prepare
    const states = wholeRetrain();
    const written = new Set<string>(Object.keys(states['Prepare run']!.Parameters).map((key) => `$.${key.replace(/\.\$$/, '')}`));
    const visit = (all: Record<string, AslState>) => {
      for (const state of Object.values(all)) {
        for (const path of [state.ResultPath, ...(state.Catch ?? []).map((c: AslState) => c.ResultPath)]) {
          if (typeof path === 'string') written.add(`$.${path.slice(2).split(/[.[]/)[0]}`);
        }
        for (const branch of state.Branches ?? []) visit(branch.States);
      }
    };

    // Act
    visit(states);

    // Assess
    expect(Object.values<string>(RETRAIN_PATHS).filter((field) => !written.has(field))).toEqual([]);
  });
});
