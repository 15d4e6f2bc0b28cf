import { describe, expect, it } from 'vitest';
import { ValidateOutput } from '../../../vocabulary/contracts';
import { InputError } from '../../../vocabulary/errors';
import { handler } from '../../../lambdas/validate/handler';
import { EnvironmentError, EventError } from '../../../lambdas/runtime/errors';
import { BINARY_SETTINGS, RUN, captureLine, useHandlerFixture } from '../helpers';

const s3 = useHandlerFixture(BINARY_SETTINGS);

describe('Function: validate handler', () => {
  it('flags a column with too many missing values in the training data', async () => {
    // Prepare: 10 rows, y missing in 2 of them (20 % >= the 10 % critical default)
    const rows = Array.from({ length: 10 }, (_, i) => `${i},${i < 2 ? '' : i},${i % 2}`);
    s3().put({ 's3://data/train/train.csv': `x,y,label\n${rows.join('\n')}\n` });
    // Act
    const out = await handler({ ...RUN, target: 'training', dataUri: 's3://data/train/', baselineUri: '' });
    // Assess
    expect(ValidateOutput.parse(out)).toEqual(out);
    expect(out.rows).toBe(10);
    expect(out.status).toBe('critical');
    const y = out.checks.find((c) => c.check === 'missing' && c.column === 'y');
    expect(y).toMatchObject({ value: 0.2, status: 'critical', threshold: 0.1 });
    expect(out.checks.find((c) => c.check === 'missing' && c.column === 'x')).toMatchObject({ value: 0, status: 'healthy' });
    expect(out.checks.find((c) => c.check === 'rows')).toMatchObject({ value: 10, status: 'healthy' });
  });

  it('reads captured data as data capture, naming positional features after the config', async () => {
    const lines = [captureLine('e1', [1, 2], 0.3), captureLine('e2', [3, 4], 0.6), captureLine('e3', [5, 6], 0.9)];
    s3().put({ 's3://data/capture/churn/AllTraffic/2026/01/01/00/a.jsonl': `${lines.join('\n')}\n` });
    const out = await handler({ ...RUN, target: 'captured', dataUri: 's3://data/capture/', baselineUri: '' });
    expect(ValidateOutput.safeParse(out).success).toBe(true);
    expect(out.rows).toBe(3);
    const columns = out.checks.filter((c) => c.check === 'missing').map((c) => c.column);
    // the meta columns are not features: an unset inferenceId is no missing value
    expect(columns).toEqual(['x', 'y', 'prediction']);
    // the schema check found both configured features
    expect(out.checks.find((c) => c.check === 'schema')).toMatchObject({ status: 'healthy' });
  });

  it('reports an empty capture prefix as zero rows, critical against minRows', async () => {
    const out = await handler({ ...RUN, target: 'captured', dataUri: 's3://data/capture/', baselineUri: '' });
    expect(ValidateOutput.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ rows: 0, status: 'critical' });
    expect(out.checks.find((c) => c.check === 'rows')).toMatchObject({ value: 0, status: 'critical', threshold: 3 });
  });

  it('rejects a bad event with a clear error', async () => {
    const err = await handler({ ...RUN, target: 'everything', dataUri: 's3://d/x.csv' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^invalid validate event: target: .*; baselineUri: /);
  });

  it('fails clearly without the model settings', async () => {
    delete process.env.PITSTOP_MODEL_CONFIG;
    const err = await handler({ ...RUN, target: 'training', dataUri: 's3://data/train/', baselineUri: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(/PITSTOP_MODEL_CONFIG is not set/);
  });

  it('names a missing baseline object', async () => {
    s3().put({ 's3://data/train/train.csv': 'x,y,label\n1,2,0\n' });
    await expect(
      handler({ ...RUN, target: 'training', dataUri: 's3://data/train/', baselineUri: 's3://art/baselines/churn/r/baseline.json' }),
    ).rejects.toThrow(/^s3:\/\/art\/baselines\/churn\/r\/baseline\.json: cannot read from S3: NoSuchKey/);
  });
});
