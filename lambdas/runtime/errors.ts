/**
 * Errors of the Lambda plumbing and the mapping of AWS errors to pitstop errors.
 *
 * A handler throws an `InputError` (or a subclass) for input the user must fix; the
 * state machine does not retry those. Anything else (throttling, a 5XX from S3) is
 * thrown as the SDK raised it, keeping its `name`, so it reads as transient.
 */
import { InputError, type InputLocation } from '../../vocabulary/errors';

/** The event a handler received does not satisfy its contract (vocabulary/contracts.ts). */
export class EventError extends InputError {
  /** Every problem, as `path: message`. */
  public readonly issues: readonly string[];
  public constructor(handler: string, issues: readonly string[]) {
    super(`invalid ${handler} event: ${issues.join('; ')}`);
    this.name = 'EventError';
    this.issues = issues;
  }
}

/** The function's environment lacks a setting infra/functions.ts provides, or holds a bad one. */
export class EnvironmentError extends InputError {
  public constructor(problem: string, options?: { cause?: unknown }) {
    super(problem, {}, options);
    this.name = 'EnvironmentError';
  }
}

/** AWS error names that mean "the named thing is not there or not yours", never transient. */
export const USER_ERROR_NAMES = new Set([
  'NoSuchKey',
  'NotFound',
  'NoSuchBucket',
  'AccessDenied',
  'AccessDeniedException',
  'Forbidden',
  'ValidationException',
  'ValidationError',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
]);

/**
 * Turns an AWS error that the user must fix into an InputError naming what was
 * accessed; returns any other error unchanged (transient errors stay retryable).
 *
 * @param what e.g. `s3://bucket/key` or `endpoint churn`
 */
export function mapAwsError(err: unknown, what: string, location: InputLocation = {}): unknown {
  if (err instanceof InputError) return err;
  const name = (err as { name?: string } | undefined)?.name ?? '';
  if (USER_ERROR_NAMES.has(name)) {
    const message = (err as Error).message;
    return new InputError(`${what}: ${name}${message && message !== name ? ` (${message})` : ''}`, location, { cause: err });
  }
  return err;
}
