/**
 * Turns a synthesized state machine into concrete Amazon States Language that runs
 * in aws-local-stepfunctions, and loads that engine (patched: see {@link loadLocalEngine}).
 *
 * A synthesized `AWS::StepFunctions::StateMachine` carries its definition as
 * `Fn::Join` of string pieces and `Ref` / `Fn::GetAtt` / pseudo parameters. Locally
 * there is no CloudFormation to resolve them, so each one becomes a fake but
 * well-formed value (an ARN of the right service and shape, a table name, a bucket
 * name), derived from the logical id so that two resources never collide.
 */
import { trackEngineRuns } from './trace/instrument';

/** Account, region and partition the fake ARNs use. */
export interface FakeEnvironment {
  /** @default '123456789012' */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
}

/** A CloudFormation resource as it appears in a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** The parts of a synthesized template this module reads. */
export interface SynthesizedTemplate {
  readonly Resources: Record<string, TemplateResource>;
  /** CloudFormation mappings (`Fn::FindInMap` reads them). @default none */
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** A state machine of a template, with its definition resolved to plain ASL. */
export interface ResolvedStateMachine {
  /** Logical id of the `AWS::StepFunctions::StateMachine` resource. */
  readonly logicalId: string;
  /** The fake ARN its `Ref` resolves to. */
  readonly arn: string;
  /** The definition as an object (parsed ASL). */
  readonly definition: Record<string, unknown>;
}

interface Env {
  account: string;
  region: string;
  partition: string;
}

function envOf(env: FakeEnvironment | undefined): Env {
  return {
    account: env?.account ?? '123456789012',
    region: env?.region ?? 'us-east-1',
    partition: env?.partition ?? 'aws',
  };
}

/** A lowercase name fit for any resource (bucket, table, function) from a logical id. */
function fakeName(logicalId: string): string {
  return logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 60);
}

/**
 * The value `Ref` returns for a resource of the given type: an ARN for topics, state
 * machines, and roles' friends; a name for functions, tables, buckets and buses.
 */
export function fakeRef(logicalId: string, type: string, env?: FakeEnvironment): string {
  const e = envOf(env);
  const name = fakeName(logicalId);
  switch (type) {
    case 'AWS::SNS::Topic':
      return `arn:${e.partition}:sns:${e.region}:${e.account}:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${e.partition}:states:${e.region}:${e.account}:stateMachine:${name}`;
    case 'AWS::KMS::Key':
      return '1234abcd-12ab-34cd-56ef-1234567890ab';
    default:
      return name;
  }
}

/** The value `Fn::GetAtt [logicalId, attribute]` returns for a resource of the given type. */
export function fakeGetAtt(logicalId: string, type: string, attribute: string, env?: FakeEnvironment): string {
  const e = envOf(env);
  const name = fakeName(logicalId);
  if (attribute !== 'Arn') {
    if (attribute === 'Name' || attribute.endsWith('Name')) return name;
    return `${name}-${attribute.toLowerCase()}`;
  }
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:${e.partition}:lambda:${e.region}:${e.account}:function:${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${e.partition}:dynamodb:${e.region}:${e.account}:table/${name}`;
    case 'AWS::S3::Bucket':
      return `arn:${e.partition}:s3:::${name}`;
    case 'AWS::IAM::Role':
      return `arn:${e.partition}:iam::${e.account}:role/${name}`;
    case 'AWS::KMS::Key':
      return `arn:${e.partition}:kms:${e.region}:${e.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    case 'AWS::Events::EventBus':
      return `arn:${e.partition}:events:${e.region}:${e.account}:event-bus/${name}`;
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return fakeRef(logicalId, type, env);
    default: {
      const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return `arn:${e.partition}:${service}:${e.region}:${e.account}:${name}`;
    }
  }
}

function pseudo(ref: string, e: Env): string | undefined {
  switch (ref) {
    case 'AWS::Partition':
      return e.partition;
    case 'AWS::Region':
      return e.region;
    case 'AWS::AccountId':
      return e.account;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return 'pitstop-local';
    default:
      return undefined;
  }
}

/**
 * Resolves one CloudFormation expression (a string, `Ref`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::Sub` of pseudo parameters and
 * resources) against the template, with fake values for resources and the fake
 * environment's region and account (so a region mapping gives that region's value).
 * @throws Error when the expression uses an intrinsic it does not know, a `Ref` to a
 *   missing resource, or a mapping key the template does not have
 */
export function resolveExpression(expr: unknown, template: SynthesizedTemplate, env?: FakeEnvironment): string {
  const e = envOf(env);
  if (typeof expr === 'string') return expr;
  if (typeof expr === 'number') return String(expr);
  if (expr && typeof expr === 'object' && !Array.isArray(expr)) {
    const obj = expr as Record<string, unknown>;
    if ('Ref' in obj) {
      const ref = String(obj.Ref);
      const p = pseudo(ref, e);
      if (p !== undefined) return p;
      const resource = template.Resources[ref];
      if (!resource) throw new Error(`expected Ref to a resource of the template, got ${JSON.stringify(ref)}`);
      return fakeRef(ref, resource.Type, env);
    }
    if ('Fn::GetAtt' in obj) {
      const [id, attribute] = obj['Fn::GetAtt'] as [string, string];
      const resource = template.Resources[id];
      if (!resource) throw new Error(`expected Fn::GetAtt of a resource of the template, got ${JSON.stringify(id)}`);
      return fakeGetAtt(id, resource.Type, attribute, env);
    }
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolveExpression(p, template, env)).join(sep);
    }
    if ('Fn::FindInMap' in obj) {
      const [map, top, second] = (obj['Fn::FindInMap'] as unknown[]).map((x) => resolveExpression(x, template, env));
      const value = template.Mappings?.[map!]?.[top!]?.[second!];
      if (value === undefined) throw new Error(`expected Fn::FindInMap of a key of the template's mappings, got ${JSON.stringify([map, top, second])}`);
      return String(value);
    }
    if ('Fn::Sub' in obj) {
      const spec = obj['Fn::Sub'];
      const [text, vars] = typeof spec === 'string' ? [spec, {}] : (spec as [string, Record<string, unknown>]);
      return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        if (name in vars) return resolveExpression(vars[name], template, env);
        const [id, attribute] = name.split('.');
        return attribute === undefined ? resolveExpression({ Ref: id }, template, env) : resolveExpression({ 'Fn::GetAtt': [id, attribute] }, template, env);
      });
    }
    if ('Fn::Select' in obj) {
      const [index, list] = obj['Fn::Select'] as [number | string, unknown];
      const items = resolveList(list, template, env);
      return items[Number(index)] ?? '';
    }
  }
  throw new Error(`expected a string or a Ref/Fn::GetAtt/Fn::Join/Fn::Select expression, got ${JSON.stringify(expr)}`);
}

