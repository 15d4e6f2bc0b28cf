/**
 * The `soak` scenario: two simulated weeks of hourly monitoring on the local clock.
 *
 * Live traffic arrives every hour (one quiet hour a day, below `monitor.minRows`) and
 * its capture accumulates on the local S3: nothing is deleted, so a monitor that read
 * everything would read more every hour. Labels arrive two hours late, keyed by the
 * caller's InferenceId. The story:
 * 1. day 1: drift appears; the drifted-features alarm starts a retrain whose training
 *    labels are scrambled: the gate rejects it (retryAfter is recorded);
 * 2. the drift persists and the alarm stays in ALARM; a day later the monitor re-arms it,
 *    it fires again and starts a retrain on good data: promoted;
 * 3. labels accumulate past `triggers.newLabeledSamples` since that model's training
 *    cut-off: the new-labels alarm starts a retrain: promoted; then labeling pauses;
 * 4. the model ages past `triggers.maxModelAgeDays`: the monitor starts a max-age retrain:
 *    promoted;
 * 5. an operator rolls that promotion back: the production state of the one before
 *    comes back (its baseline, cut-off and age), and the monitor goes on against it.
 *
 * The weekly retrain schedule and the live-quality alarm are left out of this
 * scenario's config, so every retrain in it has one of the causes above.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { generateRows, splitHoldout } from '../../examples/data/generate';
import { OUTCOMES, type Outcome } from '../../vocabulary/pipeline-names';
import { hourPartition } from '../../lambdas/core/window/monitor-window';
import type { ExecutionResult } from './executions';
import type { RawModel } from './environment';
import type { DemoSession } from './session';
import type { TrafficRow } from './traffic';
import { splitS3Uri } from '../../vocabulary/s3-uri';

/** Days of hourly monitoring after the bootstrap. */
export const SOAK_DAYS = 14;
/** Rows captured in an ordinary hour. */
export const SOAK_ROWS_PER_HOUR = 150;
/** Rows captured in the quiet hour of each day (03:00 UTC): fewer than `monitor.minRows`. */
export const SOAK_QUIET_ROWS = 40;
/** Rows per InvokeEndpoint request (SageMaker captures one record per request). */
export const SOAK_REQUEST_ROWS = 30;
/** How late labels arrive. */
export const SOAK_LABEL_DELAY_HOURS = 2;
/** Labels a day brings. */
const DAY_LABELS = 23 * SOAK_ROWS_PER_HOUR + SOAK_QUIET_ROWS;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The soak's config: windows with a label delay, a retry interval, short cooldown and age, four days of labels to retrain. */
export function soakConfig(raw: RawModel): RawModel {
  const triggers = { ...(raw.triggers as Record<string, unknown>) };
  delete triggers.quality;
  const gate = { ...(raw.gate as Record<string, unknown>) };
  delete gate.primary;
  return {
    ...raw,
    monitor: { labelDelay: `PT${SOAK_LABEL_DELAY_HOURS}H`, minRows: 100 },
    triggers: { ...triggers, retrainSchedules: [], cooldownDays: 1, retryAfterHours: 24, maxModelAgeDays: 5, newLabeledSamples: 4 * DAY_LABELS },
    gate,
    // Drifted traffic moves values out of the baseline's range: a matter for the drift
    // alarm in this story, not a critical data-quality stop of the monitor.
    validation: { ...(raw.validation as Record<string, unknown>), outOfRangeWarning: 0.2, outOfRangeCritical: 0.5 },
  };
}

/** One monitor run of the soak. */
export interface SoakMonitorRun {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly rowsRead: number;
  readonly bytesRead: number;
  /** All capture on the local S3 when the run started. */
  readonly captureBytesTotal: number;
  readonly insufficientData: boolean;
  /** The baseline the run compared against (the production state's). */
  readonly baselineUri: string;
  /** Drift score per feature (none when the window had too little data). */
  readonly drift: Readonly<Record<string, number>>;
}

/** One retrain of the soak. */
export interface SoakRetrain {
  readonly trigger: string;
  readonly alarmName: string;
  readonly outcome: Outcome;
  /** Simulated time it started. */
  readonly at: string;
  /** The candidate's baseline (the production baseline once promoted). */
  readonly baselineUri: string;
}

