/**
 * Sample run data for the report tests: a realistic promoted drift-retrain run
 * (8 features, 4 canary stages), an empty stopped run, and a hostile run whose
 * every string tries to inject markup.
 */
import type { RunReportData } from '../../../local/report/types';

type Entry = RunReportData['timeline'][number];

/** Builds consecutive states of one state machine from [name, durationMs, status?]. */
function states(stateMachine: string, startMs: number, steps: readonly (readonly [string, number, Entry['status']?])[]): Entry[] {
  let t = startMs;
  return steps.map(([state, ms, status]) => {
    const e: Entry = { stateMachine, state, startMs: t, endMs: t + ms, status: status ?? 'succeeded' };
    t += ms;
    return e;
  });
}

const monitor = states('churn-monitor', 0, [
  ['ValidateCaptured', 1_200],
  ['DetectDrift', 2_400],
  ['MeasureQuality', 1_100],
  ['PutMetricData', 300],
]);
const retrain = states('churn-retrain', 6_000, [
  ['AcquireLock', 150],
  ['CheckCooldown', 100],
  ['ValidateTrainingData', 1_800],
  ['Train', 24_000],
  ['CreateModel', 400],
  ['ProfileBaseline', 2_100],
  ['TransformHoldout', 9_500],
  ['EvaluateCandidate', 1_300],
  ['RegisterModelPackage', 500],
  ['StartCanary', 200],
]);
const canary = states('churn-canary', 46_100, [
  ['CreateEndpointConfig', 300],
  ['UpdateEndpoint', 800],
  ['WaitInService', 2_000, 'caught'],
  ['PollInService', 1_500],
  ['SmokeTest', 2_600],
  ['SetWeights5', 400],
  ['Bake5', 10_000],
  ['CanaryCheck5', 700],
  ['SetWeights25', 400],
  ['Bake25', 10_000],
  ['CanaryCheck25', 700],
  ['SetWeights50', 400],
  ['Bake50', 10_000],
  ['CanaryCheck50', 700],
  ['SetWeights100', 400],
  ['Bake100', 10_000],
  ['CanaryCheck100', 700],
  ['Finalize', 1_200],
]);

