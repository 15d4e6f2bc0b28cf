/**
 * `PitstopLambdaFunctions`: the Lambdas the state machines invoke, one function per
 * handler under `lambdas/<name>/handler.ts`, each with its own role holding only the
 * grants its handler needs. From the sources each is a NodejsFunction (esbuild at synth);
 * from the built package each deploys the bundle made when the package was built
 * (infra/lambda-code.ts).
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
// cdk-nag has no exports map: Node's ESM loader needs the file's extension.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { PitstopFunctions } from '../statemachines/context';
import { MODEL_CONFIG_ENV, modelSettings } from '../lambdas/runtime/model-settings';
import { parseS3Uri as parseS3UriOrProblem, type ModelConfig } from '../vocabulary/config/index';
import { suppress, suppressAll } from '../statemachines/nag';
import { ARTIFACT_PREFIXES } from '../vocabulary/pipeline-names';
import { SHARD_READER_TIMEOUT_SECONDS } from '../vocabulary/fan-out';
import { prebundledHandler } from './lambda-code';

/** The functions by their key in `PitstopFunctions`, with the folder of each handler under `lambdas/`. */
export const FUNCTION_DIRS = {
  validate: 'validate',
  profile: 'profile',
  drift: 'drift',
  quality: 'quality',
  prepareDataset: 'prepare-dataset',
  prepareHoldout: 'prepare-holdout',
  evaluate: 'evaluate',
  smokeTest: 'smoke-test',
  canaryCheck: 'canary-check',
  report: 'report',
  planWindow: 'plan-window',
  summarizeShard: 'summarize-shard',
  reduceWindow: 'reduce-window',
} as const satisfies Record<keyof PitstopFunctions, string>;

/** A function's key. */
export type FunctionKey = keyof typeof FUNCTION_DIRS;

/** The `lambdas/` folder. */
export const LAMBDAS_DIR = fileURLToPath(new URL('../lambdas/', import.meta.url));

/** Absolute path of a function's handler source. */
export function handlerEntry(key: FunctionKey): string {
  return `${LAMBDAS_DIR}${FUNCTION_DIRS[key]}/handler.ts`;
}

/** The Node.js runtime of every function: the newest this aws-cdk-lib offers. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * How every handler is bundled, shared by {@link PitstopLambdaFunctions} and
 * scripts/bundle-sizes.ts: esbuild on the local machine (never Docker), minified, no
 * source map, CommonJS for Node 24, and the AWS SDK v3 left out because the Lambda
 * Node.js runtime provides it.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: false,
  target: 'node24',
  format: 'cjs',
  mainFields: ['module', 'main'],
  externalModules: ['@aws-sdk/*'],
  forceDockerBundling: false,
} as const;

/** Memory (MB) and timeout of each function, sized to what it reads. */
export const FUNCTION_SIZES = {
  /** Streams a whole data set once. */
  validate: { memorySize: 1024, timeout: Duration.minutes(10) },
  /** Streams the training data once and keeps a sketch per feature. */
  profile: { memorySize: 2048, timeout: Duration.minutes(15) },
  /** Streams the captured data once against the baseline. */
  drift: { memorySize: 1024, timeout: Duration.minutes(10) },
  /** Holds the ground truth by eventId while streaming the capture. */
  quality: { memorySize: 1024, timeout: Duration.minutes(10) },
  /** Holds the assembled training set (history and labeled production rows) until written. */
  prepareDataset: { memorySize: 3008, timeout: Duration.minutes(15) },
  /** Streams the holdout once; holds the features-only CSV and the labels until written. */
  prepareHoldout: { memorySize: 1024, timeout: Duration.minutes(10) },
  /** Holds the holdout labels and two models' predictions. */
  evaluate: { memorySize: 1024, timeout: Duration.minutes(10) },
  /** Waits on endpoint calls. */
  smokeTest: { memorySize: 256, timeout: Duration.minutes(5) },
  /** One or two GetMetricData calls. */
  canaryCheck: { memorySize: 256, timeout: Duration.minutes(1) },
  /** Two S3 writes. */
  report: { memorySize: 256, timeout: Duration.minutes(1) },
  /** Lists the window's partitions and writes the shard manifest. */
  planWindow: { memorySize: 512, timeout: Duration.minutes(5) },
  /** A fan-out child: reads one shard twice; under the 5 minutes of an EXPRESS child execution (vocabulary/fan-out.ts). */
  summarizeShard: { memorySize: 1024, timeout: Duration.seconds(SHARD_READER_TIMEOUT_SECONDS) },
  /** Merges the partial summaries one at a time. */
  reduceWindow: { memorySize: 1024, timeout: Duration.minutes(10) },
} as const satisfies Record<FunctionKey, { memorySize: number; timeout: Duration }>;

