/**
 * Runs executions of the synthesized state machines in aws-local-stepfunctions: each
 * Task dispatched by local/dispatch.ts to the local backend or an in-process Lambda;
 * `states:startExecution` (`.sync` or not) runs the child here too; `.waitForTaskToken`
 * is answered by {@link ExecutionRunnerOptions.answerTaskToken}; Wait states are
 * shortened (a canary bake to {@link ExecutionRunnerOptions.bakeMs}, endpoint polling to
 * {@link ExecutionRunnerOptions.pollWaitMs}); every state entered and left goes to the
 * run's {@link Timeline}. States entered and left come from the engine's execution
 * trace (local/trace: exact, Parallel branches and Map iterations included), failures
 * from its event log; the edges taken go to the coverage records when
 * `PITSTOP_SFN_COVERAGE_DIR` is set.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedStateMachine } from '../asl';
import { loadLocalEngine } from '../asl';
import { ExecutionTrace, instrument, writeRunRecord } from '../trace';
import type { LocalBackend } from '../backend';
import { runDistributedMap } from '../distributed-map';
import { taskHandlersFor, type ChildExecution, type DispatchOptions, type LocalLambda } from '../dispatch';
import type { StateEvent, Timeline, TimelineEntry } from './timeline';

/** A state machine the runner can start. */
export interface LocalMachine {
  readonly arn: string;
  /** Short name: `retrain`, `canary`, `monitor`, `rollback`, or the logical id. */
  readonly name: string;
  readonly definition: Record<string, unknown>;
}

/** How an execution ended. */
export interface ExecutionResult {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachine: string;
  readonly input: unknown;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  /** The execution that started this one, if any. */
  readonly parent?: string;
}

/** Options of {@link ExecutionRunner}. */
export interface ExecutionRunnerOptions {
  readonly backend: LocalBackend;
  /** In-process Lambdas by function ARN. */
  readonly lambdas: Readonly<Record<string, LocalLambda>>;
  /** The timeline every state goes to. */
  readonly timeline: Timeline;
  /** Clock of `$$.Execution.StartTime`. @default () => new Date() */
  readonly clock?: () => Date;
  /** Length of a Wait state whose name ends in `bake` (a canary stage), in ms. @default 1500 */
  readonly bakeMs?: number;
  /** Length of every other Wait state (endpoint polling), in ms. @default 100 */
  readonly pollWaitMs?: number;
  /** Pause before a retry, in ms. @default 100 */
  readonly retryIntervalMs?: number;
  /** Pause between Describe calls of `.sync` jobs, in ms. @default 50 */
  readonly syncPollMs?: number;
  /** Answers a `.waitForTaskToken` task (e.g. a manual approval). @default such tasks fail with States.Runtime */
  readonly answerTaskToken?: DispatchOptions['waitForTaskToken'];
  /** Called for every state entered or left. @default none */
  readonly onState?: (entry: TimelineEntry, event: StateEvent) => void;
  /** Called when an execution starts and when it ends. @default none */
  readonly onExecution?: (phase: 'started' | 'ended', execution: { name: string; stateMachine: string; input: unknown; result?: ExecutionResult }) => void;
}

/** The short name of a state machine from its logical id (`PipelineStateMachinesRetrainB391CC7D` → `retrain`). */
export function shortMachineName(logicalId: string): string {
  const m = /StateMachines([A-Za-z]+?)[0-9A-F]{8}$/.exec(logicalId);
  return (m?.[1] ?? logicalId).toLowerCase();
}

/** The machines of a resolved template, with short names. */
export function localMachines(resolved: readonly ResolvedStateMachine[]): LocalMachine[] {
  return resolved.map((r) => ({ arn: r.arn, name: shortMachineName(r.logicalId), definition: r.definition }));
}

/** Every Wait and retried state of a definition, nested ones included. */
export function waitAndRetryStates(definition: Record<string, unknown>): { waits: string[]; retried: string[] } {
  const waits: string[] = [];
  const retried: string[] = [];
  const walk = (machine: Record<string, unknown> | undefined) => {
    for (const [name, s] of Object.entries((machine?.States ?? {}) as Record<string, Record<string, unknown>>)) {
      if (s.Type === 'Wait') waits.push(name);
      if (s.Retry) retried.push(name);
      for (const b of (s.Branches as Record<string, unknown>[] | undefined) ?? []) walk(b);
      walk(s.Iterator as Record<string, unknown> | undefined);
      walk(s.ItemProcessor as Record<string, unknown> | undefined);
    }
  };
  walk(definition);
  return { waits, retried };
}

