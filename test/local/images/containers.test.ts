/**
 * The Python stand-ins of SageMaker's XGBoost and scikit-learn containers, run as
 * SageMaker runs a container (`train`, then `serve`) with the real libraries: the
 * documented inputs (label-first CSV, hyperparameters.json), outputs (the model
 * directory, output/failure) and inference answers, failures included. Skipped with a
 * notice without the Python packages, failed under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, httpRequest, startProcess, waitForPing, type ManagedProcess } from '../../../local/backend/sagemaker/process';
import { CONTAINER_STAND_INS, MissingPythonModulesError, pythonFor } from '../../../local/runner/sagemaker-images';
import { packSourceDir } from '../../../statemachines/source-bundle';

const REPO = join(__dirname, '..', '..', '..');
const roots: string[] = [];
const servers: ManagedProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop(1000);
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function python(container: 'xgboost' | 'sklearn'): string | undefined {
  try {
    return pythonFor(container);
  } catch (e) {
    if (!(e instanceof MissingPythonModulesError)) throw e;
    if (process.env.CI === 'true') throw e;
    console.warn(`skipping the ${container} stand-in tests: ${e.message}`);
    return undefined;
  }
}

/** An /opt/ml root with a train channel and hyperparameters. */
function root(rows: string[], hyperparameters: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-container-'));
  roots.push(dir);
  mkdirSync(join(dir, 'input', 'data', 'train'), { recursive: true });
  mkdirSync(join(dir, 'input', 'config'), { recursive: true });
  writeFileSync(join(dir, 'input', 'data', 'train', 'train.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'input', 'config', 'hyperparameters.json'), JSON.stringify(hyperparameters));
  return dir;
}

/** Rows whose class is the integer part of 3 x (the single feature): separable. */
const rows = (classes: number) => Array.from({ length: 300 }, (_, i) => { const x = (i % 100) / 100; return `${Math.min(classes - 1, Math.floor(x * classes))},${x},${(i * 7) % 13}`; });

function train(py: string, container: 'xgboost' | 'sklearn', dir: string) {
  return spawnSync(py, [CONTAINER_STAND_INS[container].script, 'train'], { cwd: REPO, env: { ...process.env, SM_ROOT: dir }, encoding: 'utf8', timeout: 120_000 });
}

async function serve(py: string, container: 'xgboost' | 'sklearn', dir: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = startProcess([py, CONTAINER_STAND_INS[container].script, 'serve'], { cwd: REPO, env: { SM_ROOT: dir, SAGEMAKER_BIND_TO_PORT: String(port), ...env }, onLine: () => {} });
  servers.push(proc);
  await waitForPing(proc, port, 90_000);
  return (body: string, contentType = 'text/csv', accept?: string) =>
    httpRequest(port, 'POST', '/invocations', new TextEncoder().encode(body), { 'content-type': contentType, ...(accept ? { accept } : {}) });
}

const text = (r: { body: Uint8Array }) => new TextDecoder().decode(r.body);

const xgbPython = python('xgboost');
describe.skipIf(!xgbPython)('Function: xgboost_container.py', () => {
  it('fails a training job without num_round, with the reason in output/failure', () => {
    // Prepare
    const dir = root(rows(2), { objective: 'binary:logistic' });
    // Act
    const run = train(xgbPython!, 'xgboost', dir);
    // Assess
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, 'output', 'failure'), 'utf8')).toBe('ClientError: Missing required hyperparameter: num_round');
  });

  it('trains multi:softprob on label-first CSV; answers an endpoint call on one line, a batch transform one line per record', async () => {
    // Prepare
    const dir = root(rows(3), { num_round: '20', objective: 'multi:softprob', num_class: '3', max_depth: '3' });
    const request = '0.1,5\n0.5,1\n0.9,3\n';
    // Act
    const run = train(xgbPython!, 'xgboost', dir);
    const invoke = await serve(xgbPython!, 'xgboost', dir);
    const batch = await serve(xgbPython!, 'xgboost', dir, { SAGEMAKER_BATCH: 'true' });
    const answer = await invoke(request);
    const batchAnswer = await batch(request);
    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'model'))).toEqual(['xgboost-model']);
    expect(answer.status).toBe(200);
    // serve.py: ",".join(map(str, preds.tolist())): Python lists of the rows, comma-joined, no newline
    const line = text(answer);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^\[[^\]]+\](,\[[^\]]+\]){2}$/);
    const vectors = JSON.parse(`[${line}]`) as number[][];
    expect(vectors).toHaveLength(3);
    vectors.forEach((p, row) => {
      expect(p).toHaveLength(3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.indexOf(Math.max(...p))).toBe(row); // x = 0.1, 0.5, 0.9 -> classes 0, 1, 2
    });
    // Under SAGEMAKER_BATCH: "\n".join(map(str, preds.tolist())) + "\n": one `[p0, p1, p2]` per line
    const batchLines = text(batchAnswer).split('\n');
    expect(batchLines.pop()).toBe('');
    expect(batchLines).toHaveLength(3);
    for (const l of batchLines) expect(l).toMatch(/^\[[^,\]]+, [^,\]]+, [^,\]]+\]$/);
    expect(batchLines.map((l) => JSON.parse(l))).toEqual(vectors);
    // A request of the wrong width or type is the client's error, as in the container.
    expect((await invoke('0.1\n')).status).toBe(400);
    expect((await invoke('{"x": 1}', 'application/json')).status).toBe(415);
  }, 240_000);

  it('answers a binary:logistic endpoint call of several records with one comma-joined line', async () => {
    // Prepare
    const dir = root(rows(2), { num_round: '10', objective: 'binary:logistic', max_depth: '2' });
    // Act
    const run = train(xgbPython!, 'xgboost', dir);
    const invoke = await serve(xgbPython!, 'xgboost', dir);
    const answer = text(await invoke('0.1,5\n0.9,3\n'));
    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(answer).not.toContain('\n');
    const p = answer.split(',').map(Number);
    expect(p).toHaveLength(2);
    expect(p[0]).toBeLessThan(0.5);
    expect(p[1]).toBeGreaterThan(0.5);
  }, 240_000);
});

