/**
 * `PitstopStateMachines`: the Monitor, Retrain, Canary and Rollback state machines of
 * one model, the lock table they share, the SageMaker execution role and the model
 * package group.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
import type { ModelConfig } from '../vocabulary/config/index';
import { NAME_PREFIX, resourceName } from '../vocabulary/pipeline-names';
import { buildCanary } from './canary';
import type { MachineContext, PitstopFunctions } from './context';
import { createLockTable } from './lock-table';
import { buildMonitor } from './monitor';
import { RESULT_WRITER_V2_FLAG } from './fan-out-io';
import { buildRetrain } from './retrain';
import { buildRollback } from './rollback';
import { createSageMakerRole } from './sagemaker-role';
import { retrainBudget, type RetrainBudget } from './timeouts';
import { acknowledgePolicyWildcards, acknowledgeWildcards } from './wildcards';

/** The four state machines of a model; each is deployed as `pitstop-<model>-<kind>` ({@link stateMachineName}). */
export const STATE_MACHINE_KINDS = ['monitor', 'retrain', 'canary', 'rollback'] as const;

/** One of {@link STATE_MACHINE_KINDS}. */
export type StateMachineKind = (typeof STATE_MACHINE_KINDS)[number];

/**
 * The physical name of a model's state machine: `pitstop-<model>-<kind>`. The CLI
 * finds the deployed state machines by this name (bin/cli/state-machines.ts).
 */
export function stateMachineName(model: string, kind: StateMachineKind): string {
  return resourceName(model, kind);
}

/** Properties of {@link PitstopStateMachines}. */
export interface PitstopStateMachinesProps {
  /** The model's configuration (parsed, defaults applied). */
  readonly model: ModelConfig;
  /** Artifacts bucket: models, baselines, transforms, run records and reports. */
  readonly bucket: s3.IBucket;
  /** Topic for notifications and approval requests. */
  readonly topic: sns.ITopic;
  /** The Lambdas the state machines invoke (contracts in vocabulary/contracts.ts). */
  readonly functions: PitstopFunctions;
  /**
   * Bus the run outcome events go to.
   * @default the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Key for the lock table and the state machine logs (CloudWatch Logs must be allowed
   * to use it, see `allowCloudWatchLogsToUseKey`), and for the artifacts the SageMaker
   * role reads and writes.
   * @default AWS-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Key prefix of pitstop's artifacts in `bucket`: `''` or ending in `/` (the prefix of
   * `data.artifactsUri`). Every artifact URI the state machines build starts with it.
   * @default ''
   */
  readonly artifactsPrefix?: string;
  /**
   * Role SageMaker training jobs, models and endpoints run as.
   * @default a new least-privilege role (see `createSageMakerRole`): read the training
   *   data and the transform input, write the data capture, read and write this model's artifacts,
   *   pull the images, write SageMaker logs and metrics
   */
  readonly sageMakerRole?: iam.IRole;
  /**
   * Log level of the state machines' CloudWatch Logs (execution data is never logged).
   * @default sfn.LogLevel.ALL
   */
  readonly logLevel?: sfn.LogLevel;
  /**
   * What happens to the lock table and log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The four state machines of one model's pipeline, named `pitstop-<model>-<kind>`.
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
  /** Time budget of a retrain; `retrain` is the Retrain state machine's timeout and the run lock's lifetime. */
  public readonly budget: RetrainBudget;

  public constructor(scope: Construct, id: string, props: PitstopStateMachinesProps) {
    super(scope, id);
    // The Monitor's Distributed Map writes its results with ResultWriterV2 (statemachines/fan-out-io.ts),
    // which CDK renders only under this flag; set before any child exists, on this scope only.
    this.node.setContext(RESULT_WRITER_V2_FLAG, true);
    const { model } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.lockTable = createLockTable(this, 'LockTable', { encryptionKey: props.encryptionKey, removalPolicy });
    this.sageMakerRole =
      props.sageMakerRole ??
      createSageMakerRole(this, 'SageMakerRole', {
        model,
        bucket: props.bucket,
        encryptionKeys: props.encryptionKey ? [props.encryptionKey] : [],
        artifactsPrefix: props.artifactsPrefix ?? '',
      });
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
      artifactsPrefix: props.artifactsPrefix ?? '',
    };
    const machine = (name: string, kind: StateMachineKind, definition: sfn.IChainable, timeout: Duration) =>
      new sfn.StateMachine(this, name, {
        stateMachineName: stateMachineName(model.name, kind),
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
          level: props.logLevel ?? sfn.LogLevel.ALL,
          includeExecutionData: false,
        },
      });

    this.rollback = machine('Rollback', 'rollback', buildRollback(new Construct(this, 'RollbackStates'), ctx), Duration.hours(3));
    this.budget = retrainBudget(model);
    this.canary = machine('Canary', 'canary', buildCanary(new Construct(this, 'CanaryStates'), ctx), this.budget.canary);
    const retrain = buildRetrain(new Construct(this, 'RetrainStates'), ctx, { canary: this.canary, rollback: this.rollback });
    // The run lock expires after this timeout: keep them the same (statemachines/timeouts.ts).
    this.retrain = machine('Retrain', 'retrain', retrain.definition, retrain.budget.retrain);
    for (const statement of retrain.policy) this.retrain.addToRolePolicy(statement);
    this.retrain.node.addDependency(group);
    this.monitor = machine('Monitor', 'monitor', buildMonitor(new Construct(this, 'MonitorStates'), ctx, { retrain: this.retrain }), Duration.hours(2));

    // The topic and the lock table are encrypted with the pipeline key: publishing and
    // reading or writing items needs the key too (the SNS and DynamoDB tasks grant
    // only their own service's actions). Named actions, no wildcard.
    const machineRoles = [this.monitor.role, this.retrain.role, this.canary.role, this.rollback.role];
    if (props.encryptionKey) {
      for (const role of machineRoles) props.encryptionKey.grant(role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    }
    // Every grant is in: acknowledge the wildcards AWS allows nothing narrower for.
    for (const role of machineRoles) acknowledgeWildcards(role);
    // CDK grants a Distributed Map's own executions in a policy of its own.
    const mapPolicy = this.monitor.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy instanceof iam.Policy) acknowledgePolicyWildcards(mapPolicy);
    if (!props.sageMakerRole) acknowledgeWildcards(this.sageMakerRole);
  }
}