/** A Retrain execution's outcome as the exported list names it. */
export function soakOutcome(outcome: string): Outcome {
  switch (outcome) {
    case 'promoted':
      return OUTCOMES.promoted;
    case 'rejected':
      return OUTCOMES.rejected;
    case 'rolled-back':
      return OUTCOMES.rolledBack;
    case 'skipped':
      return OUTCOMES.skipped;
    default:
      return OUTCOMES.failed;
  }
}

interface PendingLabels {
  readonly dueHour: number;
  readonly inferenceId: string;
  readonly labels: string[];
}

/** What a soak run gathered. */
export interface SoakResult {
  readonly monitor: SoakMonitorRun[];
  readonly retrains: SoakRetrain[];
  readonly failed: string[];
  /** Simulated time the hourly monitoring began. */
  readonly start: string;
  /** Index of the first monitor run after the rollback. */
  readonly rollbackAt?: number;
}

/** What the soak's story needs from the scenarios module (kept there: the bootstrap and the outcome reader). */
export interface SoakDeps {
  bootstrapModel(s: DemoSession): Promise<void>;
  outcomeOf(s: DemoSession, r: ExecutionResult | undefined): string;
  shuffleLabels(rows: readonly TrafficRow[], label: string, seed: number): TrafficRow[];
}

