/**
 * What the phases of the Retrain share: the inputs every phase builder receives, the
 * shape each one returns, and the two ways a phase ends the run early (a named end,
 * or an unexpected error). A phase never builds the finish: every end sets
 * `$.end` and goes to it.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { OUTCOMES } from '../../vocabulary/pipeline-names';
import type { MachineContext } from '../context';
import { PITSTOP_ERRORS } from '../errors';
import { causeParameter, type CauseSource } from '../steps';
import type { RetrainBudget } from '../timeouts';
import { RETRAIN_PATHS } from './paths';

/** The state machines the Retrain starts. */
export interface RetrainTargets {
  readonly canary: sfn.IStateMachine;
  readonly rollback: sfn.IStateMachine;
}

/** What every phase builder receives. */
export interface RetrainPhaseInputs {
  readonly scope: Construct;
  readonly ctx: MachineContext;
  readonly targets: RetrainTargets;
  /** The Retrain's time budget (statemachines/timeouts.ts). */
  readonly budget: RetrainBudget;
  /** Policy statements the definition needs beyond its tasks' own; a phase adds its jobs' here. */
  readonly policy: iam.PolicyStatement[];
  /** The finish's first state: every end of the run goes there once `$.end` is set. */
  readonly finish: sfn.State;
  /** Ends the run with `PipelineFailed` and the cause at `$.caught` (see {@link catchUnexpected}). */
  readonly unexpected: sfn.State;
}

/**
 * A phase as its builder returns it, the way `pollEndpoint` (statemachines/steps.ts)
 * returns its loop: enter at `start`; `continueWith` leads every way the phase carries
 * the run forward to the next phase's start. The phase's other ways out already end
 * the run at the finish.
 */
export interface RetrainPhase {
  readonly start: sfn.State;
  continueWith(next: sfn.IChainable): void;
}

/**
 * A Pass that ends the run: sets `$.end` to `{ outcome, error, cause }` and goes to the
 * finish. Not `markFailure` (statemachines/steps.ts): an end also records its
 * outcome, before the error, and a skipped run ends with no error at all.
 */
export function endRun(inputs: Pick<RetrainPhaseInputs, 'scope' | 'finish'>, id: string, outcome: string, error: string, cause: CauseSource): sfn.Pass {
  const pass = new sfn.Pass(inputs.scope, id, {
    parameters: { outcome, error, ...causeParameter(cause) },
    resultPath: RETRAIN_PATHS.end,
  });
  pass.next(inputs.finish);
  return pass;
}

/** The state every unexpected error goes to: the run ends `Failed` with `PipelineFailed`. */
export function unexpectedEnd(scope: Construct, finish: sfn.State): sfn.Pass {
  return endRun({ scope, finish }, 'Unexpected error', OUTCOMES.failed, PITSTOP_ERRORS.pipelineFailed, { path: `${RETRAIN_PATHS.caught}.Cause` });
}

/** A state that can catch errors. */
type Catching = { addCatch(handler: sfn.IChainable, props?: sfn.CatchProps): unknown };

/** Sends any error of `state` not caught before to `unexpected` (add it after the state's named catches). */
export function catchUnexpected<T extends Catching>(inputs: Pick<RetrainPhaseInputs, 'unexpected'>, state: T): T {
  state.addCatch(inputs.unexpected, { errors: ['States.ALL'], resultPath: RETRAIN_PATHS.caught });
  return state;
}
