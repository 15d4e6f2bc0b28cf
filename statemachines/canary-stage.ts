/**
 * One stage of the Canary: shift the weights, wait until they are in service, bake,
 * and judge the stage on evidence (`canaryCheck`: pass, fail or inconclusive).
 *
 * The stage's metric window starts when its weights are in service — DescribeEndpoint's
 * `LastModifiedTime` once the poll sees InService — so the smoke test's requests and
 * the previous stage's never count; it ends `canary.metricLagMinutes` before the check.
 * The bake therefore waits `bakeMinutes + metricLagMinutes + 1` minutes (the window is
 * aligned to whole minutes). An inconclusive stage (too few candidate requests) waits
 * `bakeMinutes` more and is checked again over its whole window, up to
 * `canary.maxExtensions` times; then the rollout stops with `InsufficientTraffic`.
 *
 * State of stage n: `$.clock.stage<n>` `{ startedAt, extensions }`; the check's result
 * at `$.stages.stage<n>` (the per-stage record: verdict, rule, window, extensions).
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { CanaryStage } from '../vocabulary/config/index';
import type { MachineContext } from './context';
import { PITSTOP_ERRORS } from './errors';
import { invokeLambda, markFailure, pollEndpoint, setWeights } from './steps';

/** What a stage is built from. */
export interface CanaryStageInputs {
  readonly scope: Construct;
  readonly ctx: MachineContext;
  readonly stage: CanaryStage;
  readonly index: number;
  readonly variants: { readonly production: string; readonly candidate: string };
  /** Where every failure after the endpoint changed goes (the rollback). */
  readonly rollback: sfn.IChainable;
  /** Adds the catches of a SageMaker task run after the endpoint changed. */
  readonly catchAfterChange: <T extends sfn.TaskStateBase>(task: T) => T;
  /** Adds the catch of a Lambda task run after the endpoint changed (States.ALL only: a Lambda never raises a SageMaker error). */
  readonly catchAllAfterChange: <T extends sfn.TaskStateBase>(task: T) => T;
}

/** A stage: enter at `start`; `passed` continues with the next stage. */
export interface CanaryStageStates {
  readonly start: sfn.State;
  readonly passed: sfn.Pass;
}

/** Minutes as a Wait duration; 0 minutes still waits a second, so the state stays valid and visible. */
export function waitMinutes(n: number): Duration {
  return n > 0 ? Duration.minutes(n) : Duration.seconds(1);
}

/** Builds stage `index` (0-based). */
export function buildCanaryStage(inputs: CanaryStageInputs): CanaryStageStates {
  const { scope, ctx, stage, index, variants, rollback, catchAfterChange, catchAllAfterChange } = inputs;
  const { model, functions } = ctx;
  const endpointName = model.endpointName;
  const canary = model.canary;
  const label = `Stage ${index + 1} (${stage.percent}%)`;
  const clock = `$.clock.stage${index + 1}`;
  const result = `$.stages.stage${index + 1}`;

  const shift = catchAfterChange(
    setWeights(scope, `${label}: shift traffic`, endpointName, { production: 100 - stage.percent, candidate: stage.percent }, variants),
  );
  const applied = pollEndpoint(scope, { label: `${label} weights`, endpointName, expectedConfigPath: '$.names.canary' }, rollback);
  const startClock = new sfn.Pass(scope, `${label}: start window`, {
    parameters: { 'startedAt.$': '$.poll.endpoint.LastModifiedTime', extensions: 0 },
    resultPath: clock,
  });
  const bake = new sfn.Wait(scope, `${label}: bake`, {
    time: sfn.WaitTime.duration(waitMinutes(stage.bakeMinutes + canary.metricLagMinutes + 1)),
  });
  const check = catchAllAfterChange(
    invokeLambda(
      scope,
      `${label}: check candidate`,
      functions.canaryCheck,
      {
        model: model.name,
        'runId.$': '$.runId',
        endpointName,
        variants: { ...variants },
        stage: {
          index,
          percent: stage.percent,
          bakeMinutes: stage.bakeMinutes,
          'startedAt.$': `${clock}.startedAt`,
          'extensions.$': `${clock}.extensions`,
        },
        limits: {
          maxErrorRate: canary.maxErrorRate,
          maxLatencyP95Ms: canary.maxLatencyP95Ms,
          maxLatencyP99Ms: canary.maxLatencyP99Ms,
          ...(canary.customMetric ? { customMetric: canary.customMetric } : {}),
        },
        evidence: { minRequests: canary.minRequests, alpha: canary.alpha, metricLagMinutes: canary.metricLagMinutes },
      },
      result,
    ),
  );
  const breached = markFailure(scope, `${label}: breached`, PITSTOP_ERRORS.canaryBreached, {
    format: `States.Format('Canary breached at ${stage.percent}% ({}): {}', ${result}.rule, ${result}.reason)`,
  }).next(rollback);
  const insufficient = markFailure(scope, `${label}: too little traffic`, PITSTOP_ERRORS.insufficientTraffic, {
    format: `States.Format('Too little traffic at ${stage.percent}% after ${canary.maxExtensions} extensions of the bake: {}', ${result}.reason)`,
  }).next(rollback);
  const passed = new sfn.Pass(scope, `${label}: passed`);
  const verdict = sfn.Condition.stringEquals(`${result}.verdict`, 'fail');
  const inconclusive = sfn.Condition.stringEquals(`${result}.verdict`, 'inconclusive');
  const choice = new sfn.Choice(scope, `${label}: verdict?`).when(verdict, breached);
  if (canary.maxExtensions > 0) {
    const extend = new sfn.Wait(scope, `${label}: extend bake`, { time: sfn.WaitTime.duration(waitMinutes(stage.bakeMinutes)) });
    const count = new sfn.Pass(scope, `${label}: count extension`, {
      parameters: { 'startedAt.$': `${clock}.startedAt`, 'extensions.$': `States.MathAdd(${clock}.extensions, 1)` },
      resultPath: clock,
    });
    choice.when(sfn.Condition.and(inconclusive, sfn.Condition.numberLessThan(`${clock}.extensions`, canary.maxExtensions)), extend);
    extend.next(count).next(check);
  }
  choice.when(inconclusive, insufficient).otherwise(passed);

  shift.next(applied.start);
  applied.done.next(startClock).next(bake).next(check).next(choice);
  return { start: shift, passed };
}
