import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { PITSTOP_ERRORS } from '../../../statemachines/errors';
import { RETRAIN_ERRORS, buildFinish, retrainErrors } from '../../../statemachines/retrain/finish';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { modelConfig } from '../fixtures';
import { context, successors, testStack, writtenFields, type AslState, type BuiltPhase } from './phase-fixture';

/** The finish built alone, rendered. */
function finish(model = modelConfig()): BuiltPhase {
  const stack = testStack();
  const ctx = context(stack, model);
  const built = buildFinish(stack, ctx, sfn.StateMachine.fromStateMachineName(stack, 'rollback', 'rollback'));
  const graph = new sfn.StateGraph(built.start, 'finish');
  const json = stack.resolve(graph.toGraphJson()) as { StartAt: string; States: Record<string, AslState> };
  return { startAt: json.StartAt, states: json.States, policy: [] };
}

/** The names of every state reachable from `from`. */
function reachable(phase: BuiltPhase, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...successors(phase.states[name]!));
  }
  return seen;
}

describe('Function: buildFinish', () => {
  it('restores a changed endpoint before the report: rolls back a canary, deletes a created endpoint', () => {
    // Act
    const built = finish();

    // Assess
    expect(built.startAt).toBe('Endpoint to restore?');
    const restore = built.states['Endpoint to restore?']!;
    expect(restore.Choices.map((choice: AslState) => choice.Next)).toEqual(['Roll back endpoint', 'Delete failed endpoint']);
    expect(restore.Default).toBe('Write run report');
    // A failed restore still reports, records and releases: it is caught into the report.
    expect(built.states['Roll back endpoint']!.Catch.map((c: AslState) => c.Next)).toEqual(['Write run report']);
    expect(built.states['Delete failed endpoint']!.Catch.map((c: AslState) => c.Next)).toEqual(['Write run report']);
  });

  it('reaches the final route from every state, so no step of the finish leaves the lock held', () => {
    // Act
    const built = finish();

    // Assess
    for (const [name, state] of Object.entries(built.states)) {
      if (state.Type === 'Succeed' || state.Type === 'Fail') continue;
      expect(state.End, name).toBeUndefined();
      expect(reachable(built, name).has('Run ended with?'), name).toBe(true);
    }
    // Every path from the start to the end passes the lock check; the release is taken only when the guard took the lock.
    const lockHeld = built.states['Lock held?']!;
    expect(lockHeld.Choices).toEqual([{ Variable: `${RETRAIN_PATHS.guard}.taken`, BooleanEquals: true, Next: 'Release run lock' }]);
    for (const recorder of ['Record production model', 'Record retry time']) {
      expect(successors(built.states[recorder]!).every((next) => next === 'Lock held?'), recorder).toBe(true);
    }
    expect(successors(built.states['Release run lock']!).every((next) => next === 'Notify outcome')).toBe(true);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['automatic approval', {}, [PITSTOP_ERRORS.approvalRejected, PITSTOP_ERRORS.approvalTimedOut, PITSTOP_ERRORS.insufficientLabels]],
    ['manual approval', { approval: { mode: 'manual' } }, [PITSTOP_ERRORS.insufficientLabels]],
    ['a dataset', { features: [{ name: 'age', type: 'numeric' }], data: { ...modelConfig().data, dataset: {} } }, [PITSTOP_ERRORS.approvalRejected, PITSTOP_ERRORS.approvalTimedOut]],
  ];
  it.each(cases)('with %s: ends with each error its phases can end with, success for a skip or promotion, and pipeline failure otherwise', (_, overrides, absent) => {
    // Act
    const model = modelConfig(overrides);
    const built = finish(model);

    // Assess: a rule per error but PipelineFailed (the Default), none for an error no phase of this config sets
    const expected = RETRAIN_ERRORS.filter((e) => !absent.includes(e) && e !== PITSTOP_ERRORS.pipelineFailed);
    expect(retrainErrors(model).filter((e) => e !== PITSTOP_ERRORS.pipelineFailed)).toEqual(expected);
    const route = built.states['Run ended with?']!;
    const errors = route.Choices.filter((choice: AslState) => choice.Variable === `${RETRAIN_PATHS.end}.error`);
    expect(errors.map((choice: AslState) => choice.StringEquals)).toEqual(expected);
    for (const error of expected) expect(built.states[error]).toMatchObject({ Type: 'Fail', Error: error });
    for (const error of absent) expect(built.states[error]).toBeUndefined();
    expect(built.states.Skipped!.Type).toBe('Succeed');
    expect(built.states.Promoted!.Type).toBe('Succeed');
    expect(route.Default).toBe(PITSTOP_ERRORS.pipelineFailed);
    expect(built.states[route.Default]).toMatchObject({ Type: 'Fail', Error: PITSTOP_ERRORS.pipelineFailed, CausePath: `${RETRAIN_PATHS.end}.cause` });
    expect(writtenFields(built).filter((field) => !Object.values<string>(RETRAIN_PATHS).includes(field))).toEqual([]);
  });
});
