/**
 * Records what aws-local-stepfunctions executes, exactly, without its event log (whose
 * nested events arrive late, or never once the root execution has ended).
 *
 * {@link instrument} copies a definition and puts accessors where the engine (3.x)
 * reads a transition: a state's `Next` and `End` (read when the state succeeded), a
 * Choice rule's `Next` (read for the rule that matched only), `Default` (read only when
 * no rule matched), a Catch entry's `Next` (read for the entry that caught the error),
 * and each `States` map (read once per state entered, and with the key `''` when a
 * path ends). A read only marks the edge as pending: it is taken when the engine then
 * enters its target (or ends the path), so an error after the read (a ResultSelector
 * that fails, then a Catch) counts the Catch alone.
 *
 * Pending edges are kept per engine run: {@link trackEngineRuns} makes each
 * `StateMachine.run` (the root, each Parallel branch, each Map iteration) run in its
 * own async context, so concurrent branches and iterations never mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { asInterceptedTask, isDistributedMap } from '../distributed-map';
import { END, stateEdges, type Edge } from './edges';

/** What one engine run (root, branch or iteration) is doing. */
interface Thread {
  pending?: Edge;
}

const threads = new AsyncLocalStorage<Thread>();
const TRACKED = Symbol.for('pitstop.trackEngineRuns');

/**
 * Makes every `StateMachine.run` of the engine run in its own async context (applied
 * once per engine class).
 */
export function trackEngineRuns(StateMachine: { prototype: object }): void {
  const proto = StateMachine.prototype as Record<string | symbol, unknown>;
  if (proto[TRACKED]) return;
  const run = proto.run as ((this: unknown, ...args: unknown[]) => unknown) | undefined;
  if (typeof run !== 'function') throw new Error('expected aws-local-stepfunctions StateMachine.prototype.run: the trace needs updating');
  proto.run = function (this: unknown, ...args: unknown[]): unknown {
    return threads.run({}, () => run.apply(this, args));
  };
  proto[TRACKED] = true;
}

/** Listener of an {@link ExecutionTrace}. */
export interface TraceListener {
  /** A state was entered. */
  entered?(state: string, type: string): void;
  /** A state was left by `edge` (a Catch edge: the state's error was caught). */
  left?(state: string, edge: Edge): void;
}

/** The states entered and edges taken by one execution, nested runs included. */
export class ExecutionTrace {
  /** State names in the order entered. */
  public readonly states: string[] = [];
  /** Ids of the edges taken (see {@link Edge.id}). */
  public readonly executed = new Set<string>();
  /**
   * The Distributed Map states of the definition (run by local/distributed-map.ts, not
   * the engine), by name: the plain state and its instrumented ItemProcessor.
   */
  public readonly distributedMaps = new Map<string, { readonly state: Record<string, unknown>; readonly processor: Record<string, unknown> }>();

  public constructor(private readonly listener: TraceListener = {}) {}

  /** @internal */
  public enter(state: string, type: string): void {
    this.states.push(state);
    this.listener.entered?.(state, type);
  }

  /** @internal */
  public take(edge: Edge): void {
    this.executed.add(edge.id);
    this.listener.left?.(edge.from, edge);
  }
}

type Json = Record<string, unknown>;

function pend(edge: Edge): void {
  const thread = threads.getStore();
  if (thread) thread.pending = edge;
}

/** Defines `key` on `target` as an accessor that marks `edge` pending when read. */
function watch(target: Json, key: string, value: unknown, edge: Edge): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      pend(edge);
      return value;
    },
  });
}

function instrumentState(name: string, state: Json, trace: ExecutionTrace): Json {
  const copy: Json = { ...state };
  const edges = new Map(stateEdges(name, state).map((e) => [e.id, e]));
  if (state.Type === 'Choice') {
    copy.Choices = (state.Choices as Json[]).map((rule, i) => {
      const r = { ...rule };
      watch(r, 'Next', rule.Next, edges.get(`${name}#rule:${i + 1}`)!);
      return r;
    });
    if (typeof state.Default === 'string') watch(copy, 'Default', state.Default, edges.get(`${name}#default`)!);
  } else {
    if (typeof state.Next === 'string') watch(copy, 'Next', state.Next, edges.get(`${name}#next`)!);
    if (state.End === true) watch(copy, 'End', true, edges.get(`${name}#end`)!);
    if (Array.isArray(state.Catch)) {
      copy.Catch = (state.Catch as Json[]).map((c, i) => {
        const entry = { ...c };
        watch(entry, 'Next', c.Next, edges.get(`${name}#catch:${i + 1}`)!);
        return entry;
      });
    }
  }
  if (Array.isArray(state.Branches)) copy.Branches = (state.Branches as Json[]).map((b) => instrumentMachine(b, trace));
  if (state.ItemProcessor) copy.ItemProcessor = instrumentMachine(state.ItemProcessor as Json, trace);
  if (state.Iterator) copy.Iterator = instrumentMachine(state.Iterator as Json, trace);
  if (isDistributedMap(state)) {
    // The engine runs it as a Task whose handler is pitstop's executor (local/distributed-map.ts).
    trace.distributedMaps.set(name, { state, processor: copy.ItemProcessor as Json });
    return asInterceptedTask(copy);
  }
  return copy;
}

function instrumentMachine(machine: Json, trace: ExecutionTrace): Json {
  const original = (machine.States ?? {}) as Record<string, Json>;
  const states: Record<string, Json> = {};
  const terminal = new Map<string, Edge>();
  for (const [name, state] of Object.entries(original)) {
    states[name] = instrumentState(name, state, trace);
    if (state.Type === 'Succeed' || state.Type === 'Fail') terminal.set(name, stateEdges(name, state)[0]!);
  }
  const proxy = new Proxy(states, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return value;
      const thread = threads.getStore();
      if (!thread) return value;
      const entering = Object.hasOwn(target, key);
      if (!entering && key !== '') return value;
      const pending = thread.pending;
      thread.pending = undefined;
      if (pending && pending.to === (entering ? key : END)) trace.take(pending);
      if (entering) {
        const type = String(original[key]!.Type);
        trace.enter(key, type);
        const end = terminal.get(key);
        // A Fail state ends its path at once; a Succeed state when the engine reads the end.
        if (end && type === 'Fail') trace.take(end);
        else if (end) thread.pending = end;
      }
      return value;
    },
  });
  return { ...machine, States: proxy };
}

/**
 * A copy of `definition` that reports to `trace` every state the engine enters and
 * every edge it takes (see the module comment). Run it in an engine patched by
 * {@link trackEngineRuns}; construct the engine's StateMachine with the plain
 * definition (its validator reads every field) and give it this copy to run.
 */
export function instrument(definition: Json, trace: ExecutionTrace): Json {
  return instrumentMachine(definition, trace);
}