/** The functions that read `PITSTOP_MODEL_CONFIG` (the others find everything in their event). */
export const FUNCTIONS_WITH_MODEL_SETTINGS: readonly FunctionKey[] = ['validate', 'profile', 'drift', 'quality', 'prepareDataset', 'smokeTest', 'summarizeShard', 'reduceWindow'];

/** The functions made only for a model with `data.dataset`. */
export const DATASET_FUNCTIONS: readonly FunctionKey[] = ['prepareDataset'];

/** Most bytes of model settings JSON: Lambda allows 4 KB of environment in all. */
export const MAX_MODEL_SETTINGS_BYTES = 3500;

/** The actions of CDK's S3 and KMS read/put grants that end in a wildcard (all scoped to one prefix or key). */
const GRANT_WILDCARD_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/** Properties of {@link PitstopLambdaFunctions}. */
export interface PitstopLambdaFunctionsProps {
  /** The model the functions serve: its data URIs scope the read grants, its endpoint the InvokeEndpoint grant. */
  readonly model: ModelConfig;
  /** The artifacts bucket (baselines, transform output, metrics, run records, reports). */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of pitstop's artifacts in `bucket`: `''` or ending in `/`.
   * @default ''
   */
  readonly artifactsPrefix?: string;
  /**
   * How long the functions' logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Powertools log level (`DEBUG`, `INFO`, `WARN`, `ERROR`).
   * @default 'INFO'
   */
  readonly logLevel?: string;
  /**
   * Where a handler bundled ahead lives (a folder holding `index.js`), by its folder under
   * `lambdas/`; undefined to bundle its TypeScript entry at synth (NodejsFunction).
   * @default the package's `lambda-bundles/` folder when running from the built package (see infra/lambda-code.ts), else NodejsFunction
   */
  readonly prebundledHandler?: (dir: string) => string | undefined;
}

/**
 * One NodejsFunction per pitstop handler (Node.js 24 on ARM64, bundled locally with
 * esbuild), each with its own role and log group, and only these grants:
 *
 * | function | reads | writes | other |
 * |---|---|---|---|
 * | validate | data.training, data.captureUri, `baselines/` (and `datasets/` with `data.dataset`) | | |
 * | profile | data.training (and `datasets/` with `data.dataset`) | `baselines/` | |
 * | drift | data.captureUri, `baselines/` | | |
 * | quality | data.captureUri, data.groundTruthUri, `models/` (prediction reference) | | |
 * | prepareDataset (with `data.dataset`) | data.training, data.captureUri, data.groundTruthUri | `datasets/` (training channel, holdout, manifest) | |
 * | prepareHoldout | data.holdout (and `datasets/` with `data.dataset`) | `transforms/` (transform input, labels) | |
 * | evaluate | `transforms/` (labels, predictions) | `transforms/`, `models/` (metrics JSON) | |
 * | smokeTest | data.holdout | | sagemaker:InvokeEndpoint on the model's endpoint |
 * | canaryCheck | | | cloudwatch:GetMetricData (`*`: no resource-level permission exists) |
 * | report | | `runs/`, `reports/` | |
 *
 * @example
 * const functions = new PitstopLambdaFunctions(this, 'Functions', { model, bucket: storage.bucket });
 * // functions.validate, functions.smokeTest, ... match statemachines' PitstopFunctions
 */
export class PitstopLambdaFunctions extends Construct implements PitstopFunctions {
  public readonly validate: lambda.Function;
  public readonly profile: lambda.Function;
  public readonly drift: lambda.Function;
  public readonly quality: lambda.Function;
  /** Present only for a model with `data.dataset`. */
  public readonly prepareDataset?: lambda.Function;
  public readonly prepareHoldout: lambda.Function;
  public readonly evaluate: lambda.Function;
  public readonly smokeTest: lambda.Function;
  public readonly canaryCheck: lambda.Function;
  public readonly report: lambda.Function;
  public readonly planWindow: lambda.Function;
  public readonly summarizeShard: lambda.Function;
  public readonly reduceWindow: lambda.Function;

  private readonly artifactsPrefix: string;
  private readonly prebundled: (dir: string) => string | undefined;
  private readonly inputBuckets = new Map<string, s3.IBucket>();

