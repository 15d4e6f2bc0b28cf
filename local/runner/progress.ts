/**
 * The lines a local run prints as it goes (to stderr): elapsed time, then what
 * happened. Pure formatting; the runner decides what to print.
 */

/** `[  12.3s]` for an elapsed time in milliseconds. */
export function elapsed(ms: number): string {
  return `[${(Math.max(0, ms) / 1000).toFixed(1).padStart(6)}s]`;
}

/** A percentage with one decimal (`0.0123` → `1.2%`), `n/a` when undefined. */
export function percent(fraction: number | undefined): string {
  return fraction === undefined || !Number.isFinite(fraction) ? 'n/a' : `${(fraction * 100).toFixed(1)}%`;
}

/** Milliseconds with one decimal, `n/a` when undefined. */
export function millis(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? 'n/a' : `${ms.toFixed(1)}ms`;
}

/** One variant's canary readings. */
export interface VariantReading {
  readonly invocations?: number;
  readonly errorRate?: number;
  readonly latencyP95Ms?: number;
  readonly latencyP99Ms?: number;
}

/** The line of one canary stage check: per-variant error rate and latency, and the verdict. */
export function canaryStageLine(
  stage: { index: number; percent: number },
  candidate: VariantReading,
  production: VariantReading | undefined,
  breached: boolean,
  reason?: string,
): string {
  const v = (r: VariantReading | undefined) =>
    r ? `n=${r.invocations ?? 0} err=${percent(r.errorRate ?? (r.invocations ? 0 : undefined))} p95=${millis(r.latencyP95Ms)} p99=${millis(r.latencyP99Ms)}` : 'no data';
  const verdict = breached ? `BREACHED${reason ? `: ${reason}` : ''}` : 'healthy';
  return `canary stage ${stage.index + 1} (${stage.percent}%): candidate ${v(candidate)} | production ${v(production)} → ${verdict}`;
}

/** The line of an alarm state change. */
export function alarmLine(alarm: string, from: string, to: string, reason: string): string {
  return `alarm ${alarm}: ${from} → ${to} (${reason})`;
}

/** Whether a state is worth a progress line: Tasks, bakes, Parallel and the end states. */
export function isNotableState(type: string, name: string): boolean {
  if (type === 'Task' || type === 'Parallel' || type === 'Succeed' || type === 'Fail') return true;
  return type === 'Wait' && /bake$/i.test(name);
}
