/**
 * The Canary's stage verdicts: pass, fail (by the rule that decided), and inconclusive
 * (too few candidate requests), which extends the bake up to `canary.maxExtensions`
 * times and then stops the rollout with InsufficientTraffic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeEndpoint, messagingHandlers } from './fakes';
import { modelConfig, synthesize } from './fixtures';
import { callsTo, run, type Handler } from './harness';

// The fixture config has three stages (10, 50 and 100 %), the default 3 extensions and 3 minutes of metric lag.
const STAGES = [10, 50, 100];
const INPUT = { runId: 'churn-abc', candidateModelName: 'churn-abc' };

let canary: Record<string, unknown>;
let noExtensions: Record<string, unknown>;
beforeAll(() => {
  canary = synthesize().definitions.canary;
  const base = modelConfig();
  noExtensions = synthesize(modelConfig({ canary: { stages: base.canary.stages, maxExtensions: 0 } })).definitions.canary;
});

/** A check answering `verdicts` in turn (the last one repeated), echoing the extensions as the Lambda does. */
function checks(...verdicts: Array<{ verdict: 'pass' | 'fail' | 'inconclusive'; rule: string; reason?: string }>): Handler {
  let call = 0;
  return (input) => {
    const v = verdicts[Math.min(call++, verdicts.length - 1)]!;
    return {
      ...v,
      breached: v.verdict === 'fail',
      extensions: input.stage.extensions,
      window: { start: input.stage.startedAt, end: input.stage.startedAt },
      metrics: { candidate: {} },
    };
  };
}

const PASS = { verdict: 'pass', rule: 'noErrors' } as const;
const TOO_FEW = { verdict: 'inconclusive', rule: 'minRequests', reason: 'too few candidate requests: 12 of 100' } as const;

function options(endpoint: FakeEndpoint, states: Record<string, Handler> = {}) {
  return {
    integrations: { ...endpoint.handlers(), ...messagingHandlers() },
    states: {
      'Smoke test candidate': () => ({ passed: true, requests: 100, failures: 0, p99Ms: 120 }),
      ...Object.fromEntries(STAGES.map((p, i) => [`Stage ${i + 1} (${p}%): check candidate`, checks(PASS)])),
      ...states,
    },
  };
}

