/**
 * Runs a resolved definition in aws-local-stepfunctions with a handler for every
 * Task state, records the states entered and the calls made, and shortens waits and
 * retry intervals to zero.
 *
 * Handlers are chosen per Task state: an explicit handler for the state name, else a
 * handler for the integration (`sagemaker:describeEndpoint`, `dynamodb:putItem`,
 * `lambda:invoke` is keyed by state name only). A Task with no handler fails the run
 * with `MissingHandler` and is listed in `missing`, so nothing reaches AWS.
 *
 * The states entered come from the engine's execution trace (local/trace), Parallel
 * branches and Map iterations included; the edges taken go to the coverage records
 * when `PITSTOP_SFN_COVERAGE_DIR` is set (`npm run sfn-coverage`).
 */
import { loadLocalEngine } from '../../local/asl';
import { runDistributedMap } from '../../local/distributed-map';
import { ExecutionTrace, instrument, writeRunRecord } from '../../local/trace';

type Json = unknown;
/** A Task handler: gets the state's effective input (after Parameters), returns its raw result or throws. */
export type Handler = (input: any) => Json | Promise<Json>;

/** An error with a Step Functions name, as a handler throws it. */
export function stepError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** One recorded Task call. */
export interface Call {
  readonly state: string;
  /** Integration (e.g. `sagemaker:updateEndpoint`, `dynamodb:deleteItem`) or `lambda`. */
  readonly integration: string;
  readonly input: any;
}

/** Result of one local execution. */
export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: any;
  readonly error?: string;
  readonly cause?: string;
  /** State names in the order entered (Parallel and Map inner states included). */
  readonly states: string[];
  readonly calls: Call[];
  /** Task states that had no handler. */
  readonly missing: string[];
  /** Ids of the edges taken (`<state>#next`, `#rule:<n>`, `#catch:<n>`, ...: local/trace/edges.ts). */
  readonly edges: ReadonlySet<string>;
}

interface TaskInfo {
  name: string;
  integration: string;
}

/** Every Task and Wait state of a definition, nested ones included. */
function collect(definition: any, tasks: TaskInfo[] = [], waits: string[] = [], retryable: string[] = []) {
  for (const [name, state] of Object.entries<any>(definition.States ?? {})) {
    if (state.Type === 'Task') tasks.push({ name, integration: integrationOf(state.Resource) });
    if (state.Type === 'Wait') waits.push(name);
    if (state.Retry) retryable.push(name);
    for (const branch of state.Branches ?? []) collect(branch, tasks, waits, retryable);
    if (state.ItemProcessor) collect(state.ItemProcessor, tasks, waits, retryable);
    if (state.Iterator) collect(state.Iterator, tasks, waits, retryable);
  }
  return { tasks, waits, retryable };
}

/** `arn:aws:states:::aws-sdk:sagemaker:describeEndpoint` → `sagemaker:describeEndpoint`. */
export function integrationOf(resource: string): string {
  if (resource.startsWith('arn:aws:lambda:')) return 'lambda';
  const match = /^arn:[^:]+:states:::(?:aws-sdk:)?([^:]+):([^.]+)/.exec(resource);
  return match ? `${match[1]}:${match[2]}` : resource;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Handlers by state name (win over `integrations`). */
  readonly states?: Record<string, Handler>;
  /** S3 objects (`s3://bucket/key` → text) a Distributed Map reads its items from and writes its results to. @default none */
  readonly objects?: Map<string, string>;
  /** Handlers by integration, e.g. `sagemaker:describeEndpoint`. */
  readonly integrations?: Record<string, Handler>;
  /** Execution ARN given to `$$.Execution.Id`. @default a fake ARN */
  readonly executionId?: string;
  /** `$$.Execution.StartTime` (ISO 8601). @default the real time */
  readonly startTime?: string;
  /**
   * TimeoutSeconds of Task states, replacing the definition's (fractions allowed), so a
   * handler that never answers makes the engine raise `States.Timeout`. @default none
   */
  readonly taskTimeouts?: Record<string, number>;
}

