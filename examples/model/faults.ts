/**
 * Inference-time fault injection, for canary-failure scenarios: a "bad" candidate that
 * answers a share of invocations with HTTP 500, or answers slowly.
 *
 * The faults come from the model artifact (`faults`, set at training by the
 * hyperparameters `error_rate` and `latency_ms`); the environment variables
 * `PITSTOP_FAULT_ERROR_RATE` and `PITSTOP_FAULT_LATENCY_MS` override them.
 */
import { InputError } from '../../vocabulary/errors';
import type { Faults } from './artifact';

/** Environment variables that override the model's faults. */
export const FAULT_ENV = { errorRate: 'PITSTOP_FAULT_ERROR_RATE', latencyMs: 'PITSTOP_FAULT_LATENCY_MS' } as const;

/**
 * The faults in effect: the model's, each overridden by its environment variable when set.
 *
 * @throws InputError on an environment value out of range
 */
export function resolveFaults(model: Faults, env: Readonly<Record<string, string | undefined>> = process.env): Faults {
  const read = (name: string, fallback: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const x = Number(raw);
    if (!Number.isFinite(x) || x < 0 || x > max) throw new InputError(`${name} must be a number in [0, ${max}], got "${raw}"`);
    return x;
  };
  return {
    errorRate: read(FAULT_ENV.errorRate, model.errorRate, 1),
    latencyMs: read(FAULT_ENV.latencyMs, model.latencyMs, Number.MAX_SAFE_INTEGER),
  };
}

/**
 * Decides, deterministically, which invocations fail: the n-th (1-based) fails when
 * `floor(n * rate) > floor((n - 1) * rate)`, so after any n invocations exactly
 * `floor(n * rate)` have failed (rate 0.25: the 4th, 8th, ...; rate 1: all; 0: none).
 */
export function createFaultSchedule(rate: number): () => boolean {
  let n = 0;
  return () => {
    n++;
    return Math.floor(n * rate) > Math.floor((n - 1) * rate);
  };
}
