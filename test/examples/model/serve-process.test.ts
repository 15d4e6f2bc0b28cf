/**
 * examples/model/serve.ts run as a subprocess under the SageMaker inference contract.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRows } from '../../../examples/data/generate';
import { MODEL_FILE, type ModelArtifact } from '../../../examples/model/artifact';
import { predict } from '../../../examples/model/serve';
import { removeDir, startServe, tempDir, trainOn, type ServeProcess } from '../helpers';

const dir = tempDir();
const model = trainOn({ rows: 2000, seed: 51 });

/** Writes a model directory holding `m`. */
function modelDir(name: string, m: ModelArtifact): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, MODEL_FILE), JSON.stringify(m));
  return d;
}

const rows = generateRows({ rows: 3, seed: 52 });
const features = model.features.map((f) => f.name);
const csvBody = rows.map((r) => features.map((f) => r[f]).join(',')).join('\n');
const expected = predict(model, rows);

const post = (url: string, type: string, body: string, accept?: string) =>
  fetch(`${url}/invocations`, { method: 'POST', headers: { 'Content-Type': type, ...(accept ? { Accept: accept } : {}) }, body });

describe('Function: serve.ts (subprocess)', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe(modelDir('healthy', model));
  });
  afterAll(async () => {
    await serve.stop();
    removeDir(dir);
  });

  it('starts in well under the SageMaker start-up budget and answers /ping', async () => {
    // tsx compiles on the fly; the server itself loads one small JSON file.
    expect(serve.startupMs).toBeLessThan(3000);
    const res = await fetch(`${serve.url}/ping`);
    expect(res.status).toBe(200);
  });

  it('answers text/csv with one probability per line', async () => {
    const res = await post(serve.url, 'text/csv', csvBody);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    const lines = (await res.text()).trimEnd().split('\n').map(Number);
    expect(lines).toHaveLength(3);
    lines.forEach((p, i) => expect(p).toBe(expected[i]));
  });

  it('answers application/json instances as arrays or objects', async () => {
    const asArrays = rows.map((r) => features.map((f) => r[f]));
    const a = await post(serve.url, 'application/json', JSON.stringify({ instances: asArrays }));
    const b = await post(serve.url, 'application/json', JSON.stringify({ instances: rows }));
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual({ predictions: expected });
    expect(await b.json()).toEqual({ predictions: expected });
  });

  it('follows Accept for the response type', async () => {
    const res = await post(serve.url, 'text/csv', csvBody, 'application/json');
    expect(await res.json()).toEqual({ predictions: expected });
  });

  it('handles an unknown category', async () => {
    const body = '12,70.5,846,3,30,basic,atlantis,electronic_check';
    const res = await post(serve.url, 'text/csv', body);
    expect(res.status).toBe(200);
    expect(Number(await res.text())).toBe(predict(model, [body.split(',').map((v, i) => (i === 6 ? null : v))])[0]);
  });

  it('rejects bad input with 400 and a message', async () => {
    const cases: [string, string, RegExp][] = [
      ['text/csv', '1,2,3', /expected 8 values/],
      ['text/csv', '12,lots,846,3,30,basic,north,electronic_check', /request:1, column "monthly_charges": expected a number, got "lots"/],
      ['application/json', '{"instances": [', /not JSON/],
      ['application/json', '{"rows": []}', /instances/],
      ['text/csv', '', /no rows/],
    ];
    for (const [type, body, message] of cases) {
      const res = await post(serve.url, type, body);
      expect(res.status, body).toBe(400);
      expect(await res.text()).toMatch(message);
    }
  });

  it('answers 415 for another content type and 404 for another path', async () => {
    expect((await post(serve.url, 'application/x-protobuf', 'x')).status).toBe(415);
    expect((await fetch(`${serve.url}/nope`)).status).toBe(404);
  });
});

describe('Function: serve.ts (fault injection and shutdown)', () => {
  it('fails the share of invocations PITSTOP_FAULT_ERROR_RATE asks for, while /ping stays healthy', async () => {
    // Prepare
    const serve = await startServe(modelDir('flaky-env', model), { PITSTOP_FAULT_ERROR_RATE: '0.5' });
    try {
      // Act: sequential requests, so the schedule's order is the request order.
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await post(serve.url, 'text/csv', csvBody)).status);

      // Assess: every second invocation fails.
      expect(statuses).toEqual([200, 500, 200, 500, 200, 500, 200, 500, 200, 500]);
      expect((await fetch(`${serve.url}/ping`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  });

  it('applies the faults stored in the model artifact: errors and latency', async () => {
    const failing = await startServe(modelDir('flaky-model', { ...model, faults: { latencyMs: 0, errorRate: 1 } }));
    const slow = await startServe(modelDir('slow-model', { ...model, faults: { latencyMs: 300, errorRate: 0 } }));
    try {
      const bad = await post(failing.url, 'text/csv', csvBody);
      expect(bad.status).toBe(500);
      expect(await bad.text()).toContain('injected fault');

      const t0 = performance.now();
      const res = await post(slow.url, 'text/csv', csvBody);
      expect(res.status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
      // A fast control on the healthy model would take a few ms; ping is not slowed.
      const p0 = performance.now();
      await fetch(`${slow.url}/ping`);
      expect(performance.now() - p0).toBeLessThan(250);
    } finally {
      await Promise.all([failing.stop(), slow.stop()]);
    }
  });

  it('exits 0 on SIGTERM', async () => {
    const serve = await startServe(modelDir('term', model));
    await fetch(`${serve.url}/ping`); // leaves a keep-alive connection open
    expect(await serve.stop()).toBe(0);
  });

  it('exits 1 without listening when the model is missing', async () => {
    await expect(startServe(join(dir, 'no-such-model'))).rejects.toThrow(/exited with 1 before listening: cannot start: .*model\.json/);
  });
});
