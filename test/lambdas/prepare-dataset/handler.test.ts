import { describe, expect, it } from 'vitest';
import { handler as prepareDataset } from '../../../lambdas/prepare-dataset/handler';
import { PrepareDatasetOutput, type PrepareDatasetInput } from '../../../vocabulary/dataset-contracts';
import { BINARY_SETTINGS, RUN, etagOf, groundTruthLine, useHandlerFixture } from '../helpers';

const s3 = useHandlerFixture(BINARY_SETTINGS);

const HOUR = 3_600_000;
const STARTED = Date.parse('2026-12-01T00:00:00Z');
const PREFIX = 's3://art/datasets/churn/churn-0123456789ab/';
const CAPTURE = 's3://data/capture/churn-prod/production/';

const EVENT: PrepareDatasetInput = {
  ...RUN,
  problemType: 'binary',
  label: 'label',
  features: [
    { name: 'x', type: 'numeric' },
    { name: 'y', type: 'numeric' },
  ],
  startedAt: new Date(STARTED).toISOString(),
  trainingCutoff: '',
  history: { uri: 's3://data/train.csv', windowSeconds: 0, timestampColumn: '' },
  production: { enabled: true, windowSeconds: 30 * 86_400, capturePrefix: CAPTURE, captureLagSeconds: 3600, groundTruthUri: 's3://data/gt/' },
  holdout: { kind: 'auto', fraction: 0.25, minRows: 2, fixedUri: 's3://data/holdout.csv' },
  output: { format: 'csv', header: true },
  skew: { severity: 'warning', method: 'psi', threshold: 0.2 },
  outputPrefix: PREFIX,
};

const HISTORY = 'x,y,label\n1,2,0\n3,4,1\n';

/** The hour partition of a time: `yyyy/mm/dd/hh`. */
const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, '/');

/** A captured request `id` at `ms` with features x, y. */
function captured(id: string, ms: number, x: number, y: number): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: `${x},${y}`, encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.5', encoding: 'CSV' },
    },
    eventMetadata: { eventId: id, inferenceTime: new Date(ms).toISOString() },
    eventVersion: '0',
  });
}

/** n labeled requests, one a day ending a day before the start, and one day-old capture file per request. */
function traffic(n: number): Record<string, string> {
  const objects: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const at = STARTED - (n - i) * 24 * HOUR;
    objects[`${CAPTURE}${hour(at)}/c-${i}.jsonl`] = `${captured(`e${i}`, at, 10 + i, i)}\n`;
    objects[`s3://data/gt/${hour(at + HOUR)}/g-${i}.jsonl`] = `${groundTruthLine(`e${i}`, String(i % 2))}\n`;
  }
  return objects;
}

