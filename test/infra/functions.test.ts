import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATASET_FUNCTIONS, FUNCTION_DIRS, PitstopLambdaFunctions } from '../../infra/functions';
import { checkNag } from '../../statemachines/nag';
import type { PitstopFunctions as StateMachineFunctions } from '../../statemachines/context';
import { MODEL_CONFIG_ENV, ModelSettingsSchema } from '../../lambdas/runtime/model-settings';
import { MINIMAL_MODEL, model } from './fixtures';
import { saveEnv } from '../lambdas/helpers';

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** A stack with the functions; bundling skipped unless asked (it is tested once below). */
function build(options: { bundle?: boolean; modelOverrides?: Parameters<typeof model>[0] } = {}) {
  const app = new App(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Artifacts', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const functions = new PitstopLambdaFunctions(stack, 'Functions', { model: model(options.modelOverrides), bucket });
  return { stack, functions, template: Template.fromStack(stack) };
}

/** The policy statements of the role of the function with this construct id. */
function statementsOf(template: Template, id: string): Array<{ Action: string | string[]; Resource: unknown }> {
  const roles = template.findResources('AWS::IAM::Role');
  const roleId = Object.keys(roles).find((k) => k.startsWith(`Functions${id}Role`))!;
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actions = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('Construct: PitstopLambdaFunctions', () => {
  it('deploys a handler bundled ahead as it is (Code.fromAsset, index.handler), the others with NodejsFunction', () => {
    // Prepare
    const bundles = mkdtempSync(join(tmpdir(), 'pitstop-prebundled-'));
    mkdirSync(join(bundles, FUNCTION_DIRS.drift));
    writeFileSync(join(bundles, FUNCTION_DIRS.drift, 'index.js'), 'exports.handler = async () => ({ drifted: false });\n');
    try {
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-asset-metadata': true } });
      const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
      const bucket = new s3.Bucket(stack, 'Artifacts');
      // Act
      const functions = new PitstopLambdaFunctions(stack, 'Functions', {
        model: model(),
        bucket,
        prebundledHandler: (dir) => (dir === FUNCTION_DIRS.drift ? join(bundles, dir) : undefined),
      });
      // Assess
      expect(functions.drift).not.toBeInstanceOf(nodejs.NodejsFunction);
      expect(functions.profile).toBeInstanceOf(nodejs.NodejsFunction);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Description: 'pitstop churn: drift', Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      const drift = Object.values(template.findResources('AWS::Lambda::Function')).find((r) => r.Properties.Description === 'pitstop churn: drift')!;
      // The staged asset is the folder as it was: its index.js, nothing rebuilt.
      const staged = join(app.outdir, drift.Metadata['aws:asset:path'] as string);
      expect(readdirSync(staged)).toEqual(['index.js']);
      expect(readFileSync(join(staged, 'index.js'), 'utf8')).toContain('drifted: false');
    } finally {
      rmSync(bundles, { recursive: true, force: true });
    }
  });

  it('creates one Node.js 24 ARM64 function per handler with Powertools settings and log retention', () => {
    const { template, functions } = build();
    // Without data.dataset, no prepareDataset function.
    template.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTION_DIRS).length - DATASET_FUNCTIONS.length);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: Match.stringLikeRegexp('^pitstop-'), LOG_LEVEL: 'INFO' }) },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { MemorySize: 2048, Timeout: 900 }, 1);
    // The construct satisfies the state machines' interface.
    const set: StateMachineFunctions = functions;
    expect(Object.keys(functions.all).sort()).toEqual(Object.keys(FUNCTION_DIRS).filter((k) => k !== 'prepareDataset').sort());
    expect(set.smokeTest).toBe(functions.smokeTest);
  });

  it('with data.dataset, adds prepareDataset reading the three inputs and writing only under datasets/<model>/', () => {
    // Prepare
    const features = [{ name: 'age', type: 'numeric' as const }];
    const { template, functions } = build({ modelOverrides: { features, data: { ...MINIMAL_MODEL.data, dataset: {} } } });

    // Assess
    template.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTION_DIRS).length);
    expect(Object.keys(functions.all).sort()).toEqual(Object.keys(FUNCTION_DIRS).sort());
    const reads = JSON.stringify(statementsOf(template, 'PrepareDataset').filter((s) => actions(s).includes('s3:GetObject*')).map((s) => s.Resource));
    expect(reads).toContain(':s3:::churn-data/training');
    expect(reads).toContain(':s3:::churn-capture/datacapture/*');
    expect(reads).toContain(':s3:::churn-data/ground-truth/*');
    const puts = statementsOf(template, 'PrepareDataset').filter((s) => actions(s).includes('s3:PutObject'));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0]!.Resource)).toContain('/datasets/churn/*');
    // validate, profile and prepareHoldout read what it wrote
    for (const id of ['Validate', 'Profile', 'PrepareHoldout']) {
      expect(JSON.stringify(statementsOf(template, id).filter((s) => actions(s).includes('s3:GetObject*')).map((s) => s.Resource))).toContain('/datasets/churn/*');
    }
  });

  it('gives the model settings only to the functions that read them', () => {
    const { template } = build();
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    const withSettings = fns.filter((f) => MODEL_CONFIG_ENV in f.Properties.Environment.Variables);
    expect(withSettings.map((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual(
      ['pitstop-drift', 'pitstop-profile', 'pitstop-quality', 'pitstop-reduceWindow', 'pitstop-smokeTest', 'pitstop-summarizeShard', 'pitstop-validate'],

    );
    const settings = ModelSettingsSchema.parse(JSON.parse(withSettings[0]!.Properties.Environment.Variables[MODEL_CONFIG_ENV]));
    expect(settings).toMatchObject({ name: 'churn', problemType: 'binary', label: 'churned', drift: { method: 'psi', threshold: 0.2 } });
  });

  it('lets only smoke-test invoke the endpoint, and only that endpoint', () => {
    const { template } = build();
    const invoke = statementsOf(template, 'SmokeTest').filter((s) => actions(s).includes('sagemaker:InvokeEndpoint'));
    expect(invoke).toHaveLength(1);
    expect(JSON.stringify(invoke[0]!.Resource)).toContain(':sagemaker:us-east-1:123456789012:endpoint/churn-endpoint');
    for (const id of ['Validate', 'Profile', 'Drift', 'Quality', 'PrepareHoldout', 'Evaluate', 'CanaryCheck', 'Report']) {
      expect(statementsOf(template, id).flatMap(actions)).not.toContain('sagemaker:InvokeEndpoint');
    }
  });

  it('scopes input reads to the configured bucket and prefix', () => {
    const { template } = build();
    const reads = statementsOf(template, 'Quality').filter((s) => actions(s).includes('s3:GetObject*'));
    const resources = JSON.stringify(reads.map((s) => s.Resource));
    expect(resources).toContain(':s3:::churn-capture/datacapture/*');
    expect(resources).toContain(':s3:::churn-data/ground-truth/*');
    expect(resources).not.toContain('churn-data/training');
    // prepareHoldout reads the holdout object, not the training data; evaluate reads neither
    const prepareReads = JSON.stringify(statementsOf(template, 'PrepareHoldout').filter((s) => actions(s).includes('s3:GetObject*')).map((s) => s.Resource));
    expect(prepareReads).toContain(':s3:::churn-data/holdout/holdout.csv*');
    expect(prepareReads).not.toContain('churn-data/training');
    const evalReads = JSON.stringify(statementsOf(template, 'Evaluate').map((s) => s.Resource));
    expect(evalReads).not.toContain('churn-data/');
  });

  it('lets prepareHoldout write under transforms/ only', () => {
    const { template } = build();
    const puts = statementsOf(template, 'PrepareHoldout').filter((s) => actions(s).includes('s3:PutObject'));
    expect(puts).toHaveLength(1);
    const resource = JSON.stringify(puts[0]!.Resource);
    expect(resource).toContain('/transforms/*');
    expect(resource).not.toMatch(/\/(runs|reports|models|baselines)\//);
  });

  it('uses Resource "*" only for GetMetricData, and cdk-nag finds nothing unacknowledged', () => {
    const { template, stack } = build();
    const star = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>).filter((s) => s.Resource === '*'),
    );
    expect(star.flatMap(actions)).toEqual(['cloudwatch:GetMetricData']);
    expect(statementsOf(template, 'CanaryCheck').filter((s) => s.Resource === '*')).toHaveLength(1);
    const findings = checkNag(stack).violations.filter((v) => v.violatingResources.some((r) => (r.constructPath ?? '').startsWith('Test/Functions')));
    expect(findings.map((v) => v.ruleName)).toEqual([]);
  });

  it('would report Resource "*" if the suppression were missing', () => {
    // The IAM5 check is live: a role of this construct with an extra unsuppressed wildcard is found.
    const { functions, stack } = build();
    functions.report.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListAllMyBuckets'], resources: ['*'] }));
    const names = checkNag(stack).violations.map((v) => v.ruleName);
    expect(names).toContain('AwsSolutions-IAM5[Resource::*]');
  });

  it('rejects a model whose settings would not fit the Lambda environment', () => {
    const features = Array.from({ length: 120 }, (_, i) => ({ name: `a_rather_long_feature_name_${i}`, type: 'numeric' as const }));
    expect(() => build({ modelOverrides: { features } })).toThrow(/^expected the model settings of "churn" to fit Lambda's 4 KB environment .* got \d+ bytes/);
  });

  it('bundles with local esbuild, never Docker', () => {
    // Prepare: any Docker call would run a binary that does not exist and fail the synth.
    restore = saveEnv();
    process.env.CDK_DOCKER = '/nonexistent/docker';
    // Act
    const { template } = build({ bundle: true });
    // Assess
    const code = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Code);
    expect(code.every((c) => c.S3Key && String(JSON.stringify(c.S3Key)).endsWith('.zip"'))).toBe(true);
  }, 120_000);
});
