/**
 * The example model: logistic regression on hand-computed cases, optimality of the
 * regularised fit, encoding of missing and unknown values, quality on generated data,
 * hyperparameter parsing and fault injection.
 */
import { describe, expect, it } from 'vitest';
import { generateRows, splitHoldout, churnProbability } from '../../../examples/data/generate';
import type { ChurnCustomer, DatasetRow } from '../../../examples/data/churn-schema';
import type { ModelArtifact } from '../../../examples/model/artifact';
import { createFaultSchedule, resolveFaults } from '../../../examples/model/faults';
import { parseHyperparameters } from '../../../examples/model/hyperparameters';
import { predict } from '../../../examples/model/predict';
import { InjectedTrainingFailure, trainingSetFromRows, trainModel } from '../../../examples/model/train-model';
import { InputError, ValueTypeError } from '../../../vocabulary/errors';
import { evaluate } from '../../../lambdas/core/metrics';

const hpOf = (raw: Record<string, string>) => parseHyperparameters(raw).hyperparameters;
const train = (rows: readonly Record<string, string | number | null>[], raw: Record<string, string>) => {
  const hp = hpOf(raw);
  return trainModel(trainingSetFromRows(rows, hp), hp);
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The model's encoding of one row, written out independently of the model code. */
function encodeByHand(model: ModelArtifact, row: Readonly<Record<string, unknown>>): number[] {
  const out: number[] = [];
  for (const f of model.features) {
    const v = row[f.name];
    if (f.type === 'numeric') out.push(typeof v === 'number' ? (v - f.mean) / f.scale : 0);
    else for (const c of f.categories) out.push(v === c ? 1 : 0);
  }
  return out;
}
const logitByHand = (model: ModelArtifact, row: Readonly<Record<string, unknown>>) =>
  encodeByHand(model, row).reduce((z, x, j) => z + x * model.weights[j]!, model.intercept);

/** Two groups with churn rates 1/4 and 3/4. */
const groups = (feature: string, a: string | number, b: string | number) => [
  ...[1, 0, 0, 0].map((y) => ({ [feature]: a, y })),
  ...[1, 1, 1, 0].map((y) => ({ [feature]: b, y })),
];

describe('Function: trainModel', () => {
  it('reproduces group rates when the model is saturated (one categorical feature, no penalty)', () => {
    // Prepare: the unpenalised MLE of a saturated logistic model predicts each group's
    // empirical rate, 1/4 and 3/4.
    const rows = groups('g', 'a', 'b');

    // Act
    const model = train(rows, { categorical_features: 'g', label: 'y', l2: '0' });
    const [pa, pb] = predict(model, [['a'], ['b']]);

    // Assess
    expect(pa).toBeCloseTo(0.25, 6);
    expect(pb).toBeCloseTo(0.75, 6);
  });

  it('reproduces group rates with one two-valued numeric feature', () => {
    const model = train(groups('x', 0, 1), { numeric_features: 'x', label: 'y', l2: '0' });
    // Standardisation: mean 0.5 and population sd 0.5 of eight values half 0, half 1.
    expect(model.features[0]).toMatchObject({ mean: 0.5, scale: 0.5 });
    const [p0, p1] = predict(model, [[0], [1]]);
    expect(p0).toBeCloseTo(0.25, 6);
    expect(p1).toBeCloseTo(0.75, 6);
  });

  it('stops at the optimum of the penalised loss (zero gradient, by an independent computation)', () => {
    // Prepare
    const rows = generateRows({ rows: 800, seed: 13 });
    const l2 = 0.05;

    // Act
    const model = train(rows, { l2: String(l2) });

    // Assess: d/dw [mean log loss + l2/2 |w|^2] = X'(p - y)/n + l2 w; d/db = mean(p - y).
    const grad = new Array<number>(model.weights.length).fill(0);
    let gradB = 0;
    for (const r of rows) {
      const x = encodeByHand(model, r);
      const res = sigmoid(logitByHand(model, r)) - (r.churned as number);
      x.forEach((v, j) => (grad[j]! += (res * v) / rows.length));
      gradB += res / rows.length;
    }
    grad.forEach((g, j) => expect(Math.abs(g + l2 * model.weights[j]!)).toBeLessThan(1e-7));
    expect(Math.abs(gradB)).toBeLessThan(1e-7);
  });

  it('standardises numeric features with the training mean and population standard deviation', () => {
    const rows = generateRows({ rows: 500, seed: 2 });
    const model = train(rows, {});
    const ages = rows.map((r) => r.age as number);
    const mean = ages.reduce((a, b) => a + b) / ages.length;
    const sd = Math.sqrt(ages.reduce((a, b) => a + (b - mean) ** 2, 0) / ages.length);
    expect(model.features.find((f) => f.name === 'age')).toMatchObject({ mean: expect.closeTo(mean, 9), scale: expect.closeTo(sd, 9) });
  });

  it('shrinks the weights as l2 grows', () => {
    const rows = generateRows({ rows: 1000, seed: 6 });
    const norm = (m: ModelArtifact) => Math.hypot(...m.weights);
    const [a, b, c] = ['0.0001', '0.1', '10'].map((l2) => norm(train(rows, { l2 })));
    expect(a).toBeGreaterThan(b!);
    expect(b).toBeGreaterThan(c!);
  });

  it('reaches the same solution by gradient descent as by Newton', () => {
    const rows = generateRows({ rows: 600, seed: 17 });
    const newton = train(rows, { l2: '0.01' });
    const gd = train(rows, { l2: '0.01', solver: 'gd', epochs: '4000', learning_rate: '1' });
    const sample = rows.slice(0, 50);
    const pn = predict(newton, sample);
    const pg = predict(gd, sample);
    pn.forEach((p, i) => expect(Math.abs(p - pg[i]!)).toBeLessThan(2e-3));
  });

  it('is deterministic: the same data and hyperparameters give the same model', () => {
    const rows = generateRows({ rows: 700, seed: 19 });
    expect(JSON.stringify(train(rows, {}))).toBe(JSON.stringify(train(rows, {})));
  });

  it('fails on purpose with the fail hyperparameter', () => {
    const rows = generateRows({ rows: 10 });
    expect(() => train(rows, { fail: 'true' })).toThrow(InjectedTrainingFailure);
    expect(() => train(rows, { fail: 'disk on fire' })).toThrow('disk on fire');
    expect(() => train(rows, { fail: 'false' })).not.toThrow();
  });

  it('refuses text in a numeric column, naming the line and column', () => {
    const rows = generateRows({ rows: 10, seed: 1, corrupt: { text: { column: 'age', share: 0.5 } } });
    expect(() => train(rows, {})).toThrow(ValueTypeError);
    expect(() => train(rows, {})).toThrow(/line \d+, column "age": expected a number, got "unknown"/);
  });
});

describe('Function: trainModel (quality on generated data)', () => {
  // Prepare: 5000 clean rows, 20 % held out.
  const { train: trainRows, holdout } = splitHoldout(generateRows({ rows: 5000, seed: 31 }), { seed: 31 });
  const model = train(trainRows, {});
  const y = holdout.map((r) => r.churned as number);
  const auc = (p: readonly number[]) => evaluate('binary', y, [p]).rocAuc;

  it('reaches the AUC the generator allows on the holdout', () => {
    // Act
    const p = predict(model, holdout);
    const oracle = auc(holdout.map((r) => churnProbability(r as unknown as ChurnCustomer)));

    // Assess: the generator's true probability reaches 0.78-0.82 (see generate.ts); a
    // correctly specified model fitted on 4000 rows comes within two points of it.
    expect(auc(p)).toBeGreaterThan(0.75);
    expect(oracle - auc(p)).toBeLessThan(0.02);
  });

  it('beats a constant prediction of the training churn rate', () => {
    const rate = trainRows.filter((r) => r.churned === 1).length / trainRows.length;
    const constant = evaluate('binary', y, [y.map(() => rate)]);
    const m = evaluate('binary', y, [predict(model, holdout)]);
    expect(constant.rocAuc).toBe(0.5);
    expect(m.rocAuc).toBeGreaterThan(constant.rocAuc + 0.2);
    expect(m.logLoss).toBeLessThan(constant.logLoss - 0.05);
  });
});

describe('Function: predict', () => {
  const model = train(generateRows({ rows: 1000, seed: 23 }), {});
  const row: DatasetRow = {
    tenure_months: 10, monthly_charges: 80.5, total_charges: 805, support_calls: 3, age: 33,
    plan: 'premium', region: 'north', payment_method: 'electronic_check',
  };
  const asArray = (r: DatasetRow) => model.features.map((f) => r[f.name] ?? null);

  it('computes sigmoid(intercept + weights . encoding) for arrays, objects and numeric strings', () => {
    const expected = sigmoid(logitByHand(model, row));
    const [a, b, c] = predict(model, [asArray(row), row, asArray(row).map((v) => (typeof v === 'number' ? String(v) : v))]);
    expect(a).toBeCloseTo(expected, 12);
    expect(b).toBeCloseTo(expected, 12);
    expect(c).toBeCloseTo(expected, 12);
  });

  it('encodes an unknown or missing category as all zeros', () => {
    // Prepare: the same customer in a region never seen in training, and with none.
    const mars = { ...row, region: 'mars' };
    const none = { ...row, region: null };

    // Act
    const [pm, pn, pNorth] = predict(model, [mars, none, row]);

    // Assess: the region contributes nothing (the other columns do as before).
    const region = model.features.find((f) => f.name === 'region');
    expect(region && region.type === 'categorical' && region.categories).not.toContain('mars');
    expect(pm).toBeCloseTo(sigmoid(logitByHand(model, { ...row, region: undefined })), 12);
    expect(pn).toBe(pm);
    expect(pNorth).not.toBe(pm);
  });

  it('gives a missing numeric value the training mean', () => {
    const age = model.features.find((f) => f.name === 'age');
    const [missing, atMean] = predict(model, [{ ...row, age: null }, { ...row, age: age!.type === 'numeric' ? age!.mean : 0 }]);
    expect(missing).toBeCloseTo(atMean!, 12);
  });

  it('rejects rows of the wrong length and non-numbers in numeric columns', () => {
    expect(() => predict(model, [[1, 2, 3]])).toThrow(InputError);
    expect(() => predict(model, [asArray(row), { ...row, age: 'old' }], { file: 'request' })).toThrow(
      'request:2, column "age": expected a number, got "old"',
    );
    expect(() => predict(model, [{ ...row, age: 'NaN' }])).toThrow(/non-finite/);
  });
});

describe('Function: parseHyperparameters', () => {
  it('reads SageMaker string values, SDK-quoted strings and other spellings of the names', () => {
    const { hyperparameters: hp, ignored } = parseHyperparameters({
      l2: '0.5', solver: '"gd"', maxIter: '7', 'learning-rate': '0.2', latency_ms: '250', errorRate: '0.1', n_estimators: '200',
    });
    expect(hp).toMatchObject({ l2: 0.5, solver: 'gd', maxIter: 7, learningRate: 0.2, latencyMs: 250, errorRate: 0.1 });
    expect(ignored).toEqual(['n_estimators']);
  });

  it('defaults to the churn example', () => {
    const hp = hpOf({});
    expect(hp.label).toBe('churned');
    expect([...hp.numericFeatures, ...hp.categoricalFeatures]).toHaveLength(8);
    expect(hp.fail).toBeUndefined();
  });

  it('names the hyperparameter with a bad value', () => {
    expect(() => hpOf({ l2: 'lots' })).toThrow('hyperparameter l2: expected a number >= 0, got "lots"');
    expect(() => hpOf({ epochs: '0' })).toThrow(/epochs: expected an integer >= 1/);
    expect(() => hpOf({ error_rate: '2' })).toThrow(/error_rate/);
    expect(() => hpOf({ solver: 'adam' })).toThrow(/solver/);
  });
});

describe('Function: createFaultSchedule', () => {
  it('fails exactly floor(n * rate) of the first n invocations', () => {
    const take = (rate: number, n: number) => Array.from({ length: n }, createFaultSchedule(rate));
    expect(take(0.25, 8)).toEqual([false, false, false, true, false, false, false, true]);
    expect(take(0, 5).some(Boolean)).toBe(false);
    expect(take(1, 5).every(Boolean)).toBe(true);
    expect(take(0.3, 100).filter(Boolean)).toHaveLength(30);
  });

  it('lets the environment override the model\'s faults', () => {
    const model = { errorRate: 0.1, latencyMs: 5 };
    expect(resolveFaults(model, {})).toEqual(model);
    expect(resolveFaults(model, { PITSTOP_FAULT_ERROR_RATE: '0.5' })).toEqual({ errorRate: 0.5, latencyMs: 5 });
    expect(resolveFaults(model, { PITSTOP_FAULT_LATENCY_MS: '300' })).toEqual({ errorRate: 0.1, latencyMs: 300 });
    expect(() => resolveFaults(model, { PITSTOP_FAULT_ERROR_RATE: '1.5' })).toThrow(/PITSTOP_FAULT_ERROR_RATE/);
  });
});
