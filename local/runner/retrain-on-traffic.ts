/**
 * The `retrain-on-traffic` scenario's story: the training prefix only ever holds the
 * original history and the holdout file is the old one; labels reach pitstop only as
 * ground truth for captured requests. Drift comes, the alarm starts a retrain, whose
 * dataset step assembles history + labeled traffic and holds out the newest labeled
 * requests; the candidate is gated on that recent holdout and promoted, and the same
 * candidate's judgment on the old fixed holdout is shown beside it.
 */
import { generateRows } from '../../examples/data/generate';
import type { DatasetSummary } from '../../vocabulary/dataset-contracts';
import type { ExecutionResult } from './executions';
import type { RawModel } from './environment';
import type { DemoSession, EndpointState } from './session';

/** The dataset settings of the scenario: a recent holdout (the default once labels exist), a week of traffic. */
export const TRAFFIC_DATASET = { production: { window: 'P7D' }, holdout: { fraction: 0.25, minRows: 300 } } as const;

/**
 * The scenario's config: `data.dataset` set, and a gate on ranking (`rocAuc`) alone. The
 * drifted customers churn far less often than the history's: at a 0.5 threshold the old
 * model's habit of predicting churn keeps an f1 the retrained model (which predicts
 * churn rarely, as it now is) cannot match, although it ranks today's customers far
 * better; the example config's f1 rule would reject it on the recent holdout.
 */
export function datasetConfig(raw: RawModel): RawModel {
  const gate = raw.gate as { absolute?: unknown[]; relative?: { metric: string }[]; primary?: unknown } | undefined;
  return {
    ...raw,
    data: { ...(raw.data as Record<string, unknown>), dataset: TRAFFIC_DATASET },
    gate: { ...gate, relative: (gate?.relative ?? []).filter((r) => r.metric !== 'f1') },
  };
}

/** The fields of the last retrain's dataset, as the `--json` summary carries them: the summary's, drops by reason and cut-off included. */
export function datasetFields(d: DatasetSummary): DatasetSummary {
  const { historyRows, productionRows, droppedRows, dropped, trainingCutoff, holdoutRows, holdoutFrom, holdoutTo, manifestUri } = d;
  return { historyRows, productionRows, droppedRows, dropped: { ...dropped }, trainingCutoff, holdoutRows, holdoutFrom, holdoutTo, manifestUri };
}

/** What the story needs of the scenario runner. */
export interface TrafficDeps {
  bootstrap(s: DemoSession): Promise<EndpointState>;
  runTargets(s: DemoSession, targets: readonly { arn: string; input: unknown }[]): Promise<ExecutionResult>;
  readonly requestsPerPeriod: number;
  readonly backgroundRate: number;
}

/** What the story ended with. */
export interface TrafficResult {
  readonly main?: ExecutionResult;
  readonly before: EndpointState;
  readonly after: EndpointState;
  readonly evaluationsBefore: number;
  readonly failedChecks: string[];
  readonly dataset?: DatasetSummary;
  /** The candidate's judgment on the fixed holdout (`data.holdout`), beside the gate's on the recent one. */
  readonly fixedHoldout?: unknown;
}

/** Runs the story. */
export async function runRetrainOnTraffic(s: DemoSession, deps: TrafficDeps): Promise<TrafficResult> {
  const before = await deps.bootstrap(s);
  const evaluationsBefore = s.evaluations.length;
  const failed: string[] = [];
  s.say('— drift: customers change; nobody writes new training data: their labels arrive only as ground truth for the captured requests —');
  const live = generateRows({ rows: 4 * deps.requestsPerPeriod, seed: 71, featureDrift: 1, conceptDrift: 1 });
  // Every period's requests are labeled: the alarm's retrain comes after all four, so that
  // most of what it learns is today's customers (the history is kept whole).
  let targets: Awaited<ReturnType<DemoSession['monitorPeriod']>> = [];
  for (let p = 0; p < 4; p += 1) {
    const fired = await s.monitorPeriod(live.slice(p * deps.requestsPerPeriod, (p + 1) * deps.requestsPerPeriod));
    if (targets.length === 0) targets = fired;
  }
  if (targets.length === 0) {
    failed.push('expected a retrain alarm within 4 monitor periods, got none');
    return { before, after: await s.endpointState(), evaluationsBefore, failedChecks: failed };
  }
  s.say(`— retrain: history + labeled traffic, gated on the newest labeled requests (${deps.backgroundRate} requests/s in the background) —`);
  s.traffic.startBackground(live, deps.backgroundRate);
  let main: ExecutionResult;
  try {
    main = await deps.runTargets(s, targets);
  } finally {
    await s.traffic.stopBackground();
  }
  const after = await s.endpointState();
  const output = s.datasets.at(-1) as { dataset?: DatasetSummary; holdoutKind?: string } | undefined;
  const dataset = output?.dataset ? datasetFields(output.dataset) : undefined;
  const fixedHoldout = s.fixedHoldoutEvaluations.at(-1);
  const check = (ok: boolean, message: string) => {
    if (!ok) failed.push(message);
  };
  check(after.model !== null && after.model !== before.model, `expected a new production model, got ${after.model} (before ${before.model})`);
  check(output?.holdoutKind === 'recent', `expected the gate to judge on the recent holdout, got ${String(output?.holdoutKind)}`);
  check((dataset?.productionRows ?? 0) > 0, `expected labeled production rows in the training set, got ${JSON.stringify(dataset)}`);
  check((dataset?.holdoutRows ?? 0) >= TRAFFIC_DATASET.holdout.minRows, `expected at least ${TRAFFIC_DATASET.holdout.minRows} recent holdout rows, got ${String(dataset?.holdoutRows)}`);
  check(fixedHoldout !== undefined, 'expected the candidate judged on the fixed holdout too');
  return { main, before, after, evaluationsBefore, failedChecks: failed, ...(dataset ? { dataset } : {}), ...(fixedHoldout ? { fixedHoldout } : {}) };
}