  public constructor(scope: Construct, id: string, props: PitstopLambdaFunctionsProps) {
    super(scope, id);
    const { model, bucket } = props;
    const prefix = props.artifactsPrefix ?? '';
    if (!Token.isUnresolved(prefix) && prefix !== '' && !prefix.endsWith('/')) {
      throw new Error(`expected artifactsPrefix to be '' or end with '/', got "${prefix}"`);
    }
    this.artifactsPrefix = prefix;
    this.prebundled = props.prebundledHandler ?? prebundledHandler;
    const settings = JSON.stringify(modelSettings(model));
    const settingsBytes = Buffer.byteLength(settings, 'utf8');
    if (settingsBytes > MAX_MODEL_SETTINGS_BYTES) {
      throw new Error(
        `expected the model settings of "${model.name}" to fit Lambda's 4 KB environment (at most ${MAX_MODEL_SETTINGS_BYTES} bytes of JSON), got ${settingsBytes} bytes; shorten the feature list or names`,
      );
    }

    const make = (key: FunctionKey): lambda.Function => {
      const role = new iam.Role(this, `${pascal(key)}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `pitstop ${model.name}: ${key} function`,
      });
      const logGroup = new logs.LogGroup(this, `${pascal(key)}Logs`, {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      });
      const common: lambda.FunctionOptions & { runtime: lambda.Runtime } = {
        runtime: FUNCTION_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        role,
        logGroup,
        description: `pitstop ${model.name}: ${key}`,
        ...FUNCTION_SIZES[key],
        environment: {
          POWERTOOLS_SERVICE_NAME: `pitstop-${key}`,
          LOG_LEVEL: props.logLevel ?? 'INFO',
          ...(FUNCTIONS_WITH_MODEL_SETTINGS.includes(key) ? { [MODEL_CONFIG_ENV]: settings } : {}),
        },
      };
      // The built package deploys the handler it bundled ahead; the sources bundle at synth.
      const prebundled = this.prebundled(FUNCTION_DIRS[key]);
      const fn = prebundled
        ? new lambda.Function(this, pascal(key), { ...common, code: lambda.Code.fromAsset(prebundled), handler: 'index.handler' })
        : new nodejs.NodejsFunction(this, pascal(key), {
            ...common,
            entry: handlerEntry(key),
            handler: 'handler',
            bundling: {
              minify: LAMBDA_BUNDLING.minify,
              sourceMap: LAMBDA_BUNDLING.sourceMap,
              target: LAMBDA_BUNDLING.target,
              format: nodejs.OutputFormat.CJS,
              mainFields: [...LAMBDA_BUNDLING.mainFields],
              externalModules: [...LAMBDA_BUNDLING.externalModules],
              forceDockerBundling: LAMBDA_BUNDLING.forceDockerBundling,
            },
          });
      logGroup.grantWrite(role);
      return fn;
    };

    const { data } = model;
    const artifacts = ARTIFACT_PREFIXES;

    this.validate = make('validate');
    this.readInput(this.validate, 'data.training', data.training);
    this.readInput(this.validate, 'data.captureUri', data.captureUri);
    this.readArtifacts(this.validate, bucket, artifacts.baselines);

    this.profile = make('profile');
    this.readInput(this.profile, 'data.training', data.training);
    this.writeArtifacts(this.profile, bucket, artifacts.baselines);

    this.drift = make('drift');
    this.readInput(this.drift, 'data.captureUri', data.captureUri);
    this.readArtifacts(this.drift, bucket, artifacts.baselines);

    this.quality = make('quality');
    this.readInput(this.quality, 'data.captureUri', data.captureUri);
    this.readInput(this.quality, 'data.groundTruthUri', data.groundTruthUri);
    // The production model's prediction reference, written by evaluate beside its metrics.
    this.readArtifacts(this.quality, bucket, artifacts.models);

    this.prepareHoldout = make('prepareHoldout');
    this.readInput(this.prepareHoldout, 'data.holdout', data.holdout);
    this.writeArtifacts(this.prepareHoldout, bucket, artifacts.transforms);

    if (data.dataset) {
      // The assembled training set is what validate and profile read, and the recent
      // holdout what prepareHoldout reads: all under datasets/.
      const datasets = `${artifacts.datasets}${model.name}/`;
      this.prepareDataset = make('prepareDataset');
      this.readInput(this.prepareDataset, 'data.training', data.training);
      this.readInput(this.prepareDataset, 'data.captureUri', data.captureUri);
      this.readInput(this.prepareDataset, 'data.groundTruthUri', data.groundTruthUri);
      this.writeArtifacts(this.prepareDataset, bucket, datasets);
      for (const reader of [this.validate, this.profile, this.prepareHoldout]) this.readArtifacts(reader, bucket, datasets);
    }

    // The labels come from prepareHoldout's file under transforms/, not from the holdout.
    this.evaluate = make('evaluate');
    this.readArtifacts(this.evaluate, bucket, artifacts.transforms);
    this.writeArtifacts(this.evaluate, bucket, artifacts.transforms);
    this.writeArtifacts(this.evaluate, bucket, artifacts.models);

    this.smokeTest = make('smokeTest');
    this.readInput(this.smokeTest, 'data.holdout', data.holdout);
    this.smokeTest.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:InvokeEndpoint'],
        // SageMaker endpoint ARNs carry the name in lowercase.
        resources: [Stack.of(this).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: model.endpointName.toLowerCase() })],
      }),
    );

    this.canaryCheck = make('canaryCheck');
    this.canaryCheck.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:GetMetricData'],
        // GetMetricData supports no resource-level permission: AWS requires "*".
        resources: ['*'],
      }),
    );
    suppress(
      this.canaryCheck.role!,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:GetMetricData supports no resource-level permissions, so AWS requires Resource "*"; the action only reads metrics.',
    );

    this.report = make('report');
    this.writeArtifacts(this.report, bucket, artifacts.runs);
    this.writeArtifacts(this.report, bucket, artifacts.reports);

    // The fan-out of a large monitor window: its files live under fanout/<model>/.
    const fanOut = `${artifacts.fanOut}${model.name}/`;
    this.planWindow = make('planWindow');
    this.readInput(this.planWindow, 'data.captureUri', data.captureUri);
    this.writeArtifacts(this.planWindow, bucket, fanOut);
    this.summarizeShard = make('summarizeShard');
    this.readInput(this.summarizeShard, 'data.captureUri', data.captureUri);
    this.readArtifacts(this.summarizeShard, bucket, artifacts.baselines);
    this.writeArtifacts(this.summarizeShard, bucket, fanOut);
    this.reduceWindow = make('reduceWindow');
    this.readArtifacts(this.reduceWindow, bucket, artifacts.baselines);
    this.readArtifacts(this.reduceWindow, bucket, fanOut);
  }

  /** Every function, by key. */
  public get all(): Readonly<Partial<Record<FunctionKey, lambda.Function>>> {
    return {
      validate: this.validate,
      profile: this.profile,
      drift: this.drift,
      quality: this.quality,
      ...(this.prepareDataset ? { prepareDataset: this.prepareDataset } : {}),
      prepareHoldout: this.prepareHoldout,
      evaluate: this.evaluate,
      smokeTest: this.smokeTest,
      canaryCheck: this.canaryCheck,
      report: this.report,
      planWindow: this.planWindow,
      summarizeShard: this.summarizeShard,
      reduceWindow: this.reduceWindow,
    };
  }

  /** Grants reading one configured input (object or prefix) on its exact bucket and key prefix. */
  private readInput(fn: lambda.Function, what: string, uri: string): void {
    const parsed = parseS3UriOrProblem(uri);
    if ('problem' in parsed) throw new Error(`${what}: ${parsed.problem}`);
    const bucket = this.inputBucket(parsed.bucket);
    bucket.grantRead(fn, `${parsed.key}*`);
    this.acknowledgePrefixGrant(fn, bucket, `${parsed.key}*`, `${what} (${uri})`);
  }

  private readArtifacts(fn: lambda.Function, bucket: s3.IBucket, sub: string): void {
    bucket.grantRead(fn, `${this.artifactsPrefix}${sub}*`);
    this.acknowledgePrefixGrant(fn, bucket, `${this.artifactsPrefix}${sub}*`, `the artifacts under ${sub}`);
  }

  private writeArtifacts(fn: lambda.Function, bucket: s3.IBucket, sub: string): void {
    bucket.grantPut(fn, `${this.artifactsPrefix}${sub}*`);
    this.acknowledgePrefixGrant(fn, bucket, `${this.artifactsPrefix}${sub}*`, `the artifacts under ${sub}`);
  }

  /**
   * Acknowledges the cdk-nag IAM5 findings of one prefix-scoped S3 grant, beside the
   * grant: the object wildcard of exactly that prefix and the wildcard actions of CDK's
   * read/put grants. A bare `*` resource is never acknowledged here.
   */
  private acknowledgePrefixGrant(fn: lambda.Function, bucket: s3.IBucket, keyPattern: string, what: string): void {
    const resource = flattenCfnReference(Stack.of(this).resolve(bucket.arnForObjects(keyPattern)));
    suppressAll(
      fn.role!,
      [`AwsSolutions-IAM5[Resource::${resource}]`, ...GRANT_WILDCARD_ACTIONS.map((a) => `AwsSolutions-IAM5[Action::${a}]`)],
      `Access is scoped to ${what}: the wildcard covers the objects under that key prefix, and the wildcard actions are the object-level read/put actions of CDK's S3 grant.`,
    );
  }

  private inputBucket(name: string): s3.IBucket {
    let bucket = this.inputBuckets.get(name);
    if (!bucket) {
      bucket = s3.Bucket.fromBucketName(this, `InputBucket${this.inputBuckets.size}`, name);
      this.inputBuckets.set(name, bucket);
    }
    return bucket;
  }
}

/** `smokeTest` → `SmokeTest`. */
function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
