/**
 * The fan-out scenario: one monitor window of several hundred capture objects, read
 * once by the fan-out (plan, a Distributed Map of shards run by pitstop's local
 * executor, the merge) and once more by the single path (a backfill of the same window
 * with `monitor.fanOutBytes` above its size), which must reach the same drift result.
 * Then new labeled data arrives and a retrain is promoted, as in the other stories.
 */
import type { ExecutionResult } from './executions';
import { loadModel, type RawModel } from './environment';
import type { EndpointState, DemoSession } from './session';
import type { TrafficRow } from './traffic';

/** `monitor.fanOutBytes` of the scenario: far below one period of traffic's capture, so the window fans out. */
export const FAN_OUT_BYTES = 100_000;
/** `monitor.shardBytes` of the scenario: a window of the scenario's traffic packs into about a dozen shards. */
export const SHARD_BYTES = 40_000;
/** Children running at once. */
export const FAN_OUT_CONCURRENCY = 4;
/** Requests per capture flush: one capture object per flush, so a period writes a few hundred objects. */
export const REQUESTS_PER_OBJECT = 4;
/** Fewest capture objects the window must hold for the story to hold. */
export const MIN_WINDOW_OBJECTS = 200;

/** The scenario's config: a small fan-out threshold and shard size, a few children at once. */
export function fanOutConfig(raw: RawModel): RawModel {
  return {
    ...raw,
    monitor: { ...((raw.monitor as Record<string, unknown> | undefined) ?? {}), fanOutBytes: FAN_OUT_BYTES, shardBytes: SHARD_BYTES, maxConcurrency: FAN_OUT_CONCURRENCY },
  };
}

/** What the scenario needs from the scenario module. */
export interface FanOutSteps {
  bootstrap(s: DemoSession): Promise<EndpointState>;
  /** Drifted training data and live traffic. */
  driftedData(seed: number): { train: TrafficRow[]; holdout: TrafficRow[]; live: TrafficRow[] };
  retrainUnderTraffic(s: DemoSession, live: readonly TrafficRow[]): Promise<ExecutionResult>;
  requestsPerPeriod: number;
}

/** What the scenario saw. */
export interface FanOutResult {
  readonly before: EndpointState;
  readonly evaluationsBefore: number;
  readonly main?: ExecutionResult;
  readonly failed: string[];
  /** The fan-out's read of the window (shards, children) and the window itself. */
  readonly fanOut?: { objects: number; bytes: number; shards: number; children: number; window: { start: string; end: string } };
  /** Drift score by feature, each path. */
  readonly drift?: { fanOut: Record<string, number>; single: Record<string, number> };
}

const scoresOf = (run: DemoSession['driftRuns'][number]) => Object.fromEntries(run.scores.map((d) => [d.feature, d.score]));

/** Hours of an ISO window, as a backfill's window length. */
function windowLength(window: { start: string; end: string }): string {
  const seconds = (Date.parse(window.end) - Date.parse(window.start)) / 1000;
  return seconds % 3600 === 0 ? `PT${seconds / 3600}H` : `PT${seconds}S`;
}

/** Differences between the two paths' drift runs, one line each (empty when they agree; scores relative 1e-9). */
export function compareDriftRuns(fanOut: DemoSession['driftRuns'][number], single: DemoSession['driftRuns'][number]): string[] {
  const out: string[] = [];
  if (fanOut.rows !== single.rows) out.push(`rows: ${fanOut.rows} fanned out vs ${single.rows} single`);
  const one = new Map(single.scores.map((d) => [d.feature, d]));
  if (fanOut.scores.length !== single.scores.length) out.push(`features: ${fanOut.scores.length} fanned out vs ${single.scores.length} single`);
  for (const f of fanOut.scores) {
    const g = one.get(f.feature);
    if (!g) {
      out.push(`${f.feature}: only on the fan-out`);
      continue;
    }
    if (f.method !== g.method || f.drifted !== g.drifted || f.threshold !== g.threshold) out.push(`${f.feature}: ${f.method}/${f.drifted} vs ${g.method}/${g.drifted}`);
    if (Math.abs(f.score - g.score) > 1e-9 * Math.max(1, Math.abs(f.score), Math.abs(g.score))) out.push(`${f.feature} ${f.method}: ${f.score} fanned out vs ${g.score} single`);
  }
  return out;
}

