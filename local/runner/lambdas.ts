/**
 * The in-process Lambdas of a synthesized stack: each `AWS::Lambda::Function` of the
 * template, found by its `POWERTOOLS_SERVICE_NAME` (`pitstop-<key>`), runs the handler
 * module `lambdas/<dir>/handler.ts` of that key with the function's template
 * environment applied (see ./process-env). Every call is reported to `onCall` with its
 * input and output, so the runner can follow the run (drift scores, gate verdicts,
 * canary readings) without parsing state outputs.
 */
import { fakeGetAtt, type SynthesizedTemplate } from '../asl';
import type { LocalLambda, LocalLambdaContext } from '../dispatch';
import { FUNCTION_DIRS, type FunctionKey } from '../../infra/functions';
import { ScopedEnvironment } from './process-env';

/** One finished Lambda call. */
export interface LambdaCall {
  readonly key: FunctionKey;
  readonly input: unknown;
  /** The handler's result; absent when it threw. */
  readonly output?: unknown;
  readonly error?: Error;
}

/** A function of the template: its ARN, key and environment. */
export interface TemplateFunction {
  readonly logicalId: string;
  readonly arn: string;
  readonly key: FunctionKey;
  readonly environment: Readonly<Record<string, string>>;
}

const SERVICE_PREFIX = 'pitstop-';

/**
 * The pitstop functions of a template. Environment values that are not plain strings
 * (intrinsics) are left out.
 */
export function templateFunctions(template: SynthesizedTemplate): TemplateFunction[] {
  const out: TemplateFunction[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const vars = ((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    const service = vars.POWERTOOLS_SERVICE_NAME;
    if (typeof service !== 'string' || !service.startsWith(SERVICE_PREFIX)) continue;
    const key = service.slice(SERVICE_PREFIX.length);
    if (!(key in FUNCTION_DIRS)) continue;
    const environment = Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === 'string'));
    out.push({ logicalId, arn: fakeGetAtt(logicalId, r.Type, 'Arn'), key: key as FunctionKey, environment });
  }
  return out;
}

type Handler = (event: unknown, context?: LocalLambdaContext) => Promise<unknown>;

/** Imports the handler module of a function key. */
export async function loadHandler(key: FunctionKey): Promise<Handler> {
  const mod = (await import(`../../lambdas/${FUNCTION_DIRS[key]}/handler.ts`)) as { handler: Handler };
  if (typeof mod.handler !== 'function') throw new Error(`expected lambdas/${FUNCTION_DIRS[key]}/handler.ts to export handler`);
  return mod.handler;
}

/**
 * What the local stand-ins change for every function: the local CloudWatch keeps
 * one-second samples, so a canary check aligns its window to the second (see
 * lambdas/canary-check/queries.ts).
 */
export const LOCAL_LAMBDA_ENVIRONMENT: Readonly<Record<string, string>> = { PITSTOP_METRIC_RESOLUTION_SECONDS: '1' };

/** Options of {@link localLambdas}. */
export interface LocalLambdasOptions {
  /** Called after every call. @default none */
  readonly onCall?: (call: LambdaCall) => void;
  /** Runs before a call of that key (e.g. flush endpoint metrics before a canary check). @default none */
  readonly before?: Partial<Record<FunctionKey, () => Promise<void>>>;
  /** The scoped environment shared by every function of the run. @default a new one over process.env */
  readonly environment?: ScopedEnvironment;
}

/** The in-process Lambdas of a template, by function ARN. */
export async function localLambdas(template: SynthesizedTemplate, options: LocalLambdasOptions = {}): Promise<Record<string, LocalLambda>> {
  const env = options.environment ?? new ScopedEnvironment();
  const out: Record<string, LocalLambda> = {};
  for (const fn of templateFunctions(template)) {
    const handler = await loadHandler(fn.key);
    out[fn.arn] = async (event, context) => {
      await options.before?.[fn.key]?.();
      try {
        const output = await env.run({ ...fn.environment, ...LOCAL_LAMBDA_ENVIRONMENT }, () => handler(event, context));
        options.onCall?.({ key: fn.key, input: event, output });
        return output;
      } catch (err) {
        options.onCall?.({ key: fn.key, input: event, error: err as Error });
        throw err;
      }
    };
  }
  return out;
}
