import { beforeAll, describe, expect, it } from 'vitest';
import type { Synthesized } from '../fixtures';
import { callsTo, stepError } from '../harness';
import { datasetReady, retrain, synthesizeWithDataset, world } from './dataset-world';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesizeWithDataset();
});

const transformInputs = (execution: Awaited<ReturnType<typeof retrain>>) =>
  callsTo(execution, 'sagemaker:createTransformJob').map((c) => [c.input.TransformJobName as string, c.input.TransformInput.DataSource.S3DataSource.S3Uri as string]);

describe('State machine: Retrain judging the candidate on the fixed holdout too (report only)', () => {
  it('scores both models on data.holdout as well, keeps that verdict for the report and promotes on the recent one', async () => {
    // Act: the fixed holdout's evaluation fails the candidate; the gate on the recent holdout passes it
    const execution = await retrain(synth, world(), {});

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    const fixed = callsTo(execution, 'Prepare fixed holdout');
    expect(fixed).toHaveLength(1);
    expect(fixed[0]!.input.holdoutUri).toBe('s3://churn-data/holdout/');
    const fixedInput = fixed[0]!.input.transformInputUri as string;
    expect(fixedInput).toMatch(/\/transforms\/churn\/churn-[0-9a-f]{12}\/input\/fixed\/holdout\.csv$/);
    const recentInput = callsTo(execution, 'Prepare holdout')[0]!.input.transformInputUri as string;
    const byJob = transformInputs(execution);
    expect(byJob).toHaveLength(4);
    expect(byJob.filter(([job]) => /-(candf|prodf)$/.test(job)).map(([, uri]) => uri)).toEqual([fixedInput, fixedInput]);
    expect(byJob.filter(([job]) => /-(cand|prod)$/.test(job)).map(([, uri]) => uri)).toEqual([recentInput, recentInput]);
    expect(callsTo(execution, 'Evaluate on fixed holdout')[0]!.input.labelsUri).toBe(fixed[0]!.input.labelsUri);
    const details = callsTo(execution, 'Write run report')[0]!.input.details;
    expect(details.fixedHoldout.evaluation.passed).toBe(false);
    expect(details.evaluation.passed).toBe(true);
    expect(execution.states.at(-1)).toBe('Promoted');
  });

  it('judges nothing twice when the gate already scored the fixed holdout', async () => {
    const execution = await retrain(synth, world(), {
      'Prepare dataset': (i) => ({ ...datasetReady(i), holdoutKind: 'fixed', holdoutUri: 's3://churn-data/holdout/' }),
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Prepare fixed holdout')).toHaveLength(0);
    expect(transformInputs(execution)).toHaveLength(2);
  });

  it('goes on to the gate, noting why, when the fixed judgment fails', async () => {
    const execution = await retrain(synth, world(), {
      'Prepare fixed holdout': () => {
        throw stepError('InputError', 's3://churn-data/holdout/h.csv:3, column "churned": missing label');
      },
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Evaluate on fixed holdout')).toHaveLength(0);
    expect(callsTo(execution, 'Write run report')[0]!.input.details.fixedHoldout.error).toMatch(/missing label/);
  });
});
