import { beforeAll, describe, expect, it } from 'vitest';
import { stateKey } from '../../statemachines';
import { FakeAlarms, FakeStarts, FakeTable, messagingHandlers, reportResult } from './fakes';
import { synthesize, type Synthesized } from './fixtures';
import { callsTo, run, type Handler } from './harness';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const NOW = '2024-06-10T12:00:00.000Z';
const REFERENCE_URI = 's3://a/models/churn/churn-abc/holdout-predictions.json';

/** A monitor world whose production record has (or lacks) a prediction reference. */
function world(referenceUri?: string) {
  const table = new FakeTable();
  table.items.set(stateKey('churn'), {
    pk: { S: stateKey('churn') },
    baselineUri: { S: 's3://a/baselines/churn/b.json' },
    ...(referenceUri === undefined ? {} : { predictionReferenceUri: { S: referenceUri } }),
  });
  return { ...table.handlers(), ...messagingHandlers(), ...new FakeAlarms().handlers(), ...new FakeStarts().handlers() };
}

function states(quality: Handler): Record<string, Handler> {
  return {
    'Plan window': () => ({ decision: 'single', bytes: 4096, objects: 2, shards: 0, manifestBucket: '', manifestKey: '', partialsKey: '' }),
    'Validate captured data': () => ({ status: 'healthy', checks: [], rows: 800 }),
    'Detect drift': () => ({ features: [{ feature: 'age', method: 'psi', score: 0.01, threshold: 0.2, drifted: false }], driftedFeatures: 0, rows: 800 }),
    'Measure quality': quality,
    'Write report': reportResult,
  };
}

const datums = (execution: Awaited<ReturnType<typeof run>>) => callsTo(execution, 'cloudwatch:putMetricData').flatMap((c) => c.input.MetricData as any[]);

describe('Function: buildPublishMetrics', () => {
  it('passes the recorded prediction reference to the quality step and publishes EstimatedQuality and PredictionDrift', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, { trigger: 'schedule', time: '2024-06-10T11:00:00Z' }, {
      integrations: world(REFERENCE_URI),
      states: states(() => ({
        metrics: [{ metric: 'f1', value: 0.8 }],
        newLabeledSamples: 10,
        matched: 300,
        estimated: [
          { metric: 'accuracy', value: 0.91 },
          { metric: 'f1', value: 0.74 },
        ],
        predictionDrift: { method: 'psi', score: 0.27, threshold: 0.2, drifted: true },
      })),
      startTime: NOW,
    });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Measure quality')[0]!.input.referenceUri).toBe(REFERENCE_URI);
    const all = datums(execution);
    const model = { Name: 'Model', Value: 'churn' };
    expect(all.filter((d) => d.MetricName === 'EstimatedQuality').sort((a, b) => a.Value - b.Value)).toEqual([
      { MetricName: 'EstimatedQuality', Unit: 'None', Value: 0.74, Dimensions: [model, { Name: 'Metric', Value: 'f1' }] },
      { MetricName: 'EstimatedQuality', Unit: 'None', Value: 0.91, Dimensions: [model, { Name: 'Metric', Value: 'accuracy' }] },
    ]);
    expect(all.filter((d) => d.MetricName === 'PredictionDrift')).toEqual([{ MetricName: 'PredictionDrift', Unit: 'None', Value: 0.27, Dimensions: [model] }]);
    // the live metric is still published beside the estimate
    expect(all.filter((d) => d.MetricName === 'LiveQuality').map((d) => d.Value)).toEqual([0.8]);
    expect(execution.states).toEqual(expect.arrayContaining(['Put estimated quality metrics', 'Put prediction drift metric']));
  });

  it('publishes neither without a recorded reference (a model promoted before it existed)', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: world(),
      states: states(() => ({ metrics: [], newLabeledSamples: 0, matched: 0 })),
      startTime: NOW,
    });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Measure quality')[0]!.input.referenceUri).toBe('');
    const names = datums(execution).map((d) => d.MetricName);
    expect(names).not.toContain('EstimatedQuality');
    expect(names).not.toContain('PredictionDrift');
    expect(execution.states).toEqual(expect.arrayContaining(['No estimated metrics', 'No prediction drift']));
  });
});
