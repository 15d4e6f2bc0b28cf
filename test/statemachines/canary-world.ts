/**
 * The Canary's path tests share this world: the canary graphs of the checked-in config
 * variants (scripts/sfn-coverage/variants.ts: three stages, one stage, the four default
 * stages), a fake endpoint running the production config, and the handlers of a
 * healthy rollout that a test overrides one state at a time.
 */
import { expect } from 'vitest';
import { graphKey } from '../../local/trace';
import { VARIANTS, variantModel } from '../../scripts/sfn-coverage/variants';
import { ModelConfigSchema } from '../../vocabulary/config/index';
import { FakeEndpoint, messagingHandlers } from './fakes';
import { synthesize } from './fixtures';
import { callsTo, run, stepError, type Execution, type Handler } from './harness';

/** The run's input and the names the canary derives from it. */
export const INPUT = { runId: 'churn-abc', candidateModelName: 'churn-abc' };
export const CONFIGS = { production: 'churn-old-final', canary: 'pitstop-churn-abc-canary', final: 'pitstop-churn-abc-final' } as const;

/** The variants whose canary graphs differ (asserted by {@link canaryGraphs}). */
export const GRAPH_VARIANTS = ['auto approval', 'one canary stage', 'default canary stages', 'no bake extensions'] as const;
export type GraphVariant = (typeof GRAPH_VARIANTS)[number];

/** A canary graph: its variant, its stage percents and the resolved definition. */
export interface CanaryGraph {
  readonly variant: GraphVariant;
  readonly percents: number[];
  /** `canary.maxExtensions`: how often an inconclusive stage's bake is extended. */
  readonly maxExtensions: number;
  readonly definition: Record<string, unknown>;
}

const graphs = new Map<GraphVariant, CanaryGraph>();

/** The canary graph of one variant (synthesized once per test file). */
export function canaryGraph(variant: GraphVariant): CanaryGraph {
  const cached = graphs.get(variant);
  if (cached) return cached;
  const found = VARIANTS.find((v) => v.name === variant);
  if (!found) throw new Error(`no variant named "${variant}" in scripts/sfn-coverage/variants.ts`);
  const model = ModelConfigSchema.parse(variantModel(found));
  const graph = {
    variant,
    percents: model.canary.stages.map((s) => s.percent),
    maxExtensions: model.canary.maxExtensions,
    definition: synthesize(model).definitions.canary,
  };
  graphs.set(variant, graph);
  return graph;
}

/** Every canary graph, checked to be distinct. */
export function canaryGraphs(): CanaryGraph[] {
  const all = GRAPH_VARIANTS.map(canaryGraph);
  expect(new Set(all.map((g) => graphKey(g.definition))).size).toBe(all.length);
  return all;
}

/** The state names of stage `index` (from 0) at `percent`. */
export function stage(index: number, percent: number) {
  const label = `Stage ${index + 1} (${percent}%)`;
  return {
    label,
    shift: `${label}: shift traffic`,
    weights: `${label} weights`,
    check: `${label}: check candidate`,
    breached: `${label}: breached`,
    extend: `${label}: extend bake`,
    insufficient: `${label}: too little traffic`,
  };
}

/** A stage verdict of the canary check (lambdas/core/canary): the verdict and the rule that decided it. */
export interface Verdict {
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  readonly rule: string;
  readonly reason?: string;
}

export const PASS: Verdict = { verdict: 'pass', rule: 'noErrors' };
export const TOO_FEW: Verdict = { verdict: 'inconclusive', rule: 'minRequests', reason: 'too few candidate requests: 12 of 100' };

/** A stage check answering `verdicts` in turn (the last one repeated), echoing the stage's window and extensions as the Lambda does. */
export function checks(...verdicts: Verdict[]): Handler {
  let call = 0;
  return (input) => {
    const v = verdicts[Math.min(call++, verdicts.length - 1)]!;
    return {
      ...v,
      extensions: input.stage.extensions,
      window: { start: input.stage.startedAt, end: input.stage.startedAt },
      metrics: { candidate: { errorRate: v.verdict === 'fail' ? 0.04 : 0 } },
    };
  };
}

