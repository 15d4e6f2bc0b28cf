import { beforeAll, describe, expect, it } from 'vitest';
import { stateKey } from '../../statemachines';
import { FakeEndpoint, FakeTable, messagingHandlers, reportResult } from './fakes';
import { synthesize, type Synthesized } from './fixtures';
import { callsTo, run, type Handler } from './harness';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

function monitorStates(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    'Validate captured data': () => ({ status: 'warning', checks: [], rows: 800 }),
    'Detect drift': () => ({
      features: [
        { feature: 'age', method: 'psi', score: 0.31, threshold: 0.2, drifted: true },
        { feature: 'plan', method: 'psi', score: 0.02, threshold: 0.2, drifted: false },
      ],
      driftedFeatures: 1,
      rows: 800,
    }),
    'Measure quality': () => ({ metrics: [{ metric: 'f1', value: 0.79 }], newLabeledSamples: 1200, matched: 640 }),
    'Write report': reportResult,
    ...extra,
  };
}

describe('State machine: Monitor', () => {
  it('publishes one datum per feature, per live metric and the two counts', async () => {
    // Prepare
    const table = new FakeTable();
    table.items.set(stateKey('churn'), { pk: { S: stateKey('churn') }, baselineUri: { S: 's3://a/baselines/churn/b.json' } });

    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: { ...table.handlers(), ...messagingHandlers() },
      states: monitorStates(),
    });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Detect drift')[0]!.input.baselineUri).toBe('s3://a/baselines/churn/b.json');
    const data = callsTo(execution, 'cloudwatch:putMetricData').flatMap((c) => {
      expect(c.input.Namespace).toBe('Pitstop');
      return c.input.MetricData as any[];
    });
    const byName = (n: string) => data.filter((d) => d.MetricName === n);
    expect(byName('Drift').map((d) => [d.Dimensions[1].Value, d.Value]).sort()).toEqual([['age', 0.31], ['plan', 0.02]]);
    expect(byName('LiveQuality')).toEqual([
      { MetricName: 'LiveQuality', Unit: 'None', Value: 0.79, Dimensions: [{ Name: 'Model', Value: 'churn' }, { Name: 'Metric', Value: 'f1' }] },
    ]);
    expect(byName('DriftedFeatures')[0]!.Value).toBe(1);
    expect(byName('NewLabeledSamples')[0]!.Value).toBe(1200);
    expect(callsTo(execution, 'sns:publish')).toHaveLength(0);
  });

  it('skips empty metric lists and passes an empty baseline before the first training', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: { ...new FakeTable().handlers(), ...messagingHandlers() },
      states: monitorStates({
        'Detect drift': () => ({ features: [], driftedFeatures: 0, rows: 0 }),
        'Measure quality': () => ({ metrics: [], newLabeledSamples: 0, matched: 0 }),
      }),
    });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Validate captured data')[0]!.input.baselineUri).toBe('');
    expect(callsTo(execution, 'cloudwatch:putMetricData')).toHaveLength(1);
  });

  it('reports, notifies and fails with DataQualityFailed on critical captured data', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: { ...new FakeTable().handlers(), ...messagingHandlers() },
      states: monitorStates({ 'Validate captured data': () => ({ status: 'critical', checks: [], rows: 3 }) }),
    });

    // Assess
    expect(execution.error).toBe('DataQualityFailed');
    expect(callsTo(execution, 'Detect drift')).toHaveLength(0);
    expect(callsTo(execution, 'Write report')[0]!.input).toMatchObject({ kind: 'monitor', outcome: 'Failed', error: 'DataQualityFailed' });
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
  });
});

describe('State machine: Rollback', () => {
  function world() {
    const endpoint = new FakeEndpoint('churn-endpoint', { configName: 'churn-new-final' });
    endpoint.configs.set('churn-old-final', [
      { VariantName: 'production', ModelName: 'churn-old', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 },
    ]);
    const table = new FakeTable();
    table.items.set(stateKey('churn'), {
      pk: { S: stateKey('churn') },
      endpointConfigName: { S: 'churn-new-final' },
      previousEndpointConfigName: { S: 'churn-old-final' },
    });
    return { endpoint, table, integrations: { ...endpoint.handlers(), ...table.handlers(), ...messagingHandlers() } };
  }

  it('restores the recorded previous config and records what it removed, never as the next target', async () => {
    // Prepare
    const { endpoint, table, integrations } = world();

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ outcome: 'RolledBack', endpointConfigName: 'churn-old-final', replacedConfigName: 'churn-new-final' });
    expect(endpoint.configName).toBe('churn-old-final');
    expect(table.items.get(stateKey('churn'))!.endpointConfigName!.S).toBe('churn-old-final');
    expect(table.items.get(stateKey('churn'))!.previousEndpointConfigName!.S).toBe('');
    expect(table.items.get(stateKey('churn'))!.rolledBackFromConfigName!.S).toBe('churn-new-final');
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);

    // A second rollback with no config named has nothing to go back to: it must not bring the removed model back.
    const again = await run(synth.definitions.rollback, {}, { integrations });
    expect(again.error).toBe('EndpointUpdateFailed');
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('restores the config given in the input', async () => {
    // Prepare
    const { endpoint, integrations } = world();
    endpoint.configs.set('churn-older-final', endpoint.configs.get('churn-old-final')!);

    // Act
    const execution = await run(synth.definitions.rollback, { endpointConfigName: 'churn-older-final' }, { integrations });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual(['churn-older-final']);
    expect(callsTo(execution, 'dynamodb:getItem')).toHaveLength(0);
  });

  it('fails with EndpointUpdateFailed when no previous config is recorded', async () => {
    // Prepare
    const { integrations } = world();
    const empty = new FakeTable();

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations: { ...integrations, ...empty.handlers() } });

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
  });

  it('fails with EndpointUpdateFailed when the restored config rolls back silently', async () => {
    // Prepare
    const { endpoint, integrations } = world();
    endpoint.faults.set('churn-old-final', 'silentRollback');

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.states).toContain('Restored config: silent rollback');
  });
});