describe('Function: prepareDataset handler', () => {
  it('writes the training channel, the recent holdout and a manifest naming every object read with its ETag', async () => {
    // Prepare: 8 labeled requests; a quarter (2) is the holdout
    s3().put({ 's3://data/train.csv': HISTORY, ...traffic(8) });

    // Act
    const out = PrepareDatasetOutput.parse(await prepareDataset(EVENT));

    // Assess: the training channel holds the history then the 6 older requests; the holdout the 2 newest
    expect(out.status).toBe('ready');
    expect(out.trainingUri).toBe(`${PREFIX}train/`);
    expect(s3().written.get(`${PREFIX}train/train.csv`)!.body).toBe('x,y,label\n1,2,0\n3,4,1\n10,0,0\n11,1,1\n12,2,0\n13,3,1\n14,4,0\n15,5,1\n');
    expect(s3().written.get(`${PREFIX}holdout/holdout.csv`)!.body).toBe('x,y,label\n16,6,0\n17,7,1\n');
    expect(out.holdoutUri).toBe(`${PREFIX}holdout/holdout.csv`);
    expect(out.dataset).toEqual({
      historyRows: 2,
      productionRows: 8,
      droppedRows: 0,
      dropped: { duplicate: 0, labelCount: 0, schema: 0, unlabeled: 0, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 },
      trainingCutoff: '',
      holdoutRows: 2,
      holdoutFrom: new Date(STARTED - 2 * 24 * HOUR).toISOString(),
      holdoutTo: new Date(STARTED - 24 * HOUR).toISOString(),
      manifestUri: `${PREFIX}manifest.json`,
    });
    const manifest = s3().json(`${PREFIX}manifest.json`) as { objects: { role: string; uri: string; etag: string }[]; contentHash: string };
    expect(manifest.objects.filter((o) => o.role === 'history')).toEqual([{ role: 'history', uri: 's3://data/train.csv', etag: etagOf(HISTORY), size: HISTORY.length }]);
    expect(manifest.objects.filter((o) => o.role === 'capture')).toHaveLength(8);
    expect(manifest.objects.filter((o) => o.role === 'groundTruth')).toHaveLength(8);
    expect(manifest.objects.every((o) => /^"[0-9a-f]{32}"$/.test(o.etag))).toBe(true);
    expect(manifest.contentHash).toBe(out.contentHash);
  });

  it('stops with insufficientLabels, writing nothing, when the recent holdout is below minRows', async () => {
    // Prepare
    s3().put({ 's3://data/train.csv': HISTORY, ...traffic(8) });

    // Act
    const out = PrepareDatasetOutput.parse(await prepareDataset({ ...EVENT, holdout: { ...EVENT.holdout, minRows: 500 } }));

    // Assess
    expect(out.status).toBe('insufficientLabels');
    expect(out.cause).toMatch(/2 labeled production rows .* fewer than holdout\.minRows 500/);
    expect([...s3().written.keys()]).toEqual([]);
  });

  it('keeps requests older than the production model training cut-off out of the holdout', async () => {
    // Prepare: the cut-off falls between the two newest requests
    s3().put({ 's3://data/train.csv': HISTORY, ...traffic(8) });

    // Act
    const out = await prepareDataset({ ...EVENT, trainingCutoff: new Date(STARTED - 1.5 * 24 * HOUR).toISOString(), holdout: { ...EVENT.holdout, minRows: 1 } });

    // Assess
    expect(out.dataset.holdoutRows).toBe(1);
    expect(s3().written.get(`${PREFIX}holdout/holdout.csv`)!.body).toBe('x,y,label\n17,7,1\n');
  });

  it('ends the history window at the recent holdout: no history row trains that is as new as the oldest holdout row', async () => {
    // Prepare: a 10-day history window; the holdout (2 of 8 daily requests) starts 2 days before the run,
    // so of the history's rows dated 5, 2 and 1 days back only the first may train
    const day = 24 * HOUR;
    const dated = (daysBack: number) => new Date(STARTED - daysBack * day).toISOString();
    const history = `ts,x,y,label\n${dated(20)},1,1,0\n${dated(5)},2,2,1\n${dated(2)},3,3,0\n${dated(1)},4,4,1\n`;
    s3().put({ 's3://data/train.csv': history, ...traffic(8) });

    // Act
    const out = await prepareDataset({ ...EVENT, history: { uri: 's3://data/train.csv', windowSeconds: 10 * 86_400, timestampColumn: 'ts' } });

    // Assess
    const holdoutFrom = Date.parse(out.dataset.holdoutFrom);
    expect(holdoutFrom).toBe(STARTED - 2 * day);
    const training = s3().written.get(`${PREFIX}train/train.csv`)!.body.trim().split('\n').slice(1);
    expect(training.slice(0, 1)).toEqual(['2,2,1']);
    expect(out.dataset).toMatchObject({ historyRows: 1, droppedRows: 3, dropped: { historyOutsideWindow: 1, historyAtOrAfterHoldout: 2 } });
  });

  it('counts the rows left out by reason: unlabeled, duplicate, schema', async () => {
    // Prepare: 8 labeled requests, one unlabeled request, one request captured twice, one with a feature that is not a number
    const at = STARTED - 10 * 24 * HOUR;
    s3().put({
      's3://data/train.csv': HISTORY,
      ...traffic(8),
      [`${CAPTURE}${hour(at)}/extra.jsonl`]: `${[captured('unlabeled', at, 1, 1), captured('e0', at, 99, 99), captured('bad', at, Number.NaN, 1)].join('\n')}\n`,
      [`s3://data/gt/${hour(at + HOUR)}/extra.jsonl`]: `${groundTruthLine('bad', '1')}\n`,
    });

    // Act
    const out = await prepareDataset(EVENT);

    // Assess
    expect(out.status).toBe('ready');
    expect(out.dataset.dropped).toEqual({ duplicate: 1, labelCount: 0, schema: 1, unlabeled: 1, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 });
    expect(out.dataset.droppedRows).toBe(3);
    expect(out.dataset.productionRows).toBe(8);
  });

  it('trains on the history alone and scores on data.holdout when no request is labeled yet', async () => {
    // Prepare
    s3().put({ 's3://data/train.csv': HISTORY });

    // Act
    const out = await prepareDataset(EVENT);

    // Assess
    expect(out).toMatchObject({ status: 'ready', holdoutKind: 'fixed', holdoutUri: 's3://data/holdout.csv' });
    expect(out.dataset).toMatchObject({ historyRows: 2, productionRows: 0, holdoutRows: 0, holdoutFrom: '', holdoutTo: '' });
  });

  it('rejects an event without the output prefix', async () => {
    const { outputPrefix: _, ...partial } = EVENT;
    await expect(prepareDataset(partial)).rejects.toThrow(/invalid prepareDataset event: outputPrefix/);
  });
});
