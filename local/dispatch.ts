/**
 * Dispatches the Task states of a resolved state machine to local code, for
 * aws-local-stepfunctions' `overrides.taskResourceLocalHandlers` (state name →
 * `(input) => Promise<output>`, where input is the state's effective input after
 * InputPath and Parameters; the engine applies ResultSelector, ResultPath and
 * OutputPath to what the handler returns).
 *
 * By Resource:
 * - a function ARN (CDK's LambdaInvoke with `payloadResponseOnly`): the Lambda from
 *   `lambdas`, called with the input; its return value is the result.
 * - `arn:aws:states:::lambda:invoke`: the Lambda of `FunctionName` with `Payload`;
 *   the result is the Invoke response `{ ExecutedVersion, Payload, SdkHttpMetadata,
 *   SdkResponseMetadata, StatusCode }`.
 *   A Lambda error fails the task with the error's name and a Cause of
 *   `{"errorMessage","errorType","trace"}` JSON, as Lambda reports it.
 * - `arn:aws:states:::aws-sdk:<service>:<action>`: the backend, action in PascalCase;
 *   errors are `<Service>.<Code>` with the `Exception` suffix added when missing
 *   (Step Functions developer guide, "AWS SDK service integrations"), e.g.
 *   `SageMaker.ValidationException`, `S3.NoSuchKeyException`. Timestamps in results are
 *   ISO 8601 strings.
 * - optimized integrations (`sagemaker:createTrainingJob.sync`, `createTransformJob.sync`,
 *   `createHyperParameterTuningJob.sync`, `createModel`, `createEndpointConfig`,
 *   `createEndpoint`, `updateEndpoint`, `dynamodb:putItem/getItem/updateItem/deleteItem`,
 *   `sns:publish`, `events:putEvents`, `states:startExecution[.sync|.sync:2]`):
 *   errors the service models keep their name (`DynamoDB.ConditionalCheckFailedException`,
 *   `SageMaker.ResourceNotFoundException`), others become the service's generic one
 *   (`SageMaker.AmazonSageMakerException`, `DynamoDB.AmazonDynamoDBException`);
 *   `events:putEvents` with failed entries fails with `EventBridge.FailedEntry`.
 *   Results carry `SdkHttpMetadata`/`SdkResponseMetadata`; timestamps are epoch milliseconds.
 * - `.sync` SageMaker jobs: Create, then Describe until the job is Completed (the
 *   Describe response is the result), Failed or Stopped (`States.TaskFailed`, Cause the
 *   Describe response as JSON). A service method `waitFor<Kind>(name)` (e.g.
 *   `waitForTrainingJob`) is awaited first when the service has one.
 * - `states:startExecution.sync:2` / `.sync` / plain: {@link DispatchOptions.startExecution};
 *   the result is the DescribeExecution shape (Output parsed for `:2`, a string for
 *   `.sync`); a failed child fails the task with `States.TaskFailed` and that shape as Cause.
 * - `.waitForTaskToken`: the call is made, then {@link DispatchOptions.waitForTaskToken}
 *   decides the output (or throws a named error).
 */
import { randomUUID } from 'node:crypto';
import type { LocalBackend } from './backend';
import { lambdaError, optimizedIntegrationError, sdkIntegrationError, TaskError } from './task-errors';

export { optimizedIntegrationError, sdkIntegrationError, TaskError } from './task-errors';

/** A Lambda handler run in-process. */
export type LocalLambda = (event: unknown, context: LocalLambdaContext) => unknown;

/** The parts of the Lambda context local handlers get. */
export interface LocalLambdaContext {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  readonly memoryLimitInMB: string;
  readonly functionVersion: string;
  getRemainingTimeInMillis(): number;
}

/** A child execution, as the runner reports it. */
export interface ChildExecution {
  readonly executionArn: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
}

