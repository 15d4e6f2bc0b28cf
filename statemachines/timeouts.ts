/**
 * How long each part of a retrain may take, computed from the model's config. The
 * Retrain state machine's timeout is their sum, and the run lock expires after it: an
 * execution that times out (or is stopped) cannot release its lock, and once the
 * timeout has passed no execution can still hold it.
 */
import { Duration } from 'aws-cdk-lib';
import type { ModelConfig } from '../vocabulary/config/index';

/** Longest an endpoint poll loop waits (120 checks, 30 seconds apart; see `pollEndpoint`). */
export const ENDPOINT_POLL_BUDGET = Duration.hours(1);
/** Longest one Lambda step runs (its task timeout). */
export const LAMBDA_STEP_BUDGET = Duration.minutes(15);
/** Longest one holdout batch transform runs (its task timeout; the two models' run in parallel). */
export const HOLDOUT_TRANSFORM_BUDGET = Duration.hours(6);
/**
 * Everything of a retrain that does not depend on the config: training data
 * validation, baseline profile, holdout preparation, the holdout batch transforms (6 hours), evaluation,
 * registry, a first endpoint (one poll), the Rollback state machine (3 hours), the
 * report and the notifications.
 */
export const RETRAIN_FIXED_BUDGET = Duration.hours(12);
/** Longest a Standard state machine execution may run. */
export const MAX_EXECUTION = Duration.days(365);

/** The time budget of one retrain. */
export interface RetrainBudget {
  /** Training (or tuning) job, waiting for spot capacity included, plus one hour. */
  readonly training: Duration;
  /** Manual approval: `approval.timeoutHours`, or zero when approval is automatic. */
  readonly approval: Duration;
  /**
   * With `data.dataset`: the `Prepare dataset` step and the fixed-holdout judgment
   * (prepare, the two models' transforms in parallel, evaluate): three Lambda steps and
   * one transform. Zero without.
   */
  readonly dataset: Duration;
  /** The Canary state machine: every bake (with the metric lag and every possible extension and its check), plus per stage one endpoint poll and one check, plus six more steps of that size (canary config, smoke test, final config and a full rollback: settle, weights, config). */
  readonly canary: Duration;
  /** The Retrain state machine's timeout and the run lock's lifetime: the sum of the above and {@link RETRAIN_FIXED_BUDGET}. */
  readonly retrain: Duration;
}

/**
 * The time budget of a retrain of `model`.
 * @throws Error when the retrain would exceed a Standard execution's year
 */
export function retrainBudget(model: ModelConfig): RetrainBudget {
  const t = model.training;
  const jobSeconds = t.tuning
    ? t.maxRuntimeSeconds * Math.ceil(t.tuning.maxJobs / t.tuning.maxParallelJobs)
    : t.managedSpot
      ? t.maxWaitSeconds
      : t.maxRuntimeSeconds;
  const training = Duration.seconds(jobSeconds + 3600);
  const approval = model.approval.mode === 'manual' ? Duration.minutes(Math.max(1, Math.round(model.approval.timeoutHours * 60))) : Duration.seconds(0);
  const step = ENDPOINT_POLL_BUDGET.toSeconds() + LAMBDA_STEP_BUDGET.toSeconds();
  // Each bake waits the metric lag and one aligning minute more; an inconclusive stage
  // may wait its bake (at least a second) and run its check again up to maxExtensions times.
  const { metricLagMinutes, maxExtensions } = model.canary;
  const bakes = model.canary.stages.reduce(
    (sum, s) =>
      sum +
      Math.max(1, (s.bakeMinutes + metricLagMinutes + 1) * 60) +
      maxExtensions * (Math.max(1, s.bakeMinutes * 60) + LAMBDA_STEP_BUDGET.toSeconds()),
    0,
  );
  const canary = Duration.seconds(bakes + (model.canary.stages.length + 6) * step);
  const dataset = Duration.seconds(model.data.dataset ? 3 * LAMBDA_STEP_BUDGET.toSeconds() + HOLDOUT_TRANSFORM_BUDGET.toSeconds() : 0);
  const retrain = Duration.seconds(training.toSeconds() + approval.toSeconds() + dataset.toSeconds() + canary.toSeconds() + RETRAIN_FIXED_BUDGET.toSeconds());
  if (retrain.toSeconds() > MAX_EXECUTION.toSeconds()) {
    throw new Error(
      `pitstop ${model.name}: expected a retrain budget (training ${training.toHumanString()}, approval ${approval.toHumanString()}, dataset ${dataset.toHumanString()}, canary ${canary.toHumanString()}) within ${MAX_EXECUTION.toDays()} days, got ${Math.ceil(retrain.toSeconds() / 86400)} days`,
    );
  }
  return { training, approval, dataset, canary, retrain };
}
