import { describe, expect, it } from 'vitest';
import { ReportOutput } from '../../../vocabulary/contracts';
import { handler } from '../../../lambdas/report/handler';
import { RUN, useHandlerFixture } from '../helpers';

const s3 = useHandlerFixture();

const EVENT = {
  ...RUN,
  kind: 'retrain',
  executionId: 'arn:aws:states:us-east-1:123456789012:execution:retrain:x',
  startedAt: '2026-01-01T00:00:00.000Z',
  outcome: 'Promoted',
  error: '',
  cause: '',
  cooldownDays: 7,
  details: {
    evaluation: {
      passed: true,
      candidate: { f1: 0.84 },
      production: { f1: 0.81 },
      rules: [{ kind: 'primary', metric: 'f1', passed: true, candidate: 0.84, production: 0.81, threshold: 0.81, message: 'f1 >= production: pass' }],
      metricsUri: 's3://art/models/r/metrics.json',
    },
  },
  recordUri: 's3://art/runs/churn/churn-0123456789ab.json',
  reportUri: 's3://art/reports/churn/churn-0123456789ab.md',
} as const;

describe('Function: report handler', () => {
  it('writes the record and the report, summarizes the gate and sets the cooldown end', async () => {
    const out = await handler(EVENT);
    expect(ReportOutput.safeParse(out).success).toBe(true);
    expect(out.summary).toBe('churn: Promoted (f1 0.81 → 0.84)');
    expect(Date.parse(out.nextEligibleAt!) - Date.parse(out.finishedAt)).toBe(7 * 24 * 3600 * 1000);
    const record = s3().json(EVENT.recordUri) as Record<string, unknown>;
    expect(record).toMatchObject({ model: 'churn', outcome: 'Promoted', summary: out.summary, details: EVENT.details, finishedAt: out.finishedAt });
    const md = s3().written.get(EVENT.reportUri)!;
    expect(md.contentType).toMatch(/^text\/markdown/);
    expect(md.body).toContain('# churn: Promoted (f1 0.81 → 0.84)');
    expect(md.body).toContain('| primary | f1 | 0.84 | 0.81 | 0.81 | f1 >= production: pass |');
  });

  it('leaves nextEligibleAt out without cooldownDays and names the error', async () => {
    const { cooldownDays: _, ...rest } = EVENT;
    const out = await handler({ ...rest, outcome: 'Failed', error: 'PipelineFailed', cause: 'S3 unreadable', details: {} });
    expect(out.nextEligibleAt).toBeUndefined();
    expect(out.summary).toBe('churn: Failed — PipelineFailed: S3 unreadable');
  });

  it('rejects an unknown kind', async () => {
    await expect(handler({ ...EVENT, kind: 'party' })).rejects.toThrow(/^invalid report event: kind: /);
  });
});
