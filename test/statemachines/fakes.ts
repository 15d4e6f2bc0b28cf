/**
 * Stand-ins for the services the state machines call, returning the result shapes of
 * the real integrations (SageMaker API reference: DescribeEndpoint,
 * DescribeEndpointConfig, DescribeTrainingJob, DescribeTransformJob; DynamoDB
 * optimized integration; Step Functions `startExecution.sync:2`).
 */
import { parseUpdate } from '../../local/backend/dynamodb-expressions';
import { stepError, type Handler } from './harness';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const arn = (type: string, name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${type}/${name.toLowerCase()}`;
const dynamoOk = () => ({ SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'req-1' } });

interface Variant {
  VariantName: string;
  ModelName: string;
  InstanceType: string;
  InitialInstanceCount: number;
  InitialVariantWeight: number;
}

/**
 * What goes wrong when the endpoint moves to a given config (or weights):
 * - `failed`: Failed, on the target config, with {@link FAKE_FAILURE_REASON} as its
 *   FailureReason; `failedWithoutReason`: the same with no FailureReason;
 * - `silentRollback`: InService on the config it ran before (for a weights update: the
 *   config before the current one, as if another update had moved it meanwhile);
 * - `rollingBack`: RollingBack, for good; `rollingBackThenRestored`: RollingBack, then
 *   InService on the previous config and weights;
 * - `updateRollbackFailed`: UpdateRollbackFailed (the update and SageMaker's own rollback
 *   both failed: in service on a mix of both configs), reporting the target config and
 *   {@link FAKE_FAILURE_REASON}; an UpdateEndpoint restores it;
 * - `slow`: Updating until {@link FakeEndpoint.slowDescribes} DescribeEndpoint calls,
 *   then InService on the target; `stuck`: Updating for good.
 */
export type EndpointFault =
  | 'failed'
  | 'failedWithoutReason'
  | 'silentRollback'
  | 'rollingBack'
  | 'rollingBackThenRestored'
  | 'updateRollbackFailed'
  | 'slow'
  | 'stuck';

/** The FailureReason the fake endpoint reports for a fault. */
export const FAKE_FAILURE_REASON = 'The primary container for production variant candidate did not pass the ping health check.';

/**
 * A SageMaker endpoint and its configs. Each update is seen once as `Updating` by
 * DescribeEndpoint, then as InService (or as the configured fault).
 */
export class FakeEndpoint {
  public exists: boolean;
  public configName: string;
  public status = 'InService';
  /** DescribeEndpoint's LastModifiedTime: a minute later at each completed update. */
  public modifiedAt = '2024-01-02T00:00:00.000Z';
  /** DescribeEndpoint's FailureReason, when set. */
  public failureReason?: string;
  public readonly configs = new Map<string, Variant[]>();
  public weights: Record<string, number> = {};
  /** Faults by target config name. */
  public readonly faults = new Map<string, EndpointFault>();
  /** Faults of the next update to a config only (win over {@link faults}). */
  public readonly faultsOnce = new Map<string, EndpointFault>();
  /**
   * Faults of UpdateEndpointWeightsAndCapacities by desired weights, `production/candidate`
   * (e.g. `90/10`); without one, a weights update takes the fault of the config it runs on.
   */
  public readonly weightFaults = new Map<string, EndpointFault>();
  /** DescribeEndpoint calls a `slow` update takes to finish. */
  public slowDescribes = 130;
  /** The config the endpoint ran before its current one. */
  private earlierConfig?: string;
  private pending?: {
    target: string;
    previous: string;
    describes: number;
    weights?: Record<string, number>;
    previousWeights?: Record<string, number>;
    fault?: EndpointFault;
  };

  public constructor(
    public readonly name: string,
    options: { exists?: boolean; configName?: string; productionModel?: string } = {},
  ) {
    this.exists = options.exists ?? true;
    this.configName = options.configName ?? 'churn-old-final';
    this.configs.set(this.configName, [
      {
        VariantName: 'production',
        ModelName: options.productionModel ?? 'churn-old',
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 2,
        InitialVariantWeight: 1,
      },
    ]);
    this.weights = { production: 1 };
  }

  private startUpdate(target: string) {
    const fault = this.faultsOnce.get(target) ?? this.faults.get(target);
    this.faultsOnce.delete(target);
    this.pending = { target, previous: this.configName, describes: 0, previousWeights: this.weights, fault };
    this.status = 'Updating';
    this.failureReason = undefined;
  }

  private advance() {
    const p = this.pending;
    if (!p) return;
    p.describes += 1;
    const fault = p.fault;
    if (fault === 'stuck' || p.describes < (fault === 'slow' ? this.slowDescribes : 2)) return;
    this.pending = undefined;
    this.modifiedAt = new Date(Date.parse(this.modifiedAt) + 60_000).toISOString();
    const weightsUpdate = p.weights !== undefined;
    if (fault === 'failed' || fault === 'failedWithoutReason') {
      this.status = 'Failed';
      this.configName = p.target;
      if (fault === 'failed') this.failureReason = FAKE_FAILURE_REASON;
    } else if (fault === 'silentRollback' && weightsUpdate) {
      this.status = 'InService';
      this.moveTo(this.earlierConfig ?? p.previous);
    } else if (fault === 'silentRollback') {
      this.status = 'InService';
      this.configName = p.previous;
    } else if (fault === 'rollingBack') {
      this.status = 'RollingBack';
    } else if (fault === 'rollingBackThenRestored') {
      // SageMaker rolls the update back on its own: RollingBack, then InService on the previous config and weights.
      this.status = 'RollingBack';
      this.pending = { target: p.previous, previous: p.previous, describes: 0, weights: p.previousWeights };
    } else if (fault === 'updateRollbackFailed') {
      // The update and SageMaker's own rollback both failed: a mix of both configs serves.
      this.status = 'UpdateRollbackFailed';
      this.configName = p.target;
      this.failureReason = FAKE_FAILURE_REASON;
    } else {
      this.status = 'InService';
      if (p.target !== this.configName) this.earlierConfig = this.configName;
      this.configName = p.target;
      this.weights =
        p.weights ?? Object.fromEntries((this.configs.get(p.target) ?? []).map((v) => [v.VariantName, v.InitialVariantWeight]));
    }
  }

  /** InService on `configName` with its initial weights, as after an update by someone else. */
  public moveTo(configName: string): void {
    this.pending = undefined;
    this.status = 'InService';
    this.failureReason = undefined;
    this.modifiedAt = new Date(Date.parse(this.modifiedAt) + 60_000).toISOString();
    if (configName !== this.configName) this.earlierConfig = this.configName;
    this.configName = configName;
    this.weights = Object.fromEntries((this.configs.get(configName) ?? []).map((v) => [v.VariantName, v.InitialVariantWeight]));
  }

  /** Handlers by integration. */
  public handlers(): Record<string, Handler> {
    return {
      'sagemaker:describeEndpoint': (input) => {
        if (!this.exists || input.EndpointName !== this.name) {
          throw stepError('SageMaker.SageMakerException', `Could not find endpoint "${input.EndpointName}". (Service: SageMaker, Status Code: 400)`);
        }
        if (this.pending && (this.status === 'Updating' || this.status === 'RollingBack')) this.advance();
        return {
          EndpointName: this.name,
          EndpointArn: arn('endpoint', this.name),
          EndpointConfigName: this.configName,
          ProductionVariants: (this.configs.get(this.configName) ?? []).map((v) => ({
            VariantName: v.VariantName,
            DeployedImages: [{ SpecifiedImage: 'image:1', ResolvedImage: 'image@sha256:0', ResolutionTime: '2024-01-01T00:00:00Z' }],
            CurrentWeight: this.weights[v.VariantName] ?? 0,
            DesiredWeight: this.weights[v.VariantName] ?? 0,
            CurrentInstanceCount: v.InitialInstanceCount,
            DesiredInstanceCount: v.InitialInstanceCount,
          })),
          EndpointStatus: this.status,
          ...(this.failureReason ? { FailureReason: this.failureReason } : {}),
          CreationTime: '2024-01-01T00:00:00Z',
          LastModifiedTime: this.modifiedAt,
        };
      },
      'sagemaker:describeEndpointConfig': (input) => {
        const variants = this.configs.get(input.EndpointConfigName);
        if (!variants) throw stepError('SageMaker.SageMakerException', `Could not find endpoint configuration "${input.EndpointConfigName}".`);
        return {
          EndpointConfigName: input.EndpointConfigName,
          EndpointConfigArn: arn('endpoint-config', input.EndpointConfigName),
          ProductionVariants: variants,
          CreationTime: '2024-01-01T00:00:00Z',
        };
      },
      'sagemaker:createEndpointConfig': (input) => {
        this.configs.set(input.EndpointConfigName, input.ProductionVariants);
        return { EndpointConfigArn: arn('endpoint-config', input.EndpointConfigName) };
      },
      'sagemaker:createEndpoint': (input) => {
        this.exists = true;
        this.configName = '';
        this.startUpdate(input.EndpointConfigName);
        return { EndpointArn: arn('endpoint', input.EndpointName) };
      },
      'sagemaker:updateEndpoint': (input) => {
        if (!this.configs.has(input.EndpointConfigName)) throw stepError('SageMaker.AmazonSageMakerException', 'Could not find endpoint configuration');
        this.startUpdate(input.EndpointConfigName);
        return { EndpointArn: arn('endpoint', input.EndpointName) };
      },
      'sagemaker:updateEndpointWeightsAndCapacities': (input) => {
        const variants = this.configs.get(this.configName) ?? [];
        for (const d of input.DesiredWeightsAndCapacities) {
          if (!variants.some((v) => v.VariantName === d.VariantName)) {
            throw stepError('SageMaker.ValidationException', `The variant name(s) "${d.VariantName}" is/are not present`);
          }
        }
        const weights = Object.fromEntries(input.DesiredWeightsAndCapacities.map((d: any) => [d.VariantName, d.DesiredWeight]));
        this.status = 'Updating';
        this.failureReason = undefined;
        this.pending = {
          target: this.configName,
          previous: this.configName,
          describes: 0,
          weights,
          previousWeights: this.weights,
          fault: this.weightFaults.get(`${weights.production}/${weights.candidate}`) ?? this.faults.get(this.configName),
        };
        return { EndpointArn: arn('endpoint', input.EndpointName) };
      },
      'sagemaker:deleteEndpoint': () => {
        this.exists = false;
        return {};
      },
    };
  }
}

/** The result of `createTrainingJob.sync` (DescribeTrainingJob). */
export function trainingJobResult(input: any): Record<string, unknown> {
  return {
    TrainingJobName: input.TrainingJobName,
    TrainingJobArn: arn('training-job', input.TrainingJobName),
    ModelArtifacts: { S3ModelArtifacts: `s3://artifacts/models/churn/${input.TrainingJobName}/output/model.tar.gz` },
    TrainingJobStatus: 'Completed',
    SecondaryStatus: 'Completed',
    HyperParameters: input.HyperParameters ?? {},
    AlgorithmSpecification: input.AlgorithmSpecification,
    RoleArn: input.RoleArn,
    InputDataConfig: input.InputDataConfig,
    OutputDataConfig: input.OutputDataConfig,
    ResourceConfig: input.ResourceConfig,
    StoppingCondition: input.StoppingCondition,
    CreationTime: 1704067200000,
    TrainingStartTime: 1704067260000,
    TrainingEndTime: 1704070800000,
    LastModifiedTime: 1704070800000,
    BillableTimeInSeconds: 3540,
  };
}

