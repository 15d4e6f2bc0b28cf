/**
 * The canary's breach policy: judging the candidate variant by its own CloudWatch
 * metrics over a stage's bake window.
 *
 * - Error rate = Invocation5XXErrors / Invocations (both Sums over the window). A
 *   variant with no invocation has no error rate: that is not a breach (a 5 % stage on
 *   a quiet endpoint may see no request in a short bake), but it is reported in
 *   `notes` and as `invocations: 0`, so the run record shows the stage was not tested.
 * - Latency: SageMaker's ModelLatency is in microseconds; the p95 and p99 are converted
 *   to milliseconds before comparing with the limits. No datapoint, no comparison.
 * - Each limit is breached when the value is strictly above it (a rate exactly at
 *   `maxErrorRate` passes).
 * - A stage's verdict ({@link judgeStage}) adds the evidence rules: enough candidate
 *   requests, and an error rate not worse than production's over the same minutes.
 * - The optional custom metric breaches when `value <comparison> threshold` holds, like
 *   a CloudWatch alarm; without a datapoint it is reported and not a breach.
 */
import { compareErrorRates, type ErrorRateTest } from './error-rate-test';

/** Microseconds per millisecond. */
export const MICROSECONDS_PER_MS = 1000;

/** SageMaker reports ModelLatency in microseconds; the limits are in milliseconds. */
export function microsecondsToMs(us: number): number {
  return us / MICROSECONDS_PER_MS;
}

/** 5XX errors per invocation; undefined with no invocation. */
export function errorRate(invocations: number, errors5xx: number): number | undefined {
  return invocations > 0 ? errors5xx / invocations : undefined;
}

/** What CloudWatch said about one variant over the window. */
export interface VariantReadings {
  /** Sum of Invocations. */
  readonly invocations: number;
  /** Sum of Invocation5XXErrors. */
  readonly errors5xx: number;
  /** ModelLatency p95 in microseconds; undefined without datapoints. */
  readonly latencyP95Us?: number;
  /** ModelLatency p99 in microseconds; undefined without datapoints. */
  readonly latencyP99Us?: number;
}

/** CloudWatch alarm comparisons, as the config names them. */
export const COMPARISONS = {
  GreaterThanThreshold: (v: number, t: number) => v > t,
  GreaterThanOrEqualToThreshold: (v: number, t: number) => v >= t,
  LessThanThreshold: (v: number, t: number) => v < t,
  LessThanOrEqualToThreshold: (v: number, t: number) => v <= t,
} as const;
export type Comparison = keyof typeof COMPARISONS;

/** Whether `value` breaches `threshold` under `comparison`. */
export function compareWithThreshold(value: number, comparison: Comparison, threshold: number): boolean {
  return COMPARISONS[comparison](value, threshold);
}

/** The canary limits (the config's `canary`). */
export interface CanaryLimits {
  readonly maxErrorRate: number;
  readonly maxLatencyP95Ms: number;
  readonly maxLatencyP99Ms: number;
}

/** The custom metric's reading and its rule. */
export interface CustomReading {
  readonly metricName: string;
  /** The value over the window; undefined without datapoints. */
  readonly value?: number;
  readonly threshold: number;
  readonly comparison: Comparison;
}

/** The verdict on the candidate. */
export interface CanaryVerdict {
  readonly breached: boolean;
  /** Every breached limit, `; `-separated; present when breached. */
  readonly reason?: string;
  /** The values read, for the run record: errorRate, latencyP95Ms, latencyP99Ms, invocations, errors5xx, custom (each when known). */
  readonly metrics: Record<string, number>;
  /** What could not be judged (no traffic, no custom datapoint). */
  readonly notes: string[];
}

/** The values of one variant, in the units of the limits. */
export function variantMetrics(r: VariantReadings): Record<string, number> {
  const out: Record<string, number> = { invocations: r.invocations, errors5xx: r.errors5xx };
  const rate = errorRate(r.invocations, r.errors5xx);
  if (rate !== undefined) out.errorRate = rate;
  if (r.latencyP95Us !== undefined) out.latencyP95Ms = microsecondsToMs(r.latencyP95Us);
  if (r.latencyP99Us !== undefined) out.latencyP99Ms = microsecondsToMs(r.latencyP99Us);
  return out;
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));

/** Judges the candidate's readings against the limits (see the module comment). */
export function judgeCanary(candidate: VariantReadings, limits: CanaryLimits, custom?: CustomReading): CanaryVerdict {
  const metrics = variantMetrics(candidate);
  const reasons: string[] = [];
  const notes: string[] = [];
  if (metrics.errorRate === undefined) {
    notes.push('the candidate received no invocation in the window: error rate not judged');
  } else if (metrics.errorRate > limits.maxErrorRate) {
    reasons.push(`5XX error rate ${fmt(metrics.errorRate)} (${candidate.errors5xx} of ${candidate.invocations}) is above ${limits.maxErrorRate}`);
  }
  if (metrics.latencyP95Ms !== undefined && metrics.latencyP95Ms > limits.maxLatencyP95Ms) {
    reasons.push(`p95 ModelLatency ${fmt(metrics.latencyP95Ms)} ms is above ${limits.maxLatencyP95Ms} ms`);
  }
  if (metrics.latencyP99Ms !== undefined && metrics.latencyP99Ms > limits.maxLatencyP99Ms) {
    reasons.push(`p99 ModelLatency ${fmt(metrics.latencyP99Ms)} ms is above ${limits.maxLatencyP99Ms} ms`);
  }
  if (custom) {
    if (custom.value === undefined) {
      notes.push(`custom metric ${custom.metricName} has no datapoint in the window: not judged`);
    } else {
      metrics.custom = custom.value;
      if (compareWithThreshold(custom.value, custom.comparison, custom.threshold)) {
        reasons.push(`${custom.metricName} ${fmt(custom.value)} is ${custom.comparison.replace(/Threshold$/, '')} ${custom.threshold}`);
      }
    }
  }
  return { breached: reasons.length > 0, ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}), metrics, notes };
}