/** The healthy answers of the canary's Lambdas for `percents`. */
export function healthyLambdas(percents: readonly number[]): Record<string, Handler> {
  return {
    'Smoke test candidate': () => ({ passed: true, requests: 100, failures: 0, p99Ms: 120 }),
    ...Object.fromEntries(percents.map((p, i) => [stage(i, p).check, checks(PASS)])),
  };
}

/** A handler that throws `name` with `cause`. */
export function throwing(name: string, cause: string): Handler {
  return () => {
    throw stepError(name, cause);
  };
}

/** Runs `graph` against `endpoint` with healthy Lambdas, `states` overriding handlers. */
export function runCanary(graph: CanaryGraph, endpoint: FakeEndpoint, states: Record<string, Handler> = {}): Promise<Execution> {
  return run(graph.definition, INPUT, {
    integrations: { ...endpoint.handlers(), ...messagingHandlers() },
    states: { ...healthyLambdas(graph.percents), ...states },
  });
}

/** A fake endpoint running the production config alone (model churn-old, weight 1). */
export function productionEndpoint(): FakeEndpoint {
  return new FakeEndpoint('churn-endpoint', { configName: CONFIGS.production });
}

/** The weights of each UpdateEndpointWeightsAndCapacities, as `production/candidate`. */
export function weightCalls(execution: Execution): string[] {
  return callsTo(execution, 'sagemaker:updateEndpointWeightsAndCapacities').map((c) => {
    const w = Object.fromEntries(c.input.DesiredWeightsAndCapacities.map((d: any) => [d.VariantName, d.DesiredWeight]));
    return `${w.production}/${w.candidate}`;
  });
}

/** The forward weight shifts of the stages up to stage `index` (inclusive). */
export function shiftsUpTo(percents: readonly number[], index: number): string[] {
  return percents.slice(0, index + 1).map((p) => `${100 - p}/${p}`);
}

/** The config names sent to UpdateEndpoint, in order. */
export function configUpdates(execution: Execution): string[] {
  return callsTo(execution, 'sagemaker:updateEndpoint').map((c) => c.input.EndpointConfigName);
}

/** What a run must leave behind after a rollback: production alone, in service, at full weight. */
export function expectProductionOnly(endpoint: FakeEndpoint): void {
  expect({ status: endpoint.status, config: endpoint.configName, weights: endpoint.weights }).toEqual({
    status: 'InService',
    config: CONFIGS.production,
    weights: { production: 1 },
  });
}

/** The mails the run sent: exactly one, its subject naming `text`. */
export function expectOneMail(execution: Execution, text: string): void {
  const mails = callsTo(execution, 'sns:publish');
  expect(mails).toHaveLength(1);
  expect(mails[0]!.input.Subject).toContain(text);
}

/** The errors of Catch `index` (from 1) of `state` in `definition`. */
export function catchErrors(definition: Record<string, unknown>, state: string, index: number): string[] {
  const s = (definition.States as Record<string, { Catch?: { ErrorEquals: string[] }[] }>)[state];
  const c = s?.Catch?.[index - 1];
  if (!c) throw new Error(`no Catch ${index} on state "${state}"`);
  return c.ErrorEquals;
}

/** The `MaxAttempts`-like bound of the endpoint poll loops: the number in the "too slow" rule of `label`. */
export function pollChecks(definition: Record<string, unknown>, label: string): number {
  const choice = (definition.States as Record<string, { Choices?: { NumericGreaterThanEquals?: number; Next: string }[] }>)[`${label}: endpoint ready?`];
  const rule = choice?.Choices?.find((r) => r.Next === `${label}: too slow`);
  if (rule?.NumericGreaterThanEquals === undefined) throw new Error(`no "too slow" rule in ${label}: endpoint ready?`);
  return rule.NumericGreaterThanEquals;
}
