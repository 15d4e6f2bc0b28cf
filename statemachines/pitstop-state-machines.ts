/**
 * `PitstopStateMachines`: the Monitor, Retrain, Canary and Rollback state machines of
 * one model, the lock table they share, the SageMaker execution role and the model
 * package group.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ModelConfig } from '../infra/config';
import { NAME_PREFIX } from '../infra/names';
import { buildCanary } from './canary';
import type { MachineContext, PitstopFunctions } from './context';
import { createLockTable } from './lock-table';
import { buildMonitor } from './monitor';
import { buildRetrain } from './retrain';
import { buildRollback } from './rollback';

/** Properties of {@link PitstopStateMachines}. */
export interface PitstopStateMachinesProps {
  /** The model's configuration (parsed, defaults applied). */
  readonly model: ModelConfig;
  /** Artifacts bucket: models, baselines, transforms, run records and reports. */
  readonly bucket: s3.IBucket;
  /** Topic for notifications and approval requests. */
  readonly topic: sns.ITopic;
  /** The Lambdas the state machines invoke (contracts in statemachines/contracts.ts). */
  readonly functions: PitstopFunctions;
  /**
   * Bus the run outcome events go to.
   * @default the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Key for the lock table and the state machine logs.
   * @default AWS-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Role SageMaker training jobs, models and endpoints run as.
   * @default a new role that may read the training data, holdout and captures, write to the bucket, and pull the images
   */
  readonly sageMakerRole?: iam.IRole;
  /**
   * Log level of the state machines' CloudWatch Logs.
   * @default sfn.LogLevel.ERROR
   */
  readonly logLevel?: sfn.LogLevel;
  /**
   * What happens to the lock table and log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The four state machines of one model's pipeline.
 *
 * @example
 * new PitstopStateMachines(this, 'StateMachines', { model, bucket, topic, functions });
 */
export class PitstopStateMachines extends Construct {
  /** Validates captures, measures drift and quality, publishes metrics. */
  public readonly monitor: sfn.StateMachine;
  /** Guard, train, gate, register, approve, canary. */
  public readonly retrain: sfn.StateMachine;
  /** Staged traffic shift with rollback. */
  public readonly canary: sfn.StateMachine;
  /** Restores an endpoint config on demand. */
  public readonly rollback: sfn.StateMachine;
  /** Lock item and production state item per model. */
  public readonly lockTable: dynamodb.Table;
  /** Role the SageMaker jobs, models and endpoints run as. */
  public readonly sageMakerRole: iam.IRole;
  /** Model registry group of this model's packages: `pitstop-<model>`. */
  public readonly modelPackageGroupName: string;

  public constructor(scope: Construct, id: string, props: PitstopStateMachinesProps) {
    super(scope, id);
    const { model } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.lockTable = createLockTable(this, 'LockTable', { encryptionKey: props.encryptionKey, removalPolicy });
    this.sageMakerRole = props.sageMakerRole ?? this.createSageMakerRole(props);
    this.modelPackageGroupName = `${NAME_PREFIX}-${model.name}`;
    const group = new sagemaker.CfnModelPackageGroup(this, 'ModelPackageGroup', {
      modelPackageGroupName: this.modelPackageGroupName,
      modelPackageGroupDescription: `Candidates of pitstop model ${model.name}`,
    });

    const ctx: MachineContext = {
      model,
      bucket: props.bucket,
      topic: props.topic,
      functions: props.functions,
      eventBus: props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      lockTable: this.lockTable,
      sageMakerRole: this.sageMakerRole,
    };
    const machine = (name: string, definition: sfn.IChainable, timeout: Duration) =>
      new sfn.StateMachine(this, name, {
        definitionBody: sfn.DefinitionBody.fromChainable(definition),
        stateMachineType: sfn.StateMachineType.STANDARD,
        timeout,
        tracingEnabled: true,
        logs: {
          destination: new logs.LogGroup(this, `${name}Logs`, {
            retention: logs.RetentionDays.THREE_MONTHS,
            encryptionKey: props.encryptionKey,
            removalPolicy,
          }),
          level: props.logLevel ?? sfn.LogLevel.ERROR,
          includeExecutionData: false,
        },
      });

    this.rollback = machine('Rollback', buildRollback(new Construct(this, 'RollbackStates'), ctx), Duration.hours(3));
    this.canary = machine('Canary', buildCanary(new Construct(this, 'CanaryStates'), ctx), Duration.hours(26));
    this.monitor = machine('Monitor', buildMonitor(new Construct(this, 'MonitorStates'), ctx), Duration.hours(2));
    const retrain = buildRetrain(new Construct(this, 'RetrainStates'), ctx, { canary: this.canary, rollback: this.rollback });
    this.retrain = machine('Retrain', retrain.definition, Duration.days(7));
    for (const statement of retrain.policy) this.retrain.addToRolePolicy(statement);
    this.retrain.node.addDependency(group);

    // Each machine passes the SageMaker role to the jobs and models it creates.
    for (const m of [this.retrain, this.canary]) {
      this.sageMakerRole.grantPassRole(m.role);
    }
  }

  /** The execution role of SageMaker jobs and endpoints, scoped to this model's data. */
  private createSageMakerRole(props: PitstopStateMachinesProps): iam.Role {
    const role = new iam.Role(this, 'SageMakerRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker jobs and endpoint of pitstop model ${props.model.name}`,
    });
    props.bucket.grantReadWrite(role);
    const { data, training } = props.model;
    const buckets = new Set<string>();
    for (const uri of [data.training, data.holdout, data.captureUri]) {
      const name = /^s3:\/\/([^/]+)/.exec(uri)?.[1];
      if (name) buckets.add(name);
    }
    for (const name of buckets) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketLocation'],
          resources: [`arn:${Stack.of(this).partition}:s3:::${name}`, `arn:${Stack.of(this).partition}:s3:::${name}/*`],
        }),
      );
    }
    const repositories = new Set<string>();
    for (const image of [training.image, training.inferenceImage]) {
      const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
      if (match) repositories.add(`arn:aws:ecr:${match[2]}:${match[1]}:repository/${match[3]}`);
    }
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [...repositories],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'], // GetAuthorizationToken has no resource-level permissions
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`arn:aws:logs:*:*:log-group:/aws/sagemaker/*`],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'], // PutMetricData has no resource-level permissions; limited to SageMaker's namespaces
        conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } },
      }),
    );
    return role;
  }
}
