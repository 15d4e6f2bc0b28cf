import { describe, expect, it } from 'vitest';
import { nextWeekdayAt, SimulatedClock } from '../../../local/runner/clock';
import { shortMachineName, waitAndRetryStates, waitOverrides } from '../../../local/runner/executions';
import { groundTruthLines } from '../../../local/runner/ground-truth';
import { ScopedEnvironment } from '../../../local/runner/process-env';
import { canaryStageLine, elapsed, isNotableState, percent } from '../../../local/runner/progress';
import { buildReportData, retrainOutcome, type RunRecord } from '../../../local/runner/report-data';
import { shuffleLabels, withoutCooldown } from '../../../local/runner/scenarios';
import { Timeline } from '../../../local/runner/timeline';
import { requestBody } from '../../../local/runner/traffic';

describe('Class: SimulatedClock', () => {
  it('runs at real speed from an offset that only moves forward', () => {
    // Prepare
    let real = 1_000;
    const clock = new SimulatedClock(() => real);
    // Act
    clock.advance(500);
    real = 1_200;
    clock.advanceTo(new Date(1_000)); // already passed: no change
    // Assess
    expect(clock.now().getTime()).toBe(1_700);
    clock.advanceTo(new Date(5_000));
    expect(clock.now().getTime()).toBe(5_000);
    expect(clock.offset).toBe(3_800);
    expect(() => clock.advance(-1)).toThrow(/non-negative/);
  });
});

describe('Function: nextWeekdayAt', () => {
  it('lands on the asked weekday and hour, at least the asked time ahead', () => {
    // 2024-01-01 was a Monday
    const from = new Date('2024-01-01T12:00:00Z');
    expect(nextWeekdayAt(from, 0, 3, 10).toISOString()).toBe('2024-01-03T10:00:00.000Z');
    expect(nextWeekdayAt(from, 3 * 86_400_000, 3, 10).toISOString()).toBe('2024-01-10T10:00:00.000Z');
    // same day, hour still ahead
    expect(nextWeekdayAt(new Date('2024-01-03T09:00:00Z'), 0, 3, 10).toISOString()).toBe('2024-01-03T10:00:00.000Z');
  });
});

