/**
 * The timeline of a local run: every state entered, across every execution, with its
 * start and end (milliseconds from the start of the run) and how it ended. Built from
 * events in the shape of aws-local-stepfunctions' event log (StateEntered, then
 * StateExited, StateFailed or StateCaught): the runner makes the entries, exits and
 * catches from the execution trace (local/trace) and takes StateFailed from the log.
 */

/** How a state ended. */
export const STATE_STATUS = { succeeded: 'succeeded', failed: 'failed', caught: 'caught', running: 'running' } as const;
export type StateStatus = (typeof STATE_STATUS)[keyof typeof STATE_STATUS];

/** One state visit. */
export interface TimelineEntry {
  /** Short name of the state machine (`retrain`, `canary`, `monitor`, `rollback`). */
  readonly stateMachine: string;
  /** Execution name. */
  readonly execution: string;
  readonly state: string;
  /** Type of the state (Task, Pass, Wait, ...). */
  readonly type: string;
  readonly startMs: number;
  endMs: number;
  status: StateStatus;
}

/** The part of an engine event the timeline reads. */
export interface StateEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: { readonly name: string; readonly type?: string };
}

/** Collects state visits of all executions, in the order they were entered. */
export class Timeline {
  public readonly entries: TimelineEntry[] = [];
  private readonly open = new Map<string, TimelineEntry[]>();

  /** @param startedAt epoch milliseconds the offsets count from */
  public constructor(public readonly startedAt: number) {}

  /**
   * Applies one engine event of an execution; returns the entry it opened or closed
   * (undefined for events that are not about a state).
   */
  public apply(stateMachine: string, execution: string, event: StateEvent): TimelineEntry | undefined {
    if (!event.state) return undefined;
    const key = `${execution}\u0000${event.state.name}`;
    const at = event.timestamp - this.startedAt;
    if (event.type === 'StateEntered') {
      const entry: TimelineEntry = {
        stateMachine,
        execution,
        state: event.state.name,
        type: event.state.type ?? 'unknown',
        startMs: at,
        endMs: at,
        status: STATE_STATUS.running,
      };
      this.entries.push(entry);
      const list = this.open.get(key) ?? [];
      list.push(entry);
      this.open.set(key, list);
      return entry;
    }
    // The engine reports a caught error as StateFailed, then StateCaught, then
    // StateExited (a retried one as StateFailed, StateRetried, ...): only StateExited
    // closes the visit; the others set what the visit has come to so far.
    const list = this.open.get(key);
    const entry = list?.[0];
    if (!entry) return undefined;
    switch (event.type) {
      case 'StateFailed':
        entry.status = STATE_STATUS.failed;
        entry.endMs = Math.max(entry.startMs, at);
        return entry;
      case 'StateRetried':
        entry.status = STATE_STATUS.running;
        return entry;
      case 'StateCaught':
        entry.status = STATE_STATUS.caught;
        entry.endMs = Math.max(entry.startMs, at);
        return entry;
      case 'StateExited':
        list!.shift();
        if (list!.length === 0) this.open.delete(key);
        entry.endMs = Math.max(entry.startMs, at);
        if (entry.status !== STATE_STATUS.caught) entry.status = STATE_STATUS.succeeded;
        return entry;
      default:
        return undefined;
    }
  }

  /**
   * Closes the visits of an execution that has ended and still stand open: a visit
   * that failed stays failed; any other is succeeded when the execution succeeded
   * (the engine does not report the exit of every Map iteration's states) and failed
   * otherwise.
   */
  public closeExecution(execution: string, succeeded: boolean, now: number): void {
    for (const [key, list] of this.open) {
      if (!key.startsWith(`${execution}\u0000`)) continue;
      for (const e of list) {
        e.endMs = Math.max(e.endMs, now - this.startedAt);
        if (e.status === STATE_STATUS.running) e.status = succeeded ? STATE_STATUS.succeeded : STATE_STATUS.failed;
        else if (e.status === STATE_STATUS.caught && !succeeded) e.status = STATE_STATUS.failed;
      }
      this.open.delete(key);
    }
  }

  /** State names in the order entered. */
  public get states(): string[] {
    return this.entries.map((e) => e.state);
  }
}
