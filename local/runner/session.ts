/**
 * One demo run: the local environment plus what a scenario needs to tell its story
 * (data written to the local S3, live traffic, ground truth, the monitor on the
 * simulated schedule, alarms routed to EventBridge, executions started) and a record
 * of everything seen, for the progress lines, the summary and the report.
 */
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { toCsv } from '../../examples/data/generate';
import type { ModelConfig } from '../../vocabulary/config/index';
import type { LogSource } from '../backend/sagemaker/index';
import { EXAMPLE_CONFIG, createEnvironment, loadLocalConfig, type LocalEnvironment, type RawModel } from './environment';
import type { ExecutionResult } from './executions';
import { GroundTruthWriter } from './ground-truth';
import type { LambdaCall } from './lambdas';
import { alarmLine, canaryStageLine, elapsed, isNotableState } from './progress';
import type { CanaryCheckRecord, DriftScore, RunRecord } from './report-data';
import { TrafficGenerator, type TrafficPayload, type TrafficRow } from './traffic';
import type { TriggeredTarget } from '../backend/eventbridge';
import { splitS3Uri } from '../../vocabulary/s3-uri';

/** Options of {@link DemoSession.start}. */
export interface SessionOptions {
  readonly scenario: string;
  /** Config file. @default examples/pitstop.config.json */
  readonly configPath?: string;
  /** Model of the config. @default its first */
  readonly modelName?: string;
  /** Changes to the model's raw config before validation (e.g. tighter canary limits). @default none */
  readonly patch?: (raw: RawModel) => RawModel;
  /** Root of the local backend. @default `.pitstop/local` of the working directory */
  readonly root?: string;
  /** Progress lines (stderr). @default dropped */
  readonly progress?: (line: string) => void;
  /** Length of a canary bake, in ms. @default 1500 */
  readonly bakeMs?: number;
  /**
   * How a manual approval (`.waitForTaskToken`) is answered: the task output, as a
   * person's SendTaskSuccess would give it. @default `{ approved: true }`
   */
  readonly approval?: { readonly approved: boolean };
}

/** The production model of the endpoint: the model of its heaviest variant. */
export interface EndpointState {
  readonly configName: string | null;
  readonly variants: readonly { name: string; model: string; weight: number }[];
  readonly model: string | null;
}

/** A running demo. */
export class DemoSession {
  public readonly startedAt = Date.now();
  /** Drift outputs of the monitor runs, in order: the single path's `drift` or the fan-out's `reduceWindow`. */
  public readonly driftRuns: { atMs: number; scores: DriftScore[]; rows?: number; window?: { start: string; end: string } }[] = [];
  /** How each monitor run read its window (`planWindow`), and the children that summarized a shard of it. */
  public readonly windowReads: { decision: string; bytes: number; objects: number; shards: number; children: number }[] = [];
  /** Evaluate outputs of the gate, in order. */
  public readonly evaluations: unknown[] = [];
  /** Evaluate outputs on the fixed holdout, judged beside a recent one (report only). */
  public readonly fixedHoldoutEvaluations: unknown[] = [];
  /** The fixed-holdout judgment by the index of the gate's evaluation of the same retrain (which comes after it). */
  private readonly fixedHoldoutByEvaluation = new Map<number, unknown>();
  /** prepareDataset outputs, in order. */
  public readonly datasets: unknown[] = [];
  public readonly canaryChecks: CanaryCheckRecord[] = [];
  public readonly alarms: RunRecord['alarms'][number][] = [];
  public readonly notifications: RunRecord['notifications'][number][] = [];
  /** The last state printed per execution (polling loops print once). */
  public readonly lastPrinted = new Map<string, string>();
  /** Drift scores of the monitor run right before the retrain alarm fired. */
  public alarmDrift: DriftScore[] | undefined;
  /** Live quality outputs of the monitor runs, in order. */
  public readonly qualityRuns: { atMs: number; matched: number; metrics: { metric: string; value: number }[] }[] = [];
  private trafficGen?: TrafficGenerator;
  private trafficPayload: TrafficPayload = 'csv';
  private gtWriter?: GroundTruthWriter;
  private readonly s3 = () => new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1' });

