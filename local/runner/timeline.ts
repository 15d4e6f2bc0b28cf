/**
 * The timeline of a local run: every state entered, across every execution, with its
 * start and end (milliseconds from the start of the run) and how it ended. Built from
 * aws-local-stepfunctions' event log (StateEntered, then StateExited, StateFailed or
 * StateCaught).
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
    const status =
      event.type === 'StateExited' ? STATE_STATUS.succeeded : event.type === 'StateFailed' ? STATE_STATUS.failed : event.type === 'StateCaught' ? STATE_STATUS.caught : undefined;
    if (!status) return undefined;
    const list = this.open.get(key);
    const entry = list?.shift();
    if (!entry) return undefined;
    if (list!.length === 0) this.open.delete(key);
    entry.endMs = Math.max(entry.startMs, at);
    entry.status = status;
    return entry;
  }

  /** Marks states still open (an execution that never ended) as failed at `now`. */
  public closeAll(now: number): void {
    for (const list of this.open.values()) {
      for (const e of list) {
        e.endMs = Math.max(e.startMs, now - this.startedAt);
        e.status = STATE_STATUS.failed;
      }
    }
    this.open.clear();
  }

  /** State names in the order entered. */
  public get states(): string[] {
    return this.entries.map((e) => e.state);
  }
}
