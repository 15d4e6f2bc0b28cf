import { beforeAll, describe, expect, it } from 'vitest';
import { lockKey, stateKey } from '../../statemachines';
import { FAKE_FAILURE_REASON, FakeAlarms, FakeEndpoint, FakeStarts, FakeTable, messagingHandlers, reportResult } from './fakes';
import { synthesize, type Synthesized } from './fixtures';
import { callsTo, run, type Handler } from './harness';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

function monitorStates(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    'Plan window': () => ({ decision: 'single', bytes: 4096, objects: 2, shards: 0, manifestBucket: '', manifestKey: '', partialsKey: '' }),
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

const NOW = '2024-06-10T12:00:00.000Z';
const ALARMS = { drift: 'pitstop-churn-drifted-features', labels: 'pitstop-churn-new-labeled-samples' };

/** A world for the monitor: the state table, the alarms, the started executions. */
function monitorWorld(state: Record<string, string> = {}, alarms: Record<string, string> = {}) {
  const table = new FakeTable();
  table.items.set(stateKey('churn'), {
    pk: { S: stateKey('churn') },
    baselineUri: { S: 's3://a/baselines/churn/b.json' },
    ...Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { S: v }])),
  });
  const fakeAlarms = new FakeAlarms({ [ALARMS.drift]: 'OK', [ALARMS.labels]: 'OK', ...alarms });
  const starts = new FakeStarts();
  return { table, alarms: fakeAlarms, starts, integrations: { ...table.handlers(), ...messagingHandlers(), ...fakeAlarms.handlers(), ...starts.handlers() } };
}

