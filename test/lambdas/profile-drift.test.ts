import { beforeEach, describe, expect, it } from 'vitest';
import { DriftOutput, ProfileOutput } from '../../vocabulary/contracts';
import { parseProfile } from '../../lambdas/core/profile';
import { handler as drift } from '../../lambdas/drift/handler';
import { handler as profile } from '../../lambdas/profile/handler';
import { BINARY_SETTINGS, RUN, captureLine, useHandlerFixture, useSettings } from './helpers';

const s3 = useHandlerFixture(BINARY_SETTINGS);

/** 200 training rows: x and y spread evenly over 0..99, label alternating. */
const TRAINING = `x,y,label\n${Array.from({ length: 200 }, (_, i) => `${i % 100},${(i * 7) % 100},${i % 2}`).join('\n')}\n`;
const BASELINE = 's3://art/baselines/churn/r1/baseline.json';

describe('Function: profile handler', () => {
  it('writes a baseline of the configured features and the label to outputUri', async () => {
    // Prepare
    s3().put({ 's3://data/train/part-0.csv': TRAINING });
    // Act
    const out = await profile({ ...RUN, trainingUri: 's3://data/train/', outputUri: BASELINE });
    // Assess
    expect(ProfileOutput.parse(out)).toEqual({ baselineUri: BASELINE, rows: 200, features: ['x', 'y'] });
    const written = parseProfile(s3().json(BASELINE), BASELINE);
    expect(written.rowCount).toBe(200);
    expect(written.label).toMatchObject({ name: 'label', type: 'categorical', counts: { '0': 100, '1': 100 } });
    expect(written.features.map((f) => [f.name, f.type])).toEqual([
      ['x', 'numeric'],
      ['y', 'numeric'],
    ]);
    expect(s3().written.get(BASELINE)?.contentType).toBe('application/json');
  });

  it('rejects an event without outputUri', async () => {
    await expect(profile({ ...RUN, trainingUri: 's3://data/train/' })).rejects.toThrow(/^invalid profile event: outputUri: /);
  });
});

describe('Function: drift handler', () => {
  beforeEach(async () => {
    s3().put({ 's3://data/train/part-0.csv': TRAINING });
    await profile({ ...RUN, trainingUri: 's3://data/train/', outputUri: BASELINE });
  });

  it('flags the shifted feature and not the stable one', async () => {
    // Prepare: x shifted far above the training range, y drawn like the training data
    const lines = Array.from({ length: 100 }, (_, i) => captureLine(`e${i}`, [500 + i, (i * 7) % 100], 0.5));
    s3().put({ 's3://data/capture/churn/AllTraffic/2026/01/01/00/a.jsonl': lines.join('\n') });
    // Act
    const out = await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: BASELINE });
    // Assess
    expect(DriftOutput.safeParse(out).success).toBe(true);
    expect(out.rows).toBe(100);
    const byName = Object.fromEntries(out.features.map((f) => [f.feature, f]));
    expect(byName.x).toMatchObject({ method: 'psi', threshold: 0.2, drifted: true });
    expect(byName.x!.score).toBeGreaterThan(0.2);
    expect(byName.y).toMatchObject({ method: 'psi', drifted: false });
    expect(byName.y!.score).toBeLessThan(0.2);
    expect(out.driftedFeatures).toBe(1);
  });

  it('publishes the adjusted p-value the verdict used, with the config\'s correction and effect floor', async () => {
    // Prepare: x shifted a little, y unchanged; ks on both features
    const lines = Array.from({ length: 100 }, (_, i) => captureLine(`e${i}`, [(i + 8) % 100, (i * 7) % 100], 0.5));
    s3().put({ 's3://data/capture/churn/AllTraffic/2026/01/01/00/a.jsonl': lines.join('\n') });
    useSettings({ ...BINARY_SETTINGS, drift: { method: 'ks', threshold: 0.05, driftedFeatures: 1 } });
    const plain = await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: BASELINE });
    useSettings({ ...BINARY_SETTINGS, drift: { method: 'ks', threshold: 0.05, driftedFeatures: 1, correction: 'bonferroni' } });
    // Act
    const corrected = await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: BASELINE });
    useSettings({ ...BINARY_SETTINGS, drift: { method: 'ks', threshold: 0.05, driftedFeatures: 1, minEffect: 0.99 } });
    const floored = await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: BASELINE });
    // Assess: Bonferroni over m = 2 features doubles each p-value (capped at 1)
    expect(DriftOutput.safeParse(corrected).success).toBe(true);
    corrected.features.forEach((f, i) => {
      expect(f.score).toBeCloseTo(Math.min(1, 2 * plain.features[i]!.score), 14);
      expect(f.drifted).toBe(f.score < f.threshold);
    });
    for (const f of floored.features) {
      expect(f.drifted).toBe(false);
      expect(f.score).toBeGreaterThanOrEqual(f.threshold);
    }
  });

  it('reports nothing drifted without a baseline', async () => {
    const out = await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: '' });
    expect(out).toEqual({ features: [], driftedFeatures: 0, rows: 0 });
  });

  it('reports nothing drifted before any request was captured', async () => {
    const out = await drift({ ...RUN, captureUri: 's3://data/capture/', baselineUri: BASELINE });
    expect(DriftOutput.parse(out)).toEqual({ features: [], driftedFeatures: 0, rows: 0 });
  });
});
