/**
 * pitstop's executor of a Distributed Map state (a `Map` with an `ItemReader`), which
 * aws-local-stepfunctions does not run (no ItemReader, ItemBatcher, ResultWriter or
 * tolerated failures).
 *
 * The interception: the copy of the definition the engine runs (the instrumented copy,
 * local/trace/instrument.ts) carries such a state as a `Task` of resource
 * {@link DISTRIBUTED_MAP_RESOURCE}, with the state's own Next, End, Retry, Catch,
 * InputPath, ResultPath, ResultSelector and OutputPath; the engine validates the plain
 * definition and hands that task's effective input to {@link runDistributedMap}, which
 * does what Step Functions documents for the state:
 * - reads the items: `ItemReader` with `s3:getObject` and `ReaderConfig.InputType` JSON
 *   (a JSON array in the object `Parameters.Bucket` / `Key`, paths allowed);
 * - gives each child `ItemSelector` evaluated with `$$.Map.Item.Index` / `Value`;
 * - runs the `ItemProcessor` definition once per item in the engine (its states traced
 *   like any other), at most `MaxConcurrency` at a time (0 or absent: all at once);
 * - fails with `States.ExceedToleratedFailureThreshold` when more children failed than
 *   `ToleratedFailurePercentage` / `ToleratedFailureCount` allow (absent: 0); its cause
 *   lists the failed children's errors (AWS's cause names no child);
 * - with a `ResultWriter` (`s3:putObject`), writes `<Prefix>/<map run id>/manifest.json`
 *   and `SUCCEEDED_0.json` / `FAILED_0.json` in the documented shapes (also when the
 *   map fails), and returns `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`.
 * ItemBatcher, CSV and S3-listing readers are not supported: such a state is refused.
 */

/** The resource the intercepted state carries in the engine's copy. */
export const DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::pitstop:distributedMap';

type Json = Record<string, unknown>;

/** Whether a state is a Distributed Map this module runs. */
export function isDistributedMap(state: Json): boolean {
  return state.Type === 'Map' && state.ItemReader !== undefined;
}

/**
 * The engine's copy of a Distributed Map state: a Task keeping the fields the engine
 * applies around it (and the accessors instrument.ts put on them).
 */
export function asInterceptedTask(copy: Json): Json {
  const task: Json = {};
  const keep = ['Next', 'End', 'Retry', 'Catch', 'InputPath', 'ResultPath', 'ResultSelector', 'OutputPath', 'Comment'];
  for (const key of keep) {
    const d = Object.getOwnPropertyDescriptor(copy, key);
    if (d) Object.defineProperty(task, key, d);
  }
  task.Type = 'Task';
  task.Resource = DISTRIBUTED_MAP_RESOURCE;
  return task;
}

/** One child's outcome. */
export interface ChildOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** What the executor needs from its host (local mode, or the state machine test harness). */
export interface DistributedMapHost {
  /** Reads an object's text. */
  readObject(bucket: string, key: string): Promise<string>;
  /** Writes an object. */
  writeObject(bucket: string, key: string, body: string): Promise<void>;
  /** Runs the ItemProcessor definition (instrumented) with `input`. */
  runChild(processor: Json, input: unknown, name: string): Promise<ChildOutcome>;
  /** The execution's ARN (the map run's ARN derives from it). */
  readonly executionArn: string;
}

/** An error a state fails with. */
export class MapStateError extends Error {
  public constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The value of a reference path (`$.a.b`, `$$.Map.Item.Value`) in `input` / `context`. */
export function readPath(path: string, input: unknown, context: unknown): unknown {
  const [root, rest] = path.startsWith('$$') ? [context, path.slice(2)] : path.startsWith('$') ? [input, path.slice(1)] : [undefined, ''];
  if (root === undefined) throw new MapStateError('States.Runtime', `unsupported path ${path}`);
  let value: unknown = root;
  for (const part of rest.split('.').filter((p) => p !== '')) {
    if (value === null || typeof value !== 'object' || !(part in (value as Json))) throw new MapStateError('States.Runtime', `the path ${path} matches nothing`);
    value = (value as Json)[part];
  }
  return value;
}

/** Evaluates a Parameters-like template (keys ending in `.$` take a path). */
export function evaluateTemplate(template: Json, input: unknown, context: unknown): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = readPath(String(value), input, context);
    else out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) ? evaluateTemplate(value as Json, input, context) : value;
  }
  return out;
}

/**
 * Runs the Distributed Map `state` (the plain definition's) on `input`; `processor` is
 * the ItemProcessor to run (the instrumented copy). See the module documentation.
 */
