import { App, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ConfigError } from '../../vocabulary/errors';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { checkNag, applyNag } from '../../statemachines/nag';
import { PitstopPipeline } from '../../infra/pipeline';
import { PitstopStack, stackNameFor } from '../../infra/stack';
import { cfnLint, describeFindings } from './cfn-lint';
import { MINIMAL_MODEL, model, standInFunctions, standInStateMachines } from './fixtures';

type Resource = { Properties: Record<string, any> };

const fullModel = model({
  features: [
    { name: 'age', type: 'numeric' },
    { name: 'plan', type: 'categorical' },
  ],
  triggers: { quality: { metric: 'f1', threshold: 0.7 } },
  notifications: { emails: ['ops@example.com'] },
});

describe('Class: PitstopPipeline (with state machines)', () => {
  // Prepare (one synth for the describe; bundling skipped, the functions' tests bundle)
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PitstopStack(app, stackNameFor(fullModel), { model: fullModel });
  // The stack builds its own pipeline; a second stack gets the stand-in state machines.
  const withMachines = new Stack(app, 'WithMachines');
  const pipeline = new PitstopPipeline(withMachines, 'Pipeline', { model: fullModel, stateMachines: standInStateMachines(withMachines) });
  const template = Template.fromStack(withMachines);
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;

  it('creates storage, topic, alarms, rules and dashboard', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // monitor schedule, one retrain schedule, the alarm rule
    template.resourceCountIs('AWS::Events::Rule', 3);
  });

  it('starts the retrain on exactly the retrain-trigger alarms: drift count, quality, new samples', () => {
    // The trigger alarms, told apart by their metric (independent of the construct's own list).
    const triggerMetrics = new Set(['DriftedFeatures', 'LiveQuality', 'NewLabeledSamples']);
    const expected = Object.entries(alarms)
      .filter(([, a]) => triggerMetrics.has(a.Properties.MetricName))
      .map(([id]) => id)
      .sort();
    expect(expected).toHaveLength(3);
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find((r) => (r as Resource).Properties.EventPattern) as Resource;
    const pattern = rule.Properties.EventPattern;
    expect(pattern.detail.alarmName.map((ref: { Ref: string }) => ref.Ref).sort()).toEqual(expected);
    expect(pattern.resources.map((arn: { 'Fn::GetAtt': string[] }) => arn['Fn::GetAtt'][0]).sort()).toEqual(expected);
  });

  it('names every alarm under the prefix the key and topic policies allow', () => {
    const keyPolicy = JSON.stringify(template.findResources('AWS::KMS::Key'));
    expect(keyPolicy).toContain(':alarm:pitstop-churn-*');
    for (const alarm of Object.values(alarms)) expect(alarm.Properties.AlarmName).toMatch(/^pitstop-churn-/);
  });

  it('alarms on failures and timeouts of all four state machines, notifying the topic', () => {
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
    const execution = Object.values(alarms).filter((a) => a.Properties.Namespace === 'AWS/States');
    expect(execution).toHaveLength(8);
    for (const a of execution) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('passes cdk-nag AwsSolutions with no finding, error or warning', () => {
    const report = checkNag(withMachines);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('passes cfn-lint with no error', () => {
    const { errors } = cfnLint(template.toJSON(), 'pipeline-with-state-machines');
    expect(errors, describeFindings(errors)).toEqual([]);
  });

  it('is reachable from the stack: PitstopStack holds a PitstopPipeline for its model', () => {
    expect(stack.pipeline).toBeInstanceOf(PitstopPipeline);
    expect(stack.pipeline.model.name).toBe('churn');
    expect(stack.stackName).toBe('Pitstop-churn');
    expect(pipeline.triggers).toBeDefined();
  });
});

describe('Class: PitstopStack (as deployed)', () => {
  // Bundling is skipped here (the functions' own tests bundle them): the template is the same otherwise.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PitstopStack(app, stackNameFor(fullModel), { model: fullModel });
  const template = Template.fromStack(stack);

  it('is environment-agnostic', () => {
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(Token.isUnresolved(stack.region)).toBe(true);
  });

  it('describes the model and endpoint', () => {
    expect(template.toJSON().Description).toBe('pitstop: keeps the SageMaker model "churn" (endpoint churn-endpoint) healthy');
  });

  it('builds its own Lambdas and the four state machines, started by the schedule and alarm rules', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 4);
    const services = Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>)
      .map((r) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .filter(Boolean)
      .sort();
    expect(services).toEqual(
      ['canaryCheck', 'drift', 'evaluate', 'planWindow', 'prepareHoldout', 'profile', 'quality', 'reduceWindow', 'report', 'smokeTest', 'summarizeShard', 'validate'].map((k) => `pitstop-${k}`),
    );
    const targets = Object.values(template.findResources('AWS::Events::Rule') as Record<string, Resource>).map((r) => r.Properties.Targets[0].Arn);
    const machines = stack.pipeline.stateMachineConstruct!;
    expect(targets).toContainEqual(stack.resolve(machines.monitor.stateMachineArn));
    expect(targets).toContainEqual(stack.resolve(machines.retrain.stateMachineArn));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('without state machines'))).toHaveLength(0);
  });

  it('passes cdk-nag with no finding', () => {
    expect(checkNag(stack).violations).toEqual([]);
  });

  it('passes cfn-lint with no error', () => {
    const { errors } = cfnLint(template.toJSON(), 'stack');
    expect(errors, describeFindings(errors)).toEqual([]);
  });
});

