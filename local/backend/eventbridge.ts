/**
 * Local EventBridge: PutEvents records events and matches them against the rules of
 * the synthesized template ({@link LocalEventBridge.loadRules}); schedule rules are
 * listed by {@link LocalEventBridge.dueSchedules}. A match yields the targets to start
 * (state machine ARN and input, after Input / InputPath / InputTransformer).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FakeEnvironment, SynthesizedTemplate } from '../asl';
import { LocalAwsError } from './errors';
import { applyInputTransformer, matchesPattern, readPath } from './event-pattern';
import { fireTimes } from './schedule';
import { callAction, type LocalService } from './service';
import { appendJsonLine } from './store';
import { environmentOf, resourcesOfType } from './template';

const SERVICE = 'eventbridge';

/** An event as EventBridge delivers it. */
export interface BusEvent {
  readonly version: string;
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
  readonly [key: string]: unknown;
}

/** A target of a rule, as the template defines it. */
export interface RuleTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

/** A rule loaded from the template. */
export interface LocalRule {
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  readonly enabled: boolean;
  readonly eventPattern?: Record<string, unknown>;
  readonly scheduleExpression?: string;
  readonly targets: readonly RuleTarget[];
}

/** A target an event starts, with its input. */
export interface TriggeredTarget {
  readonly rule: string;
  readonly targetId: string;
  /** ARN of the target (a state machine for pitstop's rules). */
  readonly arn: string;
  readonly input: unknown;
  readonly event: BusEvent;
}

/** A schedule rule firing. */
export interface DueSchedule {
  readonly rule: string;
  readonly time: Date;
  readonly targets: readonly TriggeredTarget[];
}

/** Options of {@link LocalEventBridge}. */
export interface LocalEventBridgeOptions {
  /** Root directory of local mode (events are logged to `<root>/events.log`). */
  readonly root: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** Account and region of events and rule ARNs. @default 123456789012, us-east-1 */
  readonly env?: FakeEnvironment;
  /** Called for every target an event starts (PutEvents or {@link LocalEventBridge.route}). @default none */
  readonly onTarget?: (target: TriggeredTarget) => void;
}

function busName(nameOrArn: unknown): string {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') return 'default';
  const slash = nameOrArn.lastIndexOf('/');
  return nameOrArn.startsWith('arn:') && slash >= 0 ? nameOrArn.slice(slash + 1) : nameOrArn;
}

/** The local EventBridge service. */
export class LocalEventBridge implements LocalService {
  public readonly serviceName = SERVICE;
  /** Every event put or routed, oldest first. */
  public readonly events: BusEvent[] = [];
  /** Targets started by events and not yet taken with {@link takeTriggered}. */
  private triggered: TriggeredTarget[] = [];
  private rules: LocalRule[] = [];
  private readonly file: string;
  private readonly clock: () => Date;
  private readonly env?: FakeEnvironment;
  private readonly onTarget?: (target: TriggeredTarget) => void;

  public constructor(options: LocalEventBridgeOptions) {
    this.file = join(options.root, 'events.log');
    this.clock = options.clock ?? (() => new Date());
    this.env = options.env;
    this.onTarget = options.onTarget;
  }

