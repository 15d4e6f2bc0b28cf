import { describe, expect, it } from 'vitest';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { buildPromote } from '../../../statemachines/retrain/promote';
import { modelConfig } from '../fixtures';
import { STAND_INS, buildPhase, dangling, predecessors, writtenFields } from './phase-fixture';

describe('Function: buildPromote', () => {
  it('with automatic approval continues from the registered candidate', () => {
    // Act
    const promote = buildPhase(buildPromote, modelConfig({ approval: { mode: 'auto' } }));

    // Assess
    expect(promote.startAt).toBe('Evaluate candidate');
    expect(dangling(promote)).toEqual([]);
    expect(predecessors(promote, STAND_INS.next)).toEqual(['Register candidate']);
    expect(promote.states['Ask for approval']).toBeUndefined();
    expect(predecessors(promote, STAND_INS.finish)).toEqual(expect.arrayContaining(['Gate rejected candidate']));
  });

  it('with manual approval continues from the approved package only', () => {
    // Act
    const promote = buildPhase(buildPromote, modelConfig({ approval: { mode: 'manual', timeoutHours: 2 } }));

    // Assess
    expect(dangling(promote)).toEqual([]);
    expect(promote.states['Register candidate']!.Next).toBe('Ask for approval');
    expect(predecessors(promote, STAND_INS.next)).toEqual(['Mark package approved']);
    expect(predecessors(promote, STAND_INS.finish)).toEqual(expect.arrayContaining(['Approval rejected', 'Approval timed out', 'Gate rejected candidate']));
    expect(writtenFields(promote).filter((field) => !Object.values<string>(RETRAIN_PATHS).includes(field))).toEqual([]);
  });
});
