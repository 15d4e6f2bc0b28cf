/**
 * Reusable field schemas of the config: bounded numbers, S3 URIs, schedule
 * expressions, names. Each reports one message "expected X, got Y" per bad value.
 */
import { durationSecondsOrProblem } from '../duration';
import { z } from 'zod';
import { DRIFT_METHODS, EVALUATION_METRIC_NAMES } from '../evaluation-names';
import { showValue } from './messages';
import { scheduleProblem } from './schedule';
import { s3UriProblem } from '../s3-uri';

/** Bounds of a numeric field. */
export interface NumberBounds {
  /** Smallest value allowed (inclusive unless `exclusiveMin`). */
  readonly min?: number;
  /** Largest value allowed (inclusive). */
  readonly max?: number;
  /** When true, `min` itself is not allowed. @default false */
  readonly exclusiveMin?: boolean;
  /** When true, only whole numbers are allowed. @default false */
  readonly integer?: boolean;
}

/** Describes the numbers a field accepts, e.g. "an integer between 1 and 100". */
export function describeBounds(b: NumberBounds): string {
  const what = b.integer ? 'an integer' : 'a number';
  if (b.min !== undefined && b.max !== undefined && !b.exclusiveMin) return `${what} between ${b.min} and ${b.max}`;
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`${b.exclusiveMin ? '>' : '>='} ${b.min}`);
  if (b.max !== undefined) parts.push(`<= ${b.max}`);
  return parts.length ? `${what} ${parts.join(' and ')}` : what;
}

/** True when `n` satisfies the bounds. */
export function withinBounds(n: number, b: NumberBounds): boolean {
  if (!Number.isFinite(n)) return false;
  if (b.integer && !Number.isInteger(n)) return false;
  if (b.min !== undefined && (b.exclusiveMin ? n <= b.min : n < b.min)) return false;
  return b.max === undefined || n <= b.max;
}

/** A number within `bounds`, with one "expected ..., got ..." message for any bad value. */
export function numberIn(bounds: NumberBounds) {
  const expected = describeBounds(bounds);
  return z
    .number({ error: (iss) => (iss.input === undefined ? `required (expected ${expected})` : `expected ${expected}, got ${showValue(iss.input)}`) })
    .check((ctx) => {
      if (!withinBounds(ctx.value, bounds)) {
        ctx.issues.push({ code: 'custom', message: `expected ${expected}, got ${showValue(ctx.value)}`, input: ctx.value, continue: true });
      }
    });
}

/** A fraction between 0 and 1. */
export const fraction = () => numberIn({ min: 0, max: 1 });
/** A positive integer. */
export const positiveInt = (max?: number) => numberIn({ min: 1, max, integer: true });

/** A string that must pass `problem` (which returns why it is bad, or undefined). */
export function checkedString(problem: (value: string) => string | undefined) {
  return z.string().check((ctx) => {
    const why = problem(ctx.value);
    if (why) ctx.issues.push({ code: 'custom', message: why, input: ctx.value, continue: true });
  });
}

/** A string matching `pattern`; `expected` describes it ("a lowercase name ..."). */
export function patternString(pattern: RegExp, expected: string) {
  return checkedString((value) => (pattern.test(value) ? undefined : `expected ${expected}, got ${showValue(value)}`));
}

/** A non-empty string. */
export const nonEmpty = () => z.string().min(1);

/** A well-formed S3 URI (`s3://bucket` or `s3://bucket/key`). */
export const s3Uri = () => checkedString(s3UriProblem);

/** A valid EventBridge schedule expression (`rate(...)` or `cron(...)`). */
export const scheduleExpression = () =>
  checkedString((value) => {
    const why = scheduleProblem(value);
    return why ? `invalid schedule expression ${showValue(value)}: ${why}` : undefined;
  });

/** A fixed-length ISO 8601 duration (`PT1H`, `PT30M`, `P1D`). */
export const isoDuration = () =>
  checkedString((value) => {
    const r = durationSecondsOrProblem(value);
    return 'problem' in r ? r.problem : undefined;
  });

/** One of the metric names; whether it applies to the model's problem type is checked per model. */
export const metricName = () => z.enum(EVALUATION_METRIC_NAMES);

/** One of the drift method names. */
export const driftMethod = () => z.enum(DRIFT_METHODS);
