/**
 * `PitstopPipeline`: everything that keeps one model healthy, in one construct.
 */
import { Annotations, AspectPriority, Aspects, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PitstopStateMachines, type PitstopFunctions } from '../statemachines';
import { PitstopAlarms } from './alarms';
import { AlarmActionPolicy } from './compliance/alarm-actions';
import { acknowledgeControl } from './compliance/control-tower';
import { placeInNetwork } from './compliance/lambda-network';
import { LogGroupPolicy } from './compliance/log-groups';
import { MIN_COMPLIANT_LOG_RETENTION_DAYS, parseModelConfig, type Compliance, type ModelConfig, type ModelConfigInput } from '../vocabulary/config/index';
import { grantOperate } from './operate-grants';
import { PitstopDashboard } from './dashboard';
import { PitstopLambdaFunctions } from './functions';
import { allowCloudWatchLogsToUseKey } from './key-policy';
import { PitstopNotifications } from './notifications';
import { addStateMachineOutputs } from './outputs';
import { PitstopStorage } from './storage';
import { PitstopTriggers } from './triggers';

/** The state machines of one model, as the pipeline's other constructs need them. */
export interface PitstopStateMachineSet {
  /** Runs on the monitor schedule: validates captured data, measures drift and quality, publishes metrics. */
  readonly monitor: sfn.IStateMachine;
  /** Runs on the retrain schedules and on the retrain-trigger alarms. */
  readonly retrain: sfn.IStateMachine;
  /** Shifts traffic to a candidate in stages. @default not alarmed or graphed */
  readonly canary?: sfn.IStateMachine;
  /** Restores the previous endpoint config on demand. @default not alarmed or graphed */
  readonly rollback?: sfn.IStateMachine;
}

/** Properties of {@link PitstopPipeline}. */
export interface PitstopPipelineProps {
  /**
   * The model's configuration, as written in a config file or parsed by `loadConfig` /
   * `parseConfig`: the pipeline applies the defaults (and rejects an invalid model with
   * a ConfigError naming every problem).
   */
  readonly model: ModelConfig | ModelConfigInput;
  /**
   * What happens to the artifacts bucket, the lock table and the log groups when the
   * stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The key that encrypts the bucket, topic, dead-letter queue, lock table and logs.
   * @default a new customer-managed key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bus the run outcome events go to.
   * @default the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Log level of the state machines' CloudWatch Logs (execution data is never logged).
   * @default sfn.LogLevel.ALL
   */
  readonly logLevel?: sfn.LogLevel;
  /**
   * Log level of pitstop's Lambdas (`LOG_LEVEL`: DEBUG, INFO, WARN or ERROR).
   * @default 'INFO'
   */
  readonly functionLogLevel?: string;
  /**
   * Days a report under `reports/` stays in S3 Standard before Infrequent Access (30 or more).
   * @default 30
   */
  readonly reportsInfrequentAccessAfterDays?: number;
  /**
   * Days after which data capture under `capture/` of the artifacts bucket expires.
   * @default 90
   */
  readonly captureExpirationDays?: number;
  /**
   * Days after which a noncurrent object version is deleted.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * An existing artifacts bucket.
   * @default the bucket of `model.data.artifactsUri`, else a new bucket
   */
  readonly bucket?: s3.IBucket;
  /**
   * An existing notification topic.
   * @default a new topic encrypted with the pipeline key
   */
  readonly topic?: sns.ITopic;
  /**
   * The Lambdas the state machines invoke. With them the pipeline builds its state
   * machines (`PitstopStateMachines`).
   * @default pitstop's own handlers (`PitstopLambdaFunctions`, one NodejsFunction per
   *   lambdas/<name>/handler.ts), unless `stateMachines` is given or
   *   `withoutStateMachines` is set
   */
  readonly functions?: PitstopFunctions;
  /**
   * Build storage, notifications, alarms and dashboard only: no Lambdas, no state
   * machines, hence no schedules, alarm rule or execution alarms. For composing the
   * pipeline's parts in tests or in a larger app.
   * @default false
   */
  readonly withoutStateMachines?: boolean;
  /**
   * State machines built elsewhere, used instead of building them from `functions`.
   * @default built from `functions`; with neither, no schedule or alarm rule and no
   *   execution alarm is created
   */
  readonly stateMachines?: PitstopStateMachineSet;
  /**
   * Which AWS Control Tower proactive controls the pipeline passes: `standard` passes
   * all but the opinionated ones (Lambdas in a VPC, S3 Object Lock, S3 event
   * notifications), which it acknowledges; `control-tower` passes them too and needs
   * `model.network`. Lambdas given in `functions` are left where their owner put them.
   * See docs/operations.md.
   * @default 'standard'
   */
  readonly compliance?: Compliance;
  /**
   * Output the state machines' ARNs from the stack (`MonitorStateMachineArn`, ...), which
   * `pitstop <command> --stack NAME` reads. One pipeline per stack can have them.
   * @default true
   */
  readonly outputs?: boolean;
}