export async function runDistributedMap(name: string, state: Json, processor: Json, input: unknown, host: DistributedMapHost): Promise<unknown> {
  if (state.ItemBatcher !== undefined) throw new MapStateError('States.Runtime', `${name}: ItemBatcher is not supported locally`);
  const reader = state.ItemReader as Json;
  const config = (reader.ReaderConfig ?? {}) as Json;
  if (reader.Resource !== 'arn:aws:states:::s3:getObject' || config.InputType !== 'JSON') {
    throw new MapStateError('States.Runtime', `${name}: only an ItemReader of a JSON array (s3:getObject, InputType JSON) runs locally`);
  }
  const where = evaluateTemplate((reader.Parameters ?? {}) as Json, input, {});
  let items: unknown;
  try {
    items = JSON.parse(await host.readObject(String(where.Bucket), String(where.Key)));
  } catch (err) {
    throw new MapStateError('States.ItemReaderFailed', `${name}: cannot read items from s3://${where.Bucket}/${where.Key}: ${(err as Error).message}`);
  }
  if (!Array.isArray(items)) throw new MapStateError('States.ItemReaderFailed', `${name}: s3://${where.Bucket}/${where.Key} holds no JSON array`);

  const selector = state.ItemSelector as Json | undefined;
  const max = Number(state.MaxConcurrency ?? 0) || items.length || 1;
  const outcomes: { index: number; input: unknown; outcome: ChildOutcome }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const value = (items as unknown[])[index];
      const childInput = selector ? evaluateTemplate(selector, input, { Map: { Item: { Index: index, Value: value } } }) : value;
      outcomes.push({ index, input: childInput, outcome: await host.runChild(processor, childInput, `${name}-${index}`) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(max, Math.max(1, items.length)) }, worker));
  outcomes.sort((a, b) => a.index - b.index);

  const runId = `${host.executionArn.split(':').pop()}-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const mapRunArn = `${host.executionArn.replace(':execution:', ':mapRun:')}/${runId}`;
  let details: { Bucket: string; Key: string } | undefined;
  const writer = state.ResultWriter as Json | undefined;
  if (writer) {
    const params = evaluateTemplate((writer.Parameters ?? {}) as Json, input, {});
    const bucket = String(params.Bucket);
    const base = `${String(params.Prefix ?? '').replace(/\/+$/, '')}/${runId}/`;
    const entry = (o: (typeof outcomes)[number]) => ({
      ExecutionArn: `${mapRunArn}:${o.index}`,
      Name: String(o.index),
      Input: JSON.stringify(o.input),
      InputDetails: { Included: true },
      Status: o.outcome.status,
      ...(o.outcome.status === 'SUCCEEDED' ? { Output: JSON.stringify(o.outcome.output ?? null), OutputDetails: { Included: true } } : { Error: o.outcome.error ?? '', Cause: o.outcome.cause ?? '' }),
    });
    const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
    for (const status of ['SUCCEEDED', 'FAILED'] as const) {
      const list = outcomes.filter((o) => o.outcome.status === status).map(entry);
      if (list.length === 0) continue;
      const body = JSON.stringify(list);
      await host.writeObject(bucket, `${base}${status}_0.json`, body);
      files[status].push({ Key: `${base}${status}_0.json`, Size: Buffer.byteLength(body) });
    }
    await host.writeObject(bucket, `${base}manifest.json`, JSON.stringify({ DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files }));
    details = { Bucket: bucket, Key: `${base}manifest.json` };
  }

  const failed = outcomes.filter((o) => o.outcome.status === 'FAILED');
  // Either threshold exceeded fails the map; with neither given, no failure is tolerated.
  const count = state.ToleratedFailureCount === undefined ? undefined : Number(state.ToleratedFailureCount);
  const percent = state.ToleratedFailurePercentage === undefined ? (count === undefined ? 0 : undefined) : Number(state.ToleratedFailurePercentage);
  const share = outcomes.length === 0 ? 0 : (100 * failed.length) / outcomes.length;
  const tooMany = failed.length > 0 && ((count !== undefined && failed.length > count) || (percent !== undefined && share > percent));
  if (tooMany) {
    throw new MapStateError(
      'States.ExceedToleratedFailureThreshold',
      `${failed.length} of ${outcomes.length} child executions of ${name} failed (tolerated: ${percent ?? 0}%${count === undefined ? '' : `, ${count} children`}): ${failed.map((f) => `${f.outcome.error}: ${f.outcome.cause}`).join('; ')}`,
    );
  }
  if (!writer) return outcomes.map((o) => o.outcome.output ?? null);
  return { MapRunArn: mapRunArn, ResultWriterDetails: details };
}
