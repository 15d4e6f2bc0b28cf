/**
 * The data of one local-mode run that the HTML report shows. The local-mode runner
 * fills it; `renderReport` turns it into one self-contained HTML file.
 */

export interface RunReportData {
  readonly scenario: string;                     // e.g. 'drift-retrain'
  readonly outcome: 'promoted' | 'rejected' | 'rolled-back' | 'stopped';
  readonly startedAt: string;                    // ISO
  readonly durationMs: number;
  readonly model: string;                        // e.g. 'churn'
  readonly productionModel: { readonly before: string | null; readonly after: string | null };
  /** Every state entered, in order, across all executions (monitor, retrain, canary, rollback). */
  readonly timeline: readonly { stateMachine: string; state: string; startMs: number /* offset from run start */; endMs: number; status: 'succeeded' | 'failed' | 'caught' }[];
  /** Drift per feature from the monitor run that raised the alarm (empty when none). */
  readonly drift: readonly { feature: string; type: 'numeric' | 'categorical'; method: string; score: number; threshold: number; drifted: boolean }[];
  /** Candidate vs production on the holdout, with the gate's rule verdicts (absent when the run stopped before). */
  readonly evaluation?: {
    readonly candidate: Readonly<Record<string, number>>;
    readonly production?: Readonly<Record<string, number>>;
    readonly rules: readonly { kind: string; metric: string; passed: boolean; candidate: number; production?: number; threshold: number; message: string }[];
    readonly passed: boolean;
  };
  /**
   * The same candidate and production judged on the fixed holdout (`data.holdout`) when
   * the gate judged on a recent one: shown beside the gate's verdict, deciding nothing
   * (absent without `data.dataset`, or when the gate's holdout was the fixed one).
   */
  readonly fixedHoldout?: RunReportData['evaluation'];
  /** Each canary stage reached, with live per-variant metrics over its bake. */
  readonly canary: readonly {
    stage: number; percent: number; breached: boolean; reason?: string;
    candidate: { invocations: number; errorRate: number; latencyP95Ms: number; latencyP99Ms: number };
    production: { invocations: number; errorRate: number; latencyP95Ms: number; latencyP99Ms: number };
  }[];
  /** Alarm state changes seen. */
  readonly alarms: readonly { atMs: number; alarm: string; from: string; to: string; reason: string }[];
  /** SNS messages published. */
  readonly notifications: readonly { atMs: number; subject: string; message: string }[];
  /** The soak scenario's days of monitoring (absent for the other scenarios). */
  readonly soak?: SoakReport;
}

/** The soak's monitor runs and retrains on one time axis (days since the monitoring began). */
export interface SoakReport {
  readonly monitor: readonly { day: number; bytesRead: number; captureBytesTotal: number; insufficientData: boolean; drift: Readonly<Record<string, number>> }[];
  readonly retrains: readonly { day: number; trigger: string; outcome: string }[];
}

/** One state entered during the run. */
export type TimelineEntry = RunReportData['timeline'][number];
/** Drift of one feature. */
export type FeatureDrift = RunReportData['drift'][number];
/** The candidate's evaluation against production. */
export type Evaluation = NonNullable<RunReportData['evaluation']>;
/** One gate rule's verdict. */
export type GateRuleVerdict = Evaluation['rules'][number];
/** One canary stage. */
export type CanaryStage = RunReportData['canary'][number];
/** Live metrics of one variant over a canary stage's bake. */
export type VariantStageMetrics = CanaryStage['candidate'];
/** One alarm state change. */
export type AlarmChange = RunReportData['alarms'][number];
/** One SNS message. */
export type Notification = RunReportData['notifications'][number];
