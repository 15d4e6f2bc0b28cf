import { describe, expect, it } from 'vitest';
import { buildDeploy } from '../../../statemachines/retrain/deploy';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { STAND_INS, buildPhase, dangling, predecessors, writtenFields } from './phase-fixture';

describe('Function: buildDeploy', () => {
  it('chooses canary or first endpoint and continues from the promoted candidate only', () => {
    // Act
    const deploy = buildPhase(buildDeploy);

    // Assess
    expect(deploy.startAt).toBe('First deployment?');
    expect(dangling(deploy)).toEqual([]);
    expect(predecessors(deploy, 'Candidate promoted')).toEqual(['Canary promoted candidate', 'First endpoint live']);
    expect(predecessors(deploy, STAND_INS.next)).toEqual(['Endpoint settled']);
  });

  it('ends a failed deployment at the finish with the endpoint change recorded', () => {
    // Act
    const deploy = buildPhase(buildDeploy);

    // Assess
    expect(predecessors(deploy, STAND_INS.finish)).toEqual(['Canary did not finish', 'Canary restored endpoint', 'First deployment failed', STAND_INS.unexpected]);
    // The endpoint counts as created only after CreateEndpoint succeeded.
    expect(deploy.states['Create endpoint']!.Next).toBe('Endpoint created');
    expect(deploy.states['Endpoint created']!.ResultPath).toBe(RETRAIN_PATHS.endpointChange);
    expect(writtenFields(deploy).filter((field) => !Object.values<string>(RETRAIN_PATHS).includes(field))).toEqual([]);
  });
});
