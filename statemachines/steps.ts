/**
 * Building blocks shared by the state machines: Lambda invocation, failure marking,
 * the bounded endpoint poll loop, notification and the outcome event.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EVENT_SOURCE, METRICS_NAMESPACE } from '../vocabulary/pipeline-names';
import { LAMBDA_RETRY, PITSTOP_ERRORS, SAGEMAKER_RETRY, SERVICE_RETRY, withRetry } from './errors';
import { SAGEMAKER_SDK_ACTIONS, sageMakerApi, sageMakerArn } from './sagemaker-api';

/** `detail-type` of the event every run puts on the bus when it ends. */
export const OUTCOME_DETAIL_TYPE = 'Pitstop Run Outcome';

/** Where a failure is recorded in the state: `{ error, cause, detail? }`. */
export const FAILURE_PATH = '$.failure';

/**
 * CDK's LambdaInvoke, granting `lambda:InvokeFunction` on the function it invokes
 * only. CDK also grants `<function arn>:*` (every version and alias) although the
 * task invokes the ARN it was given.
 */
class ScopedLambdaInvoke extends tasks.LambdaInvoke {
  public constructor(scope: Construct, id: string, props: tasks.LambdaInvokeProps) {
    super(scope, id, props);
    const policies = this.taskPolicies ?? [];
    policies.splice(
      0,
      policies.length,
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.lambdaFunction.functionArn] }),
    );
  }
}

/**
 * Invokes a Lambda with a JSON payload and stores its return value (the payload
 * alone) at `resultPath` (undefined: the result replaces the input, ResultPath left
 * out), retrying throttling and service errors. The state machine may invoke that
 * function ARN only.
 */
export function invokeLambda(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  payload: Record<string, unknown>,
  resultPath: string | undefined,
  options: { timeout?: Duration; comment?: string } = {},
): tasks.LambdaInvoke {
  const task = new ScopedLambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath,
    taskTimeout: sfn.Timeout.duration(options.timeout ?? Duration.minutes(15)),
    comment: options.comment,
  });
  return withRetry(task, LAMBDA_RETRY);
}

/**
 * Where a recorded cause comes from: a JSONPath (e.g. a caught error's `Cause`), a
 * `States.Format` expression, or plain text.
 */
export type CauseSource = { path: string } | { format: string } | { text: string };

/** The `cause` parameter of a Pass for a {@link CauseSource}: `cause.$` for a path or an expression, `cause` for text. */
export function causeParameter(cause: CauseSource): Record<string, string> {
  return 'path' in cause ? { 'cause.$': cause.path } : 'format' in cause ? { 'cause.$': cause.format } : { cause: cause.text };
}

/**
 * A Pass state that records a named failure at `path` (default {@link FAILURE_PATH}):
 * `{ error, cause }`, the cause taken from `causePath` (a caught error's `Cause`) or
 * written by a `States.Format` expression.
 */
export function markFailure(scope: Construct, id: string, error: string, cause: CauseSource, path: string = FAILURE_PATH): sfn.Pass {
  return new sfn.Pass(scope, id, { parameters: { error, ...causeParameter(cause) }, resultPath: path });
}

/** Options of {@link pollEndpoint}. */
export interface EndpointPollOptions {
  /** Prefix of the loop's state names, e.g. `Canary config`. */
  readonly label: string;
  readonly endpointName: string;
  /**
   * JSONPath of the endpoint config name the endpoint must run once InService. When
   * InService with another config, SageMaker rolled the update back on its own.
   * @default any config is accepted
   */
  readonly expectedConfigPath?: string;
  /** @default 120 */
  readonly maxAttempts?: number;
  /** @default 30 seconds */
  readonly interval?: Duration;
  /** Where the failure is written. @default FAILURE_PATH */
  readonly failurePath?: string;
  /**
   * Wait only until the endpoint stops changing (used before a restore):
   * `UpdateRollbackFailed` counts as done, `RollingBack` is waited out, `Failed` takes
   * the failure path (SageMaker allows only DeleteEndpoint on a Failed endpoint).
   * @default false
   */
  readonly settleOnly?: boolean;
}

/** The loop {@link pollEndpoint} builds: enter at `start`, continue from `done`. */
export interface EndpointPoll {
  readonly start: sfn.State;
  /** Reached when the endpoint is InService (with the expected config). */
  readonly done: sfn.Pass;
}

/** The FailureReason recorded when DescribeEndpoint gives none (it is optional in the response). */
export const NO_FAILURE_REASON = 'SageMaker gave no FailureReason';

/**
 * A bounded loop of DescribeEndpoint until the endpoint is InService. Fails (with
 * `EndpointUpdateFailed` at the failure path, then `onFailure`) when the endpoint is
 * `Failed` or `UpdateRollbackFailed` (cause: status, config and SageMaker's
 * `FailureReason`), is `RollingBack`, is InService with a config other than the
 * expected one (a silent rollback), or is still updating after `maxAttempts` checks.
 * The last DescribeEndpoint response is kept at `$.poll.endpoint`.
 *
 * Endpoint statuses (SageMaker API reference, DescribeEndpoint `EndpointStatus`):
 * `Failed` allows only DeleteEndpoint; `UpdateRollbackFailed` means the update and
 * SageMaker's automatic rollback both failed and the endpoint serves a mix of the old
 * and new configs until the next UpdateEndpoint: neither changes on its own, so
 * neither is polled further.
 */