describe('State machine: Monitor', () => {
  it('publishes one datum per feature, per live metric and the two counts', async () => {
    // Prepare
    const world = monitorWorld({ trainingCutoff: '2024-06-01T00:00:00.000Z' });

    // Act
    const execution = await run(synth.definitions.monitor, { trigger: 'schedule', time: '2024-06-10T11:00:00Z' }, {
      integrations: world.integrations,
      states: monitorStates(),
      startTime: NOW,
    });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Detect drift')[0]!.input.baselineUri).toBe('s3://a/baselines/churn/b.json');
    const window = callsTo(execution, 'Validate captured data')[0]!.input.window;
    expect(window).toMatchObject({ time: '2024-06-10T11:00:00Z', startedAt: NOW, windowEnd: '', length: '', periodSeconds: 3600, defaultLengthSeconds: 3600, captureLagSeconds: 3600, labelDelaySeconds: 0, minRows: 100 });
    expect(window.capturePrefix).toMatch(/\/churn-endpoint\/production\/$/);
    expect(callsTo(execution, 'Detect drift')[0]!.input.window).toEqual(window);
    expect(callsTo(execution, 'Measure quality')[0]!.input).toMatchObject({ window, labelsSince: '2024-06-01T00:00:00.000Z' });
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
    // The state list holds the tail of each Parallel branch after a Map (the engine's
    // event log drops those once the root execution ends), one entry per call made.
    expect(execution.states).toEqual(expect.arrayContaining(['Put drift metrics', 'Put quality metrics']));
    for (const state of ['Put drift metrics', 'Put quality metrics']) {
      expect(execution.states.filter((s) => s === state)).toHaveLength(callsTo(execution, state).length);
    }
  });

  it('passes a backfill window from the input', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, { windowEnd: '2026-11-30T10:00:00Z', window: 'PT6H' }, {
      integrations: monitorWorld().integrations,
      states: monitorStates(),
      startTime: NOW,
    });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Validate captured data')[0]!.input.window).toMatchObject({ time: '', windowEnd: '2026-11-30T10:00:00Z', length: 'PT6H' });
    // reported, not published (datapoints would carry the current time), and nothing re-armed
    expect(callsTo(execution, 'Write report')).toHaveLength(1);
    expect(callsTo(execution, 'cloudwatch:putMetricData')).toHaveLength(0);
    expect(callsTo(execution, 'cloudwatch:describeAlarms')).toHaveLength(0);
  });

  it('skips empty metric lists and passes an empty baseline before the first training', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: { ...new FakeTable().handlers(), ...messagingHandlers(), ...new FakeAlarms().handlers(), ...new FakeStarts().handlers() },
      states: monitorStates({
        'Detect drift': () => ({ features: [], driftedFeatures: 0, rows: 0 }),
        'Measure quality': () => ({ metrics: [], newLabeledSamples: 0, matched: 0 }),
      }),
      startTime: NOW,
    });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Validate captured data')[0]!.input.baselineUri).toBe('');
    expect(callsTo(execution, 'Measure quality')[0]!.input.labelsSince).toBe('');
    expect(callsTo(execution, 'cloudwatch:putMetricData')).toHaveLength(1);
  });

  it('publishes no drift or quality datapoint on a quiet window, succeeds and notifies nobody', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: monitorWorld().integrations,
      states: monitorStates({
        'Validate captured data': () => ({ status: 'healthy', checks: [], rows: 12, insufficientData: true }),
        'Measure quality': () => ({ metrics: [], newLabeledSamples: 40, matched: 3, insufficientData: true }),
      }),
      startTime: NOW,
    });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'Detect drift')).toHaveLength(0);
    const names = callsTo(execution, 'cloudwatch:putMetricData').flatMap((c) => (c.input.MetricData as any[]).map((d) => d.MetricName));
    expect(names).toEqual(['NewLabeledSamples']);
    expect(callsTo(execution, 'Write report')[0]!.input.details.drift).toMatchObject({ insufficientData: true, rows: 12, features: [] });
    expect(callsTo(execution, 'sns:publish')).toHaveLength(0);
  });

  it('reports, notifies and fails with DataQualityFailed on critical captured data', async () => {
    // Act
    const execution = await run(synth.definitions.monitor, {}, {
      integrations: monitorWorld().integrations,
      states: monitorStates({ 'Validate captured data': () => ({ status: 'critical', checks: [], rows: 300 }) }),
      startTime: NOW,
    });

    // Assess
    expect(execution.error).toBe('DataQualityFailed');
    expect(callsTo(execution, 'Detect drift')).toHaveLength(0);
    expect(callsTo(execution, 'cloudwatch:setAlarmState')).toHaveLength(0);
    expect(callsTo(execution, 'Write report')[0]!.input).toMatchObject({ kind: 'monitor', outcome: 'Failed', error: 'DataQualityFailed' });
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
  });

  it('re-arms exactly the retrain-trigger alarms in ALARM when a retrain may start', async () => {
    // Prepare: a retrain that did not promote; its retry interval has passed
    const world = monitorWorld({ retryAfter: '2024-06-10T11:59:59.000Z', cooldownUntil: '2024-06-01T00:00:00.000Z' }, { [ALARMS.drift]: 'ALARM' });

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: world.integrations, states: monitorStates(), startTime: NOW });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(world.alarms.set.map((x) => [x.name, x.state])).toEqual([[ALARMS.drift, 'OK']]);
    expect(world.alarms.set[0]!.reason).toMatch(/re-armed/i);
    expect(callsTo(execution, 'cloudwatch:describeAlarms')[0]!.input.AlarmNames).toEqual([ALARMS.drift, ALARMS.labels]);
    expect(world.starts.inputs).toEqual([]);
  });

  const holds: [string, Record<string, string>, (w: ReturnType<typeof monitorWorld>) => void][] = [
    ['the cooldown', { cooldownUntil: '2024-06-10T12:00:01.000Z' }, () => undefined],
    ['the retry interval after a retrain that did not promote', { retryAfter: '2024-06-11T00:00:00.000Z' }, () => undefined],
    [
      'a live run lock',
      {},
      (w) => w.table.items.set(lockKey('churn'), { pk: { S: lockKey('churn') }, executionId: { S: 'arn:x' }, expiresAt: { N: String(Date.parse(NOW) / 1000 + 60) } }),
    ],
  ];
  for (const [what, state, prepare] of holds) {
    it(`never re-arms or starts a retrain during ${what}`, async () => {
      // Prepare
      const world = monitorWorld({ ...state, maxAgeAt: '2024-06-01T00:00:00.000Z' }, { [ALARMS.drift]: 'ALARM', [ALARMS.labels]: 'ALARM' });
      prepare(world);

      // Act
      const execution = await run(synth.definitions.monitor, {}, { integrations: world.integrations, states: monitorStates(), startTime: NOW });

      // Assess
      expect(execution.status).toBe('SUCCEEDED');
      expect(callsTo(execution, 'cloudwatch:describeAlarms')).toHaveLength(0);
      expect(world.alarms.set).toEqual([]);
      expect(world.starts.inputs).toEqual([]);
      expect(callsTo(execution, 'Write report')[0]!.input.details.rearm.rearmed).toBe(false);
    });
  }

  it('re-arms past a stale lock (its holder ended without releasing it)', async () => {
    // Prepare
    const world = monitorWorld({}, { [ALARMS.labels]: 'ALARM' });
    world.table.items.set(lockKey('churn'), { pk: { S: lockKey('churn') }, executionId: { S: 'arn:x' }, expiresAt: { N: String(Date.parse(NOW) / 1000 - 1) } });

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: world.integrations, states: monitorStates(), startTime: NOW });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(world.alarms.set.map((x) => x.name)).toEqual([ALARMS.labels]);
  });

  it('starts a max-age retrain when the production model is past triggers.maxModelAgeDays, and not before', async () => {
    // Prepare
    const old = monitorWorld({ maxAgeAt: '2024-06-10T12:00:00.000Z' });
    const young = monitorWorld({ maxAgeAt: '2024-06-10T12:00:01.000Z' });

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: old.integrations, states: monitorStates(), startTime: NOW });
    await run(synth.definitions.monitor, {}, { integrations: young.integrations, states: monitorStates(), startTime: NOW });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(old.starts.inputs).toHaveLength(1);
    expect(old.starts.inputs[0]).toMatchObject({ trigger: 'maxAge' });
    expect(old.starts.inputs[0].reason).toContain('2024-06-10T12:00:00.000Z');
    expect(young.starts.inputs).toEqual([]);
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

  it('restores the whole production state recorded at the promotion it undoes', async () => {
    // Prepare: the state a promotion left (retrain/finish.ts "Record production model")
    const { table, integrations } = world();
    const item = table.items.get(stateKey('churn'))!;
    Object.assign(item, {
      productionModelName: { S: 'churn-new' },
      modelPackageArn: { S: 'arn:pkg/2' },
      baselineUri: { S: 's3://a/baselines/new.json' },
      trainingCutoff: { S: '2024-06-05T00:00:00.000Z' },
      cooldownUntil: { S: '2024-06-12T00:00:00.000Z' },
      maxAgeAt: { S: '2024-07-05T00:00:00.000Z' },
      previousProductionModelName: { S: 'churn-old' },
      previousModelPackageArn: { S: 'arn:pkg/1' },
      previousBaselineUri: { S: 's3://a/baselines/old.json' },
      previousTrainingCutoff: { S: '2024-05-01T00:00:00.000Z' },
      previousCooldownUntil: { S: '2024-05-08T00:00:00.000Z' },
      previousMaxAgeAt: { S: '2024-05-31T00:00:00.000Z' },
      predictionReferenceUri: { S: 's3://a/models/new/holdout-predictions.json' },
      previousPredictionReferenceUri: { S: 's3://a/models/old/holdout-predictions.json' },
    });

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toContain('Record restored production');
    const after = table.items.get(stateKey('churn'))!;
    expect(Object.fromEntries(['productionModelName', 'modelPackageArn', 'baselineUri', 'predictionReferenceUri', 'trainingCutoff', 'cooldownUntil', 'maxAgeAt', 'endpointConfigName'].map((k) => [k, after[k]!.S]))).toEqual({
      productionModelName: 'churn-old',
      predictionReferenceUri: 's3://a/models/old/holdout-predictions.json',
      modelPackageArn: 'arn:pkg/1',
      baselineUri: 's3://a/baselines/old.json',
      trainingCutoff: '2024-05-01T00:00:00.000Z',
      cooldownUntil: '2024-05-08T00:00:00.000Z',
      maxAgeAt: '2024-05-31T00:00:00.000Z',
      endpointConfigName: 'churn-old-final',
    });
    // restored once: nothing is left to restore again
    expect(Object.keys(after).filter((k) => k.startsWith('previous') && k !== 'previousEndpointConfigName')).toEqual([]);
  });

  it('clears the prediction reference when the promotion it undoes kept no copy of the one before', async () => {
    // Prepare: a promotion recorded before the prediction reference existed, then one after it
    const { table, integrations } = world();
    Object.assign(table.items.get(stateKey('churn'))!, {
      productionModelName: { S: 'churn-new' },
      modelPackageArn: { S: 'arn:pkg/2' },
      baselineUri: { S: 's3://a/baselines/new.json' },
      trainingCutoff: { S: '2024-06-05T00:00:00.000Z' },
      cooldownUntil: { S: '2024-06-12T00:00:00.000Z' },
      maxAgeAt: { S: '2024-07-05T00:00:00.000Z' },
      predictionReferenceUri: { S: 's3://a/models/new/holdout-predictions.json' },
      previousProductionModelName: { S: 'churn-old' },
      previousModelPackageArn: { S: 'arn:pkg/1' },
      previousBaselineUri: { S: 's3://a/baselines/old.json' },
      previousTrainingCutoff: { S: '2024-05-01T00:00:00.000Z' },
      previousCooldownUntil: { S: '2024-05-08T00:00:00.000Z' },
      previousMaxAgeAt: { S: '2024-05-31T00:00:00.000Z' },
    });

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess: the restored model's reference is unknown, so the monitor estimates nothing rather than use the removed model's
    expect(execution.status).toBe('SUCCEEDED');
    const after = table.items.get(stateKey('churn'))!;
    expect(after.baselineUri!.S).toBe('s3://a/baselines/old.json');
    expect(after.predictionReferenceUri!.S).toBe('');
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
    // Only the run lock is read: the recorded previous config is not needed.
    expect(callsTo(execution, 'dynamodb:getItem').map((c) => c.input.Key.pk.S)).toEqual([lockKey('churn')]);
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

  it('fails with EndpointUpdateFailed and SageMaker\'s reason when the restore ends UpdateRollbackFailed, without polling on', async () => {
    // Prepare
    const { endpoint, integrations } = world();
    endpoint.faults.set('churn-old-final', 'updateRollbackFailed');

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain(`is UpdateRollbackFailed with config churn-old-final: ${FAKE_FAILURE_REASON}`);
    expect(execution.states.filter((s) => s === 'Restored config: describe endpoint')).toHaveLength(2);
  });

  it('fails with EndpointUpdateFailed and SageMaker\'s reason, sending no update, when the endpoint is Failed', async () => {
    // Prepare
    const { endpoint, integrations } = world();
    endpoint.status = 'Failed';
    endpoint.failureReason = FAKE_FAILURE_REASON;

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(execution.cause).toContain(`is Failed with config churn-new-final: ${FAKE_FAILURE_REASON}`);
    expect(execution.states).toContain('Settle: read failure reason');
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
  });

  it('restores an endpoint found UpdateRollbackFailed: the settle counts it as settled', async () => {
    // Prepare: a previous update and its rollback both failed; the endpoint serves a mix.
    const { endpoint, integrations } = world();
    endpoint.status = 'UpdateRollbackFailed';
    endpoint.failureReason = FAKE_FAILURE_REASON;

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.edges.has('Settle: endpoint ready?#rule:1')).toBe(true);
    expect(endpoint.status).toBe('InService');
  });

  describe('run lock', () => {
    const HOLDER = 'arn:aws:states:us-east-1:123456789012:execution:pitstop-churn-retrain:run-7';
    /** Epoch seconds `offset` seconds from now (the local engine starts the execution now). */
    const epochFromNow = (offset: number) => String(Math.floor(Date.now() / 1000) + offset);
    function lock(expiresAt: string | undefined, executionId = HOLDER) {
      return {
        pk: { S: lockKey('churn') },
        executionId: { S: executionId },
        acquiredAt: { S: '2026-01-01T00:00:00.000Z' },
        runId: { S: 'churn-0123456789ab' },
        ...(expiresAt === undefined ? {} : { expiresAt: { N: expiresAt } }),
      };
    }
    const HOUR = 3600;

    it('refuses an on-demand rollback with LockHeld, naming the holder and touching nothing, while another execution holds a live lock', async () => {
      // Prepare: the holder's lock expires in an hour
      const { endpoint, table, integrations } = world();
      const held = lock(epochFromNow(HOUR));
      table.items.set(lockKey('churn'), held);
      const stateBefore = structuredClone(table.items.get(stateKey('churn')));

      // Act
      const execution = await run(synth.definitions.rollback, { reason: 'from the console' }, { integrations });

      // Assess
      expect(execution.missing).toEqual([]);
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('LockHeld');
      expect(execution.cause).toContain(HOLDER);
      expect(execution.cause).toContain('2026-01-01T00:00:00.000Z');
      const touched = execution.calls.filter((c) => c.integration !== 'dynamodb:getItem');
      expect(touched).toEqual([]);
      expect(endpoint.configName).toBe('churn-new-final');
      expect(table.items.get(lockKey('churn'))).toBe(held);
      expect(table.items.get(stateKey('churn'))).toEqual(stateBefore);
    });

    it('refuses when the lock carries no expiry (it never goes stale for the Retrain either)', async () => {
      // Prepare
      const { endpoint, table, integrations } = world();
      table.items.set(lockKey('churn'), lock(undefined));

      // Act
      const execution = await run(synth.definitions.rollback, {}, { integrations });

      // Assess
      expect(execution.error).toBe('LockHeld');
      expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
      expect(endpoint.configName).toBe('churn-new-final');
    });

    it('refuses when started with a lockHolder that is not the one holding the lock', async () => {
      // Prepare
      const { endpoint, table, integrations } = world();
      table.items.set(lockKey('churn'), lock(epochFromNow(HOUR)));

      // Act
      const execution = await run(synth.definitions.rollback, { lockHolder: `${HOLDER}-other` }, { integrations });

      // Assess
      expect(execution.error).toBe('LockHeld');
      expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
      expect(endpoint.configName).toBe('churn-new-final');
    });

    it('proceeds on demand when the lock has expired (its holder ended without releasing it), and leaves the lock alone', async () => {
      // Prepare: expired an hour ago
      const { endpoint, table, integrations } = world();
      const stale = lock(epochFromNow(-HOUR));
      table.items.set(lockKey('churn'), stale);

      // Act
      const execution = await run(synth.definitions.rollback, {}, { integrations });

      // Assess
      expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
      expect(callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName)).toEqual(['churn-old-final']);
      expect(endpoint.configName).toBe('churn-old-final');
      expect(table.items.get(lockKey('churn'))).toBe(stale);
      expect(callsTo(execution, 'dynamodb:putItem')).toHaveLength(0);
      expect(callsTo(execution, 'dynamodb:deleteItem')).toHaveLength(0);
    });

    it('proceeds under a live lock when started by its holder (lockHolder), and leaves the lock alone', async () => {
      // Prepare
      const { endpoint, table, integrations } = world();
      const held = lock(epochFromNow(HOUR));
      table.items.set(lockKey('churn'), held);

      // Act
      const execution = await run(synth.definitions.rollback, { endpointConfigName: 'churn-old-final', lockHolder: HOLDER }, { integrations });

      // Assess
      expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
      expect(execution.output).toMatchObject({ outcome: 'RolledBack', endpointConfigName: 'churn-old-final', replacedConfigName: 'churn-new-final' });
      expect(endpoint.configName).toBe('churn-old-final');
      expect(table.items.get(lockKey('churn'))).toBe(held);
      expect(callsTo(execution, 'dynamodb:putItem')).toHaveLength(0);
      expect(callsTo(execution, 'dynamodb:deleteItem')).toHaveLength(0);
    });

    it('reads the lock item with a consistent read before anything else', async () => {
      // Prepare
      const { integrations } = world();

      // Act
      const execution = await run(synth.definitions.rollback, {}, { integrations });

      // Assess
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.calls[0]).toMatchObject({ integration: 'dynamodb:getItem', input: { Key: { pk: { S: lockKey('churn') } }, ConsistentRead: true } });
    });
  });
});
