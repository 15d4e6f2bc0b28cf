/**
 * Shared fixtures of the state machine tests: a model config, a synthesized stack
 * with the four state machines, and their definitions resolved to plain ASL.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ModelConfigSchema, type ModelConfig } from '../../vocabulary/config/index';
import { resolveStateMachines, type SynthesizedTemplate } from '../../local/asl';
import { PitstopStateMachines, type PitstopFunctions } from '../../statemachines';

/** A minimal model config; `overrides` are merged on top before parsing. */
export function modelConfig(overrides: Record<string, unknown> = {}): ModelConfig {
  return ModelConfigSchema.parse({
    name: 'churn',
    endpointName: 'churn-endpoint',
    problemType: 'binary',
    label: 'churned',
    data: {
      training: 's3://churn-data/training/',
      holdout: 's3://churn-data/holdout/',
      captureUri: 's3://churn-data/capture/',
      groundTruthUri: 's3://churn-data/ground-truth/',
    },
    training: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' },
    gate: { absolute: [{ metric: 'f1', min: 0.5 }], relative: [{ metric: 'f1', maxDegradation: 0.01 }] },
    canary: {
      stages: [
        { percent: 10, bakeMinutes: 5 },
        { percent: 50, bakeMinutes: 5 },
        { percent: 100, bakeMinutes: 5 },
      ],
    },
    approval: { mode: 'auto' },
    ...overrides,
  });
}

/** The synthesized pipeline of one model. */
export interface Synthesized {
  readonly template: Template;
  readonly json: SynthesizedTemplate;
  /** Resolved ASL by machine: monitor, retrain, canary, rollback. */
  readonly definitions: Record<'monitor' | 'retrain' | 'canary' | 'rollback', Record<string, unknown>>;
  readonly stack: Stack;
  readonly machines: PitstopStateMachines;
}

const FUNCTION_NAMES = ['validate', 'profile', 'drift', 'quality', 'prepareDataset', 'prepareHoldout', 'evaluate', 'smokeTest', 'canaryCheck', 'report'] as const;

/** Synthesizes the state machines of `model` in a test stack. */
export function synthesize(model: ModelConfig = modelConfig(), options: { readonly artifactsPrefix?: string } = {}): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
  const bucket = new s3.Bucket(stack, 'Artifacts');
  const topic = new sns.Topic(stack, 'Topic');
  const functions = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [
      name,
      new lambda.Function(stack, `${name}Function`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      }),
    ]),
  ) as unknown as PitstopFunctions;
  const machines = new PitstopStateMachines(stack, 'Machines', { model, bucket, topic, functions, ...options });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as SynthesizedTemplate;
  const resolved = resolveStateMachines(json);
  const byId = (machine: { node: { defaultChild?: unknown } }) => {
    const logicalId = stack.getLogicalId(machine.node.defaultChild as never);
    const found = resolved.find((r) => r.logicalId === logicalId);
    if (!found) throw new Error(`state machine ${logicalId} not in the template`);
    return found.definition;
  };
  return {
    template,
    json,
    stack,
    machines,
    definitions: {
      monitor: byId(machines.monitor),
      retrain: byId(machines.retrain),
      canary: byId(machines.canary),
      rollback: byId(machines.rollback),
    },
  };
}