  private constructor(
    public readonly env: LocalEnvironment,
    public readonly scenario: string,
    private readonly print: (line: string) => void,
  ) {}

  /** Creates the environment (fresh root) and deploys the model. */
  public static async start(options: SessionOptions): Promise<DemoSession> {
    const print = options.progress ?? (() => undefined);
    const { model, compliance } = await loadLocalConfig(options.configPath ?? EXAMPLE_CONFIG, options.modelName, options.patch);
    let session: DemoSession | undefined;
    const t0 = Date.now();
    const say = (line: string) => print(`${elapsed(Date.now() - t0)} ${line}`);
    say(`scenario ${options.scenario}: synthesizing the ${model.name} stack and starting the local backend`);
    const env = await createEnvironment({
      model,
      compliance,
      ...(options.root ? { root: options.root } : {}),
      onLog: (line, source) => session?.onLog(line, source),
      onLambdaCall: (call) => session?.onLambdaCall(call),
      executions: {
        bakeMs: options.bakeMs ?? 1500,
        answerTaskToken: async (request) => {
          const answer = options.approval ?? { approved: true };
          session?.say(`approval: ${request.stateName} answered ${JSON.stringify(answer)}`);
          return answer;
        },
        onState: (entry, event) => {
          if (!session) return;
          if (event.type === 'StateEntered' && isNotableState(entry.type, entry.state) && session.lastPrinted.get(entry.execution) !== entry.state) {
            session.lastPrinted.set(entry.execution, entry.state);
            session.say(`${entry.stateMachine.padEnd(8)} ▶ ${entry.state}`);
          }
          if (event.type !== 'StateEntered') session.collectNotifications();
        },
        onExecution: (phase, e) => {
          if (!session) return;
          if (phase === 'started') session.say(`${e.stateMachine.padEnd(8)} ● started ${e.name.slice(0, 8)} ${JSON.stringify(e.input)}`);
          else session.say(`${e.stateMachine.padEnd(8)} ■ ${e.result!.status}${e.result!.error ? ` ${e.result!.error}` : ''}`);
        },
      },
    });
    session = new DemoSession(env, options.scenario, print);
    Object.assign(session, { startedAt: t0 });
    return session;
  }

  /** The deployed model config. */
  public get model(): ModelConfig {
    return this.env.model;
  }

  /** The model's features (name and type). */
  public get features(): readonly { name: string; type: string }[] {
    return (this.model.features ?? []) as readonly { name: string; type: string }[];
  }

  /** Prints a progress line with the elapsed time. */
  public say(line: string): void {
    this.print(`${elapsed(Date.now() - this.startedAt)} ${line}`);
  }

  private onLog(line: string, source: LogSource): void {
    if (source.kind === 'training') this.say(`training ${source.name.slice(-12)} | ${line}`);
  }