/** The result of `createTransformJob.sync` (DescribeTransformJob). */
export function transformJobResult(input: any): Record<string, unknown> {
  return {
    TransformJobName: input.TransformJobName,
    TransformJobArn: arn('transform-job', input.TransformJobName),
    TransformJobStatus: 'Completed',
    ModelName: input.ModelName,
    TransformInput: input.TransformInput,
    TransformOutput: input.TransformOutput,
    TransformResources: input.TransformResources,
    CreationTime: 1704067200000,
    TransformStartTime: 1704067260000,
    TransformEndTime: 1704067800000,
  };
}

/** A DynamoDB table of the optimized integration, holding items by `pk`. */
export class FakeTable {
  public readonly items = new Map<string, Record<string, { S?: string; N?: string }>>();
  /** ConditionExpressions the fake understands; any other fails the call. */
  public static readonly CONDITIONS = ['attribute_not_exists(pk)', 'attribute_not_exists(pk) OR expiresAt < :now'];

  public handlers(): Record<string, Handler> {
    return {
      'dynamodb:putItem': (input) => {
        const pk = input.Item.pk.S as string;
        const condition = input.ConditionExpression as string | undefined;
        if (condition !== undefined && !FakeTable.CONDITIONS.includes(condition)) {
          throw stepError('DynamoDB.ValidationException', `fake table does not evaluate ${condition}`);
        }
        const existing = this.items.get(pk);
        const stale =
          condition?.includes('expiresAt < :now') === true &&
          existing?.expiresAt?.N !== undefined &&
          Number(existing.expiresAt.N) < Number(input.ExpressionAttributeValues[':now'].N);
        if (condition !== undefined && existing && !stale) {
          throw stepError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
        }
        this.items.set(pk, input.Item);
        return dynamoOk();
      },
      'dynamodb:getItem': (input) => {
        const item = this.items.get(input.Key.pk.S);
        return item ? { Item: item, ...dynamoOk() } : dynamoOk();
      },
      'dynamodb:deleteItem': (input) => {
        const pk = input.Key.pk.S as string;
        const item = this.items.get(pk);
        const me = input.ExpressionAttributeValues?.[':me']?.S;
        if (me !== undefined && item?.executionId?.S !== me) {
          throw stepError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
        }
        this.items.delete(pk);
        return dynamoOk();
      },
      'dynamodb:updateItem': (input) => {
        const pk = input.Key.pk.S as string;
        const item = this.items.get(pk) ?? { pk: { S: pk } };
        // The local DynamoDB's evaluator of update expressions (SET, REMOVE, if_not_exists, ...).
        let update;
        try {
          update = parseUpdate(String(input.UpdateExpression), { names: input.ExpressionAttributeNames ?? {}, values: input.ExpressionAttributeValues ?? {}, used: new Set() });
          this.items.set(pk, update.apply(item as never) as never);
        } catch (e) {
          throw stepError('DynamoDB.ValidationException', (e as Error).message);
        }
        return dynamoOk();
      },
    };
  }
}

