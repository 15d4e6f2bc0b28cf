/**
 * Builds the report data of a local run (local/report's `RunReportData`) from what the
 * runner saw: the timeline, the Lambda calls (drift, evaluate, canary check), the
 * alarm state changes and the SNS messages. Pure.
 */
import type { RunReportData } from '../report';
import type { TimelineEntry } from './timeline';

/** A demo outcome. */
export type DemoOutcome = RunReportData['outcome'];

/** One drift score of a drift Lambda output. */
export interface DriftScore {
  readonly feature: string;
  readonly method: string;
  readonly score: number;
  readonly threshold: number;
  readonly drifted: boolean;
}

/** One canary check: its input stage and its output. */
export interface CanaryCheckRecord {
  readonly stage: { readonly index: number; readonly percent: number };
  readonly breached: boolean;
  /** The stage's verdict (pass, fail, inconclusive), the rule that decided and the bake extensions so far. */
  readonly verdict?: string;
  readonly rule?: string;
  readonly extensions?: number;
  readonly reason?: string;
  readonly candidate: Readonly<Record<string, number>>;
  readonly production?: Readonly<Record<string, number>>;
}

/** What the runner collected. */
export interface RunRecord {
  readonly scenario: string;
  readonly model: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly outcome: DemoOutcome;
  readonly productionModel: { readonly before: string | null; readonly after: string | null };
  readonly timeline: readonly TimelineEntry[];
  /** Feature types by name. */
  readonly featureTypes: Readonly<Record<string, 'numeric' | 'categorical'>>;
  /** Drift scores of the monitor run that raised the alarm (or the last monitor run). */
  readonly drift: readonly DriftScore[];
  /** The evaluate output of the main retrain, if it got there. */
  readonly evaluation?: RunReportData['evaluation'];
  /** The same retrain's judgment on the fixed holdout, when it judged on a recent one. */
  readonly fixedHoldout?: RunReportData['evaluation'];
  readonly canary: readonly CanaryCheckRecord[];
  readonly alarms: RunReportData['alarms'];
  readonly notifications: RunReportData['notifications'];
}

const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 0 : x);

function variant(m: Readonly<Record<string, number>> | undefined) {
  return {
    invocations: num(m?.invocations),
    errorRate: num(m?.errorRate),
    latencyP95Ms: num(m?.latencyP95Ms),
    latencyP99Ms: num(m?.latencyP99Ms),
  };
}

/** The report data of a run. */
export function buildReportData(r: RunRecord): RunReportData {
  return {
    scenario: r.scenario,
    outcome: r.outcome,
    startedAt: new Date(r.startedAt).toISOString(),
    durationMs: r.durationMs,
    model: r.model,
    productionModel: r.productionModel,
    timeline: r.timeline.map((e) => ({
      stateMachine: e.stateMachine,
      state: e.state,
      startMs: e.startMs,
      endMs: e.endMs,
      status: e.status === 'running' ? 'failed' : e.status,
    })),
    drift: r.drift.map((d) => ({ ...d, type: r.featureTypes[d.feature] ?? 'numeric' })),
    ...(r.evaluation ? { evaluation: r.evaluation } : {}),
    ...(r.evaluation && r.fixedHoldout ? { fixedHoldout: r.fixedHoldout } : {}),
    canary: r.canary.map((c) => ({
      stage: c.stage.index + 1,
      percent: c.stage.percent,
      breached: c.breached,
      ...(c.reason ? { reason: c.reason } : {}),
      candidate: variant(c.candidate),
      production: variant(c.production),
    })),
    alarms: r.alarms,
    notifications: r.notifications,
  };
}

/** The demo outcome of a Retrain execution: by its end state (Succeed) or its error (Fail). */
export function retrainOutcome(status: 'SUCCEEDED' | 'FAILED', endState: string | undefined, error: string | undefined): DemoOutcome | 'skipped' | 'failed' {
  if (status === 'SUCCEEDED') return endState === 'Skipped' ? 'skipped' : 'promoted';
  switch (error) {
    case 'GateRejected':
    case 'ApprovalRejected':
    case 'ApprovalTimedOut':
      return 'rejected';
    case 'CanaryBreached':
    case 'InsufficientTraffic':
    case 'SmokeTestFailed':
    case 'EndpointUpdateFailed':
      return 'rolled-back';
    case 'DataQualityFailed':
      return 'stopped';
    default:
      return 'failed';
  }
}