describe('Class: ScopedEnvironment', () => {
  it('restores values only when the last overlapping user leaves', async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { KEEP: 'old' };
    const scoped = new ScopedEnvironment(env);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Act
    const first = scoped.run({ KEEP: 'new', ADDED: 'x' }, () => gate);
    const seen = await scoped.run({ KEEP: 'new' }, () => ({ ...env }));
    // Assess: the second left, the first is still running
    expect(seen).toEqual({ KEEP: 'new', ADDED: 'x' });
    expect(env).toEqual({ KEEP: 'new', ADDED: 'x' });
    release();
    await first;
    expect(env).toEqual({ KEEP: 'old' });
  });

  it('restores after a throw', async () => {
    const env: NodeJS.ProcessEnv = {};
    await expect(new ScopedEnvironment(env).run({ A: '1' }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(env).toEqual({});
  });
});

describe('Class: Timeline', () => {
  it('pairs entered and left events per execution and state, with offsets from the start', () => {
    // Prepare
    const t = new Timeline(1_000);
    // Act: the engine reports a caught error as StateFailed, StateCaught, then StateExited.
    t.apply('retrain', 'e1', { type: 'StateEntered', timestamp: 1_010, state: { name: 'A', type: 'Task' } });
    t.apply('canary', 'e2', { type: 'StateEntered', timestamp: 1_020, state: { name: 'A', type: 'Task' } });
    t.apply('retrain', 'e1', { type: 'StateFailed', timestamp: 1_025, state: { name: 'A' } });
    t.apply('retrain', 'e1', { type: 'StateCaught', timestamp: 1_030, state: { name: 'A' } });
    t.apply('retrain', 'e1', { type: 'StateExited', timestamp: 1_031, state: { name: 'A' } });
    t.apply('canary', 'e2', { type: 'StateExited', timestamp: 1_040, state: { name: 'A' } });
    t.apply('retrain', 'e1', { type: 'StateEntered', timestamp: 1_050, state: { name: 'B', type: 'Task' } });
    t.apply('retrain', 'e1', { type: 'StateFailed', timestamp: 1_060, state: { name: 'B' } });
    t.closeExecution('e1', false, 1_100);
    // Assess
    expect(t.entries.map((e) => [e.stateMachine, e.state, e.startMs, e.endMs, e.status])).toEqual([
      ['retrain', 'A', 10, 31, 'caught'],
      ['canary', 'A', 20, 40, 'succeeded'],
      ['retrain', 'B', 50, 100, 'failed'],
    ]);
    expect(t.states).toEqual(['A', 'A', 'B']);
  });

  it('counts a retried state that then succeeded as succeeded', () => {
    const t = new Timeline(0);
    t.apply('retrain', 'e1', { type: 'StateEntered', timestamp: 1, state: { name: 'Train', type: 'Task' } });
    t.apply('retrain', 'e1', { type: 'StateFailed', timestamp: 2, state: { name: 'Train' } });
    t.apply('retrain', 'e1', { type: 'StateRetried', timestamp: 3, state: { name: 'Train' } });
    t.apply('retrain', 'e1', { type: 'StateExited', timestamp: 4, state: { name: 'Train' } });
    expect(t.entries.map((e) => e.status)).toEqual(['succeeded']);
  });

  it('closes visits left open by a succeeded execution (Map iterations) as succeeded, of a failed one as failed', () => {
    const t = new Timeline(0);
    t.apply('monitor', 'ok', { type: 'StateEntered', timestamp: 1, state: { name: 'Datum', type: 'Pass' } });
    t.apply('monitor', 'bad', { type: 'StateEntered', timestamp: 1, state: { name: 'Datum', type: 'Pass' } });
    t.closeExecution('ok', true, 5);
    t.closeExecution('bad', false, 6);
    expect(t.entries.map((e) => [e.execution, e.status, e.endMs])).toEqual([
      ['ok', 'succeeded', 5],
      ['bad', 'failed', 6],
    ]);
  });
});

describe('Function: groundTruthLines', () => {
  it('labels captured events by request body, once per eventId, skipping unknown bodies', () => {
    // Prepare
    const capture = (id: string, data: string, encoding = 'CSV') =>
      JSON.stringify({ captureData: { endpointInput: { data, encoding, mode: 'INPUT', observedContentType: 'text/csv' } }, eventMetadata: { eventId: id } });
    const labels = new Map([
      ['1,a', '1'],
      ['2,b', '0'],
    ]);
    const seen = new Set<string>();
    // Act
    const first = groundTruthLines([capture('e1', '1,a'), capture('e2', Buffer.from('2,b').toString('base64'), 'BASE64'), capture('e3', '9,z'), ''], labels, seen);
    const again = groundTruthLines([capture('e1', '1,a')], labels, seen);
    // Assess
    expect(first.map((l) => JSON.parse(l))).toEqual([
      { groundTruthData: { data: '1', encoding: 'CSV' }, eventMetadata: { eventId: 'e1' }, eventVersion: '0' },
      { groundTruthData: { data: '0', encoding: 'CSV' }, eventMetadata: { eventId: 'e2' }, eventVersion: '0' },
    ]);
    expect(again).toEqual([]);
  });
});

describe('Function: requestBody', () => {
  it('writes the features in order, without the label, quoting what CSV needs', () => {
    expect(requestBody({ b: 2, a: 'x,y', label: 1, c: null }, ['a', 'b', 'c'])).toBe('"x,y",2,');
  });
});

describe('Function: shuffleLabels', () => {
  it('permutes the labels: same multiset, features untouched, deterministic by seed', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, y: i % 3 === 0 ? 1 : 0 }));
    const a = shuffleLabels(rows, 'y', 5);
    const b = shuffleLabels(rows, 'y', 5);
    expect(a).toEqual(b);
    expect(a.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(a.filter((r) => r.y === 1).length).toBe(rows.filter((r) => r.y === 1).length);
    expect(a.filter((r, i) => r.y !== rows[i]!.y).length).toBeGreaterThan(20);
  });
});

describe('Function: withoutCooldown', () => {
  it('sets cooldownDays to 0 and keeps the other triggers', () => {
    expect(withoutCooldown({ name: 'm', triggers: { cooldownDays: 3, newLabeledSamples: 5 } })).toEqual({ name: 'm', triggers: { cooldownDays: 0, newLabeledSamples: 5 } });
  });
});

describe('Function: retrainOutcome', () => {
  it('maps end states and errors to demo outcomes', () => {
    expect(retrainOutcome('SUCCEEDED', 'Promoted', undefined)).toBe('promoted');
    expect(retrainOutcome('SUCCEEDED', 'Skipped', undefined)).toBe('skipped');
    expect(retrainOutcome('FAILED', 'GateRejected', 'GateRejected')).toBe('rejected');
    expect(retrainOutcome('FAILED', 'CanaryBreached', 'CanaryBreached')).toBe('rolled-back');
    expect(retrainOutcome('FAILED', 'DataQualityFailed', 'DataQualityFailed')).toBe('stopped');
    expect(retrainOutcome('FAILED', 'PipelineFailed', 'PipelineFailed')).toBe('failed');
  });
});

