import { describe, expect, it } from 'vitest';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { buildScore } from '../../../statemachines/retrain/score';
import { STAND_INS, buildPhase, dangling, predecessors, writtenFields } from './phase-fixture';

describe('Function: buildScore', () => {
  it('finds production first, prepares the holdout with or without it, continues after the scoring only', () => {
    // Act
    const score = buildPhase(buildScore);

    // Assess
    expect(score.startAt).toBe('Find production endpoint');
    expect(dangling(score)).toEqual([]);
    expect(predecessors(score, 'Prepare holdout')).toEqual(['Describe production config', 'No production endpoint']);
    expect(predecessors(score, STAND_INS.next)).toEqual(['Score holdout']);
  });

  it('grants the transform jobs once for both branches and writes only layout fields', () => {
    // Act
    const score = buildPhase(buildScore);

    // Assess
    const branches = score.states['Score holdout']!.Branches as { StartAt: string }[];
    expect(branches.map((b) => b.StartAt)).toEqual(['Score holdout with candidate', 'Production model to score?']);
    const actions = score.policy.flatMap((statement) => statement.toStatementJson().Action as string[] | string);
    expect(new Set(actions).size).toBe(actions.length);
    expect(writtenFields(score).filter((field) => !Object.values<string>(RETRAIN_PATHS).includes(field))).toEqual([]);
  });

  it('asks both transform jobs for CSV, one line per record, whatever the container\'s default Accept', () => {
    // Act
    const score = buildPhase(buildScore);

    // Assess
    const jobs: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const branch of score.states['Score holdout']!.Branches as { States: Record<string, Record<string, any>> }[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const state of Object.values(branch.States)) if (state.Parameters?.TransformOutput) jobs.push(state.Parameters.TransformOutput);
    }
    expect(jobs).toHaveLength(2);
    for (const output of jobs) expect(output).toMatchObject({ Accept: 'text/csv', AssembleWith: 'Line' });
  });
});