/** Handlers of the notification and event integrations, which always succeed. */
export function messagingHandlers(): Record<string, Handler> {
  return {
    'sns:publish': () => ({ MessageId: 'msg-1', SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'r' } }),
    'events:putEvents': () => ({ Entries: [{ EventId: 'evt-1' }], FailedEntryCount: 0 }),
    'cloudwatch:putMetricData': () => ({}),
  };
}

/** A run report result following the contract. */
export function reportResult(input: any): Record<string, unknown> {
  return {
    recordUri: input.recordUri,
    reportUri: input.reportUri,
    summary: `${input.model}: ${input.outcome}`,
    finishedAt: '2024-06-01T12:00:00.000Z',
    ...(input.cooldownDays !== undefined ? { nextEligibleAt: '2024-06-08T12:00:00.000Z' } : {}),
    ...(input.maxModelAgeDays !== undefined ? { maxAgeAt: '2024-07-01T12:00:00.000Z' } : {}),
    ...(input.retryAfterHours !== undefined ? { retryAfterAt: '2024-06-02T12:00:00.000Z' } : {}),
  };
}

/** CloudWatch alarms by name and state, for DescribeAlarms (AlarmNames, StateValue) and SetAlarmState. */
export class FakeAlarms {
  public readonly states = new Map<string, string>();
  public readonly set: { name: string; state: string; reason: string }[] = [];

