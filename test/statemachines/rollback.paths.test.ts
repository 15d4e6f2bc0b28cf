/**
 * The Rollback's endpoint waits, every exit of each: settling the endpoint before the
 * restore (still moving, UpdateRollbackFailed, Failed, too slow) and the restored
 * config's (Failed, RollingBack, too slow), and the restored production state that
 * cannot be recorded. Each asserts what the run did after: the endpoint touched or
 * not, the state item, the mail, the named error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stateKey } from '../../statemachines';
import { FakeEndpoint, FakeTable, messagingHandlers } from './fakes';
import { synthesize, type Synthesized } from './fixtures';
import { callsTo, run, stepError, type Handler } from './harness';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

function world() {
  const endpoint = new FakeEndpoint('churn-endpoint', { configName: 'churn-new-final' });
  endpoint.configs.set('churn-old-final', [{ VariantName: 'production', ModelName: 'churn-old', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 }]);
  const table = new FakeTable();
  table.items.set(stateKey('churn'), { pk: { S: stateKey('churn') }, endpointConfigName: { S: 'churn-new-final' }, previousEndpointConfigName: { S: 'churn-old-final' } });
  return { endpoint, table, integrations: { ...endpoint.handlers(), ...table.handlers(), ...messagingHandlers() } };
}

/** DescribeEndpoint answering `statuses` in turn (the last one for ever), on config `configName`. */
function describes(configName: string, ...statuses: string[]): Handler {
  let n = 0;
  return () => {
    const status = statuses[Math.min(n, statuses.length - 1)]!;
    n += 1;
    return { EndpointName: 'churn-endpoint', EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-endpoint', EndpointConfigName: configName, EndpointStatus: status, CreationTime: '2024-01-01T00:00:00Z', LastModifiedTime: '2024-01-02T00:00:00Z' };
  };
}

/** Whether the endpoint was restored, as the run ended, the edges it must take. */
type Case = [string, Record<string, Handler>, 'restored' | 'untouched' | 'failedAfterUpdate', string[]];

describe('State machine: Rollback, every exit of the endpoint waits', () => {
  const cases: Case[] = [
    ['the endpoint still updating settles, then the restore runs', { 'Settle: describe endpoint': describes('churn-new-final', 'Updating', 'InService') }, 'restored', ['Settle: endpoint ready?#default', 'Settle: wait#next', 'Settle: count check#next', 'Settle: endpoint ready?#rule:3']],
    ['an endpoint in UpdateRollbackFailed counts as settled and is restored', { 'Settle: describe endpoint': describes('churn-new-final', 'UpdateRollbackFailed') }, 'restored', ['Settle: endpoint ready?#rule:1', 'Settle: in service#next']],
    ['a Failed endpoint is not updated: EndpointUpdateFailed', { 'Settle: describe endpoint': describes('churn-new-final', 'Failed') }, 'untouched', ['Settle: endpoint ready?#rule:2', 'Settle: endpoint failed#next']],
    ['an endpoint that never settles is not updated: EndpointUpdateFailed', { 'Settle: describe endpoint': describes('churn-new-final', 'Updating') }, 'untouched', ['Settle: endpoint ready?#rule:4', 'Settle: too slow#next']],
    ['the restored config leaves the endpoint Failed: EndpointUpdateFailed', { 'Restored config: describe endpoint': describes('churn-old-final', 'Failed') }, 'failedAfterUpdate', ['Restored config: endpoint ready?#rule:1', 'Restored config: endpoint failed#next']],
    ['SageMaker rolls the restore back: EndpointUpdateFailed', { 'Restored config: describe endpoint': describes('churn-new-final', 'RollingBack') }, 'failedAfterUpdate', ['Restored config: endpoint ready?#rule:2', 'Restored config: endpoint rolling back#next']],
    ['the restored config never gets in service: EndpointUpdateFailed', { 'Restored config: describe endpoint': describes('churn-old-final', 'Updating') }, 'failedAfterUpdate', ['Restored config: endpoint ready?#rule:5', 'Restored config: too slow#next']],
  ];

  it.each(cases)('%s', async (_, states, result, edges) => {
    // Prepare
    const w = world();

    // Act
    const execution = await run(synth.definitions.rollback, { reason: 'canary breached' }, { integrations: w.integrations, states });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(edges.filter((e) => !execution.edges.has(e))).toEqual([]);
    const updates = callsTo(execution, 'sagemaker:updateEndpoint');
    const item = w.table.items.get(stateKey('churn'))!;
    const mails = callsTo(execution, 'sns:publish');
    expect(mails).toHaveLength(1);
    if (result === 'restored') {
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.output).toMatchObject({ outcome: 'RolledBack', endpointConfigName: 'churn-old-final', replacedConfigName: 'churn-new-final' });
      expect(w.endpoint.configName).toBe('churn-old-final');
      expect(item.endpointConfigName!.S).toBe('churn-old-final');
      return;
    }
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('EndpointUpdateFailed');
    expect(mails[0]!.input.Subject).toContain('ROLLBACK FAILED');
    // Nothing recorded as restored when the endpoint did not get there.
    expect(item.endpointConfigName!.S).toBe('churn-new-final');
    if (result === 'untouched') {
      expect(updates).toHaveLength(0);
      expect(w.endpoint.configName).toBe('churn-new-final');
    } else {
      expect(updates.map((u) => u.input.EndpointConfigName)).toEqual(['churn-old-final']);
    }
  });

  it('restores the endpoint and mails it when the restored production state cannot be recorded', async () => {
    // Prepare: undoing the last promotion (its production state was recorded)
    const w = world();
    Object.assign(w.table.items.get(stateKey('churn'))!, { productionModelName: { S: 'churn-new' }, previousProductionModelName: { S: 'churn-old' } });

    // Act
    const execution = await run(synth.definitions.rollback, {}, {
      integrations: w.integrations,
      states: {
        'Record restored production': () => {
          throw stepError('DynamoDB.ProvisionedThroughputExceededException', 'throughput exceeded');
        },
      },
    });

    // Assess
    expect(execution.edges.has('Record restored production#catch:1')).toBe(true);
    expect(execution.status).toBe('SUCCEEDED');
    expect(w.endpoint.configName).toBe('churn-old-final');
    const item = w.table.items.get(stateKey('churn'))!;
    expect(item.productionModelName!.S).toBe('churn-new');
    expect(callsTo(execution, 'Notify rolled back')).toHaveLength(1);
  });
  it('updates nothing and records nothing when the endpoint already runs the target config, and says so', async () => {
    // Prepare: someone already put the endpoint back on the previous config by hand
    const w = world();
    w.endpoint.moveTo('churn-old-final');

    // Act
    const execution = await run(synth.definitions.rollback, { reason: 'canary breached' }, { integrations: w.integrations });

    // Assess
    expect(execution.missing).toEqual([]);
    expect(execution.edges.has('Already on target config?#rule:1')).toBe(true);
    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo(execution, 'sagemaker:updateEndpoint')).toHaveLength(0);
    expect(w.endpoint.configName).toBe('churn-old-final');
    // The state item is left as it was: no restore was done to record.
    expect(w.table.items.get(stateKey('churn'))!.endpointConfigName!.S).toBe('churn-new-final');
    const mails = callsTo(execution, 'Notify rolled back');
    expect(mails).toHaveLength(1);
    expect(JSON.stringify(mails[0]!.input)).toContain('churn-old-final');
  });
});