  private onLambdaCall(call: LambdaCall): void {
    const out = call.output as Record<string, unknown> | undefined;
    if (!out) return;
    if (call.key === 'drift') this.recordDrift(out, 'drift');
    if (call.key === 'reduceWindow') this.recordDrift(out.drift as Record<string, unknown>, 'drift (merged shards)');
    if (call.key === 'planWindow') {
      const read = { decision: String(out.decision), bytes: Number(out.bytes), objects: Number(out.objects), shards: Number(out.shards), children: 0 };
      this.windowReads.push(read);
      if (read.decision === 'fanOut') this.say(`plan: ${read.objects} capture objects, ${read.bytes} bytes → fan out over ${read.shards} shards`);
    }
    if (call.key === 'summarizeShard' && this.windowReads.length > 0) this.windowReads.at(-1)!.children += 1;
    if (call.key === 'quality' && Array.isArray(out.metrics)) {
      const m = (out.metrics as { metric: string; value: number }[]).map((x) => `${x.metric}=${x.value.toFixed(3)}`).join(' ');
      this.say(`live quality on ${String(out.matched)} labeled requests: ${m || 'no labels yet'}`);
      this.qualityRuns.push({ atMs: Date.now() - this.startedAt, matched: Number(out.matched), metrics: out.metrics as { metric: string; value: number }[] });
    }
    if (call.key === 'prepareDataset') {
      this.datasets.push(out);
      const d = out.dataset as { historyRows: number; productionRows: number; droppedRows: number; holdoutRows: number; holdoutFrom: string; holdoutTo: string };
      this.say(
        out.status === 'ready'
          ? `dataset: ${d.historyRows} history rows + ${d.productionRows - d.holdoutRows} labeled production rows train; holdout ${String(out.holdoutKind)}${out.holdoutKind === 'recent' ? ` (${d.holdoutRows} rows, ${d.holdoutFrom} .. ${d.holdoutTo})` : ''}; ${d.droppedRows} left out`
          : `dataset: ${String(out.status)} — ${String(out.cause)}`,
      );
    }
    if (call.key === 'evaluate' && String((call.input as { metricsUri?: string }).metricsUri).endsWith('/fixed-metrics.json')) {
      this.fixedHoldoutEvaluations.push(out);
      this.fixedHoldoutByEvaluation.set(this.evaluations.length, out);
      this.say(`fixed holdout (data.holdout, for comparison only): the candidate would have ${out.passed ? 'passed' : 'failed'} — candidate ${JSON.stringify(out.candidate)}, production ${JSON.stringify(out.production ?? {})}`);
    } else if (call.key === 'evaluate') {
      this.evaluations.push(out);
      const rules = (out.rules as { kind: string; metric: string; passed: boolean; message: string }[]) ?? [];
      this.say(`gate: ${out.passed ? 'PASSED' : 'REJECTED'} — ${rules.map((r) => `${r.passed ? '✓' : '✗'} ${r.message}`).join('; ')}`);
    }
    if (call.key === 'canaryCheck') {
      const input = call.input as { stage: { index: number; percent: number } };
      const metrics = out.metrics as { candidate: Record<string, number>; production?: Record<string, number> };
      const record: CanaryCheckRecord = {
        stage: { index: input.stage.index, percent: input.stage.percent },
        breached: Boolean(out.breached),
        ...(typeof out.verdict === 'string' ? { verdict: out.verdict } : {}),
        ...(typeof out.rule === 'string' ? { rule: out.rule } : {}),
        ...(typeof out.extensions === 'number' ? { extensions: out.extensions } : {}),
        ...(typeof out.reason === 'string' ? { reason: out.reason } : {}),
        candidate: metrics.candidate,
        ...(metrics.production ? { production: metrics.production } : {}),
      };
      this.canaryChecks.push(record);
      const verdict = record.verdict ? ` — ${record.verdict} by ${record.rule}${record.extensions ? ` after ${record.extensions} extension(s)` : ''}` : '';
      this.say(`${canaryStageLine(record.stage, record.candidate, record.production, record.breached, record.reason)}${verdict}`);
    }
    if (call.key === 'smokeTest') {
      this.say(`smoke test: ${out.passed ? 'passed' : 'FAILED'} (${String(out.requests)} requests, ${String(out.failures)} failures, p99 ${Number(out.p99Ms).toFixed(1)}ms)`);
    }
  }

  private recordDrift(out: Record<string, unknown>, what: string): void {
    if (!Array.isArray(out.features) || out.features.length === 0) return;
    const scores = (out.features as DriftScore[]).map((f) => ({ feature: f.feature, method: f.method, score: f.score, threshold: f.threshold, drifted: f.drifted }));
    const window = out.window as { start: string; end: string } | undefined;
    this.driftRuns.push({ atMs: Date.now() - this.startedAt, scores, ...(typeof out.rows === 'number' ? { rows: out.rows } : {}), ...(window ? { window } : {}) });
    const drifted = scores.filter((s) => s.drifted).map((s) => `${s.feature} ${s.method}=${s.score.toFixed(3)}`);
    this.say(`${what}: ${drifted.length}/${scores.length} features drifted${drifted.length ? ` (${drifted.join(', ')})` : ''}`);
  }

