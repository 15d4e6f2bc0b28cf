import { describe, expect, it } from 'vitest';
import { retrainBudget } from '../../statemachines/timeouts';
import { modelConfig, synthesize } from './fixtures';

const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1';
const HOUR = 3600;

describe('Function: retrainBudget', () => {
  it('adds training, approval, canary and the fixed twelve hours (hand-computed)', () => {
    // fixture: maxRuntime 86400 s, auto approval, 3 stages of 5 minutes, metric lag 3 minutes, 3 extensions
    // training 86400 + 3600; canary 3 × ((5 + 3 + 1) × 60 + 3 × (300 + 900)) + (3 + 6) × (3600 + 900); fixed 12 h
    const budget = retrainBudget(modelConfig());
    expect(budget.training.toSeconds()).toBe(90_000);
    expect(budget.approval.toSeconds()).toBe(0);
    expect(budget.canary.toSeconds()).toBe(3 * (540 + 3600) + 9 * 4500);
    expect(budget.retrain.toSeconds()).toBe(90_000 + 52_920 + 12 * HOUR);
  });

  it('waits for spot capacity up to maxWaitSeconds and counts manual approval', () => {
    const budget = retrainBudget(modelConfig({ training: { image, managedSpot: true, maxRuntimeSeconds: 3600 }, approval: { mode: 'manual', timeoutHours: 2 } }));
    expect(budget.training.toSeconds()).toBe(2 * 3600 + HOUR); // maxWaitSeconds defaults to 2 × maxRuntimeSeconds
    expect(budget.approval.toSeconds()).toBe(2 * HOUR);
  });

  it('runs a tuning job in ceil(maxJobs / maxParallelJobs) rounds', () => {
    const tuning = { objectiveMetric: { name: 'f1', type: 'Maximize' }, maxJobs: 5, maxParallelJobs: 2, ranges: { continuous: [{ name: 'eta', min: 0, max: 1 }] } };
    expect(retrainBudget(modelConfig({ training: { image, maxRuntimeSeconds: 1000, tuning } })).training.toSeconds()).toBe(3 * 1000 + HOUR);
  });

  it('refuses a budget beyond a Standard execution year', () => {
    const tuning = { objectiveMetric: { name: 'f1', type: 'Maximize' }, maxJobs: 750, maxParallelJobs: 1, ranges: { continuous: [{ name: 'eta', min: 0, max: 1 }] } };
    expect(() => retrainBudget(modelConfig({ training: { image, maxRuntimeSeconds: 86_400, tuning } }))).toThrow(/expected a retrain budget .* within 365 days, got \d+ days/);
  });

  it('is the Retrain and Canary timeouts of the synthesized state machines', () => {
    const model = modelConfig({ approval: { mode: 'manual', timeoutHours: 3 } });
    const { definitions } = synthesize(model);
    const budget = retrainBudget(model);
    expect((definitions.retrain as any).TimeoutSeconds).toBe(budget.retrain.toSeconds());
    expect((definitions.canary as any).TimeoutSeconds).toBe(budget.canary.toSeconds());
    expect((definitions.retrain as any).States['Run canary'].TimeoutSeconds).toBe(budget.canary.toSeconds());
  });
});
