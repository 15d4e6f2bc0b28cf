/**
 * Inference entry point of the example model, under the SageMaker inference container
 * contract:
 *
 *   node --import tsx examples/model/serve.ts
 *
 * - loads `<SM_MODEL_DIR>/model.json` (default `/opt/ml/model`; `SM_ROOT` moves the
 *   root) before listening; exits 1 when it cannot;
 * - listens on `SAGEMAKER_BIND_TO_PORT` (default 8080; 0 picks a free port) and prints
 *   `listening on port N` to stdout once ready;
 * - `GET /ping` → 200 `ok`;
 * - `POST /invocations`:
 *   - `text/csv`: one or more rows, the features in the model's order, no header, no
 *     label → `text/csv`, one probability per line;
 *   - `application/json`: `{"instances": [...]}` (or a bare array) of arrays in feature
 *     order, objects keyed by feature name, or `{"features": [...]}` →
 *     `{"predictions": [...]}`, or `{"probabilities": [[1 - p, p], ...]}` when the model
 *     was trained with the hyperparameter `json_response=probabilities`;
 *   - the response type follows `Accept` when it names text/csv or application/json,
 *     else the request's type; bad input → 400 with a one-line message, another
 *     content type → 415, a body over 6 MB → 413;
 * - fault injection (see faults.ts): `PITSTOP_FAULT_ERROR_RATE` / `PITSTOP_FAULT_LATENCY_MS`
 *   or the model's `faults`; an injected error is a 500;
 * - SIGTERM / SIGINT: stops accepting, closes connections, exits 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError, ParseError } from '../../vocabulary/errors';
import type { Cell } from '../../lambdas/core/readers/types';
import { loadModel, type Faults, type ModelArtifact } from './artifact';
import { createFaultSchedule, resolveFaults } from './faults';
import { predict, type PredictRow } from './predict';
import { servingModelDir } from './sagemaker-paths';

export { predict, type PredictRow } from './predict';

/** The largest request body accepted (SageMaker real-time endpoints take up to 6 MB). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** The loaded model. */
  readonly model: ModelArtifact;
  /** Port; 0 picks a free one. @default 8080 */
  readonly port?: number;
  /** Host to bind. @default '0.0.0.0' */
  readonly host?: string;
  /** Faults in effect. @default the model's `faults` */
  readonly faults?: Faults;
}

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly server: Server;
  /** Stops accepting, closes open connections, resolves when closed. */
  close(): Promise<void>;
}

class HttpError extends Error {
  public constructor(public readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a CSV request body (no header) into rows. */
export function parseCsvRows(body: string): Cell[][] {
  try {
    return parseCsv(body, { skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new ParseError(`malformed CSV: ${(err as Error).message}`, { file: 'request' }, { cause: err });
  }
}

/** Parses a JSON request body into rows: `{"instances": [...]}` or a bare array. */
export function parseJsonRows(body: string, model: ModelArtifact): PredictRow[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new ParseError(`request is not JSON: ${(err as Error).message}`, { file: 'request' }, { cause: err });
  }
  const instances = Array.isArray(json) ? json : (json as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances)) {
    throw new InputError('expected {"instances": [...]} or an array of instances', { file: 'request' });
  }
  const names = new Set(model.features.map((f) => f.name));
  return instances.map((inst: unknown, i) => {
    if (Array.isArray(inst)) return inst as Cell[];
    if (inst !== null && typeof inst === 'object') {
      const o = inst as Record<string, unknown>;
      // SageMaker's built-in JSON form: {"features": [...]}
      if (Array.isArray(o.features) && !names.has('features')) return o.features as Cell[];
      for (const [k, v] of Object.entries(o)) {
        if (v !== null && typeof v === 'object') {
          throw new InputError(`expected a scalar, got ${JSON.stringify(v)}`, { file: 'request', line: i + 1, column: k });
        }
      }
      return o as Record<string, Cell>;
    }
    throw new InputError(`expected an array or an object, got ${JSON.stringify(inst)}`, { file: 'request', line: i + 1 });
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Handles one invocation body: parses it by content type, predicts, formats by the
 * response type.
 *
 * @returns the response content type and body
 * @throws InputError on bad input; HttpError(415) on an unsupported content type
 */
export function invoke(model: ModelArtifact, contentType: string | undefined, accept: string | undefined, body: string): { type: string; body: string } {
  const inType = mediaType(contentType) || 'text/csv';
  let rows: PredictRow[];
  if (inType === 'text/csv') rows = parseCsvRows(body);
  else if (inType === 'application/json') rows = parseJsonRows(body, model);
  else throw new HttpError(415, `unsupported content type "${inType}", expected text/csv or application/json`);
  if (rows.length === 0) throw new InputError('no rows in the request', { file: 'request' });
  const predictions = predict(model, rows, { file: 'request' });
  const acc = (accept ?? '').toLowerCase();
  const outType = acc.includes('application/json') ? 'application/json' : acc.includes('text/csv') ? 'text/csv' : inType;
  return outType === 'application/json'
    ? {
        type: 'application/json',
        body: JSON.stringify(model.jsonResponse === 'probabilities' ? { probabilities: predictions.map((p) => [1 - p, p]) } : { predictions }),
      }
    : { type: 'text/csv', body: predictions.map(String).join('\n') + '\n' };
}

/** Starts the HTTP server. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { model } = options;
  const faults = options.faults ?? model.faults;
  const shouldFail = createFaultSchedule(faults.errorRate);
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      try {
        if (path === '/ping') {
          if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET /ping');
          return send(res, 200, 'text/plain', 'ok\n');
        }
        if (path !== '/invocations') throw new HttpError(404, `no route ${req.method} ${path}`);
        if (req.method !== 'POST') throw new HttpError(405, 'use POST /invocations');
        const body = await readBody(req);
        if (faults.latencyMs > 0) await sleep(faults.latencyMs);
        if (shouldFail()) throw new HttpError(500, 'injected fault: this model fails a share of its invocations');
        const out = invoke(model, req.headers['content-type'], req.headers.accept, body);
        send(res, 200, out.type, out.body);
      } catch (err) {
        const status = err instanceof HttpError ? err.status : err instanceof InputError ? 400 : 500;
        const message = err instanceof Error ? err.message : String(err);
        if (status === 500 && !(err instanceof HttpError)) process.stderr.write(`invocation failed: ${message}\n`);
        if (!res.headersSent) send(res, status, 'text/plain', `${message.replace(/\s*\n\s*/g, ' ')}\n`);
        else res.destroy();
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8080, options.host ?? '0.0.0.0', () => ok());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** The entry point: loads the model, starts the server, stops on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let running: RunningServer;
  try {
    const model = loadModel(servingModelDir());
    const rawPort = process.env.SAGEMAKER_BIND_TO_PORT ?? '8080';
    const port = Number(rawPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`SAGEMAKER_BIND_TO_PORT must be a port number, got "${rawPort}"`);
    running = await startServer({ model, port, faults: resolveFaults(model.faults) });
  } catch (err) {
    process.stderr.write(`cannot start: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`listening on port ${running.port}\n`);
  const stop = (): void => void running.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