describe('Function: applyNag on the whole app (bundled as cdk synth does)', () => {
  it('synthesizes with the nag plugin applied and no unacknowledged finding', () => {
    const app = new App();
    new PitstopStack(app, stackNameFor(fullModel), { model: fullModel });
    applyNag(app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('Class: PitstopPipeline (withoutStateMachines)', () => {
  const stack = new Stack(new App(), 'PartsOnly');
  new PitstopPipeline(stack, 'Pipeline', { model: fullModel, withoutStateMachines: true });
  const template = Template.fromStack(stack);

  it('creates no Lambda, state machine or rule and warns why', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('without state machines'));
  });
});

describe('Class: PitstopPipeline (imported artifacts bucket)', () => {
  const stack = new Stack(new App(), 'Imported');
  const m = model({ data: { ...fullModel.data, artifactsUri: 's3://team-artifacts/pitstop/' } });
  new PitstopPipeline(stack, 'Pipeline', { model: m, stateMachines: standInStateMachines(stack) });
  const template = Template.fromStack(stack);

  it('creates no bucket, still a key for the topic and the dead-letter queue', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  it('passes cdk-nag and cfn-lint', () => {
    expect(checkNag(stack).violations).toEqual([]);
    const { errors } = cfnLint(template.toJSON(), 'imported');
    expect(errors, describeFindings(errors)).toEqual([]);
  });
});

describe('Class: PitstopPipeline (artifacts under a prefix of an existing bucket)', () => {
  const stack = new Stack(new App(), 'Prefixed');
  const m = model({ data: { ...fullModel.data, artifactsUri: 's3://team-artifacts/pitstop/' } });
  const pipeline = new PitstopPipeline(stack, 'Pipeline', { model: m, functions: standInFunctions(stack) });
  const template = Template.fromStack(stack);
  const definition = (kind: 'monitor' | 'retrain') =>
    JSON.stringify(stack.resolve((pipeline.stateMachineConstruct![kind].node.defaultChild as any).definitionString));

  it('builds every artifact URI of the state machines under the prefix', () => {
    const retrain = definition('retrain');
    for (const sub of ['models', 'baselines', 'transforms', 'runs', 'reports']) {
      expect(retrain).toContain(`/pitstop/${sub}/churn/`);
      expect(retrain).not.toMatch(new RegExp(`s3://[^/'"]+/${sub}/`));
    }
    expect(definition('monitor')).toContain('/pitstop/runs/churn/');
  });

  it('scopes the SageMaker role to the prefixed artifacts', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('team-artifacts/pitstop/models/churn/*');
    expect(policies).toContain('team-artifacts/pitstop/transforms/churn/*');
  });
});

describe('Class: PitstopPipeline (state machines built from functions)', () => {
  const stack = new Stack(new App(), 'FromFunctions');
  const pipeline = new PitstopPipeline(stack, 'Pipeline', { model: fullModel, functions: standInFunctions(stack) });
  const template = Template.fromStack(stack);

  it('builds the four state machines and starts monitor and retrain from the rules', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 4);
    const machines = pipeline.stateMachineConstruct!;
    const targets = Object.values(template.findResources('AWS::Events::Rule')).map((r) => (r as Resource).Properties.Targets[0].Arn);
    expect(targets).toContainEqual(stack.resolve(machines.monitor.stateMachineArn));
    expect(targets).toContainEqual(stack.resolve(machines.retrain.stateMachineArn));
  });

  it('lets CloudWatch Logs use the pipeline key for the encrypted state machine logs', () => {
    const statements = (Object.values(template.findResources('AWS::KMS::Key'))[0] as Resource).Properties.KeyPolicy.Statement as any[];
    const logs = statements.find((s) => JSON.stringify(s.Principal).includes('logs.'))!;
    expect([logs.Action].flat()).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:Decrypt*']));
    expect(JSON.stringify(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(':log-group:*');
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() });
  });

  it('alarms on all four state machines', () => {
    const execution = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => (a as Resource).Properties.Namespace === 'AWS/States',
    );
    expect(execution).toHaveLength(8);
  });

  it('passes cfn-lint with no error', () => {
    const { errors } = cfnLint(template.toJSON(), 'pipeline-from-functions');
    expect(errors, describeFindings(errors)).toEqual([]);
  });
});