export function pollEndpoint(scope: Construct, options: EndpointPollOptions, onFailure: sfn.IChainable): EndpointPoll {
  const { label, endpointName } = options;
  const maxAttempts = options.maxAttempts ?? 120;
  const failurePath = options.failurePath ?? FAILURE_PATH;
  const status = '$.poll.endpoint.EndpointStatus';
  const configName = '$.poll.endpoint.EndpointConfigName';
  const fail = (id: string, format: string) =>
    new sfn.Pass(scope, `${label}: ${id}`, {
      parameters: { error: PITSTOP_ERRORS.endpointUpdateFailed, 'cause.$': format, 'detail.$': '$.poll.endpoint' },
      resultPath: failurePath,
    }).next(onFailure);

  const start = new sfn.Pass(scope, `${label}: start polling`, {
    result: sfn.Result.fromObject({ attempt: 0, defaults: { FailureReason: NO_FAILURE_REASON } }),
    resultPath: '$.poll',
  });
  const describe = sageMakerApi(scope, `${label}: describe endpoint`, {
    action: SAGEMAKER_SDK_ACTIONS.describeEndpoint,
    parameters: { EndpointName: endpointName },
    resources: [sageMakerArn(scope, 'endpoint', endpointName)],
    resultPath: '$.poll.endpoint',
  });
  const done = new sfn.Pass(scope, `${label}: in service`);
  const wait = new sfn.Wait(scope, `${label}: wait`, {
    time: sfn.WaitTime.duration(options.interval ?? Duration.seconds(30)),
  });
  const count = new sfn.Pass(scope, `${label}: count check`, {
    parameters: { 'attempt.$': 'States.MathAdd($.poll.attempt, 1)', 'defaults.$': '$.poll.defaults' },
    resultPath: '$.poll',
  });
  describe.addCatch(
    markFailure(scope, `${label}: describe failed`, PITSTOP_ERRORS.endpointUpdateFailed, { path: '$.poll.error.Cause' }, failurePath).next(
      onFailure,
    ),
    { errors: ['States.ALL'], resultPath: '$.poll.error' },
  );
  // FailureReason is optional in DescribeEndpoint: merged over a default, so the
  // cause can always name it.
  const failed = '$.poll.failed.endpoint';
  const readReason = new sfn.Pass(scope, `${label}: read failure reason`, {
    parameters: { 'endpoint.$': 'States.JsonMerge($.poll.defaults, $.poll.endpoint, false)' },
    resultPath: '$.poll.failed',
  });
  readReason.next(
    fail('endpoint failed', `States.Format('Endpoint ${endpointName} is {} with config {}: {}', ${failed}.EndpointStatus, ${failed}.EndpointConfigName, ${failed}.FailureReason)`),
  );

  const inService = sfn.Condition.stringEquals(status, 'InService');
  const isFailed = sfn.Condition.stringEquals(status, 'Failed');
  const choice = new sfn.Choice(scope, `${label}: endpoint ready?`);
  // Settling (before a restore): UpdateRollbackFailed is as settled as the endpoint
  // gets (in service on a mix of configs, so a restore may still fix it); RollingBack
  // is still moving, so it is polled like Updating. A Failed endpoint takes no update
  // (DeleteEndpoint is the only operation SageMaker allows on it): the failure path.
  if (options.settleOnly) {
    choice.when(sfn.Condition.stringEquals(status, 'UpdateRollbackFailed'), done);
    choice.when(isFailed, readReason);
  } else {
    choice.when(sfn.Condition.or(isFailed, sfn.Condition.stringEquals(status, 'UpdateRollbackFailed')), readReason);
    choice.when(
      sfn.Condition.stringEquals(status, 'RollingBack'),
      fail('endpoint rolling back', `States.Format('Endpoint ${endpointName} is RollingBack from the update to {}', ${configName})`),
    );
  }
  if (options.expectedConfigPath) {
    choice
      .when(sfn.Condition.and(inService, sfn.Condition.stringEqualsJsonPath(configName, options.expectedConfigPath)), done)
      .when(
        inService,
        fail(
          'silent rollback',
          `States.Format('Endpoint ${endpointName} is InService with config {} instead of {}: SageMaker rolled the update back', ${configName}, ${options.expectedConfigPath})`,
        ),
      );
  } else {
    choice.when(inService, done);
  }
  choice
    .when(
      sfn.Condition.numberGreaterThanEquals('$.poll.attempt', maxAttempts),
      fail('too slow', `States.Format('Endpoint ${endpointName} still {} after ${maxAttempts} checks', ${status})`),
    )
    .otherwise(wait);
  wait.next(count).next(describe);
  start.next(describe).next(choice);
  return { start, done };
}

