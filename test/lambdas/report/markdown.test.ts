import { describe, expect, it } from 'vitest';
import { findResults } from '../../../lambdas/report/findings';
import { renderMarkdown } from '../../../lambdas/report/markdown';
import type { ReportInput } from '../../../vocabulary/contracts';

const evaluation = (candidate: number, production: number, passed: boolean) => ({
  passed,
  candidate: { f1: candidate },
  production: { f1: production },
  rules: [{ kind: 'primary', metric: 'f1', passed, candidate, production, threshold: production, message: passed ? 'pass' : 'fail' }],
  metricsUri: 's3://art/models/r/metrics.json',
});

const DATASET = {
  status: 'ready',
  cause: '',
  trainingUri: 's3://art/datasets/churn/r/train/',
  trainingContentType: 'text/csv',
  holdoutUri: 's3://art/datasets/churn/r/holdout/holdout.csv',
  holdoutKind: 'recent',
  fixedHoldoutUri: 's3://data/holdout.csv',
  manifestUri: 's3://art/datasets/churn/r/manifest.json',
  contentHash: 'sha256:abc',
  dataset: {
    historyRows: 1200,
    productionRows: 800,
    droppedRows: 7,
    dropped: { duplicate: 2, labelCount: 0, schema: 1, unlabeled: 4, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 },
    trainingCutoff: '2026-11-01T00:00:00.000Z',
    holdoutRows: 160,
    holdoutFrom: '2026-11-20T00:00:00.000Z',
    holdoutTo: '2026-11-30T00:00:00.000Z',
    manifestUri: 's3://art/datasets/churn/r/manifest.json',
  },
  skew: { status: 'warning', features: [{ feature: 'age', method: 'psi', score: 0.4, threshold: 0.2, drifted: true }, { feature: 'plan', method: 'psi', score: 0.01, threshold: 0.2, drifted: false }] },
};

const input = (details: Record<string, unknown>): ReportInput => ({
  model: 'churn',
  runId: 'churn-0123456789ab',
  kind: 'retrain',
  executionId: 'arn:aws:states:us-east-1:123456789012:execution:retrain:x',
  startedAt: '2026-12-01T00:00:00.000Z',
  outcome: 'Promoted',
  error: '',
  cause: '',
  details,
  recordUri: 's3://art/runs/churn/r.json',
  reportUri: 's3://art/reports/churn/r.md',
});

describe('Function: renderMarkdown (training data and both holdouts)', () => {
  it('shows where the training rows came from, the recent holdout, the manifest and the skewed features', () => {
    // Prepare
    const details = { dataset: DATASET, evaluation: evaluation(0.84, 0.7, true) };

    // Act
    const md = renderMarkdown(input(details), findResults(details), { summary: 'churn: Promoted', finishedAt: '2026-12-01T01:00:00.000Z' });

    // Assess: 800 labeled rows less the 160 held out train
    expect(md).toContain('## Training data: 1200 history rows + 640 labeled production rows');
    expect(md).toContain('| Holdout | recent: 160 labeled production rows from 2026-11-20T00:00:00.000Z to 2026-11-30T00:00:00.000Z |');
    // the rows left out by reason (the reasons with none are not listed), and the cut-off
    expect(md).toContain('| Rows left out | 7 (2 duplicate requests, 1 failing the training schema, 4 unlabeled) |');
    expect(md).toContain('| Production model cut-off | 2026-11-01T00:00:00.000Z |');
    expect(md).toContain('| Manifest | s3://art/datasets/churn/r/manifest.json |');
    expect(md).toContain('| age | psi | 0.4 | 0.2 |');
    expect(md).not.toContain('| plan | psi |');
  });

  it('shows the fixed holdout judgment beside the gate on the recent one, without taking it for the gate', () => {
    // Prepare: the candidate wins on recent traffic and loses on the old holdout
    const details = { dataset: DATASET, evaluation: evaluation(0.84, 0.7, true), fixedHoldout: { evaluation: evaluation(0.6, 0.75, false) } };

    // Act
    const findings = findResults(details);
    const md = renderMarkdown(input(details), findings, { summary: 'churn: Promoted', finishedAt: '2026-12-01T01:00:00.000Z' });

    // Assess
    expect(findings.evaluation?.passed).toBe(true);
    expect(md).toContain('## Gate: passed');
    expect(md).toContain('## For comparison: the fixed holdout (data.holdout) would have failed the candidate');
    expect(md).toContain('| f1 | 0.6 | 0.75 |');
  });
});