describe('Class: PitstopPipeline (props passed through to its parts)', () => {
  // one app per test: each synthesizes only its own stacks (bundling skipped)
  const newApp = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

  it('retains bucket and lock table by default, and deletes them with RemovalPolicy.DESTROY', () => {
    // Prepare
    const app = newApp();
    const kept = new Stack(app, 'Kept');
    new PitstopPipeline(kept, 'Pipeline', { model: model() });
    const gone = new Stack(app, 'Gone');
    new PitstopPipeline(gone, 'Pipeline', { model: model(), removalPolicy: RemovalPolicy.DESTROY });

    // Act
    const policyOf = (stack: Stack, type: string) => Object.values(Template.fromStack(stack).findResources(type)).map((r) => (r as { DeletionPolicy?: string }).DeletionPolicy);

    // Assess
    expect(new Set(policyOf(kept, 'AWS::S3::Bucket'))).toEqual(new Set(['Retain']));
    expect(new Set(policyOf(kept, 'AWS::DynamoDB::Table'))).toEqual(new Set(['Retain']));
    expect(new Set(policyOf(gone, 'AWS::S3::Bucket'))).toEqual(new Set(['Delete']));
    expect(new Set(policyOf(gone, 'AWS::DynamoDB::Table'))).toEqual(new Set(['Delete']));
  });

  it('uses the given key, bus, log levels and lifecycle days', () => {
    // Prepare
    const stack = new Stack(newApp(), 'Given');
    const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
    const bus = new events.EventBus(stack, 'TeamBus', { eventBusName: 'team-bus' });
    new PitstopPipeline(stack, 'Pipeline', {
      model: model(),
      encryptionKey: key,
      eventBus: bus,
      logLevel: sfn.LogLevel.ERROR,
      functionLogLevel: 'DEBUG',
      captureExpirationDays: 14,
    });
    const template = Template.fromStack(stack);

    // Assess: no key of the pipeline's own; the bucket, table and logs use the team's
    template.resourceCountIs('AWS::KMS::Key', 1);
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    expect(JSON.stringify(template.findResources('AWS::S3::Bucket'))).toContain(keyId);
    // the run outcome events go to the team's bus
    const machines = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toContain(stack.getLogicalId(bus.node.defaultChild as events.CfnEventBus));
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', { LoggingConfiguration: Match.objectLike({ Level: 'ERROR' }) });
    template.allResourcesProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LOG_LEVEL: 'DEBUG' }) } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'capture/', ExpirationInDays: 14 })]) },
    });
  });

  it('takes the model as written in a config file and applies the defaults itself', () => {
    // Prepare / Act
    const stack = new Stack(newApp(), 'Raw');
    const pipeline = new PitstopPipeline(stack, 'Pipeline', { model: MINIMAL_MODEL, withoutStateMachines: true });

    // Assess: the same model the config parser gives
    expect(pipeline.model).toEqual(model());
  });

  it('rejects an invalid model with a ConfigError naming the field', () => {
    const app = newApp();
    const stack = new Stack(app, 'Bad');
    const bad = { ...MINIMAL_MODEL, approval: { mode: 'maybe' } } as unknown as typeof MINIMAL_MODEL;
    expect(() => new PitstopPipeline(stack, 'Pipeline', { model: bad })).toThrow(ConfigError);
    expect(() => new PitstopPipeline(new Stack(app, 'Bad2'), 'Pipeline', { model: bad })).toThrow(/model\.approval\.mode: expected one of "manual", "auto", got "maybe"/);
  });
});