function resolveList(list: unknown, template: SynthesizedTemplate, env?: FakeEnvironment): string[] {
  if (Array.isArray(list)) return list.map((x) => resolveExpression(x, template, env));
  if (list && typeof list === 'object' && 'Fn::Split' in list) {
    const [sep, source] = (list as Record<string, unknown>)['Fn::Split'] as [string, unknown];
    return resolveExpression(source, template, env).split(sep);
  }
  throw new Error(`expected a list or Fn::Split, got ${JSON.stringify(list)}`);
}

/**
 * Resolves a synthesized `DefinitionString` (a plain string or an `Fn::Join`) into
 * the ASL object it stands for.
 */
export function resolveDefinition(
  definitionString: unknown,
  template: SynthesizedTemplate,
  env?: FakeEnvironment,
): Record<string, unknown> {
  return JSON.parse(resolveExpression(definitionString, template, env)) as Record<string, unknown>;
}

/** Every state machine of a synthesized template, resolved to plain ASL. */
export function resolveStateMachines(template: SynthesizedTemplate, env?: FakeEnvironment): ResolvedStateMachine[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, r]) => ({
      logicalId,
      arn: fakeRef(logicalId, r.Type, env),
      definition: resolveDefinition(r.Properties?.DefinitionString, template, env),
    }));
}

/**
 * Imports aws-local-stepfunctions (which needs Node 22 or newer) with
 * {@link honourStartTime} and {@link trackEngineRuns} (the execution trace, local/trace)
 * applied.
 */
export async function loadLocalEngine(): Promise<typeof import('aws-local-stepfunctions')> {
  const engine = await import('aws-local-stepfunctions');
  honourStartTime(engine.StateMachine);
  trackEngineRuns(engine.StateMachine);
  return engine;
}

const PATCHED = Symbol.for('pitstop.honourStartTime');

/**
 * Makes the engine keep the `Execution.StartTime` given in the run's context.
 *
 * aws-local-stepfunctions (3.x) overwrites `$$.Execution.StartTime` with the real time
 * (`new Date()`) at the start of `StateMachine.prototype.execute`, so a simulated clock
 * could not reach the state machines' cooldown, lock and re-arm checks. The patch wraps
 * `execute`: for the synchronous part of the call, up to the context being built (its
 * first statements, before any await), `new Date()` with no argument returns the given
 * start time; every other use of Date is untouched, and without a StartTime in the
 * context nothing changes. Applied once per engine class.
 */
export function honourStartTime(StateMachine: { prototype: object }): void {
  const proto = StateMachine.prototype as Record<string | symbol, unknown>;
  if (proto[PATCHED]) return;
  const execute = proto.execute as ((this: unknown, input: unknown, options: RunOptionsLike, cleanup: unknown) => Promise<unknown>) | undefined;
  if (typeof execute !== 'function') throw new Error('expected aws-local-stepfunctions StateMachine.prototype.execute: the StartTime patch needs updating');
  proto.execute = function (this: unknown, input: unknown, options: RunOptionsLike, cleanup: unknown): Promise<unknown> {
    const start = options?.runOptions?.context?.Execution?.StartTime;
    if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return execute.call(this, input, options, cleanup);
    const RealDate = globalThis.Date;
    const fixed = Date.parse(start);
    class StartDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(fixed);
        else super(...(args as [string]));
      }
    }
    globalThis.Date = StartDate as DateConstructor;
    try {
      return execute.call(this, input, options, cleanup);
    } finally {
      globalThis.Date = RealDate;
    }
  };
  proto[PATCHED] = true;
}

interface RunOptionsLike {
  runOptions?: { context?: { Execution?: { StartTime?: unknown } } };
}