/**
 * Combines the datapoints of one metric over the window: Sums and SampleCounts add
 * up; otherwise the worst one counts (the highest, or the lowest when lower is the
 * breach direction). Undefined without datapoints.
 */
export function combineDatapoints(values: readonly number[], statistic: string, lowerBreaches = false): number | undefined {
  if (values.length === 0) return undefined;
  if (statistic === 'Sum' || statistic === 'SampleCount') return values.reduce((a, b) => a + b, 0);
  if (statistic === 'Minimum') return Math.min(...values);
  return lowerBreaches ? Math.min(...values) : Math.max(...values);
}

/** A stage's verdict. */
export const STAGE_VERDICTS = { pass: 'pass', fail: 'fail', inconclusive: 'inconclusive' } as const;
export type StageVerdict = (typeof STAGE_VERDICTS)[keyof typeof STAGE_VERDICTS];

/**
 * The rule that decided a stage: too few candidate requests (`minRequests`), an
 * absolute limit (`absoluteLimits`), no error on either side (`noErrors`), the
 * comparison with production (`zTest` or `fisher`), or no production request to
 * compare with in the window (`noProductionTraffic`: the last stage at 100 %).
 */
export type StageRule = 'minRequests' | 'absoluteLimits' | ErrorRateTest | 'noProductionTraffic';

/** The evidence a stage needs (the config's `canary.minRequests` and `canary.alpha`). */
export interface StagePolicy {
  readonly minRequests: number;
  readonly alpha: number;
}

/** A stage's judgement. */
export interface StageJudgement extends CanaryVerdict {
  readonly verdict: StageVerdict;
  readonly rule: StageRule;
  /** One-sided p-value of the comparison with production, when one was made. */
  readonly pValue?: number;
}

/**
 * Judges one stage over its own metric window:
 * 1. fewer than `minRequests` candidate invocations: inconclusive — unless the errors
 *    already seen breach `maxErrorRate` even if every missing request succeeded
 *    (errors > maxErrorRate × minRequests), which fails at once;
 * 2. an absolute limit breached (as {@link judgeCanary}): fail;
 * 3. no production invocation in the window: pass on the absolute limits alone;
 * 4. the error rates compared over the same minutes ({@link compareErrorRates}): fail
 *    when the one-sided p-value is below `alpha`, else pass (no error on either side
 *    passes).
 */
export function judgeStage(
  candidate: VariantReadings,
  production: VariantReadings,
  limits: CanaryLimits,
  policy: StagePolicy,
  custom?: CustomReading,
): StageJudgement {
  const absolute = judgeCanary(candidate, limits, custom);
  const notes = [...absolute.notes];
  const fail = (rule: StageRule, reason: string, pValue?: number): StageJudgement => ({
    ...absolute,
    notes,
    breached: true,
    reason,
    verdict: 'fail',
    rule,
    ...(pValue === undefined ? {} : { pValue }),
  });
  const pass = (rule: StageRule, pValue?: number): StageJudgement => {
    const { reason: _none, ...rest } = absolute;
    return { ...rest, notes, breached: false, verdict: 'pass', rule, ...(pValue === undefined ? {} : { pValue }) };
  };
  if (candidate.invocations < policy.minRequests) {
    if (candidate.errors5xx > limits.maxErrorRate * policy.minRequests) {
      return fail(
        'absoluteLimits',
        `${candidate.errors5xx} 5XX errors in ${candidate.invocations} requests: above ${limits.maxErrorRate} of ${policy.minRequests} requests whatever the rest answer`,
      );
    }
    const { reason: _none, ...rest } = absolute;
    return {
      ...rest,
      notes: [...notes, `${candidate.invocations} of the ${policy.minRequests} candidate requests needed`],
      breached: false,
      reason: `too few candidate requests: ${candidate.invocations} of ${policy.minRequests}`,
      verdict: 'inconclusive',
      rule: 'minRequests',
    };
  }
  if (absolute.breached) return fail('absoluteLimits', absolute.reason ?? 'an absolute limit is breached');
  if (production.invocations === 0) {
    notes.push('production received no invocation in the window: judged on the absolute limits alone');
    return pass('noProductionTraffic');
  }
  const errorsOf = (r: VariantReadings) => ({ errors: Math.min(r.errors5xx, r.invocations), requests: r.invocations });
  const comparison = compareErrorRates(errorsOf(candidate), errorsOf(production));
  if (comparison.test !== 'noErrors' && comparison.pValue < policy.alpha) {
    const rate = (r: VariantReadings) => `${fmt(r.errors5xx / r.invocations)} (${r.errors5xx} of ${r.invocations})`;
    const test = comparison.test === 'fisher' ? "Fisher's exact test" : 'the two-proportion z-test';
    return fail(
      comparison.test,
      `5XX error rate ${rate(candidate)} is worse than production's ${rate(production)}: one-sided p = ${fmt(comparison.pValue)} < ${policy.alpha} (${test})`,
      comparison.pValue,
    );
  }
  return pass(comparison.test, comparison.test === 'noErrors' ? undefined : comparison.pValue);
}
