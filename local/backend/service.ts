/**
 * The shape every local AWS service has: a name and `call(action, input)`, which runs
 * the method named exactly like the API action.
 */
import { unknownOperation } from './errors';

/** Backend service names. */
export const SERVICE_NAMES = {
  s3: 's3',
  sagemaker: 'sagemaker',
  sagemakerRuntime: 'sagemaker-runtime',
  cloudwatch: 'cloudwatch',
  dynamodb: 'dynamodb',
  sns: 'sns',
  eventbridge: 'eventbridge',
} as const;

/** A local stand-in for one AWS service. */
export interface LocalService {
  /** 's3' | 'sagemaker' | 'cloudwatch' | 'dynamodb' | 'sns' | 'eventbridge' | 'sagemaker-runtime' (or another service a runner registers). */
  readonly serviceName: string;
  /**
   * Runs an API action (PascalCase, e.g. `GetObject`) with the API's input shape.
   * @throws LocalAwsError named `UnknownOperationException` for an action the service lacks
   */
  call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * Calls the method of `service` named `action` (a PascalCase API action): the usual
 * body of {@link LocalService.call}.
 * @throws LocalAwsError `UnknownOperationException` when there is no such method
 */
export async function callAction(
  service: object,
  serviceName: string,
  action: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(action)) throw unknownOperation(serviceName, action);
  const method = (service as Record<string, unknown>)[action];
  if (typeof method !== 'function') throw unknownOperation(serviceName, action);
  return (await (method as (i: Record<string, unknown>) => unknown).call(service, input ?? {})) as Record<string, unknown>;
}
