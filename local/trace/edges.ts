/**
 * The edges of a state machine graph, as the coverage of its runs counts them: every
 * `Next`, every `End`, every Choice rule and `Default`, every Catch entry, and the end
 * of every Succeed and Fail state, recursively into Parallel branches and Map
 * iterators. Each edge has an id that tells it apart from another edge with the same
 * target (`Check#rule:2`, `Train#catch:1`).
 */
import { createHash } from 'node:crypto';

/** One edge of a graph. */
export interface Edge {
  /** `<state>#<key>`: key `next`, `end`, `rule:<n>`, `default`, `catch:<n>`, `succeed` or `fail` (n from 1). */
  readonly id: string;
  readonly from: string;
  /** Target state, or `(end)` for End, Succeed and Fail. */
  readonly to: string;
  /** `next`, `end`, `rule <n>`, `default`, `catch <n>: <errors>`, `succeed`, `fail`. */
  readonly kind: string;
  /** `<from> -> <to> (<kind>)`. */
  readonly label: string;
  /** A Catch entry whose ErrorEquals holds `States.ALL`. */
  readonly catchAll: boolean;
}

/** The end of a path, as an edge target. */
export const END = '(end)';

type States = Record<string, Record<string, unknown>>;

function edge(from: string, key: string, to: string, kind: string, catchAll = false): Edge {
  return { id: `${from}#${key}`, from, to, kind, label: `${from} -> ${to} (${kind})`, catchAll };
}

/** The edges of one state, in definition order. */
export function stateEdges(name: string, state: Record<string, unknown>): Edge[] {
  const out: Edge[] = [];
  if (state.Type === 'Choice') {
    ((state.Choices as { Next: string }[] | undefined) ?? []).forEach((rule, i) => out.push(edge(name, `rule:${i + 1}`, rule.Next, `rule ${i + 1}`)));
    if (typeof state.Default === 'string') out.push(edge(name, 'default', state.Default, 'default'));
    return out;
  }
  if (state.Type === 'Succeed') return [edge(name, 'succeed', END, 'succeed')];
  if (state.Type === 'Fail') return [edge(name, 'fail', END, 'fail')];
  if (typeof state.Next === 'string') out.push(edge(name, 'next', state.Next, 'next'));
  if (state.End === true) out.push(edge(name, 'end', END, 'end'));
  ((state.Catch as { ErrorEquals: string[]; Next: string }[] | undefined) ?? []).forEach((c, i) =>
    out.push(edge(name, `catch:${i + 1}`, c.Next, `catch ${i + 1}: ${c.ErrorEquals.join(', ')}`, c.ErrorEquals.includes('States.ALL'))),
  );
  return out;
}

/** Every nested machine (Parallel branch, Map iterator) of a state. */
export function nestedMachines(state: Record<string, unknown>): Record<string, unknown>[] {
  const nested = [...((state.Branches as Record<string, unknown>[] | undefined) ?? [])];
  const iterator = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
  if (iterator) nested.push(iterator);
  return nested;
}

/**
 * Every edge of a definition, nested ones included.
 * @throws Error when a state name occurs twice (edges are told apart by state name)
 */
export function graphEdges(definition: Record<string, unknown>): Edge[] {
  const out: Edge[] = [];
  const seen = new Set<string>();
  const walk = (machine: Record<string, unknown>) => {
    for (const [name, state] of Object.entries((machine.States ?? {}) as States)) {
      if (seen.has(name)) throw new Error(`expected unique state names, got "${name}" twice`);
      seen.add(name);
      out.push(...stateEdges(name, state));
      for (const nested of nestedMachines(state)) walk(nested);
    }
  };
  walk(definition);
  return out;
}

const keys = new WeakMap<object, string>();

/**
 * The graph's identity: a hash of its start state and edges. Two definitions that
 * differ only in values (ARNs, thresholds, parameters) share it.
 */
export function graphKey(definition: Record<string, unknown>): string {
  const cached = keys.get(definition);
  if (cached) return cached;
  const shape = JSON.stringify([definition.StartAt, graphEdges(definition).map((e) => [e.id, e.to])]);
  const key = createHash('sha256').update(shape).digest('hex').slice(0, 16);
  keys.set(definition, key);
  return key;
}