/** Runs the soak; returns its per-run and per-retrain records and the checks that failed. */
export async function runSoak(s: DemoSession, deps: SoakDeps): Promise<SoakResult> {
  const { clock, runner, sagemaker } = s.env;
  const failed: string[] = [];
  const s3 = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1' });
  const runtime = new SageMakerRuntimeClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  const features = s.features.map((f) => f.name);
  const label = s.model.label;

  await deps.bootstrapModel(s);
  const start = Math.ceil(clock.now().getTime() / HOUR_MS) * HOUR_MS;
  clock.advanceTo(new Date(start));
  s.say(`clock: the soak starts at ${new Date(start).toISOString()} and runs ${SOAK_DAYS} days of hourly monitoring`);

  const clean = generateRows({ rows: 30 * 24 * SOAK_ROWS_PER_HOUR, seed: 71 });
  const drifted = generateRows({ rows: 30 * 24 * SOAK_ROWS_PER_HOUR, seed: 73, featureDrift: 1, conceptDrift: 1 });
  const good = splitHoldout(generateRows({ rows: 1500, seed: 75, featureDrift: 1, conceptDrift: 1 }));
  let cursor = 0;
  let labeling = true;
  let driftOn = false;
  const pending: PendingLabels[] = [];
  const monitor: SoakMonitorRun[] = [];
  const retrains: SoakRetrain[] = [];
  const seen = new Set<string>();
  let rolledBack = false;
  let rollbackBaseline: string | undefined;
  let rollbackAt: number | undefined;
  let story: 'clean' | 'rejecting' | 'recovering' | 'labels' | 'aging' | 'restored' = 'clean';

  const captureBytes = async (): Promise<number> => {
    const capture = splitS3Uri(s.model.data.captureUri);
    let total = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: capture.bucket, Prefix: capture.key, ContinuationToken: token }));
      for (const o of page.Contents ?? []) total += o.Size ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return total;
  };

  /** Sends one hour's rows as requests of SOAK_REQUEST_ROWS rows, each with an InferenceId; labels come later. */
  const sendHour = async (hour: number, rows: readonly TrafficRow[]) => {
    for (let i = 0; i < rows.length; i += SOAK_REQUEST_ROWS) {
      const batch = rows.slice(i, i + SOAK_REQUEST_ROWS);
      const inferenceId = `soak-${hour}-${i / SOAK_REQUEST_ROWS}`;
      const body = batch.map((r) => features.map((f) => r[f] ?? '').join(',')).join('\n');
      await runtime.send(new InvokeEndpointCommand({ EndpointName: s.model.endpointName, Body: new TextEncoder().encode(body), ContentType: 'text/csv', Accept: 'text/csv', InferenceId: inferenceId }));
      pending.push({ dueHour: hour + SOAK_LABEL_DELAY_HOURS, inferenceId, labels: batch.map((r) => String(r[label])) });
    }
  };

  /** Writes the ground truth due by `hour` into the current hour's partition (SageMaker's layout). */
  const deliverLabels = async (hour: number) => {
    const due = pending.filter((p) => p.dueHour <= hour);
    if (due.length === 0) return;
    pending.splice(0, pending.length, ...pending.filter((p) => p.dueHour > hour));
    if (!labeling) return;
    const lines = due.map((p) => JSON.stringify({ groundTruthData: { data: p.labels.join(','), encoding: 'CSV' }, eventMetadata: { eventId: p.inferenceId }, eventVersion: '0' }));
    const truth = splitS3Uri(s.model.data.groundTruthUri);
    const prefix = truth.key.replace(/\/?$/, '/');
    await s3.send(new PutObjectCommand({ Bucket: truth.bucket, Key: `${prefix}${hourPartition(clock.now())}/labels-${hour}.jsonl`, Body: `${lines.join('\n')}\n` }));
  };

  /** Runs retrains started by alarms or by the monitor, with live traffic in the background; records each new one. */
  const runRetrains = async (targets: readonly { arn: string; input: unknown }[]) => {
    if (targets.length === 0 && !runner.busy) return;
    s.traffic.startBackground(driftOn ? drifted : clean, 40);
    try {
      await Promise.all(targets.map((t) => runner.run(t.arn, t.input)));
      await runner.settle();
    } finally {
      await s.traffic.stopBackground();
    }
  };

  const recordRetrains = async () => {
    for (const r of runner.executions) {
      if (r.stateMachine !== 'retrain' || seen.has(r.name)) continue;
      seen.add(r.name);
      const input = r.input as { trigger?: string; alarmName?: string };
      const outcome = soakOutcome(deps.outcomeOf(s, r));
      const baselineUri = ((r.output ?? {}) as { run?: { baselineUri?: string } }).run?.baselineUri ?? '';
      retrains.push({ trigger: input.trigger ?? 'manual', alarmName: input.alarmName ?? '', outcome, at: r.startDate.toISOString(), baselineUri });
      s.say(`retrain (${input.trigger ?? 'manual'}${input.alarmName ? ` ${input.alarmName}` : ''}) ended ${outcome}`);
      // The story's data, written as each chapter ends.
      if (story === 'rejecting' && outcome === OUTCOMES.rejected) {
        story = 'recovering';
        await s.writeData(good.train, good.holdout, 'good labeled data of the drifted customers arrived');
      } else if (story === 'recovering' && outcome === OUTCOMES.promoted) {
        story = 'labels';
      } else if (story === 'labels' && outcome === OUTCOMES.promoted) {
        story = 'aging';
        labeling = false;
        s.say('labeling pauses: no more ground truth arrives');
      }
    }
  };

  for (let hour = 0; hour < SOAK_DAYS * 24; hour += 1) {
    const hourStart = start + hour * HOUR_MS;
    clock.advanceTo(new Date(hourStart + 30 * 60_000));
    if (!driftOn && hour >= 24) {
      driftOn = true;
      story = 'rejecting';
      s.say('— day 1: customers drift; a broken labeling job scrambles the new training labels —');
      await s.writeData(deps.shuffleLabels(good.train, label, 77), good.holdout, 'new labeled data arrived (labels scrambled)');
    }
    const quiet = new Date(hourStart).getUTCHours() === 3;
    const n = quiet ? SOAK_QUIET_ROWS : SOAK_ROWS_PER_HOUR;
    const source = driftOn ? drifted : clean;
    const rows = source.slice(cursor % (source.length - n), (cursor % (source.length - n)) + n);
    cursor += n;
    await sendHour(hour, rows);
    await deliverLabels(hour);
    await sagemaker.flushMetrics();

    // The monitor fires on the hour.
    const captureBytesTotal = await captureBytes();
    const fire = new Date(hourStart + HOUR_MS);
    clock.advanceTo(fire);
    const due = s.env.backend.eventbridge.dueSchedules(new Date(fire.getTime() - 1), fire);
    for (const d of due) for (const t of d.targets) {
      const run = await runner.run(t.arn, t.input);
      if (run.stateMachine !== 'monitor') continue;
      const state = (run.output ?? {}) as {
        validation?: Record<string, unknown>;
        drift?: { features?: { feature: string; score: number }[] };
        recorded?: { item?: { baselineUri?: { S?: string } } };
      };
      const v = state.validation ?? {};
      const window = (v.window ?? {}) as { start?: string; end?: string };
      if (run.status !== 'SUCCEEDED') failed.push(`monitor run at ${fire.toISOString()} ended ${run.status} ${run.error ?? ''}: ${run.cause ?? ''}`);
      monitor.push({
        windowStart: window.start ?? '',
        windowEnd: window.end ?? '',
        rowsRead: Number(v.rows ?? 0),
        bytesRead: Number(v.bytesRead ?? 0),
        captureBytesTotal,
        insufficientData: v.insufficientData === true,
        baselineUri: state.recorded?.item?.baselineUri?.S ?? '',
        drift: Object.fromEntries((state.drift?.features ?? []).map((f) => [f.feature, f.score])),
      });
    }
    await runRetrains(s.evaluateAlarms());
    await recordRetrains();

    // Chapter 5: an operator rolls the max-age promotion back, once.
    if (!rolledBack && (story as string) === 'aging' && retrains.some((r) => r.trigger === 'maxAge' && r.outcome === OUTCOMES.promoted)) {
      rolledBack = true;
      story = 'restored';
      s.say('— an operator rolls the last promotion back (pitstop rollback) —');
      const rollback = await runner.run(runner.machine('rollback').arn, { reason: 'operator: roll back the max-age model' });
      if (rollback.status !== 'SUCCEEDED') failed.push(`expected the rollback to succeed, got ${rollback.status} ${rollback.error ?? ''}: ${rollback.cause ?? ''}`);
      rollbackAt = monitor.length;
      const promoted = retrains.filter((r) => r.outcome === OUTCOMES.promoted);
      rollbackBaseline = promoted.at(-2)?.baselineUri;
      s.say(`production state restored: the model before, baseline ${rollbackBaseline}`);
    }
  }
  if (rollbackAt === undefined || rollbackBaseline === undefined) failed.push('expected a promotion to be rolled back');
  else if (monitor[rollbackAt]?.baselineUri !== rollbackBaseline) {
    failed.push(`expected the monitor after the rollback to use the restored baseline ${rollbackBaseline}, got ${monitor[rollbackAt]?.baselineUri}`);
  }
  return { monitor, retrains, failed, start: new Date(start).toISOString(), ...(rollbackAt === undefined ? {} : { rollbackAt }) };
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The checks the soak must pass, one line per failure. */
export function soakChecks(monitor: readonly SoakMonitorRun[], retrains: readonly SoakRetrain[]): string[] {
  const failed: string[] = [];
  const day = (d: number) => monitor.slice(d * 24, (d + 1) * 24).filter((r) => !r.insufficientData);
  const first = day(0);
  const last = day(Math.floor(monitor.length / 24) - 1);
  if (monitor.length < SOAK_DAYS * 24) failed.push(`expected ${SOAK_DAYS * 24} monitor runs, got ${monitor.length}`);
  if (first.length && last.length) {
    const a = median(first.map((r) => r.bytesRead));
    const b = median(last.map((r) => r.bytesRead));
    if (Math.abs(b - a) > 0.25 * a) failed.push(`expected bytes read per run on the last day within 25 % of the first day's, got ${b} vs ${a}`);
    const ca = median(first.map((r) => r.captureBytesTotal));
    const cb = median(last.map((r) => r.captureBytesTotal));
    if (cb < 10 * ca) failed.push(`expected capture on disk to grow at least tenfold, got ${ca} → ${cb}`);
  }
  for (let i = 1; i < monitor.length; i += 1) {
    if (monitor[i]!.windowStart !== monitor[i - 1]!.windowEnd) {
      failed.push(`expected consecutive windows to tile, got ${monitor[i - 1]!.windowEnd} then ${monitor[i]!.windowStart}`);
      break;
    }
  }
  if (!monitor.some((r) => r.insufficientData)) failed.push('expected quiet hours reported as insufficientData');
  const rejected = retrains.find((r) => r.trigger === 'alarm' && r.outcome === OUTCOMES.rejected);
  if (!rejected) failed.push('expected an alarm-started retrain to be rejected');
  else if (!retrains.some((r) => r.alarmName === rejected.alarmName && r.at > rejected.at && r.outcome === OUTCOMES.promoted)) {
    failed.push(`expected the alarm ${rejected.alarmName} to start another retrain later, promoted`);
  }
  if (!retrains.some((r) => r.trigger === 'alarm' && r.alarmName.endsWith('new-labeled-samples'))) failed.push('expected the new-labels alarm to start a retrain');
  if (!retrains.some((r) => r.trigger === 'maxAge')) failed.push('expected a max-age retrain');
  return failed;
}

/** Days after the soak's start of a time, for the report's axis. */
export function soakDay(startIso: string, iso: string): number {
  return (Date.parse(iso) - Date.parse(startIso)) / DAY_MS;
}