  public constructor(states: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(states)) this.states.set(k, v);
  }

  public handlers(): Record<string, Handler> {
    return {
      'cloudwatch:describeAlarms': (input: any) => ({
        MetricAlarms: (input.AlarmNames as string[])
          .filter((n) => this.states.has(n) && (input.StateValue === undefined || this.states.get(n) === input.StateValue))
          .map((n) => ({ AlarmName: n, StateValue: this.states.get(n) })),
        CompositeAlarms: [],
      }),
      'cloudwatch:setAlarmState': (input: any) => {
        if (!this.states.has(input.AlarmName)) throw Object.assign(new Error(`alarm ${input.AlarmName} not found`), { name: 'CloudWatch.ResourceNotFoundException' });
        this.states.set(input.AlarmName, input.StateValue);
        this.set.push({ name: input.AlarmName, state: input.StateValue, reason: input.StateReason });
        return {};
      },
    };
  }
}

/** StartExecution (request-response): records the inputs. */
export class FakeStarts {
  public readonly inputs: any[] = [];

  public handlers(): Record<string, Handler> {
    return {
      'states:startExecution': (input: any) => {
        this.inputs.push(typeof input.Input === 'string' ? JSON.parse(input.Input) : input.Input);
        return { ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:retrain:${this.inputs.length}`, StartDate: '2024-06-01T12:00:00.000Z' };
      },
    };
  }
}