/**
 * One model's pipeline: storage (key, artifacts bucket), notifications (SNS topic),
 * the state machines, the alarms that trigger a retrain and report failures, the
 * EventBridge rules that start the state machines, and a dashboard.
 *
 * @example
 * const { models } = await loadConfig('pitstop.config.json');
 * new PitstopPipeline(stack, 'Pipeline', { model: models[0]! });
 */
export class PitstopPipeline extends Construct {
  /** The model this pipeline keeps healthy. */
  public readonly model: ModelConfig;
  /** Key and artifacts bucket. */
  public readonly storage: PitstopStorage;
  /** The notification topic. */
  public readonly notifications: PitstopNotifications;
  /** The state machines, when present. */
  public readonly stateMachines?: PitstopStateMachineSet;
  /** The state machines construct (lock table, SageMaker role, ...), when built from `functions`. */
  public readonly stateMachineConstruct?: PitstopStateMachines;
  /** pitstop's Lambdas, when the pipeline built them. */
  public readonly functions?: PitstopLambdaFunctions;
  /** Retrain-trigger, per-feature drift and execution alarms. */
  public readonly alarms: PitstopAlarms;
  /** Schedule and alarm rules, when state machines are present. */
  public readonly triggers?: PitstopTriggers;
  /** The model's dashboard. */
  public readonly dashboard: PitstopDashboard;
  /** The compliance mode the pipeline was built in. */
  public readonly compliance: Compliance;

  public constructor(scope: Construct, id: string, props: PitstopPipelineProps) {
    super(scope, id);
    const model = parseModelConfig(props.model);
    this.model = model;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const compliance = props.compliance ?? 'standard';
    if (compliance !== 'standard' && compliance !== 'control-tower') {
      throw new Error(`expected compliance "standard" or "control-tower", got "${String(compliance)}"`);
    }
    if (compliance === 'control-tower' && !model.network) {
      throw new Error(
        `expected model.network (subnetIds and securityGroupIds) for model "${model.name}" when compliance is "control-tower", got none`,
      );
    }
    if (compliance === 'control-tower' && model.logRetentionDays < MIN_COMPLIANT_LOG_RETENTION_DAYS) {
      throw new Error(
        `expected logRetentionDays >= ${MIN_COMPLIANT_LOG_RETENTION_DAYS} for model "${model.name}" when compliance is "control-tower" (CT.CLOUDWATCH.PR.2), got ${model.logRetentionDays}`,
      );
    }
    this.compliance = compliance;
    const controlTower = compliance === 'control-tower';
    if (model.logRetentionDays < MIN_COMPLIANT_LOG_RETENTION_DAYS) {
      acknowledgeControl(
        this,
        'cloudwatch_log_group_retention_period_check',
        `The model's config sets logRetentionDays to ${model.logRetentionDays}, shorter than a year, in compliance "standard".`,
      );
    }

    this.storage = new PitstopStorage(this, 'Storage', {
      model,
      bucket: props.bucket,
      encryptionKey: props.encryptionKey,
      removalPolicy,
      reportsInfrequentAccessAfterDays: props.reportsInfrequentAccessAfterDays,
      captureExpirationDays: props.captureExpirationDays,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      objectLock: controlTower,
      eventBridgeNotifications: controlTower,
    });
    this.notifications = new PitstopNotifications(this, 'Notifications', {
      model,
      encryptionKey: this.storage.encryptionKey,
      topic: props.topic,
    });

    // State machines: given, or built from the Lambdas (given, or pitstop's own).
    // Everything below takes the machines through `machines`.
    let machines: PitstopStateMachineSet | undefined = props.stateMachines;
    if (!machines && !props.withoutStateMachines) {
      const functions =
        props.functions ??
        (this.functions = new PitstopLambdaFunctions(this, 'Functions', {
          model,
          bucket: this.storage.bucket,
          artifactsPrefix: this.storage.artifactsPrefix,
          ...(props.functionLogLevel ? { logLevel: props.functionLogLevel } : {}),
        }));
      if (this.functions) placeFunctions(this.functions, model);
      // The state machines' log groups are encrypted with the pipeline key.
      allowCloudWatchLogsToUseKey(this.storage.encryptionKey);
      this.stateMachineConstruct = new PitstopStateMachines(this, 'StateMachines', {
        model,
        bucket: this.storage.bucket,
        topic: this.notifications.topic,
        functions,
        encryptionKey: this.storage.encryptionKey,
        artifactsPrefix: this.storage.artifactsPrefix,
        eventBus: props.eventBus,
        logLevel: props.logLevel,
        removalPolicy,
      });
      machines = this.stateMachineConstruct;
    }
    // ─────────────────────────────────────────────────────────────────────────
    this.stateMachines = machines;
    if (!machines) {
      Annotations.of(this).addWarningV2(
        'pitstop:noStateMachines',
        `pitstop ${model.name}: built without state machines, so no schedules, alarm rule or execution alarms were created`,
      );
    }
    if (machines && props.outputs !== false) addStateMachineOutputs(this, model.name, machines);
    const roles = machines ? stateMachineRoles(machines) : {};

    this.alarms = new PitstopAlarms(this, 'Alarms', {
      model,
      stateMachines: roles,
      topic: this.notifications.topic,
    });
    // A retrain trigger tells the team when it fires (a retrain is coming) and when it clears.
    const notify = new actions.SnsAction(this.notifications.topic);
    for (const alarm of this.alarms.retrainTriggers) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }

    if (machines) {
      this.triggers = new PitstopTriggers(this, 'Triggers', {
        model,
        monitor: machines.monitor,
        retrain: machines.retrain,
        retrainAlarms: this.alarms.retrainTriggers,
        encryptionKey: this.storage.encryptionKey,
        topic: this.notifications.topic,
      });
    }

    this.dashboard = new PitstopDashboard(this, 'Dashboard', {
      model,
      stateMachines: roles,
      alarms: this.alarms.alarms,
    });

    // Every log group and every alarm of the pipeline, including those added later:
    // retention and encryption (CT.CLOUDWATCH.PR.2, PR.3), an alarm action (PR.1).
    Aspects.of(this).add(
      new LogGroupPolicy({ retentionDays: model.logRetentionDays, encryptionKey: this.storage.encryptionKey }),
      { priority: AspectPriority.MUTATING },
    );
    Aspects.of(this).add(new AlarmActionPolicy(this.notifications.topic), { priority: AspectPriority.MUTATING });
  }

  /**
   * Lets `grantee` operate the pipeline as the CLI does: start the monitor, retrain and
   * rollback state machines, approve or reject a candidate (SendTaskSuccess /
   * SendTaskFailure), and read executions and their history; docs/operations.md shows
   * the same policy in JSON.
   */
  public grantOperate(grantee: iam.IGrantable): iam.Grant {
    return grantOperate(grantee, this.stateMachines ?? {}, Stack.of(this));
  }

  /** The pipeline key (artifacts bucket, topic, dead-letter queue). */
  public get encryptionKey(): kms.IKey {
    return this.storage.encryptionKey;
  }
}

/**
 * Puts pitstop's Lambdas in the model's network; without one (compliance "standard"),
 * acknowledges CT.LAMBDA.PR.3 on them.
 */
function placeFunctions(functions: PitstopLambdaFunctions, model: ModelConfig): void {
  if (model.network) {
    for (const fn of Object.values(functions.all)) placeInNetwork(fn, model.network);
  } else {
    acknowledgeControl(
      functions,
      'lambda_inside_vpc_check',
      'Lambdas in a VPC are an opinionated control, off in compliance "standard" when the model has no network: the functions call only AWS APIs over TLS with IAM.',
    );
  }
}

/** The state machines by role name, leaving out the absent ones. */
function stateMachineRoles(set: PitstopStateMachineSet): Record<string, sfn.IStateMachine> {
  const roles: Record<string, sfn.IStateMachine> = { monitor: set.monitor, retrain: set.retrain };
  if (set.canary) roles.canary = set.canary;
  if (set.rollback) roles.rollback = set.rollback;
  return roles;
}