/** Options of {@link notify}. */
export interface NotifyOptions {
  readonly topic: sns.ITopic;
  /** Subject: a `States.Format` expression or plain text (at most 100 ASCII characters once formatted). */
  readonly subject: string;
  /** Message body: a JSONPath to a string, or a `States.Format` expression. */
  readonly message: string;
}

/**
 * Publishes to the model's topic. Best effort: a failure after retries is kept at
 * `$.notifyError` and the flow goes on to `next` (a lost mail must not leave a lock held).
 */
export function notify(scope: Construct, id: string, options: NotifyOptions, next: sfn.IChainable): tasks.SnsPublish {
  const task = new tasks.SnsPublish(scope, id, {
    topic: options.topic,
    // An intrinsic (States.Format) must be rendered as `Subject.$` to be evaluated.
    subject: options.subject.startsWith('States.') ? sfn.JsonPath.stringAt(options.subject) : options.subject,
    message: sfn.TaskInput.fromJsonPathAt(options.message),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  withRetry(task, SERVICE_RETRY);
  task.addCatch(next, { errors: ['States.ALL'], resultPath: '$.notifyError' });
  task.next(next);
  return task;
}

/** Options of {@link putOutcomeEvent}. */
export interface OutcomeEventOptions {
  readonly eventBus: events.IEventBus;
  /** Object placed in the event's `detail` (JSONPath `.$` keys allowed). */
  readonly detail: Record<string, unknown>;
}

/**
 * Puts the run's outcome on the bus: source {@link EVENT_SOURCE}, detail-type
 * {@link OUTCOME_DETAIL_TYPE}. Best effort like {@link notify}.
 */
export function putOutcomeEvent(
  scope: Construct,
  id: string,
  options: OutcomeEventOptions,
  next: sfn.IChainable,
): tasks.EventBridgePutEvents {
  const task = new tasks.EventBridgePutEvents(scope, id, {
    entries: [
      {
        eventBus: options.eventBus,
        source: EVENT_SOURCE,
        detailType: OUTCOME_DETAIL_TYPE,
        detail: sfn.TaskInput.fromObject(options.detail),
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  withRetry(task, SERVICE_RETRY);
  task.addCatch(next, { errors: ['States.ALL'], resultPath: '$.eventError' });
  task.next(next);
  return task;
}

/** UpdateEndpointWeightsAndCapacities on the two variants of a canary endpoint (weights are relative: 95/5 means 5 %). */
export function setWeights(
  scope: Construct,
  id: string,
  endpointName: string,
  weights: { production: number; candidate: number },
  variants: { production: string; candidate: string },
): tasks.CallAwsService {
  return sageMakerApi(scope, id, {
    action: SAGEMAKER_SDK_ACTIONS.updateEndpointWeightsAndCapacities,
    parameters: {
      EndpointName: endpointName,
      DesiredWeightsAndCapacities: [
        { VariantName: variants.production, DesiredWeight: weights.production },
        { VariantName: variants.candidate, DesiredWeight: weights.candidate },
      ],
    },
    resources: [sageMakerArn(scope, 'endpoint', endpointName)],
    resultPath: sfn.JsonPath.DISCARD,
  });
}

/** The CDK UpdateEndpoint task, with a timeout and retries. */
export function updateEndpoint(scope: Construct, id: string, endpointName: string, configNamePath: string): tasks.SageMakerUpdateEndpoint {
  const task = new tasks.SageMakerUpdateEndpoint(scope, id, {
    endpointName,
    endpointConfigName: sfn.JsonPath.stringAt(configNamePath),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(2)),
  });
  return withRetry(task, SAGEMAKER_RETRY);
}

/**
 * CloudWatch PutMetricData through the AWS SDK integration, with the IAM statement
 * limited to {@link METRICS_NAMESPACE} by a `cloudwatch:namespace` condition
 * (PutMetricData has no resource-level permissions, so the resource stays `*`).
 */
class NamespacedPutMetricData extends tasks.CallAwsService {
  public constructor(scope: Construct, id: string, props: tasks.CallAwsServiceProps) {
    super(scope, id, props);
    for (const statement of this.taskPolicies ?? []) {
      statement.addCondition('StringEquals', { 'cloudwatch:namespace': METRICS_NAMESPACE });
    }
  }
}

/**
 * Puts metrics in {@link METRICS_NAMESPACE}: `metricData` is the `MetricData` list, or
 * a JSONPath to it. One minute timeout, retries on throttling.
 */
export function putMetrics(scope: Construct, id: string, metricData: readonly Record<string, unknown>[] | string): tasks.CallAwsService {
  const task = new NamespacedPutMetricData(scope, id, {
    service: 'cloudwatch',
    action: 'putMetricData',
    iamAction: 'cloudwatch:PutMetricData',
    parameters: { Namespace: METRICS_NAMESPACE, ...(typeof metricData === 'string' ? { 'MetricData.$': metricData } : { MetricData: metricData }) },
    iamResources: ['*'],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  return withRetry(task, SERVICE_RETRY);
}