  public call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callAction(this, SERVICE, action, input);
  }

  /** Loads the `AWS::Events::Rule` resources of a synthesized template (replacing any loaded before). */
  public loadRules(template: SynthesizedTemplate): LocalRule[] {
    const e = environmentOf(this.env);
    this.rules = resourcesOfType(template, 'AWS::Events::Rule', this.env).map(({ logicalId, properties: p }) => {
      const name = typeof p.Name === 'string' ? p.Name : logicalId;
      const bus = busName(p.EventBusName);
      return {
        name,
        arn: `arn:${e.partition}:events:${e.region}:${e.account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`,
        eventBusName: bus,
        enabled: p.State !== 'DISABLED',
        ...(p.EventPattern ? { eventPattern: (typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern) as Record<string, unknown> } : {}),
        ...(typeof p.ScheduleExpression === 'string' ? { scheduleExpression: p.ScheduleExpression } : {}),
        targets: ((p.Targets as RuleTarget[] | undefined) ?? []).map((t) => ({
          Id: t.Id,
          Arn: t.Arn,
          ...(t.Input !== undefined ? { Input: t.Input } : {}),
          ...(t.InputPath !== undefined ? { InputPath: t.InputPath } : {}),
          ...(t.InputTransformer !== undefined ? { InputTransformer: t.InputTransformer } : {}),
        })),
      };
    });
    return this.rules;
  }

  /** The loaded rules. */
  public get loadedRules(): readonly LocalRule[] {
    return this.rules;
  }

  private targetsFor(rule: LocalRule, event: BusEvent): TriggeredTarget[] {
    return rule.targets.map((t) => ({
      rule: rule.name,
      targetId: t.Id,
      arn: t.Arn,
      event,
      input:
        t.Input !== undefined
          ? JSON.parse(t.Input)
          : t.InputTransformer
            ? applyInputTransformer(t.InputTransformer, event as unknown as Record<string, unknown>, { name: rule.name, arn: rule.arn })
            : t.InputPath !== undefined
              ? readPath(event, t.InputPath)
              : event,
    }));
  }

  /** The targets an event starts on a bus (pure: nothing recorded). */
  public match(event: BusEvent, eventBusName = 'default'): TriggeredTarget[] {
    return this.rules
      .filter((r) => r.enabled && r.eventPattern && r.eventBusName === busName(eventBusName))
      .filter((r) => matchesPattern(r.eventPattern!, event as unknown as Record<string, unknown>))
      .flatMap((r) => this.targetsFor(r, event));
  }

  /**
   * Delivers an event that an AWS service emits (e.g. a CloudWatch alarm state change)
   * to the default bus: records it and returns the targets it starts.
   */
  public route(event: BusEvent, eventBusName = 'default'): TriggeredTarget[] {
    this.events.push(event);
    appendJsonLine(this.file, { eventBusName: busName(eventBusName), event });
    const targets = this.match(event, eventBusName);
    this.triggered.push(...targets);
    for (const t of targets) this.onTarget?.(t);
    return targets;
  }

  /** Returns and forgets the targets started since the last call. */
  public takeTriggered(): TriggeredTarget[] {
    const out = this.triggered;
    this.triggered = [];
    return out;
  }

  /**
   * PutEvents: each entry needs Source, DetailType and a Detail that is a JSON object;
   * a bad entry fails alone (ErrorCode `MalformedDetail` or `InvalidArgument`).
   */
  public async PutEvents(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
      throw new LocalAwsError('ValidationException', 'expected 1 to 10 Entries', SERVICE);
    }
    const e = environmentOf(this.env);
    let failed = 0;
    const results = entries.map((entry: Record<string, unknown>) => {
      if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || typeof entry.Detail !== 'string') {
        failed += 1;
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required' };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        detail = undefined;
      }
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
        failed += 1;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      const time = entry.Time instanceof Date ? entry.Time : entry.Time ? new Date(entry.Time as string) : this.clock();
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: e.account,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: e.region,
        resources: (entry.Resources as string[] | undefined) ?? [],
        detail,
      };
      this.route(event, busName(entry.EventBusName));
      return { EventId: event.id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  /**
   * The schedule rules firing in (from, to], oldest first, each with the targets it
   * starts (input from the target's Input, or the "Scheduled Event").
   */
  public dueSchedules(from: Date, to: Date): DueSchedule[] {
    const e = environmentOf(this.env);
    const due: DueSchedule[] = [];
    for (const rule of this.rules) {
      if (!rule.enabled || !rule.scheduleExpression) continue;
      for (const time of fireTimes(rule.scheduleExpression, from, to)) {
        const event: BusEvent = {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: e.account,
          time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region: e.region,
          resources: [rule.arn],
          detail: {},
        };
        due.push({ rule: rule.name, time, targets: this.targetsFor(rule, event) });
      }
    }
    return due.sort((a, b) => a.time.getTime() - b.time.getTime() || (a.rule < b.rule ? -1 : 1));
  }
}
