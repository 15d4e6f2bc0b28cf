/**
 * Child processes of the local SageMaker: training commands and model servers.
 *
 * Each command runs in its own process group (so a wrapper that spawns children is
 * stopped whole), its output is forwarded line by line, and every live process is
 * killed if the parent process exits, so no server is left behind.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running command. */
export interface ManagedProcess {
  readonly pid: number;
  /** Settles when the process has exited (never rejects; a spawn error reads as code 127). */
  readonly exited: Promise<ProcessExit>;
  /** Whether the process has exited. */
  hasExited(): boolean;
  /** The last lines of stderr (for failure reasons). */
  stderrTail(): string[];
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<ProcessExit>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  readonly cwd: string;
  /** Added to the parent's environment. */
  readonly env: Record<string, string>;
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) killGroup(p.pid, 'SIGKILL');
  });
}

const TAIL_LINES = 20;

/** Starts `command` (argv form). */
export function startProcess(command: readonly string[], options: StartProcessOptions): ManagedProcess {
  installExitHook();
  const [file, ...args] = command;
  if (!file) throw new Error('empty command');
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let done = false;
  const readers: Promise<void>[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (!source) continue;
    const rl = createInterface({ input: source, crlfDelay: Infinity });
    rl.on('line', (line) => {
      if (stream === 'stderr') {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
      }
      options.onLine(line, stream);
    });
    readers.push(new Promise((r) => rl.once('close', () => r())));
  }
  const exited = new Promise<ProcessExit>((resolveExit) => {
    let settled = false;
    const finish = (exit: ProcessExit) => {
      if (settled) return;
      settled = true;
      done = true;
      live.delete(managed);
      // Let the line readers drain so a failure reason sees the last lines.
      void Promise.race([Promise.all(readers), new Promise((r) => setTimeout(r, 200))]).then(() => resolveExit(exit));
    };
    child.once('error', (e) => {
      tail.push(`spawn ${file}: ${e.message}`);
      finish({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => finish({ code, signal }));
  });
  const managed: ManagedProcess = {
    pid: child.pid ?? -1,
    exited,
    hasExited: () => done,
    stderrTail: () => [...tail],
    async stop(graceMs: number) {
      if (done || managed.pid < 0) return exited;
      killGroup(managed.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(managed.pid, 'SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      // A wrapper's children may outlive it: make sure the group is gone.
      killGroup(managed.pid, 'SIGKILL');
      return exit;
    },
  };
  if (child.pid !== undefined) live.add(managed);
  return managed;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** An HTTP response from a model server. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Uint8Array;
}

/** Sends one HTTP request to `127.0.0.1:port`. */
export function httpRequest(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: Uint8Array,
  headers: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<HttpResponse> {
  return new Promise((resolveResponse, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () =>
          resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }),
        );
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.once('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/**
 * Polls `GET /ping` until it answers 200.
 * @throws Error when the process exits first or `timeoutMs` passes
 */
export async function waitForPing(proc: ManagedProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.hasExited()) {
      const exit = await proc.exited;
      const tail = proc.stderrTail().slice(-5).join(' | ');
      throw new Error(
        `the model server exited before answering /ping (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`})${tail ? `: ${tail}` : ''}`,
      );
    }
    try {
      const res = await httpRequest(port, 'GET', '/ping', undefined, {}, 1000);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the model server did not answer /ping with 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
