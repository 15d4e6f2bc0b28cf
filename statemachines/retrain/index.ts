/**
 * The Retrain state machine, built in phases (one module each):
 *
 *   guard → train → score → promote → deploy → finish
 *
 * - guard (guard.ts): input defaults, run names, single-flight lock, cooldown;
 * - train (train.ts): training data validation, training or tuning, candidate model,
 *   baseline profile;
 * - score (score.ts): production endpoint and config, holdout scoring of candidate and
 *   production (on a features-only copy of the holdout);
 * - promote (promote.ts): the promotion gate, the model registry, optional manual approval;
 * - deploy (deploy.ts): the Canary state machine, or on a first run a new endpoint;
 * - finish (finish.ts): every outcome restores the endpoint if it changed and the run
 *   failed, writes a report, records, releases the lock if taken, notifies and puts
 *   an event.
 *
 * Each phase returns its first state and leads its way forward to the next phase's
 * start (phase.ts); every other way out sets `$.end` and goes to the finish. The state
 * layout is in paths.ts ({@link RETRAIN_PATHS}).
 *
 * Input: `{}` or `{ reason?: string, force?: boolean, trigger?: string, alarmName?: string }`
 * (defaults: reason `manual`, force `false`, trigger `manual`, alarmName `''`).
 * `force` skips the cooldown, never the guard. The guard is a lock item that expires
 * one Retrain timeout (statemachines/timeouts.ts) after its holder started: a holder
 * that timed out or was stopped could not release it, and the next run takes it over.
 *
 * Ends: Succeed `Promoted` or `Skipped`; Fail with one of {@link RETRAIN_ERRORS}.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { MachineContext } from '../context';
import { retrainBudget, type RetrainBudget } from '../timeouts';
import { buildDeploy } from './deploy';
import { buildFinish } from './finish';
import { buildGuard } from './guard';
import { unexpectedEnd, type RetrainPhaseInputs, type RetrainTargets } from './phase';
import { buildPromote } from './promote';
import { buildScore } from './score';
import { buildTrain } from './train';

export { RETRAIN_ERRORS } from './finish';
export { RETRAIN_PATHS, type RetrainField } from './paths';
export type { RetrainPhase, RetrainPhaseInputs, RetrainTargets } from './phase';

/**
 * Builds the Retrain definition in `scope`; returns it, the extra policy statements it
 * needs and its time budget (the state machine's timeout must be `budget.retrain`:
 * the run lock expires after it).
 */
export function buildRetrain(
  scope: Construct,
  ctx: MachineContext,
  targets: RetrainTargets,
): { definition: sfn.IChainable; policy: iam.PolicyStatement[]; budget: RetrainBudget } {
  const policy: iam.PolicyStatement[] = [];
  const budget = retrainBudget(ctx.model);
  const finish = buildFinish(scope, ctx, targets.rollback);
  const inputs: RetrainPhaseInputs = { scope, ctx, targets, budget, policy, finish: finish.start, unexpected: unexpectedEnd(scope, finish.start) };

  // In the order of the run (the policy statements are added in this order too).
  const phases = [buildGuard(inputs), buildTrain(inputs), buildScore(inputs), buildPromote(inputs), buildDeploy(inputs)];
  // Wired from the finish backward: a definition lists its states in the order their
  // transitions were made, and the last phase's way to the finish comes before any
  // state a phase makes with its way on (the manual approval).
  for (let index = phases.length - 1; index >= 0; index--) {
    phases[index]!.continueWith(phases[index + 1]?.start ?? finish.start);
  }
  return { definition: phases[0]!.start, policy, budget };
}