/** A promoted run: drift alarm, retrain, gate passed, canary 5 → 25 → 50 → 100 %, promoted. */
export const PROMOTED_RUN: RunReportData = {
  scenario: 'drift-retrain',
  outcome: 'promoted',
  startedAt: '2025-06-01T02:00:00.000Z',
  durationMs: 100_000,
  model: 'churn',
  productionModel: { before: 'churn-20250525-0200', after: 'churn-20250601-0200' },
  timeline: [...monitor, ...retrain, ...canary],
  drift: [
    { feature: 'tenure_months', type: 'numeric', method: 'psi', score: 0.31, threshold: 0.2, drifted: true },
    { feature: 'monthly_charges', type: 'numeric', method: 'psi', score: 0.27, threshold: 0.2, drifted: true },
    { feature: 'total_charges', type: 'numeric', method: 'psi', score: 0.12, threshold: 0.2, drifted: false },
    { feature: 'support_calls', type: 'numeric', method: 'ks', score: 0.08, threshold: 0.1, drifted: false },
    { feature: 'contract', type: 'categorical', method: 'js', score: 0.05, threshold: 0.1, drifted: false },
    { feature: 'payment_method', type: 'categorical', method: 'js', score: 0.14, threshold: 0.1, drifted: true },
    { feature: 'internet_service', type: 'categorical', method: 'chi2', score: 0.02, threshold: 0.05, drifted: false },
    { feature: 'senior_citizen', type: 'categorical', method: 'js', score: 0.0, threshold: 0.1, drifted: false },
  ],
  evaluation: {
    candidate: { accuracy: 0.874, f1: 0.712, auc: 0.901, precision: 0.745, recall: 0.682 },
    production: { accuracy: 0.842, f1: 0.655, auc: 0.871, precision: 0.701, recall: 0.615 },
    rules: [
      { kind: 'absolute', metric: 'auc', passed: true, candidate: 0.901, threshold: 0.75, message: 'auc 0.901 >= 0.75' },
      { kind: 'relative', metric: 'accuracy', passed: true, candidate: 0.874, production: 0.842, threshold: 0.832, message: 'accuracy 0.874 >= production 0.842 - 0.01' },
      { kind: 'primary', metric: 'f1', passed: true, candidate: 0.712, production: 0.655, threshold: 0.665, message: 'f1 0.712 >= production 0.655 + 0.01' },
    ],
    passed: true,
  },
  canary: [5, 25, 50, 100].map((percent, i) => ({
    stage: i + 1,
    percent,
    breached: false,
    candidate: { invocations: Math.round(2400 * percent / 100), errorRate: [0, 0.002, 0.0015, 0.001][i]!, latencyP95Ms: 18 + i, latencyP99Ms: 31 + i * 2 },
    production: { invocations: Math.round(2400 * (100 - percent) / 100), errorRate: [0.001, 0.0012, 0.0009, 0][i]!, latencyP95Ms: 22, latencyP99Ms: 38 },
  })),
  alarms: [
    { atMs: 5_100, alarm: 'pitstop-churn-drift', from: 'OK', to: 'ALARM', reason: 'Threshold Crossed: 3 out of the last 3 datapoints [3.0, 3.0, 2.0] were greater than or equal to the threshold (2.0).' },
    { atMs: 98_000, alarm: 'pitstop-churn-drift', from: 'ALARM', to: 'OK', reason: 'Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (2.0).' },
  ],
  notifications: [
    { atMs: 5_300, subject: 'pitstop churn: drift detected, retraining', message: '3 of 8 features drifted: tenure_months, monthly_charges, payment_method.' },
    { atMs: 99_500, subject: 'pitstop churn: candidate promoted', message: 'churn-20250601-0200 now serves 100 % of traffic.\nf1 0.712 (production 0.655).' },
  ],
};

/** A run that stopped at once: no state, no drift, no evaluation, no canary, no event. */
export const EMPTY_RUN: RunReportData = {
  scenario: 'nothing-to-do',
  outcome: 'stopped',
  startedAt: '2025-06-01T02:00:00.000Z',
  durationMs: 0,
  model: 'churn',
  productionModel: { before: null, after: null },
  timeline: [],
  drift: [],
  canary: [],
  alarms: [],
  notifications: [],
};

/** A run whose strings all carry `payload`. */
export function hostileRun(payload: string): RunReportData {
  return {
    ...PROMOTED_RUN,
    scenario: payload,
    model: payload,
    startedAt: payload,
    productionModel: { before: payload, after: payload },
    timeline: PROMOTED_RUN.timeline.slice(0, 3).map((e) => ({ ...e, stateMachine: payload, state: payload })),
    drift: PROMOTED_RUN.drift.slice(0, 2).map((d) => ({ ...d, feature: payload, method: payload })),
    evaluation: {
      candidate: { [payload]: 0.5 },
      production: { [payload]: 0.4 },
      rules: [{ kind: payload, metric: payload, passed: false, candidate: 0.5, production: 0.4, threshold: 0.6, message: payload }],
      passed: false,
    },
    fixedHoldout: {
      candidate: { [payload]: 0.3 },
      production: { [payload]: 0.2 },
      rules: [{ kind: payload, metric: payload, passed: true, candidate: 0.3, production: 0.2, threshold: 0.1, message: payload }],
      passed: true,
    },
    canary: [{ ...PROMOTED_RUN.canary[0]!, breached: true, reason: payload }],
    alarms: [{ atMs: 1, alarm: payload, from: payload, to: payload, reason: payload }],
    notifications: [{ atMs: 2, subject: payload, message: payload }],
  };
}
