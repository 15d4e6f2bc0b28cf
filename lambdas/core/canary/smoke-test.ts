/**
 * The smoke test's verdict: every answer valid, p99 latency within the limit.
 */
import type { ProblemType } from '../../../vocabulary/evaluation-names';
import { parsePredictionValues } from '../quality/prediction-values';

/** One smoke-test request's outcome. */
export interface SmokeRequestResult {
  /** Round-trip time of the InvokeEndpoint call in milliseconds (client side). */
  readonly latencyMs: number;
  /** Why the request failed (an error or an invalid answer); absent when it succeeded. */
  readonly problem?: string;
}

/** The verdict. */
export interface SmokeVerdict {
  readonly passed: boolean;
  readonly requests: number;
  readonly failures: number;
  readonly p99Ms: number;
  /** One line; present when `passed` is false. */
  readonly reason?: string;
}

/**
 * Why an endpoint's answer is not a valid prediction, or undefined when it is: it must
 * parse as numbers (`parsePredictionValues`); binary scores must lie in [0, 1];
 * multiclass answers are probabilities in [0, 1] or one class index (integer >= 0);
 * regression answers one finite number.
 */
export function predictionProblem(body: string, problem: ProblemType): string | undefined {
  const values = parsePredictionValues(body);
  const shown = JSON.stringify(body.length > 60 ? `${body.slice(0, 60)}...` : body);
  if (!values) return `answer ${shown} is not a number`;
  switch (problem) {
    case 'binary':
      if (values.length > 2) return `answer ${shown} has ${values.length} values, expected 1 or 2`;
      return values.every((v) => v >= 0 && v <= 1) ? undefined : `answer ${shown} is outside [0, 1]`;
    case 'multiclass':
      if (values.length === 1) return Number.isInteger(values[0]) && values[0]! >= 0 ? undefined : `answer ${shown} is not a class index`;
      return values.every((v) => v >= 0 && v <= 1) ? undefined : `answer ${shown} holds a probability outside [0, 1]`;
    case 'regression':
      return values.length === 1 ? undefined : `answer ${shown} has ${values.length} values, expected 1`;
  }
}

/**
 * The p-th percentile by the nearest-rank method: the smallest value with at least p%
 * of the values at or below it (so p99 of 100 values is the 99th smallest). 0 for none.
 */
export function nearestRankPercentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Judges the smoke test: it passes when every request succeeded with a valid answer
 * and the p99 latency (nearest rank, over all requests) is at most `p99LimitMs`.
 */
export function judgeSmokeTest(results: readonly SmokeRequestResult[], p99LimitMs: number): SmokeVerdict {
  const failed = results.filter((r) => r.problem !== undefined);
  const p99Ms = nearestRankPercentile(
    results.map((r) => r.latencyMs),
    99,
  );
  const reasons: string[] = [];
  if (results.length === 0) reasons.push('no request was sent');
  if (failed.length > 0) reasons.push(`${failed.length} of ${results.length} requests failed, first: ${failed[0]!.problem}`);
  if (p99Ms > p99LimitMs) reasons.push(`p99 latency ${p99Ms.toFixed(1)} ms is over the limit ${p99LimitMs} ms`);
  return {
    passed: reasons.length === 0,
    requests: results.length,
    failures: failed.length,
    p99Ms,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}