/** A copy of `definition` with the TimeoutSeconds of the named Task states replaced. */
function withTaskTimeouts(definition: Record<string, unknown>, timeouts: Record<string, number>): Record<string, unknown> {
  const walk = (machine: any): any => ({
    ...machine,
    States: Object.fromEntries(
      Object.entries<any>(machine.States).map(([name, state]) => {
        const s = { ...state };
        if (name in timeouts) {
          s.TimeoutSeconds = timeouts[name];
          delete s.TimeoutSecondsPath;
        }
        if (s.Branches) s.Branches = s.Branches.map(walk);
        if (s.ItemProcessor) s.ItemProcessor = walk(s.ItemProcessor);
        if (s.Iterator) s.Iterator = walk(s.Iterator);
        return [name, s];
      }),
    ),
  });
  return walk(definition);
}

/** Executes `definition` with `input` locally. */
export async function run(definition: Record<string, unknown>, input: Json, options: RunOptions = {}): Promise<Execution> {
  const { StateMachine } = await loadLocalEngine();
  const { tasks, waits, retryable } = collect(definition);
  const calls: Call[] = [];
  const missing: string[] = [];
  const taskResourceLocalHandlers: Record<string, (input: any) => Promise<any>> = {};
  for (const task of tasks) {
    taskResourceLocalHandlers[task.name] = async (taskInput: any) => {
      calls.push({ state: task.name, integration: task.integration, input: structuredClone(taskInput) });
      const handler = options.states?.[task.name] ?? options.integrations?.[task.integration];
      if (!handler) {
        missing.push(task.name);
        throw stepError('MissingHandler', `no handler for ${task.name} (${task.integration})`);
      }
      return handler(taskInput);
    };
  }
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const trace = new ExecutionTrace();
  const runnable = options.taskTimeouts ? withTaskTimeouts(definition, options.taskTimeouts) : definition;
  (machine as unknown as { definition: unknown }).definition = instrument(runnable, trace);
  const executionId = options.executionId ?? 'arn:aws:states:us-east-1:123456789012:execution:test:run-1';
  const overrides = {
    taskResourceLocalHandlers,
    waitTimeOverrides: Object.fromEntries(waits.map((w) => [w, 0])),
    retryIntervalOverrides: Object.fromEntries(retryable.map((r) => [r, 0])),
  };
  // Distributed Maps run in pitstop's executor, their children in the engine; objects in `options.objects`.
  const objects = options.objects ?? new Map<string, string>();
  for (const [name, { state, processor }] of trace.distributedMaps) {
    taskResourceLocalHandlers[name] = (taskInput: any) =>
      runDistributedMap(name, state, processor, taskInput, {
        executionArn: options.executionId ?? 'arn:aws:states:us-east-1:123456789012:execution:test:run-1',
        readObject: async (bucket, key) => {
          const body = objects.get(`s3://${bucket}/${key}`);
          if (body === undefined) throw stepError('NoSuchKey', `s3://${bucket}/${key}`);
          return body;
        },
        writeObject: async (bucket, key, body) => void objects.set(`s3://${bucket}/${key}`, body),
        runChild: async (definition, childInput) => {
          const { StartAt, States } = state.ItemProcessor as Record<string, unknown>;
          const child = new StateMachine({ StartAt, States } as never, { validationOptions: { checkArn: true, checkPaths: true } });
          (child as unknown as { definition: unknown }).definition = definition;
          try {
            return { status: 'SUCCEEDED', output: await child.run(childInput as never, { overrides }).result };
          } catch (error: any) {
            const cause = error?.cause;
            return { status: 'FAILED', error: cause?.name ?? error?.name, cause: cause?.message ?? error?.message };
          }
        },
      });
  }
  const execution = machine.run(input as never, {
    overrides,
    context: {
      Execution: { Id: executionId, Name: executionId.split(':').pop(), ...(options.startTime ? { StartTime: options.startTime } : {}) },
      Task: { Token: 'task-token-1' },
    },
  });
  const states = trace.states;
  try {
    const output = await execution.result;
    return { status: 'SUCCEEDED', output, states, calls, missing, edges: trace.executed };
  } catch (error: any) {
    const cause = error?.cause;
    return { status: 'FAILED', error: cause?.name ?? error?.name, cause: cause?.message ?? error?.message, states, calls, missing, edges: trace.executed };
  } finally {
    writeRunRecord(definition, trace.executed);
  }
}

/** The calls made to one state or integration, in order. */
export function callsTo(execution: Execution, stateOrIntegration: string): Call[] {
  return execution.calls.filter((c) => c.state === stateOrIntegration || c.integration === stateOrIntegration);
}
