/**
 * Every `States.ALL` Catch of the Monitor and the Rollback, each driven by making its
 * step throw an error no other Catch names, and what the run did after.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stateKey } from '../../statemachines';
import { FakeAlarms, FakeEndpoint, FakeStarts, FakeTable, messagingHandlers, reportResult } from './fakes';
import { synthesize, type Synthesized } from './fixtures';
import { callsTo, run, stepError, type Handler } from './harness';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const NOW = '2024-06-10T12:00:00.000Z';
const CAUSE = 'the step threw an unexpected error';
const ALARMS = { drift: 'pitstop-churn-drifted-features', labels: 'pitstop-churn-new-labeled-samples' };
const throws: Handler = () => {
  throw stepError('Test.Unexpected', CAUSE);
};

describe('State machine: Monitor, every States.ALL Catch', () => {
  function world(state: Record<string, string>, alarms: Record<string, string> = {}) {
    const table = new FakeTable();
    table.items.set(stateKey('churn'), { pk: { S: stateKey('churn') }, baselineUri: { S: 's3://a/baselines/churn/b.json' }, ...Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { S: v }])) });
    const fakeAlarms = new FakeAlarms({ [ALARMS.drift]: 'OK', [ALARMS.labels]: 'OK', ...alarms });
    const starts = new FakeStarts();
    return { starts, integrations: { ...table.handlers(), ...messagingHandlers(), ...fakeAlarms.handlers(), ...starts.handlers() } };
  }
  const lambdas: Record<string, Handler> = {
    'Plan window': () => ({ decision: 'single', bytes: 4096, objects: 2, shards: 0, manifestBucket: '', manifestKey: '', partialsKey: '' }),
    'Validate captured data': () => ({ status: 'healthy', checks: [], rows: 800 }),
    'Detect drift': () => ({ features: [{ feature: 'age', method: 'psi', score: 0.31, threshold: 0.2, drifted: true }], driftedFeatures: 1, rows: 800 }),
    'Measure quality': () => ({ metrics: [{ metric: 'f1', value: 0.79 }], newLabeledSamples: 1200, matched: 640 }),
    'Write report': reportResult,
  };
  // A retrain may start (cooldown over) and an alarm is in ALARM: the re-arm path runs.
  const rearm = { retryAfter: '2024-06-10T11:59:59.000Z', cooldownUntil: '2024-06-01T00:00:00.000Z' };
  const cases: [string, string, Record<string, string>, Record<string, string>][] = [
    ['Load production state', 'Load production state', {}, {}],
    ['Plan window', 'Plan window', {}, {}],
    ['Validate captured data', 'Validate captured data', {}, {}],
    ['Detect drift', 'Detect drift', {}, {}],
    ['Measure quality', 'Measure quality', {}, {}],
    ['Publish metrics', 'Put summary metrics', {}, {}],
    ['Load run lock', 'Load run lock', rearm, { [ALARMS.drift]: 'ALARM' }],
    ['Find alarms in ALARM', 'Find alarms in ALARM', rearm, { [ALARMS.drift]: 'ALARM' }],
    ['Re-arm alarms', 'Set alarm OK', rearm, { [ALARMS.drift]: 'ALARM' }],
    ['Start max-age retrain', 'Start max-age retrain', { maxAgeAt: '2024-06-10T12:00:00.000Z' }, {}],
  ];

  it.each(cases)('%s throws (at %s): reports the failure, notifies, fails with PipelineFailed', async (caught, thrower, state, alarms) => {
    // Prepare
    const w = world(state, alarms);

    // Act
    const execution = await run(synth.definitions.monitor, {}, { integrations: w.integrations, states: { ...lambdas, [thrower]: throws }, startTime: NOW });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.edges.has(`${caught}#catch:1`)).toBe(true);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PipelineFailed');
    const report = callsTo(execution, 'Write report');
    expect(report).toHaveLength(1);
    expect(JSON.stringify(report[0]!.input)).toContain(CAUSE);
    const mail = callsTo(execution, 'sns:publish');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.input.Subject).toContain('PipelineFailed');
    expect(w.starts.inputs).toEqual([]);
  });

  it('still notifies when the report cannot be written, and still fails when the notification cannot be sent', async () => {
    // Prepare
    const w = world({});
    const noMail = world({});

    // Act
    const noReport = await run(synth.definitions.monitor, {}, { integrations: w.integrations, states: { ...lambdas, 'Detect drift': throws, 'Write report': throws }, startTime: NOW });
    const lostMail = await run(synth.definitions.monitor, {}, { integrations: noMail.integrations, states: { ...lambdas, 'Detect drift': throws, 'Notify monitor problem': throws }, startTime: NOW });

    // Assess
    expect(noReport.edges.has('Write report#catch:1')).toBe(true);
    expect(callsTo(noReport, 'sns:publish')).toHaveLength(1);
    expect(noReport.error).toBe('PipelineFailed');
    expect(lostMail.edges.has('Notify monitor problem#catch:1')).toBe(true);
    expect(callsTo(lostMail, 'Write report')).toHaveLength(1);
    expect(lostMail.error).toBe('PipelineFailed');
  });
});

describe('State machine: Rollback, every States.ALL Catch', () => {
  function world() {
    const endpoint = new FakeEndpoint('churn-endpoint', { configName: 'churn-new-final' });
    endpoint.configs.set('churn-old-final', [{ VariantName: 'production', ModelName: 'churn-old', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 }]);
    const table = new FakeTable();
    table.items.set(stateKey('churn'), { pk: { S: stateKey('churn') }, endpointConfigName: { S: 'churn-new-final' }, previousEndpointConfigName: { S: 'churn-old-final' } });
    return { endpoint, table, integrations: { ...endpoint.handlers(), ...table.handlers(), ...messagingHandlers() } };
  }
  // [state that throws, restore requested, status, error]
  const cases: [string, boolean, 'SUCCEEDED' | 'FAILED', string | undefined][] = [
    ['Read run lock', false, 'FAILED', 'EndpointUpdateFailed'],
    ['Load production state', false, 'FAILED', 'EndpointUpdateFailed'],
    ['Settle: describe endpoint', false, 'FAILED', 'EndpointUpdateFailed'],
    ['Restore endpoint config', true, 'FAILED', 'EndpointUpdateFailed'],
    ['Restored config: describe endpoint', true, 'FAILED', 'EndpointUpdateFailed'],
    ['Record restored config', true, 'SUCCEEDED', undefined],
    ['Notify rolled back', true, 'SUCCEEDED', undefined],
    ['Publish rollback event', true, 'SUCCEEDED', undefined],
  ];

  it.each(cases)('%s throws: restore requested %s, the run ends %s %s, and the outcome is mailed', async (thrower, restored, status, error) => {
    // Prepare
    const w = world();

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations: w.integrations, states: { [thrower]: throws } });

    // Assess
    expect(execution.missing).toEqual([]);
    const catchAll = thrower === 'Restore endpoint config' ? 'catch:2' : 'catch:1';
    expect(execution.edges.has(`${thrower}#${catchAll}`)).toBe(true);
    expect(execution.status).toBe(status);
    expect(execution.error).toBe(error);
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(restored ? 1 : 0);
    // A finished rollback leaves the endpoint restored whatever failed after it.
    if (status === 'SUCCEEDED') expect(w.endpoint.configName).toBe('churn-old-final');
    if (!restored) expect(w.endpoint.configName).toBe('churn-new-final');
    // One mail either way; a failure's names the error.
    expect(callsTo(execution, 'sns:publish')).toHaveLength(1);
    if (status === 'FAILED') expect(JSON.stringify(callsTo(execution, 'sns:publish')[0]!.input)).toContain(CAUSE);
  });

  it('still fails with EndpointUpdateFailed when the failure cannot be mailed', async () => {
    // Prepare
    const w = world();

    // Act
    const execution = await run(synth.definitions.rollback, {}, { integrations: w.integrations, states: { 'Read run lock': throws, 'Notify rollback failed': throws } });

    // Assess
    expect(execution.edges.has('Notify rollback failed#catch:1')).toBe(true);
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(w.endpoint.configName).toBe('churn-new-final');
  });

  it('ends with EndpointUpdateFailed, endpoint untouched, when SageMaker rejects the restore', async () => {
    // Prepare
    const w = world();

    // Act
    const execution = await run(synth.definitions.rollback, {}, {
      integrations: w.integrations,
      states: { 'Restore endpoint config': () => { throw stepError('SageMaker.AmazonSageMakerException', 'Could not find endpoint configuration'); } },
    });

    // Assess
    expect(execution.edges.has('Restore endpoint config#catch:1')).toBe(true);
    expect(execution.states).toContain('Update rejected');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(w.endpoint.configName).toBe('churn-new-final');
  });
});
