import { describe, expect, it } from 'vitest';
import { buildGuard } from '../../../statemachines/retrain/guard';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { STAND_INS, buildPhase, dangling, predecessors, writtenFields } from './phase-fixture';

describe('Function: buildGuard', () => {
  it('enters at the input defaults and leaves no state without a way on', () => {
    // Act
    const guard = buildPhase(buildGuard);

    // Assess
    expect(guard.startAt).toBe('Apply defaults');
    expect(dangling(guard)).toEqual([]);
  });

  it('continues only from the cooldown check, forced or out of cooldown', () => {
    // Act
    const guard = buildPhase(buildGuard);

    // Assess
    expect(predecessors(guard, STAND_INS.next)).toEqual(['Cooldown over?']);
    const cooldown = guard.states['Cooldown over?']!;
    expect(cooldown.Choices[0]).toMatchObject({ Variable: `${RETRAIN_PATHS.request}.force`, BooleanEquals: true, Next: STAND_INS.next });
    expect(cooldown.Default).toBe(STAND_INS.next);
    expect(predecessors(guard, STAND_INS.finish)).toEqual(expect.arrayContaining(['Another run in flight', 'In cooldown']));
  });

  it('writes only fields of the state layout', () => {
    // Act
    const guard = buildPhase(buildGuard);

    // Assess
    expect(writtenFields(guard).filter((field) => !Object.values<string>(RETRAIN_PATHS).includes(field))).toEqual([]);
    expect(Object.keys(guard.states['Prepare run']!.Parameters).map((key) => `$.${key.replace(/\.\$$/, '')}`)).toEqual([
      RETRAIN_PATHS.request,
      RETRAIN_PATHS.run,
      RETRAIN_PATHS.guard,
      RETRAIN_PATHS.endpointChange,
    ]);
  });
});