const sklPython = python('sklearn');
describe.skipIf(!sklPython)('Function: sklearn_container.py', () => {
  it('runs the script of sagemaker_program with the hyperparameters as arguments, and serves it through model_fn / predict_fn', async () => {
    // Prepare: the example script, from its sourcedir.tar.gz as the toolkit gets it
    const dir = root(rows(2), { sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://b/sourcedir.tar.gz"', max_iter: '20' });
    const code = join(dir, 'code');
    mkdirSync(code);
    spawnSync('tar', ['-xzf', packSourceDir(join(REPO, 'examples', 'sklearn'), 'train.py'), '-C', code]);
    // Act
    const run = train(sklPython!, 'sklearn', dir);
    const invoke = await serve(sklPython!, 'sklearn', dir, { SAGEMAKER_PROGRAM: 'train.py' });
    const answer = await invoke('0.05,1\n0.95,2\n');
    // Assess
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'model'))).toEqual(['model.joblib']);
    const p = text(answer).trimEnd().split('\n').map(Number);
    expect(p).toHaveLength(2);
    expect(p[0]).toBeLessThan(0.5);
    expect(p[1]).toBeGreaterThan(0.5);
  }, 240_000);

  it('answers through the default output_fn as Accept asks: JSON by default (and for */*), CSV on request, 415 otherwise', async () => {
    // Prepare: a script with model_fn alone, so input_fn / predict_fn / output_fn are the container's
    const dir = root(['x'], {});
    mkdirSync(join(dir, 'code'));
    writeFileSync(join(dir, 'code', 'plain.py'), 'class Doubler:\n    def predict(self, x):\n        return x[:, 0] * 2\n\ndef model_fn(model_dir):\n    return Doubler()\n');
    const invoke = await serve(sklPython!, 'sklearn', dir, { SAGEMAKER_PROGRAM: 'plain.py' });
    // Act
    const byDefault = await invoke('1,0\n3,0\n');
    const any = await invoke('1,0\n3,0\n', 'text/csv', '*/*');
    const csv = await invoke('1,0\n3,0\n', 'text/csv', 'text/csv');
    const other = await invoke('1,0\n', 'text/csv', 'application/x-npy');
    // Assess
    for (const r of [byDefault, any]) {
      expect(r.status).toBe(200);
      expect(JSON.parse(text(r))).toEqual([2, 6]);
    }
    expect(csv.status).toBe(200);
    expect(text(csv)).toBe('2.0\n6.0\n');
    expect(other.status).toBe(415);
  }, 120_000);

  it("fails the job with ExecuteUserScriptError when the script fails, and when sagemaker_program is not in the source", () => {
    // Prepare
    const failing = root(['x'], { sagemaker_program: '"boom.py"' });
    mkdirSync(join(failing, 'code'));
    writeFileSync(join(failing, 'code', 'boom.py'), 'raise SystemExit(3)\n');
    const absent = root(['x'], { sagemaker_program: '"train.py"' });
    // Act
    const a = train(sklPython!, 'sklearn', failing);
    const b = train(sklPython!, 'sklearn', absent);
    // Assess
    expect(a.status).toBe(3);
    expect(readFileSync(join(failing, 'output', 'failure'), 'utf8')).toMatch(/^AlgorithmError: ExecuteUserScriptError: .* boom\.py" exited with code 3$/);
    expect(b.status).toBe(1);
    expect(readFileSync(join(absent, 'output', 'failure'), 'utf8')).toContain('train.py is not in the source directory');
  }, 120_000);
});
