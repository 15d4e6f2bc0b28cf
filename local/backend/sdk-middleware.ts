/**
 * Routes AWS SDK v3 clients to the local backend. {@link installLocalBackend} replaces
 * `send` on the base class every SDK v3 client extends (`Client` of
 * '@smithy/core/client', in both its ESM and CommonJS builds), so every client —
 * created before or after — sends its commands to the backend instead of the network:
 * the service comes from the client's `config.serviceId` ('S3' → 's3',
 * 'SageMaker Runtime' → 'sagemaker-runtime'), the action from the command's class name
 * without `Command`, the input is `command.input`.
 *
 * Errors are rethrown as SDK `ServiceException`s with the backend's `name`, `$fault`
 * and `$metadata.httpStatusCode`, so `err.name === 'NoSuchKey'` and
 * `err instanceof NoSuchKey` both work. A client mocked with aws-sdk-client-mock keeps
 * its mock (the mock stubs the client's own prototype, which wins).
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Client as EsmClient, ServiceException as EsmServiceException } from '@smithy/core/client';

/** What the middleware needs from the backend. */
export interface BackendCaller {
  call(service: string, action: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

type Send = (this: SdkClient, command: SdkCommand, optionsOrCb?: unknown, cb?: unknown) => unknown;
interface SdkClient {
  config: { serviceId?: string };
}
interface SdkCommand {
  input: Record<string, unknown>;
  constructor: { name: string };
}
interface ClientClass {
  prototype: { send: Send };
}
interface ServiceExceptionClass {
  new (options: { name: string; $fault: 'client' | 'server'; $metadata: Record<string, unknown>; message: string }): Error;
}

/** Backend service name of an SDK serviceId. */
export function serviceNameOf(serviceId: string): string {
  return serviceId.trim().toLowerCase().replace(/\s+/g, '-');
}

/** Backend action of an SDK command class name (`GetObjectCommand` → `GetObject`). */
export function actionOf(commandClassName: string): string {
  return commandClassName.replace(/Command$/, '');
}

function toSdkError(err: unknown, ServiceException: ServiceExceptionClass): unknown {
  const e = err as { name?: string; message?: string; $fault?: 'client' | 'server'; $metadata?: { httpStatusCode?: number } };
  if (!e || typeof e !== 'object' || !e.$metadata) return err;
  const sdkError = new ServiceException({
    name: e.name ?? 'UnknownError',
    $fault: e.$fault ?? 'client',
    $metadata: { httpStatusCode: e.$metadata.httpStatusCode ?? 400, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 },
    message: e.message ?? '',
  });
  for (const [k, v] of Object.entries(e)) if (!(k in sdkError)) (sdkError as unknown as Record<string, unknown>)[k] = v;
  return sdkError;
}

function localSend(backend: BackendCaller, ServiceException: ServiceExceptionClass): Send {
  return function send(this: SdkClient, command, optionsOrCb, cb) {
    const callback = (typeof optionsOrCb === 'function' ? optionsOrCb : cb) as ((err: unknown, out?: unknown) => void) | undefined;
    const service = serviceNameOf(this.config?.serviceId ?? '');
    const action = actionOf(command.constructor.name);
    const promise = backend
      .call(service, action, command.input ?? {})
      .then((out) => ({ ...out, $metadata: { httpStatusCode: 200, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 } }))
      .catch((err: unknown) => {
        throw toSdkError(err, ServiceException);
      });
    if (callback) {
      promise.then((out) => callback(null, out), (err) => callback(err));
      return undefined;
    }
    return promise;
  };
}

/** An installed local backend; {@link uninstall} restores the network clients. */
export interface InstalledBackend {
  uninstall(): void;
}

let installed: { restore: () => void } | undefined;

/**
 * Sends every AWS SDK v3 call of this process to `backend` until `uninstall()`.
 * Installing again replaces the previous backend.
 */
export function installLocalBackend(backend: BackendCaller): InstalledBackend {
  installed?.restore();
  const targets: Array<{ Client: ClientClass; ServiceException: ServiceExceptionClass }> = [
    { Client: EsmClient as unknown as ClientClass, ServiceException: EsmServiceException as unknown as ServiceExceptionClass },
  ];
  try {
    const cjs = createRequire(import.meta.url)('@smithy/core/client') as { Client: ClientClass; ServiceException: ServiceExceptionClass };
    if (cjs.Client !== (EsmClient as unknown)) targets.push({ Client: cjs.Client, ServiceException: cjs.ServiceException });
  } catch {
    // No CommonJS build reachable: the ESM one is all there is.
  }
  const originals = targets.map((t) => t.Client.prototype.send);
  targets.forEach((t) => {
    t.Client.prototype.send = localSend(backend, t.ServiceException);
  });
  const handle = {
    restore: () => {
      targets.forEach((t, i) => {
        t.Client.prototype.send = originals[i]!;
      });
      if (installed === handle) installed = undefined;
    },
  };
  installed = handle;
  return { uninstall: () => handle.restore() };
}