describe('Function: waitOverrides', () => {
  it('gives bakes the bake time and every other wait the poll time', () => {
    const definition = {
      States: {
        'Stage 1 (5%): bake': { Type: 'Wait', Seconds: 600 },
        P: { Type: 'Parallel', Branches: [{ States: { 'Canary config: wait': { Type: 'Wait', Seconds: 30 }, T: { Type: 'Task', Retry: [{}] } } }] },
      },
    };
    const { waits, retried } = waitAndRetryStates(definition);
    expect(retried).toEqual(['T']);
    expect(waitOverrides(waits, 1500, 100)).toEqual({ 'Stage 1 (5%): bake': 1500, 'Canary config: wait': 100 });
  });
});

describe('Function: shortMachineName', () => {
  it('takes the state machine id out of the logical id', () => {
    expect(shortMachineName('PipelineStateMachinesRetrainB391CC7D')).toBe('retrain');
    expect(shortMachineName('PipelineStateMachinesCanary067FDE52')).toBe('canary');
    expect(shortMachineName('Other')).toBe('other');
  });
});

describe('Function: progress lines', () => {
  it('formats elapsed time, rates and a canary stage', () => {
    expect(elapsed(12_345)).toBe('[  12.3s]');
    expect(percent(0.0125)).toBe('1.3%');
    expect(percent(undefined)).toBe('n/a');
    expect(canaryStageLine({ index: 0, percent: 5 }, { invocations: 10, errorRate: 0.1, latencyP95Ms: 92.83, latencyP99Ms: 96.3 }, undefined, true, 'p95 too high')).toBe(
      'canary stage 1 (5%): candidate n=10 err=10.0% p95=92.8ms p99=96.3ms | production no data → BREACHED: p95 too high',
    );
    expect(isNotableState('Pass', 'Lock taken')).toBe(false);
    expect(isNotableState('Wait', 'Stage 1 (5%): bake')).toBe(true);
    expect(isNotableState('Wait', 'Final config: wait')).toBe(false);
  });
});

describe('Function: buildReportData', () => {
  it('numbers canary stages from 1, types drift by feature, and closes running states as failed', () => {
    // Prepare
    const record: RunRecord = {
      scenario: 's',
      model: 'm',
      startedAt: Date.UTC(2024, 0, 1),
      durationMs: 5,
      outcome: 'rolled-back',
      productionModel: { before: 'a', after: 'a' },
      timeline: [{ stateMachine: 'retrain', execution: 'e', state: 'X', type: 'Task', startMs: 1, endMs: 1, status: 'running' }],
      featureTypes: { plan: 'categorical' },
      drift: [{ feature: 'plan', method: 'psi', score: 0.3, threshold: 0.2, drifted: true }],
      canary: [{ stage: { index: 0, percent: 5 }, breached: true, reason: 'slow', candidate: { invocations: 3, latencyP95Ms: 90 } }],
      alarms: [],
      notifications: [],
    };
    // Act
    const data = buildReportData(record);
    // Assess
    expect(data.startedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(data.timeline[0]!.status).toBe('failed');
    expect(data.drift[0]!.type).toBe('categorical');
    expect(data.canary[0]).toEqual({
      stage: 1,
      percent: 5,
      breached: true,
      reason: 'slow',
      candidate: { invocations: 3, errorRate: 0, latencyP95Ms: 90, latencyP99Ms: 0 },
      production: { invocations: 0, errorRate: 0, latencyP95Ms: 0, latencyP99Ms: 0 },
    });
    expect(data.evaluation).toBeUndefined();
  });

  it('carries the fixed-holdout judgment beside the evaluation, never without one', () => {
    // Prepare
    const judgment = (passed: boolean) => ({ candidate: { f1: passed ? 0.8 : 0.5 }, production: { f1: 0.6 }, rules: [], passed });
    const base: RunRecord = {
      scenario: 'retrain-on-traffic',
      model: 'm',
      startedAt: 0,
      durationMs: 1,
      outcome: 'promoted',
      productionModel: { before: 'a', after: 'b' },
      timeline: [],
      featureTypes: {},
      drift: [],
      canary: [],
      alarms: [],
      notifications: [],
    };

    // Act
    const both = buildReportData({ ...base, evaluation: judgment(true), fixedHoldout: judgment(false) });
    const alone = buildReportData({ ...base, fixedHoldout: judgment(false) });

    // Assess
    expect(both.evaluation!.passed).toBe(true);
    expect(both.fixedHoldout).toEqual(judgment(false));
    expect(alone.fixedHoldout).toBeUndefined();
  });
});
