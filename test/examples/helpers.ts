/**
 * Helpers of the example-model tests: temporary directories, the example model trained
 * in memory, and the entry points run as subprocesses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRows, type GenerateOptions } from '../../examples/data/generate';
import type { ModelArtifact } from '../../examples/model/artifact';
import { parseHyperparameters } from '../../examples/model/hyperparameters';
import { trainingSetFromRows, trainModel } from '../../examples/model/train-model';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh temporary directory; remove it with {@link removeDir}. */
export function tempDir(prefix = 'pitstop-examples-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a directory made by {@link tempDir}. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Trains the example model in memory on generated rows, with string hyperparameters. */
export function trainOn(options: GenerateOptions, hyperparameters: Record<string, string> = {}): ModelArtifact {
  const { hyperparameters: hp } = parseHyperparameters(hyperparameters);
  return trainModel(trainingSetFromRows(generateRows(options), hp), hp);
}

/** What a finished subprocess did. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx <script>` from the repository root and waits for it to exit. */
export function runScript(script: string, env: Record<string, string>): Promise<ProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** A serve.ts subprocess that has printed its port. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Milliseconds from spawn to the "listening" line. */
  readonly startupMs: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts serve.ts on a free port with `SM_MODEL_DIR=modelDir` and waits until it listens. */
export function startServe(modelDir: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/model/serve.ts'], {
    cwd: REPO,
    env: { ...process.env, SM_MODEL_DIR: modelDir, SAGEMAKER_BIND_TO_PORT: '0', ...env },
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /listening on port (\d+)/.exec(stdout);
      if (m) {
        ok({
          child,
          url: `http://127.0.0.1:${m[1]}`,
          startupMs: Date.now() - started,
          stop: () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => fail(new Error(`serve.ts exited with ${code} before listening: ${stderr}`)));
  });
}
