import { describe, expect, it } from 'vitest';
import { retrainBudget } from '../../statemachines/timeouts';
import { modelConfig, synthesize } from './fixtures';
import { datasetModel } from './retrain/dataset-world';

/**
 * The longest a definition's states can take if each runs once to its timeout: the sum
 * of the TimeoutSeconds of its states, a Parallel counting its longest branch.
 */
function sumOfTimeouts(states: Record<string, any>): number {
  let sum = 0;
  for (const state of Object.values(states)) {
    if (state.Type === 'Parallel') sum += Math.max(state.TimeoutSeconds ?? 0, ...state.Branches.map((b: any) => sumOfTimeouts(b.States)));
    else if (state.Type === 'Map') sum += Math.max(state.TimeoutSeconds ?? 0, sumOfTimeouts((state.ItemProcessor ?? state.Iterator).States));
    else sum += state.TimeoutSeconds ?? 0;
  }
  return sum;
}

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

  it('adds the dataset step and the fixed-holdout judgment with data.dataset (hand-computed)', () => {
    // three Lambda steps of 15 minutes (prepare dataset, prepare fixed holdout, evaluate on it) and one 6-hour transform; the canary as in the first test
    const budget = retrainBudget(datasetModel());
    expect(retrainBudget(modelConfig()).dataset.toSeconds()).toBe(0);
    expect(budget.dataset.toSeconds()).toBe(3 * 900 + 6 * HOUR);
    expect(budget.retrain.toSeconds()).toBe(90_000 + 52_920 + 12 * HOUR + 3 * 900 + 6 * HOUR);
  });

  it('covers the sum of the steps timeouts of the synthesized Retrain, with and without data.dataset', () => {
    for (const model of [modelConfig(), datasetModel()]) {
      const retrain = synthesize(model).definitions.retrain as any;
      expect(retrain.TimeoutSeconds, model.data.dataset ? 'with data.dataset' : 'without').toBeGreaterThanOrEqual(sumOfTimeouts(retrain.States));
      expect(retrain.TimeoutSeconds).toBe(retrainBudget(model).retrain.toSeconds());
    }
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
