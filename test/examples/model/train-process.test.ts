/**
 * examples/model/train.ts run as a subprocess under the SageMaker training contract,
 * with the /opt/ml tree moved to a temporary directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset, writeTrainHoldout } from '../../../examples/data/generate';
import { loadModel } from '../../../examples/model/artifact';
import { predict } from '../../../examples/model/predict';
import { evaluate } from '../../../lambdas/core/metrics';
import { openTable } from '../../../lambdas/core/readers';
import { removeDir, runScript, tempDir } from '../helpers';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** A fresh SM root with hyperparameters.json. */
function smRoot(hyperparameters: Record<string, string>): string {
  const root = tempDir('pitstop-sm-');
  dirs.push(root);
  mkdirSync(join(root, 'input', 'config'), { recursive: true });
  writeFileSync(join(root, 'input', 'config', 'hyperparameters.json'), JSON.stringify(hyperparameters));
  return root;
}

async function holdoutArrays(file: string): Promise<{ rows: (string | null)[][]; y: number[] }> {
  const table = await openTable(file);
  const rows: (string | null)[][] = [];
  const y: number[] = [];
  const label = table.columns.indexOf('churned');
  for await (const b of table.batches()) {
    for (const r of b.rows) {
      y.push(Number(r[label]));
      rows.push(r.filter((_, i) => i !== label) as (string | null)[]);
    }
  }
  return { rows, y };
}

describe('Function: train.ts (subprocess)', () => {
  it('trains from the train channel (every file in it) and writes model.json, metrics and progress', async () => {
    // Prepare: the channel holds two files; the example config's tree-model settings ride along.
    const root = smRoot({ l2: '0.001', max_iter: '30', n_estimators: '200', max_depth: '6', learning_rate: '0.1' });
    const split = writeTrainHoldout(join(root, 'gen'), { rows: 5000, seed: 41 });
    mkdirSync(join(root, 'input', 'data', 'train'), { recursive: true });
    writeFileSync(join(root, 'input', 'data', 'train', 'part-1.csv'), readFileSync(split.train));
    writeDataset(join(root, 'input', 'data', 'train', 'part-2.csv'), { rows: 1000, seed: 42 });

    // Act
    const result = await runScript('examples/model/train.ts', { SM_ROOT: root });

    // Assess
    expect(result.stderr).toContain('ignoring unknown hyperparameters: n_estimators, max_depth');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('read 5000 training rows'); // 4000 + 1000
    expect(result.stdout).toMatch(/^epoch 1\/30 loss=0\.\d+$/m);
    const auc = /train:auc=([0-9.]+);/.exec(result.stdout);
    expect(auc).not.toBeNull();
    expect(Number(auc![1])).toBeGreaterThan(0.75);
    expect(result.stdout).toMatch(/train:logloss=[0-9.]+;/);
    expect(existsSync(join(root, 'output', 'failure'))).toBe(false);
    expect(JSON.parse(readFileSync(join(root, 'output', 'data', 'metrics.json'), 'utf8'))['train:auc']).toBeCloseTo(Number(auc![1]), 5);

    // and the model it wrote ranks the holdout well
    const model = loadModel(join(root, 'model'));
    const { rows, y } = await holdoutArrays(split.holdout);
    expect(evaluate('binary', y, [predict(model, rows)]).rocAuc).toBeGreaterThan(0.75);
  });

  it('honours the SM_* variables SageMaker sets, with a validation channel', async () => {
    // Prepare: no SM_ROOT; every path given on its own.
    const base = tempDir('pitstop-sm-');
    dirs.push(base);
    writeDataset(join(base, 'tr', 'data.csv'), { rows: 1500, seed: 1 });
    writeDataset(join(base, 'va', 'data.csv'), { rows: 500, seed: 2 });
    mkdirSync(join(base, 'cfg'));
    writeFileSync(join(base, 'cfg', 'hyperparameters.json'), JSON.stringify({ latency_ms: '120', error_rate: '0.25' }));

    // Act
    const result = await runScript('examples/model/train.ts', {
      SM_ROOT: join(base, 'nowhere'),
      SM_INPUT_CONFIG_DIR: join(base, 'cfg'),
      SM_CHANNEL_TRAIN: join(base, 'tr'),
      SM_CHANNEL_VALIDATION: join(base, 'va'),
      SM_MODEL_DIR: join(base, 'm'),
      SM_OUTPUT_DATA_DIR: join(base, 'out', 'data'),
    });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/validation:auc=0\.\d+;/);
    const model = loadModel(join(base, 'm'));
    expect(model.faults).toEqual({ latencyMs: 120, errorRate: 0.25 });
    expect(existsSync(join(base, 'out', 'data', 'metrics.json'))).toBe(true);
    expect(existsSync(join(base, 'nowhere'))).toBe(false);
  });

  it('with fail, writes the reason to output/failure and exits non-zero without a model', async () => {
    const root = smRoot({ fail: 'true' });

    const result = await runScript('examples/model/train.ts', { SM_ROOT: root });

    expect(result.code).not.toBe(0);
    expect(readFileSync(join(root, 'output', 'failure'), 'utf8')).toContain('training failed on purpose');
    expect(existsSync(join(root, 'model', 'model.json'))).toBe(false);
  });

  it('refuses corrupt data with exit 2 and a failure naming file, line and column', async () => {
    const root = smRoot({});
    writeDataset(join(root, 'input', 'data', 'train', 'train.csv'), { rows: 200, seed: 3, corrupt: true });

    const result = await runScript('examples/model/train.ts', { SM_ROOT: root });

    expect(result.code).toBe(2);
    expect(readFileSync(join(root, 'output', 'failure'), 'utf8')).toMatch(/train\.csv:\d+, column "age": expected a number, got "unknown"/);
  });

  it('fails with exit 2 when the train channel is missing or a hyperparameter is invalid', async () => {
    const noData = smRoot({});
    const badHp = smRoot({ l2: '-1' });
    writeDataset(join(badHp, 'input', 'data', 'train', 'train.csv'), { rows: 50 });

    const [a, b] = await Promise.all([
      runScript('examples/model/train.ts', { SM_ROOT: noData }),
      runScript('examples/model/train.ts', { SM_ROOT: badHp }),
    ]);

    expect(a.code).toBe(2);
    expect(readFileSync(join(noData, 'output', 'failure'), 'utf8')).toContain('the train channel does not exist');
    expect(b.code).toBe(2);
    expect(readFileSync(join(badHp, 'output', 'failure'), 'utf8')).toContain('hyperparameter l2');
  });
});
