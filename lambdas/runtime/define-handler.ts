/**
 * The shape every handler shares: parse the event with the contract's input schema,
 * log with the model and run attached, run, log the outcome.
 */
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { EventError } from './errors';
import { logger } from './logger';

/** Formats zod issues as `path: message` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(event)'}: ${i.message}`);
}

/**
 * Parses an event with a contract schema.
 *
 * @throws EventError listing every problem when the event does not fit
 */
export function parseEvent<S extends z.ZodType>(handler: string, schema: S, event: unknown): z.output<S> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new EventError(handler, formatIssues(parsed.error.issues));
  return parsed.data;
}

/**
 * Builds a Lambda handler: parses the event with `schema` (a bad event throws an
 * EventError, which the state machine does not retry), attaches `model` and `runId`
 * to every log line, runs `run` and logs its failure before rethrowing it.
 *
 * @param name the function's name in logs and messages
 */
export function defineHandler<S extends z.ZodType<{ model: string; runId: string }>, O>(
  name: string,
  schema: S,
  run: (input: z.output<S>) => Promise<O>,
): (event: unknown, context?: Context) => Promise<O> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    let input: z.output<S>;
    try {
      input = parseEvent(name, schema, event);
    } catch (err) {
      logger.error(`${name}: rejected event`, err as Error);
      throw err;
    }
    logger.appendKeys({ model: input.model, runId: input.runId });
    try {
      logger.info(`${name}: start`);
      const output = await run(input);
      logger.info(`${name}: done`, { result: output as Record<string, unknown> });
      return output;
    } catch (err) {
      logger.error(`${name}: failed`, err as Error);
      throw err;
    } finally {
      logger.removeKeys(['model', 'runId']);
    }
  };
}