/** Wait overrides: `bakeMs` for states named `...bake`, `pollMs` for the others. */
export function waitOverrides(waits: readonly string[], bakeMs: number, pollMs: number): Record<string, number> {
  return Object.fromEntries(waits.map((w) => [w, /bake$/i.test(w) ? bakeMs : pollMs]));
}

interface Running {
  abort: () => void;
}

/** Starts and follows executions of the local state machines. */
export class ExecutionRunner {
  /** Every ended execution, in the order they ended. */
  public readonly executions: ExecutionResult[] = [];
  private machines = new Map<string, LocalMachine>();
  private lambdas: Readonly<Record<string, LocalLambda>>;
  private readonly running = new Set<Running>();
  private readonly clock: () => Date;

  public constructor(private readonly options: ExecutionRunnerOptions) {
    this.lambdas = options.lambdas;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Replaces the machines and Lambdas (a redeploy of the stack). */
  public deploy(machines: readonly LocalMachine[], lambdas?: Readonly<Record<string, LocalLambda>>): void {
    this.machines = new Map(machines.map((m) => [m.arn, m]));
    if (lambdas) this.lambdas = lambdas;
  }

  /** The machine of a short name. @throws Error when there is none */
  public machine(name: string): LocalMachine {
    const m = [...this.machines.values()].find((x) => x.name === name);
    if (!m) throw new Error(`expected a state machine named ${name}, got ${[...this.machines.values()].map((x) => x.name).join(', ')}`);
    return m;
  }

  /** Runs one execution to its end. */
  public async run(stateMachineArn: string, input: unknown, options: { name?: string; parent?: string } = {}): Promise<ExecutionResult> {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new Error(`no local state machine ${stateMachineArn}`);
    const { StateMachine } = await loadLocalEngine();
    const o = this.options;
    const name = options.name ?? randomUUID();
    const executionArn = machine.arn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const startDate = this.clock();
    const token = `${executionArn}#token-${randomUUID()}`;
    const handlers = taskHandlersFor(machine.definition, o.backend, this.lambdas, {
      taskToken: token,
      pollIntervalMs: o.syncPollMs ?? 50,
      ...(o.answerTaskToken ? { waitForTaskToken: o.answerTaskToken } : {}),
      startExecution: async (request): Promise<ChildExecution> => {
        const target = request.stateMachineArn;
        if (!request.wait) {
          const childName = request.name ?? randomUUID();
          const started = this.run(target, request.input, { name: childName, parent: executionArn }).catch(() => undefined);
          this.detached.add(started);
          void started.finally(() => this.detached.delete(started));
          return { executionArn: target.replace(':stateMachine:', ':execution:') + `:${childName}`, status: 'RUNNING', startDate: this.clock() };
        }
        const child = await this.run(target, request.input, { ...(request.name ? { name: request.name } : {}), parent: executionArn });
        return {
          executionArn: child.executionArn,
          status: child.status,
          ...(child.output !== undefined ? { output: child.output } : {}),
          ...(child.error !== undefined ? { error: child.error } : {}),
          ...(child.cause !== undefined ? { cause: child.cause } : {}),
          startDate: child.startDate,
          stopDate: child.stopDate,
        };
      },
    });
    const { waits, retried } = waitAndRetryStates(machine.definition);
    const sm = new StateMachine(machine.definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
    const toTimeline = (e: StateEvent) => {
      const entry = o.timeline.apply(machine.name, name, e);
      if (entry) o.onState?.(entry, e);
    };
    const trace = new ExecutionTrace({
      entered: (state, type) => toTimeline({ type: 'StateEntered', timestamp: Date.now(), state: { name: state, type } }),
      left: (state, edge) => {
        const timestamp = Date.now();
        if (edge.kind === 'fail') toTimeline({ type: 'StateFailed', timestamp, state: { name: state } });
        else {
          if (edge.id.includes('#catch:')) toTimeline({ type: 'StateCaught', timestamp, state: { name: state } });
          toTimeline({ type: 'StateExited', timestamp, state: { name: state } });
        }
      },
    });
    (sm as unknown as { definition: unknown }).definition = instrument(machine.definition, trace);
    const overrides = {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: waitOverrides(waits, o.bakeMs ?? 1500, o.pollWaitMs ?? 100),
      retryIntervalOverrides: Object.fromEntries(retried.map((r) => [r, o.retryIntervalMs ?? 100])),
    };
    // Distributed Maps run in pitstop's executor (local/distributed-map.ts), their children in the engine.
    for (const [mapName, { state, processor }] of trace.distributedMaps) {
      (handlers as Record<string, unknown>)[mapName] = (taskInput: unknown) =>
        runDistributedMap(mapName, state, processor, taskInput, {
          executionArn,
          readObject: async (bucket, key) => {
            const out = (await o.backend.s3.GetObject({ Bucket: bucket, Key: key })) as { Body: { transformToString(): Promise<string> } };
            return out.Body.transformToString();
          },
          writeObject: async (bucket, key, body) => void (await o.backend.s3.PutObject({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' })),
          runChild: async (definition, childInput) => {
            const { StartAt, States } = state.ItemProcessor as Record<string, unknown>;
            const child = new StateMachine({ StartAt, States } as never, { validationOptions: { checkArn: true, checkPaths: true } });
            (child as unknown as { definition: unknown }).definition = definition;
            try {
              return { status: 'SUCCEEDED', output: await child.run(childInput as never, { overrides, context: { Execution: { Id: executionArn, Name: name } } }).result };
            } catch (error) {
              const e = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
              return { status: 'FAILED', error: e?.cause?.name ?? e?.name ?? 'Error', cause: e?.cause?.message ?? e?.message ?? '' };
            }
          },
        });
    }
    o.onExecution?.('started', { name, stateMachine: machine.name, input });
    const execution = sm.run(input as never, {
      overrides,
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString(), Input: input as never, RoleArn: 'arn:aws:iam::123456789012:role/pitstop-local' },
        StateMachine: { Id: machine.arn, Name: machine.arn.split(':').pop() },
        Task: { Token: token },
      },
    });
    const handle: Running = { abort: execution.abort };
    this.running.add(handle);
    const consume = (async () => {
      // Entries, exits and catches come from the trace; the log adds which states failed.
      for await (const event of execution.eventLogs) {
        const e = event as unknown as StateEvent;
        if (e.type === 'StateFailed') toTimeline(e);
      }
    })().catch(() => undefined);
    let result: ExecutionResult;
    try {
      const output = await execution.result;
      await consume;
      o.timeline.closeExecution(name, true, Date.now());
      result = { executionArn, name, stateMachine: machine.name, input, status: 'SUCCEEDED', output, startDate, stopDate: this.clock(), ...(options.parent ? { parent: options.parent } : {}) };
    } catch (error) {
      await consume;
      o.timeline.closeExecution(name, false, Date.now());
      const e = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
      result = {
        executionArn,
        name,
        stateMachine: machine.name,
        input,
        status: 'FAILED',
        error: e?.cause?.name ?? e?.name ?? 'Error',
        cause: e?.cause?.message ?? e?.message ?? '',
        startDate,
        stopDate: this.clock(),
        ...(options.parent ? { parent: options.parent } : {}),
      };
    } finally {
      this.running.delete(handle);
      writeRunRecord(machine.definition, trace.executed);
    }
    this.executions.push(result);
    o.onExecution?.('ended', { name, stateMachine: machine.name, input, result });
    return result;
  }

  /** Executions started without waiting (StartExecution, request-response) and not ended yet. */
  private readonly detached = new Set<Promise<unknown>>();

  /** Resolves when every execution started without waiting has ended (those they start too). */
  public async settle(): Promise<void> {
    while (this.detached.size > 0) await Promise.all([...this.detached]);
  }

  /** Whether an execution started without waiting is still running. */
  public get busy(): boolean {
    return this.detached.size > 0;
  }

  /** Aborts every execution still running. */
  public abortAll(): void {
    for (const r of this.running) r.abort();
    this.running.clear();
  }
}