describe('State machine: Canary, stage verdicts', () => {
  it("judges each stage over its own window, starting when that stage's weights were in service", async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');

    // Act
    const execution = await run(canary, INPUT, options(endpoint));

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const starts = STAGES.map((p, i) => callsTo(execution, `Stage ${i + 1} (${p}%): check candidate`)[0]!.input.stage.startedAt as string);
    // the fake endpoint's LastModifiedTime moves a minute per completed update: canary config at 00:01, stages after
    expect(starts).toEqual(['2024-01-02T00:02:00.000Z', '2024-01-02T00:03:00.000Z', '2024-01-02T00:04:00.000Z']);
    const first = callsTo(execution, 'Stage 1 (10%): check candidate')[0]!.input;
    expect(first).toMatchObject({ stage: { extensions: 0, bakeMinutes: 5 }, evidence: { minRequests: 100, alpha: 0.05, metricLagMinutes: 3 } });
    expect(execution.output.stages.stage1).toMatchObject({ verdict: 'pass', rule: 'noErrors', extensions: 0 });
  });

  it('extends the bake of an inconclusive stage and promotes once it passes; the record shows the extensions', async () => {
    // Prepare: stage 1 has too few requests twice, then enough
    const endpoint = new FakeEndpoint('churn-endpoint');

    // Act
    const execution = await run(canary, INPUT, options(endpoint, { 'Stage 1 (10%): check candidate': checks(TOO_FEW, TOO_FEW, PASS) }));

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const stage1 = callsTo(execution, 'Stage 1 (10%): check candidate');
    expect(stage1.map((c) => c.input.stage.extensions)).toEqual([0, 1, 2]);
    // the window keeps its start: the extension adds minutes, never restarts the count
    expect(new Set(stage1.map((c) => c.input.stage.startedAt)).size).toBe(1);
    expect(execution.states.filter((s) => s === 'Stage 1 (10%): extend bake')).toHaveLength(2);
    expect(execution.output.stages.stage1).toMatchObject({ verdict: 'pass', extensions: 2 });
    expect(endpoint.configName).toBe('pitstop-churn-abc-final');
  });

  it.each(STAGES.map((percent, index) => ({ percent, stage: index + 1 })))(
    'stops and rolls back with InsufficientTraffic after maxExtensions inconclusive extensions of stage $stage ($percent %)',
    async ({ percent, stage }) => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    const state = `Stage ${stage} (${percent}%): check candidate`;

    // Act
    const execution = await run(canary, INPUT, options(endpoint, { [state]: checks(TOO_FEW) }));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InsufficientTraffic');
    expect(execution.cause).toContain(`Too little traffic at ${percent}% after 3 extensions`);
    expect(execution.cause).toContain('12 of 100');
    expect(callsTo(execution, state).map((c) => c.input.stage.extensions)).toEqual([0, 1, 2, 3]);
    expect(execution.states).not.toContain('Create final config');
    expect(endpoint.configName).toBe('churn-old-final');
    expect(endpoint.weights).toEqual({ production: 1 });
    expect(callsTo(execution, 'sns:publish')[0]!.input.Subject).toContain('InsufficientTraffic');
  });

  it('fails a stage by the rule that decided and rolls back', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    const fisher = { verdict: 'fail', rule: 'fisher', reason: "5XX error rate 0.04 (4 of 100) is worse than production's 0 (0 of 1000)" } as const;

    // Act
    const execution = await run(canary, INPUT, options(endpoint, { 'Stage 1 (10%): check candidate': checks(fisher) }));

    // Assess
    expect(execution.error).toBe('CanaryBreached');
    expect(execution.cause).toBe("Canary breached at 10% (fisher): 5XX error rate 0.04 (4 of 100) is worse than production's 0 (0 of 1000)");
    expect(callsTo(execution, 'Stage 1 (10%): check candidate')).toHaveLength(1);
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('a fail after an extension still fails: the extension does not hide it', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');
    const absolute = { verdict: 'fail', rule: 'absoluteLimits', reason: 'p99 ModelLatency 1500 ms is above 1000 ms' } as const;

    // Act
    const execution = await run(canary, INPUT, options(endpoint, { 'Stage 3 (100%): check candidate': checks(TOO_FEW, absolute) }));

    // Assess
    expect(execution.error).toBe('CanaryBreached');
    expect(callsTo(execution, 'Stage 3 (100%): check candidate')).toHaveLength(2);
    expect(endpoint.configName).toBe('churn-old-final');
  });

  it('with maxExtensions 0 an inconclusive stage stops at once, and no extension state exists', async () => {
    // Prepare
    const endpoint = new FakeEndpoint('churn-endpoint');

    // Act
    const execution = await run(noExtensions, INPUT, options(endpoint, { 'Stage 1 (10%): check candidate': checks(TOO_FEW) }));

    // Assess
    expect(execution.error).toBe('InsufficientTraffic');
    expect(callsTo(execution, 'Stage 1 (10%): check candidate')).toHaveLength(1);
    expect(Object.keys((noExtensions as any).States).some((s) => s.includes('extend bake'))).toBe(false);
  });

  it('bakes each stage for its minutes plus the metric lag and the aligning minute, and extends by its minutes', () => {
    // Assess: fixture bake 5 minutes, lag 3
    const states = (canary as any).States;
    expect(states['Stage 1 (10%): bake'].Seconds).toBe((5 + 3 + 1) * 60);
    expect(states['Stage 1 (10%): extend bake'].Seconds).toBe(5 * 60);
  });
});