  /** Picks up SNS messages published since the last call. */
  public collectNotifications(): void {
    const messages = this.env.backend.sns.messages;
    for (let i = this.notifications.length; i < messages.length; i += 1) {
      const m = messages[i]!;
      this.notifications.push({ atMs: Date.now() - this.startedAt, subject: m.Subject ?? '', message: m.Message });
      this.say(`sns: ${m.Message.length > 160 ? `${m.Message.slice(0, 157)}...` : m.Message}`);
    }
  }

  /** Writes rows as a CSV object (header, features then label) to an S3 URI of the local S3. */
  public async writeCsv(uri: string, rows: readonly TrafficRow[]): Promise<void> {
    const { bucket, key: path } = splitS3Uri(uri);
    const key = path === '' || path.endsWith('/') ? `${path}data.csv` : path;
    const columns = [...this.features.map((f) => f.name), this.model.label];
    await this.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: toCsv(rows as never, columns), ContentType: 'text/csv' }));
  }

  /** Writes the training and holdout data sets to the model's data URIs. */
  public async writeData(train: readonly TrafficRow[], holdout: readonly TrafficRow[], what: string): Promise<void> {
    await this.writeCsv(this.model.data.training, train);
    await this.writeCsv(this.model.data.holdout, holdout);
    this.say(`data: ${what} — ${train.length} training rows, ${holdout.length} holdout rows`);
  }

  /** Live traffic to the model's endpoint. */
  public get traffic(): TrafficGenerator {
    return (this.trafficGen ??= new TrafficGenerator({
      endpointName: this.model.endpointName,
      features: this.features.map((f) => f.name),
      label: this.model.label,
      payload: this.trafficPayload,
    }));
  }

  /**
   * Sends the next requests as `payload` (CSV or JSON). The traffic sent so far keeps its
   * ground truth: each monitor period labels what it captured before it ends.
   */
  public async usePayload(payload: TrafficPayload): Promise<void> {
    await this.trafficGen?.stopBackground();
    this.trafficGen = undefined;
    this.trafficPayload = payload;
  }

  /** Deletes every captured object of the endpoint (after flushing the capture buffer), as a fresh capture prefix would be. */
  public async clearCapture(): Promise<number> {
    await this.env.sagemaker.flushMetrics();
    const capture = splitS3Uri(this.model.data.captureUri);
    const s3 = this.s3();
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: capture.bucket, Prefix: capture.key, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        await s3.send(new DeleteObjectCommand({ Bucket: capture.bucket, Key: o.Key! }));
        deleted += 1;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  /** Starts the Retrain state machine and waits for it (children included). */
  public retrain(input: Record<string, unknown>): Promise<ExecutionResult> {
    return this.env.runner.run(this.env.runner.machine('retrain').arn, input);
  }

  /** The endpoint's config, variants and production model (nulls when there is no endpoint). */
  public async endpointState(): Promise<EndpointState> {
    const sm = this.env.sagemaker;
    try {
      const ep = (await sm.DescribeEndpoint({ EndpointName: this.model.endpointName })) as { EndpointConfigName?: string; ProductionVariants?: { VariantName: string; CurrentWeight?: number }[] };
      const cfg = (await sm.DescribeEndpointConfig({ EndpointConfigName: ep.EndpointConfigName! })) as {
        ProductionVariants: { VariantName: string; ModelName: string; InitialVariantWeight?: number }[];
      };
      const current = new Map((ep.ProductionVariants ?? []).map((v) => [v.VariantName, v.CurrentWeight]));
      const variants = cfg.ProductionVariants.map((v) => ({ name: v.VariantName, model: v.ModelName, weight: current.get(v.VariantName) ?? v.InitialVariantWeight ?? 1 }));
      const heaviest = [...variants].sort((a, b) => b.weight - a.weight)[0];
      return { configName: ep.EndpointConfigName ?? null, variants, model: heaviest?.model ?? null };
    } catch {
      return { configName: null, variants: [], model: null };
    }
  }

  /**
   * One monitor period: sends `rows` as live traffic, writes ground truth for what was
   * captured, moves the simulated clock to the monitor schedule's next firing, runs the
   * due scheduled executions, then evaluates the alarms and routes their state changes
   * to EventBridge. Returns the targets the alarms started (not started yet).
   */
  public async monitorPeriod(rows: readonly TrafficRow[]): Promise<TriggeredTarget[]> {
    const { backend, sagemaker, clock, runner } = this.env;
    await this.traffic.sendAll(rows);
    await sagemaker.flushMetrics();
    this.gtWriter ??= new GroundTruthWriter(this.model.data.captureUri, this.model.data.groundTruthUri, () => clock.now());
    const labeled = await this.gtWriter.write(this.traffic.labels);
    this.say(`traffic: ${rows.length} live requests; ground truth arrived for ${labeled} captured requests`);
    const from = clock.now();
    const due = backend.eventbridge.dueSchedules(from, new Date(from.getTime() + 24 * 3_600_000));
    const next = due[0];
    if (!next) throw new Error('expected a schedule rule (the monitor schedule) in the template');
    clock.advanceTo(next.time);
    this.say(`clock: ${next.time.toISOString()} — rule ${next.rule} fires`);
    for (const d of due.filter((x) => x.time.getTime() === next.time.getTime())) {
      for (const t of d.targets) await runner.run(t.arn, t.input);
    }
    return this.evaluateAlarms();
  }

  /** Evaluates every alarm now; records and prints the changes; returns the targets they start. */
  public evaluateAlarms(): TriggeredTarget[] {
    const { backend } = this.env;
    const targets: TriggeredTarget[] = [];
    for (const event of backend.cloudwatch.evaluateAlarms()) {
      const d = event.detail;
      const quiet = d.previousState.value === 'INSUFFICIENT_DATA' && d.state.value === 'OK';
      if (!quiet) {
        this.alarms.push({ atMs: Date.now() - this.startedAt, alarm: d.alarmName, from: d.previousState.value, to: d.state.value, reason: d.state.reason });
        this.say(alarmLine(d.alarmName, d.previousState.value, d.state.value, d.state.reason));
      }
      const started = backend.eventbridge.route(event as never);
      if (started.length && !this.alarmDrift) this.alarmDrift = this.driftRuns.at(-1)?.scores;
      for (const t of started) this.say(`eventbridge: rule ${t.rule} → start ${this.env.runner.machine('retrain').arn === t.arn ? 'retrain' : t.arn} ${JSON.stringify(t.input)}`);
      targets.push(...started);
    }
    backend.eventbridge.takeTriggered();
    return targets;
  }

  /** Builds the run record; the evaluation shown is the last one after the first `evaluationsBefore` (the bootstrap's). */
  public record(outcome: RunRecord['outcome'], productionModel: RunRecord['productionModel'], evaluationsBefore: number): RunRecord {
    this.collectNotifications();
    const evaluation = this.evaluations.length > evaluationsBefore ? (this.evaluations.at(-1) as RunRecord['evaluation']) : undefined;
    const fixedHoldout = evaluation ? (this.fixedHoldoutByEvaluation.get(this.evaluations.length - 1) as RunRecord['fixedHoldout']) : undefined;
    type Judgment = NonNullable<RunRecord['evaluation']>;
    const judgment = (e: Judgment): Judgment => ({ candidate: e.candidate, ...(e.production ? { production: e.production } : {}), rules: e.rules, passed: e.passed });
    return {
      scenario: this.scenario,
      model: this.model.name,
      startedAt: this.startedAt,
      durationMs: Date.now() - this.startedAt,
      outcome,
      productionModel,
      timeline: this.env.timeline.entries,
      featureTypes: Object.fromEntries(this.features.map((f) => [f.name, f.type as 'numeric' | 'categorical'])),
      drift: this.alarmDrift ?? this.driftRuns.at(-1)?.scores ?? [],
      ...(evaluation ? { evaluation: judgment(evaluation) } : {}),
      ...(fixedHoldout ? { fixedHoldout: judgment(fixedHoldout) } : {}),
      canary: this.canaryChecks,
      alarms: this.alarms,
      notifications: this.notifications,
    };
  }

  /** Stops traffic and tears the environment down. */
  public async close(): Promise<void> {
    try {
      await this.trafficGen?.stopBackground();
    } finally {
      await this.env.teardown();
    }
  }
}