/** Options of {@link taskHandlersFor}. */
export interface DispatchOptions {
  /**
   * Starts a child execution; with `wait` true, resolves when it has ended.
   * @default none: `states:startExecution` tasks fail with `StepFunctions.AWSStepFunctionsException`
   */
  readonly startExecution?: (request: {
    readonly stateName: string;
    readonly stateMachineArn: string;
    readonly input: unknown;
    readonly name?: string;
    readonly wait: boolean;
  }) => Promise<ChildExecution>;
  /**
   * Decides a `.waitForTaskToken` task: resolves with its output or throws an error
   * whose `name` is the task's error.
   * @default none: such tasks fail with `States.Runtime`
   */
  readonly waitForTaskToken?: (request: {
    readonly stateName: string;
    readonly resource: string;
    readonly input: unknown;
    readonly token: string | undefined;
  }) => Promise<unknown>;
  /** The token the runner placed at `$$.Task.Token`, used when the input does not carry it in a field. @default none */
  readonly taskToken?: string;
  /** Pause between Describe calls of `.sync` jobs. @default 50 ms */
  readonly pollIntervalMs?: number;
  /** Longest a `.sync` job may take. @default 24 hours */
  readonly syncTimeoutMs?: number;
}

/** A task handler for aws-local-stepfunctions. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

/** Backend service of a Resource service name. */
const BACKEND_SERVICE: Readonly<Record<string, string>> = {
  events: 'eventbridge',
  eventbridge: 'eventbridge',
  sagemakerruntime: 'sagemaker-runtime',
};

/** The `.sync` SageMaker jobs: Describe action, name field, status field. */
const SAGEMAKER_JOBS: Readonly<Record<string, { kind: string; nameField: string; statusField: string }>> = {
  createTrainingJob: { kind: 'TrainingJob', nameField: 'TrainingJobName', statusField: 'TrainingJobStatus' },
  createTransformJob: { kind: 'TransformJob', nameField: 'TransformJobName', statusField: 'TransformJobStatus' },
  createHyperParameterTuningJob: {
    kind: 'HyperParameterTuningJob',
    nameField: 'HyperParameterTuningJobName',
    statusField: 'HyperParameterTuningJobStatus',
  },
  createProcessingJob: { kind: 'ProcessingJob', nameField: 'ProcessingJobName', statusField: 'ProcessingJobStatus' },
};

/** A parsed Task Resource. */
export type ParsedResource =
  | { readonly kind: 'function'; readonly functionArn: string }
  | { readonly kind: 'sdk' | 'optimized'; readonly service: string; readonly action: string; readonly pattern: '' | 'sync' | 'sync:2' | 'waitForTaskToken' };

/** Parses a Task state's Resource. */
export function parseResource(resource: string): ParsedResource {
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) return { kind: 'function', functionArn: resource };
  const m = /^arn:[^:]+:states:::(aws-sdk:)?([^:]+):([^.]+)(?:\.(sync:2|sync|waitForTaskToken))?$/.exec(resource);
  if (!m) throw new TaskError('States.Runtime', `the local dispatcher does not know the Resource ${resource}`);
  return {
    kind: m[1] ? 'sdk' : 'optimized',
    service: m[2]!,
    action: m[3]!,
    pattern: (m[4] ?? '') as '' | 'sync' | 'sync:2' | 'waitForTaskToken',
  };
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Dates to epoch milliseconds or ISO strings, streams and bytes dropped, for JSON results. */
function jsonSafe(value: unknown, dates: 'millis' | 'iso'): unknown {
  if (value instanceof Date) return dates === 'millis' ? value.getTime() : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, dates));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined || typeof v === 'function') continue;
      out[k] = jsonSafe(v, dates);
    }
    return out;
  }
  return value;
}

function sdkMetadata(): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    SdkHttpMetadata: { HttpHeaders: { 'x-amzn-RequestId': requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** Every Task state of a definition (Parallel branches and Map iterators included): name → state. */
export function taskStates(definition: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (machine: Record<string, unknown> | undefined) => {
    for (const [name, state] of Object.entries((machine?.States ?? {}) as Record<string, Record<string, unknown>>)) {
      if (state.Type === 'Task') found.set(name, state);
      for (const branch of (state.Branches as Record<string, unknown>[] | undefined) ?? []) walk(branch);
      walk(state.Iterator as Record<string, unknown> | undefined);
      walk(state.ItemProcessor as Record<string, unknown> | undefined);
    }
  };
  walk(definition);
  return found;
}

/** Paths (in the effective input) of Parameters fields set to `$$.Task.Token`. */
function tokenPaths(parameters: unknown, prefix: string[] = []): string[][] {
  if (!parameters || typeof parameters !== 'object') return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(parameters as Record<string, unknown>)) {
    if (k.endsWith('.$') && v === '$$.Task.Token') out.push([...prefix, k.slice(0, -2)]);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...tokenPaths(v, [...prefix, k]));
  }
  return out;
}

