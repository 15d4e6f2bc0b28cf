/**
 * Builds one phase of the Retrain alone, between stand-in states for the finish, the
 * unexpected-error end and the next phase, and renders the states it reaches.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { MachineContext, PitstopFunctions } from '../../../statemachines/context';
import type { RetrainPhase, RetrainPhaseInputs } from '../../../statemachines/retrain/phase';
import { RETRAIN_PATHS } from '../../../statemachines/retrain/paths';
import { retrainBudget } from '../../../statemachines/timeouts';
import type { ModelConfig } from '../../../vocabulary/config/index';
import { modelConfig } from '../fixtures';

/** Names of the stand-in states around a phase. */
export const STAND_INS = { finish: 'Stand-in: finish', unexpected: 'Stand-in: unexpected', next: 'Stand-in: next phase' } as const;

/** A rendered state (ASL, tokens resolved). */
export type AslState = Record<string, any>;

/** A phase built alone: its start, its states by name, and the policy statements it added. */
export interface BuiltPhase {
  readonly startAt: string;
  readonly states: Record<string, AslState>;
  readonly policy: iam.PolicyStatement[];
}

/** A test stack. */
export function testStack(): Stack {
  return new Stack(new App(), 'Phase', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** The context a phase reads, with stand-in resources. */
export function context(stack: Stack, model: ModelConfig): MachineContext {
  const names = ['validate', 'profile', 'drift', 'quality', 'prepareDataset', 'prepareHoldout', 'evaluate', 'smokeTest', 'canaryCheck', 'report', 'planWindow', 'summarizeShard', 'reduceWindow'] as const;
  const functions = Object.fromEntries(
    names.map((name) => [name, lambda.Function.fromFunctionArn(stack, name, `arn:aws:lambda:us-east-1:123456789012:function:${name}`)]),
  ) as unknown as PitstopFunctions;
  return {
    model,
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'artifacts'),
    topic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:123456789012:topic'),
    functions,
    eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'default'),
    lockTable: dynamodb.Table.fromTableName(stack, 'Locks', 'locks'),
    sageMakerRole: iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/sagemaker'),
    artifactsPrefix: '',
  };
}

/** Builds the phase `build` makes for `model`, continued by a stand-in next phase. */
export function buildPhase(build: (inputs: RetrainPhaseInputs) => RetrainPhase, model: ModelConfig = modelConfig()): BuiltPhase {
  const stack = testStack();
  const ctx = context(stack, model);
  const machine = (id: string) => sfn.StateMachine.fromStateMachineName(stack, id, id);
  const policy: iam.PolicyStatement[] = [];
  const finish = new sfn.Pass(stack, STAND_INS.finish);
  const unexpected = new sfn.Pass(stack, STAND_INS.unexpected, { parameters: {}, resultPath: RETRAIN_PATHS.end });
  unexpected.next(finish);
  const phase = build({
    scope: stack,
    ctx,
    targets: { canary: machine('canary'), rollback: machine('rollback') },
    budget: retrainBudget(model),
    policy,
    finish,
    unexpected,
  });
  phase.continueWith(new sfn.Pass(stack, STAND_INS.next));
  const graph = new sfn.StateGraph(phase.start, 'phase');
  const json = stack.resolve(graph.toGraphJson()) as { StartAt: string; States: Record<string, AslState> };
  return { startAt: json.StartAt, states: json.States, policy };
}

/** Every state a state may go to next (Next, Choices, Default, Catch). */
export function successors(state: AslState): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Choices ?? []).map((c: AslState) => c.Next),
    ...(state.Default ? [state.Default] : []),
    ...(state.Catch ?? []).map((c: AslState) => c.Next),
  ];
}

/** The states of the phase that end the execution (End, Succeed, Fail), stand-ins aside. */
export function dangling(phase: BuiltPhase): string[] {
  const standIns: string[] = Object.values(STAND_INS);
  return Object.entries(phase.states)
    .filter(([name, state]) => !standIns.includes(name) && (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail'))
    .map(([name]) => name);
}

/** The states that lead straight to `target`. */
export function predecessors(phase: BuiltPhase, target: string): string[] {
  return Object.entries(phase.states)
    .filter(([, state]) => successors(state).includes(target))
    .map(([name]) => name)
    .sort();
}

/** The top-level fields the phase's states write (ResultPath), as JSONPaths. */
export function writtenFields(phase: BuiltPhase): string[] {
  const fields = new Set<string>();
  const visit = (states: Record<string, AslState>) => {
    for (const state of Object.values(states)) {
      const path = state.ResultPath;
      if (typeof path === 'string') fields.add(`$.${path.slice(2).split(/[.[]/)[0]}`);
      for (const catcher of state.Catch ?? []) if (catcher.ResultPath) fields.add(`$.${String(catcher.ResultPath).slice(2).split(/[.[]/)[0]}`);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(phase.states);
  return [...fields].sort();
}
