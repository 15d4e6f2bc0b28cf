/**
 * Fixtures of the infrastructure tests: parsed model configs (through the real
 * config parser, so every default is applied as in the app) and small stand-in
 * state machines.
 */
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { parseConfig, type ModelConfig, type ModelConfigInput } from '../../vocabulary/config/index';
import { suppress, suppressAll } from '../../statemachines/nag';
import type { PitstopStateMachineSet } from '../../infra/pipeline';
import type { PitstopFunctions } from '../../statemachines';

/** A minimal valid model config as written in a file. */
export const MINIMAL_MODEL: ModelConfigInput = {
  name: 'churn',
  endpointName: 'churn-endpoint',
  problemType: 'binary',
  label: 'churned',
  data: {
    training: 's3://churn-data/training/train.csv',
    holdout: 's3://churn-data/holdout/holdout.csv',
    captureUri: 's3://churn-capture/datacapture/',
    groundTruthUri: 's3://churn-data/ground-truth/',
  },
  training: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:latest' },
};

/** Parses a model config with `overrides` merged over {@link MINIMAL_MODEL} (top-level keys). */
export function model(overrides: Partial<ModelConfigInput> = {}): ModelConfig {
  return parseConfig({ models: [{ ...MINIMAL_MODEL, ...overrides }] }).models[0]!;
}

/**
 * A stand-in state machine: one Pass state, with logging and tracing on so that
 * cdk-nag's state machine rules are satisfied without suppressions.
 */
export function standInStateMachine(stack: Stack, id: string): sfn.StateMachine {
  const logGroup = new logs.LogGroup(stack, `${id}Logs`, {
    retention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const machine = new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
    timeout: Duration.minutes(5),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  suppress(
    machine,
    'AwsSolutions-IAM5[Resource::*]',
    'Step Functions log delivery and X-Ray actions (logs:CreateLogDelivery, xray:PutTraceSegments) do not support resource-level permissions.',
  );
  return machine;
}

/** The four stand-in state machines of a pipeline. */
export function standInStateMachines(stack: Stack): Required<PitstopStateMachineSet> {
  return {
    monitor: standInStateMachine(stack, 'Monitor'),
    retrain: standInStateMachine(stack, 'Retrain'),
    canary: standInStateMachine(stack, 'Canary'),
    rollback: standInStateMachine(stack, 'Rollback'),
  };
}

/**
 * Stand-in Lambdas for every function the state machines invoke: inline code that
 * is never run, on the current runtime, with nag-compliant settings.
 */
export function standInFunctions(stack: Stack): PitstopFunctions {
  const names = ['validate', 'profile', 'drift', 'quality', 'prepareDataset', 'prepareHoldout', 'evaluate', 'smokeTest', 'canaryCheck', 'report', 'planWindow', 'summarizeShard', 'reduceWindow'] as const;
  const entries = names.map((name) => {
    const fn = new lambda.Function(stack, `Fn-${name}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    suppressAll(
      fn,
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'AwsSolutions-L1'],
      'Stand-in test function, never deployed: the real handlers bring their own role and runtime.',
    );
    return [name, fn] as const;
  });
  return Object.fromEntries(entries) as unknown as PitstopFunctions;
}