/** Runs the fan-out story; see the module documentation. */
export async function runFanOut(s: DemoSession, configPath: string, modelName: string | undefined, steps: FanOutSteps): Promise<FanOutResult> {
  const before = await steps.bootstrap(s);
  const evaluationsBefore = s.evaluations.length;
  const failed: string[] = [];
  const { train, holdout, live } = steps.driftedData(71);
  const period = live.slice(0, steps.requestsPerPeriod);
  s.say(`— traffic: ${period.length} requests, capture flushed every ${REQUESTS_PER_OBJECT} requests (one object per flush) —`);
  for (let i = 0; i < period.length; i += REQUESTS_PER_OBJECT) {
    await s.traffic.sendAll(period.slice(i, i + REQUESTS_PER_OBJECT));
    await s.env.sagemaker.flushMetrics();
  }
  const executionsBefore = s.env.runner.executions.length;
  await s.monitorPeriod([]);
  const monitorRuns = s.env.runner.executions.slice(executionsBefore).filter((e) => e.stateMachine === 'monitor');
  const read = s.windowReads.at(-1);
  const fanDrift = s.driftRuns.at(-1);
  if (monitorRuns.length !== 1 || monitorRuns[0]!.status !== 'SUCCEEDED') failed.push(`expected one successful monitor run, got ${JSON.stringify(monitorRuns.map((e) => `${e.status} ${e.error ?? ''}`))}`);
  if (!read || read.decision !== 'fanOut' || !fanDrift?.window) {
    failed.push(`expected the monitor to fan out with a drift result, got ${JSON.stringify(read)}`);
    return { before, evaluationsBefore, failed };
  }
  if (read.objects < MIN_WINDOW_OBJECTS) failed.push(`expected at least ${MIN_WINDOW_OBJECTS} capture objects in the window, got ${read.objects}`);
  if (read.shards < 2 || read.bytes <= FAN_OUT_BYTES) failed.push(`expected several shards of a window above ${FAN_OUT_BYTES} bytes, got ${read.shards} shards of ${read.bytes} bytes`);
  if (read.children !== read.shards) failed.push(`expected one child per shard, got ${read.children} children for ${read.shards} shards`);
  if (s.env.timeline.states.filter((st) => st === 'Merge partial summaries').length === 0) failed.push('expected the monitor to merge the partial summaries');

  const window = fanDrift.window;
  s.say(`— single path: the same window ${window.start} .. ${window.end} again, with monitor.fanOutBytes above its ${read.bytes} bytes —`);
  const single = await loadModel(configPath, modelName, (raw) => ({
    ...raw,
    triggers: { ...(raw.triggers as Record<string, unknown>), cooldownDays: 0 },
    monitor: { ...((raw.monitor as Record<string, unknown> | undefined) ?? {}), fanOutBytes: 10 * read.bytes },
  }));
  await s.env.redeploy(single);
  const backfill = await s.env.runner.run(s.env.runner.machine('monitor').arn, { trigger: 'manual', reason: 'the same window on the single path', windowEnd: window.end, window: windowLength(window) });
  const singleRead = s.windowReads.at(-1)!;
  const singleDrift = s.driftRuns.at(-1)!;
  if (backfill.status !== 'SUCCEEDED') failed.push(`expected the single-path run to succeed, got ${backfill.status} ${backfill.error ?? ''}: ${backfill.cause ?? ''}`);
  if (singleRead === read || singleRead.decision !== 'single') failed.push(`expected the second run to read the window on the single path, got ${JSON.stringify(singleRead)}`);
  if (singleDrift === fanDrift) failed.push('expected the single path to produce its own drift result');
  else {
    if (singleRead.objects !== read.objects || singleRead.bytes !== read.bytes) failed.push(`expected the same window's objects, got ${singleRead.objects} (${singleRead.bytes} bytes) vs ${read.objects} (${read.bytes} bytes)`);
    if (JSON.stringify(singleDrift.window) !== JSON.stringify(window)) failed.push(`expected the same window, got ${JSON.stringify(singleDrift.window)} vs ${JSON.stringify(window)}`);
    for (const d of compareDriftRuns(fanDrift, singleDrift)) failed.push(`expected the fan-out to give the single path's drift: ${d}`);
  }
  s.say(`drift: fan-out (${read.shards} shards) and single path ${failed.length === 0 ? 'agree' : 'DIFFER'} on ${fanDrift.rows} rows`);

  await s.writeData(train, holdout, 'new labeled data arrived');
  const main = await steps.retrainUnderTraffic(s, live);
  return {
    before,
    evaluationsBefore,
    main,
    failed,
    fanOut: { objects: read.objects, bytes: read.bytes, shards: read.shards, children: read.children, window },
    drift: { fanOut: scoresOf(fanDrift), single: scoresOf(singleDrift) },
  };
}
