/**
 * The error every local AWS service throws: named with the AWS error code, carrying
 * the fields SDK callers check (`$fault`, `$metadata.httpStatusCode`).
 */

/** HTTP status of the error codes the local services raise (others: 400). */
const STATUS: Readonly<Record<string, number>> = {
  NoSuchKey: 404,
  NoSuchBucket: 404,
  NotFound: 404,
  InvalidRange: 416,
  ResourceNotFoundException: 400,
  ResourceNotFound: 400,
  ConditionalCheckFailedException: 400,
  ValidationException: 400,
  InternalFailure: 500,
  InternalServerError: 500,
  ServiceUnavailable: 503,
};

/** Options of {@link LocalAwsError}. */
export interface LocalAwsErrorOptions {
  /** @default from the error code (404 for NoSuchKey, 400 for most, 500 for internal failures) */
  readonly httpStatusCode?: number;
  readonly cause?: unknown;
}

/** An AWS API error raised by a local service; `name` is the AWS error code. */
export class LocalAwsError extends Error {
  /** `client` for 4XX errors, `server` for 5XX. */
  public readonly $fault: 'client' | 'server';
  /** What the SDK puts on its errors; callers read `httpStatusCode`. */
  public readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string };

  public constructor(
    name: string,
    message: string,
    public readonly service: string,
    options: LocalAwsErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    const httpStatusCode = options.httpStatusCode ?? STATUS[name] ?? 400;
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode };
  }
}

/** The error for an action a local service does not implement. */
export function unknownOperation(service: string, action: string): LocalAwsError {
  return new LocalAwsError('UnknownOperationException', `the local ${service} service has no action ${action}`, service);
}

/** A `ValidationException` of a service. */
export function validation(service: string, message: string): LocalAwsError {
  return new LocalAwsError('ValidationException', message, service);
}
