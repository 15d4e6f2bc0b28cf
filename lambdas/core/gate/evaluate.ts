/**
 * The promotion gate: decides whether a candidate model may replace production.
 */
import { InputError } from '../../../vocabulary/errors';
import type { Metrics } from '../metrics/metric-sets';
import { isMetricName, METRIC_DIRECTION, type MetricDirection } from '../../../vocabulary/evaluation-names';
import type { GateResult, GateRuleKind, GateRuleResult, GateRules } from './types';

/**
 * Relative tolerance of the threshold comparisons, so that a value equal to its
 * threshold in decimal (0.79 against 0.80 - 0.01) passes although float64 rounding
 * leaves them an ulp apart. Margins within it are reported as 0.
 */
export const GATE_TOLERANCE = 1e-12;

/** A value with the metric name, for rules that compare `value` with `threshold`. */
interface Comparison {
  readonly kind: GateRuleKind;
  readonly metric: string;
  readonly description: string;
  readonly candidate: number;
  readonly production?: number;
  readonly threshold: number;
  /** `higher`: passes when candidate >= threshold; `lower`: when candidate <= threshold. */
  readonly passWhen: MetricDirection;
}

function compare(c: Comparison): GateRuleResult {
  const { passWhen, ...rest } = c;
  const base = { ...rest, ...(c.production === undefined ? {} : { production: c.production }) };
  if (Number.isNaN(c.candidate) || (c.production !== undefined && Number.isNaN(c.production))) {
    const who = Number.isNaN(c.candidate) ? 'the candidate' : 'production';
    return {
      ...base,
      passed: false,
      reason: `${c.metric} of ${who} is undefined (NaN) on this data`,
    };
  }
  let margin = passWhen === 'higher' ? c.candidate - c.threshold : c.threshold - c.candidate;
  const scale = Math.max(1, Math.abs(c.candidate), Math.abs(c.threshold));
  if (Math.abs(margin) <= GATE_TOLERANCE * scale) margin = 0;
  return { ...base, margin, passed: margin >= 0 };
}

const signed = (op: '+' | '-', x: number): string => (x === 0 ? '' : ` ${op} ${x}`);

function directionOf(metric: string, kind: GateRuleKind): MetricDirection {
  if (!isMetricName(metric)) {
    throw new InputError(`gate ${kind} rule names unknown metric "${metric}"`);
  }
  return METRIC_DIRECTION[metric];
}

function valueOf(metrics: Metrics, metric: string, kind: GateRuleKind, whose: 'candidate' | 'production'): number {
  const value = (metrics as Readonly<Record<string, number | undefined>>)[metric];
  if (typeof value !== 'number') {
    const available = Object.keys(metrics).join(', ') || 'none';
    throw new InputError(
      `gate ${kind} rule names metric "${metric}", which the ${whose}'s metrics do not include (they are: ${available})`,
    );
  }
  return value;
}

function checkFinite(x: number, what: string, metric: string, kind: GateRuleKind): void {
  if (!Number.isFinite(x)) throw new InputError(`gate ${kind} rule on "${metric}": ${what} must be a finite number, got ${x}`);
}

/**
 * Applies the gate's rules to the candidate's metrics and, when there is a production
 * model, to production's metrics on the same holdout.
 *
 * - absolute: `min` passes when candidate >= min, `max` when candidate <= max (both
 *   inclusive; a rule with both gives two results).
 * - relative: the candidate may be worse than production by at most `maxDegradation`:
 *   higher-is-better metrics pass when candidate >= production - maxDegradation, lower-is-
 *   better ones when candidate <= production + maxDegradation.
 * - primary: the candidate must beat production by at least `minImprovement` (default 0):
 *   candidate >= production + minImprovement, or <= production - minImprovement.
 *
 * Without production, relative and primary rules are reported as skipped and absolute
 * rules alone decide. Comparisons are inclusive within {@link GATE_TOLERANCE}. A rule on a
 * metric whose value is NaN (undefined on this data) fails with a reason. With no rules
 * at all the gate passes.
 *
 * @throws InputError when a rule names a metric the candidate's (or production's) metrics
 *   do not include, an unknown metric, an absolute rule has neither min nor max, or a
 *   bound is not a finite number: a misconfigured gate is an error, not a rejection
 */
export function evaluateGate(rules: GateRules, candidate: Metrics, production?: Metrics): GateResult {
  const results: GateRuleResult[] = [];

  for (const rule of rules.absolute ?? []) {
    const kind = 'absolute';
    const value = valueOf(candidate, rule.metric, kind, 'candidate');
    const prod = production === undefined ? {} : { production: valueOf(production, rule.metric, kind, 'production') };
    if (rule.min === undefined && rule.max === undefined) {
      throw new InputError(`gate absolute rule on "${rule.metric}" has neither min nor max`);
    }
    if (rule.min !== undefined) {
      checkFinite(rule.min, 'min', rule.metric, kind);
      const description = `${rule.metric} >= ${rule.min}`;
      results.push(compare({ kind, metric: rule.metric, description, candidate: value, ...prod, threshold: rule.min, passWhen: 'higher' }));
    }
    if (rule.max !== undefined) {
      checkFinite(rule.max, 'max', rule.metric, kind);
      const description = `${rule.metric} <= ${rule.max}`;
      results.push(compare({ kind, metric: rule.metric, description, candidate: value, ...prod, threshold: rule.max, passWhen: 'lower' }));
    }
  }

  const versus: Array<{ kind: 'relative' | 'primary'; metric: string; allowance: number }> = [
    ...(rules.relative ?? []).map((r) => ({ kind: 'relative' as const, metric: r.metric, allowance: r.maxDegradation })),
    ...(rules.primary ? [{ kind: 'primary' as const, metric: rules.primary.metric, allowance: rules.primary.minImprovement ?? 0 }] : []),
  ];
  for (const { kind, metric, allowance } of versus) {
    const direction = directionOf(metric, kind);
    const value = valueOf(candidate, metric, kind, 'candidate');
    checkFinite(allowance, kind === 'relative' ? 'maxDegradation' : 'minImprovement', metric, kind);
    // relative: production worsened by the allowance; primary: production improved by it.
    const towardsWorse = kind === 'relative';
    const op = (direction === 'higher') === towardsWorse ? '-' : '+';
    const comparator = direction === 'higher' ? '>=' : '<=';
    const description = `${metric} ${comparator} production${signed(op, allowance)}`;
    if (production === undefined) {
      results.push({ kind, metric, description, candidate: value, passed: true, skipped: true, reason: 'no production model' });
      continue;
    }
    const prod = valueOf(production, metric, kind, 'production');
    const threshold = op === '-' ? prod - allowance : prod + allowance;
    results.push(compare({ kind, metric, description, candidate: value, production: prod, threshold, passWhen: direction }));
  }

  return {
    passed: results.every((r) => r.passed),
    mode: production === undefined ? 'absolute-only' : 'versus-production',
    rules: results,
  };
}