function findLambda(lambdas: Readonly<Record<string, LocalLambda>>, functionName: string): { name: string; fn: LocalLambda } | undefined {
  const unqualified = functionName.replace(/^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+):[^:]+$/, '$1');
  const shortName = unqualified.includes(':function:') ? unqualified.split(':function:')[1]! : unqualified;
  for (const candidate of [functionName, unqualified, shortName]) {
    if (lambdas[candidate]) return { name: shortName, fn: lambdas[candidate] };
  }
  return undefined;
}

/**
 * Builds one handler per Task state of `definition`, dispatching by Resource as the
 * module doc describes.
 * @param lambdas in-process Lambda handlers by function ARN or name
 */
export function taskHandlersFor(
  definition: Record<string, unknown>,
  backend: LocalBackend,
  lambdas: Readonly<Record<string, LocalLambda>>,
  options: DispatchOptions = {},
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  const pollMs = options.pollIntervalMs ?? 50;
  const syncTimeout = options.syncTimeoutMs ?? 24 * 3_600_000;

  const invokeLambda = async (functionName: string, payload: unknown): Promise<unknown> => {
    const found = findLambda(lambdas, functionName);
    if (!found) throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionName} (Service: Lambda, Status Code: 404)`);
    const started = Date.now();
    const context: LocalLambdaContext = {
      functionName: found.name,
      invokedFunctionArn: functionName,
      awsRequestId: randomUUID(),
      memoryLimitInMB: '1024',
      functionVersion: '$LATEST',
      getRemainingTimeInMillis: () => Math.max(0, 900_000 - (Date.now() - started)),
    };
    let result: unknown;
    try {
      result = await found.fn(structuredClone(payload), context);
    } catch (err) {
      throw lambdaError(err);
    }
    return JSON.parse(JSON.stringify(result ?? null));
  };

  const waitForJob = async (service: string, action: string, created: Record<string, unknown>, input: Record<string, unknown>) => {
    const job = SAGEMAKER_JOBS[action]!;
    const name = String(input[job.nameField]);
    const target = backend.service(service) as unknown as Record<string, unknown> | undefined;
    const waitFor = target?.[`waitFor${job.kind}`];
    if (typeof waitFor === 'function') await (waitFor as (n: string) => Promise<unknown>).call(target, name);
    const deadline = Date.now() + syncTimeout;
    for (;;) {
      const described = await backend.call(service, `Describe${job.kind}`, { [job.nameField]: name });
      const status = described[job.statusField];
      if (status === 'Completed') return { ...created, ...described };
      if (status === 'Failed' || status === 'Stopped') {
        throw new TaskError('States.TaskFailed', JSON.stringify(jsonSafe(described, 'millis')));
      }
      if (Date.now() > deadline) throw new TaskError('States.Timeout', `${job.kind} ${name} still ${String(status)} after ${syncTimeout} ms`);
      await sleep(pollMs);
    }
  };

  const startExecution = async (stateName: string, action: string, pattern: string, input: Record<string, unknown>) => {
    if (action !== 'startExecution') throw new TaskError('States.Runtime', `the local dispatcher does not support states:${action}`);
    if (!options.startExecution) throw new TaskError('StepFunctions.AWSStepFunctionsException', 'no local runner for child executions');
    const rawInput = input.Input;
    const childInput = typeof rawInput === 'string' ? JSON.parse(rawInput) : (rawInput ?? {});
    const wait = pattern === 'sync' || pattern === 'sync:2';
    const child = await options.startExecution({
      stateName,
      stateMachineArn: String(input.StateMachineArn),
      input: childInput,
      ...(typeof input.Name === 'string' ? { name: input.Name } : {}),
      wait,
    });
    const startDate = (child.startDate ?? new Date()).getTime();
    if (!wait) return { ExecutionArn: child.executionArn, StartDate: startDate, ...sdkMetadata() };
    const described: Record<string, unknown> = {
      ExecutionArn: child.executionArn,
      StateMachineArn: input.StateMachineArn,
      Name: child.executionArn.split(':').pop(),
      Status: child.status,
      StartDate: startDate,
      StopDate: (child.stopDate ?? new Date()).getTime(),
      Input: JSON.stringify(childInput),
      InputDetails: { Included: true },
    };
    if (child.status === 'SUCCEEDED') {
      return {
        ...described,
        Output: pattern === 'sync:2' ? (child.output ?? null) : JSON.stringify(child.output ?? null),
        OutputDetails: { Included: true },
      };
    }
    throw new TaskError(
      'States.TaskFailed',
      JSON.stringify({ ...described, ...(child.error !== undefined ? { Error: child.error } : {}), ...(child.cause !== undefined ? { Cause: child.cause } : {}) }),
    );
  };

  for (const [stateName, state] of taskStates(definition)) {
    const resource = String(state.Resource);
    const parsed = parseResource(resource);
    const finishToken = async (input: unknown, result: unknown): Promise<unknown> => {
      if (parsed.kind === 'function' || parsed.pattern !== 'waitForTaskToken') return result;
      if (!options.waitForTaskToken) throw new TaskError('States.Runtime', `no local handler for the task token of ${stateName}`);
      const fromInput = tokenPaths(state.Parameters)
        .map((path) => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), input))
        .find((v) => typeof v === 'string') as string | undefined;
      return options.waitForTaskToken({ stateName, resource, input, token: fromInput ?? options.taskToken });
    };

    handlers[stateName] = async (rawInput: unknown) => {
      const input = (rawInput ?? {}) as Record<string, unknown>;
      if (parsed.kind === 'function') return invokeLambda(parsed.functionArn, rawInput);
      const { service, action, pattern } = parsed;
      if (service === 'lambda' && action === 'invoke') {
        const payload = await invokeLambda(String(input.FunctionName), input.Payload);
        const result = { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200, ...sdkMetadata() };
        return finishToken(rawInput, result);
      }
      if (parsed.kind === 'sdk') {
        const backendService = BACKEND_SERVICE[service] ?? service;
        let out: Record<string, unknown>;
        try {
          out = await backend.call(backendService, pascal(action), input);
        } catch (err) {
          throw sdkIntegrationError(service, err);
        }
        return finishToken(rawInput, jsonSafe(out, 'iso'));
      }
      if (service === 'states') return startExecution(stateName, action, pattern, input);
      const backendService = BACKEND_SERVICE[service] ?? service;
      let result: unknown;
      try {
        const out = await backend.call(backendService, pascal(action), optimizedInput(service, action, input));
        if (service === 'events' && action === 'putEvents' && Number(out.FailedEntryCount ?? 0) > 0) {
          throw new TaskError('EventBridge.FailedEntry', JSON.stringify(jsonSafe(out, 'millis')));
        }
        if ((pattern === 'sync' || pattern === 'sync:2') && service === 'sagemaker' && SAGEMAKER_JOBS[action]) {
          return jsonSafe(await waitForJob(backendService, action, out, input), 'millis');
        }
        result = jsonSafe({ ...out, ...sdkMetadata() }, 'millis');
      } catch (err) {
        if (err instanceof TaskError) throw err;
        throw optimizedIntegrationError(service, err);
      }
      return finishToken(rawInput, result);
    };
  }
  return handlers;
}

/**
 * The API input an optimized integration sends for `input`. Step Functions'
 * `events:putEvents` takes each entry's `Detail` as a JSON object and serializes it
 * for the API, which wants a string.
 */
export function optimizedInput(service: string, action: string, input: Record<string, unknown>): Record<string, unknown> {
  if (service !== 'events' || action !== 'putEvents' || !Array.isArray(input.Entries)) return input;
  return {
    ...input,
    Entries: input.Entries.map((entry: Record<string, unknown>) =>
      entry && typeof entry.Detail === 'object' && entry.Detail !== null ? { ...entry, Detail: JSON.stringify(entry.Detail) } : entry,
    ),
  };
}
