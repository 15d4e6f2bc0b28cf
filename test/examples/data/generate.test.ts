/**
 * The example data generator: determinism, the config's columns, drift that moves what
 * it should, corruption that makes validation critical, and the holdout split.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset, generateRows, splitHoldout, toCsv, writeTrainHoldout, churnProbability } from '../../../examples/data/generate';
import { CHURN_CATEGORIES, CHURN_COLUMNS, CHURN_LABEL, type ChurnCustomer, type DatasetRow } from '../../../examples/data/churn-schema';
import { InputError } from '../../../vocabulary/errors';
import { evaluate } from '../../../lambdas/core/metrics';
import { openTable } from '../../../lambdas/core/readers';
import { validateData } from '../../../lambdas/core/validation';
import { predict } from '../../../examples/model/predict';
import { REPO, removeDir, tempDir, trainOn } from '../helpers';

const dir = tempDir();
afterAll(() => removeDir(dir));

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const column = (rows: readonly DatasetRow[], name: string): number[] => rows.map((r) => r[name] as number);
const share = (rows: readonly DatasetRow[], name: string, value: string): number => rows.filter((r) => r[name] === value).length / rows.length;
const labels = (rows: readonly DatasetRow[]): number[] => column(rows, CHURN_LABEL);
const aucOf = (y: readonly number[], p: readonly number[]): number => evaluate('binary', y, [p]).rocAuc;

describe('Function: generateRows', () => {
  it('has exactly the example config\'s features, types and label', () => {
    // Prepare
    const config = JSON.parse(readFileSync(join(REPO, 'examples/pitstop.config.json'), 'utf8'));
    const churn = config.models.find((m: { name: string }) => m.name === 'churn');

    // Act
    const csv = toCsv(generateRows({ rows: 3 }));

    // Assess: header = features in config order, then the label
    const configColumns = [...churn.features.map((f: { name: string }) => f.name), churn.label];
    expect(csv.split('\n')[0]).toBe(configColumns.join(','));
    expect(CHURN_COLUMNS).toEqual(configColumns);
    for (const f of churn.features) {
      expect(f.type === 'categorical').toBe(f.name in CHURN_CATEGORIES);
    }
  });

  it('gives the same bytes for the same seed and other bytes for another seed', () => {
    // Act
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    writeDataset(a, { rows: 500, seed: 9, featureDrift: 0.3, conceptDrift: 0.4, corrupt: true });
    writeDataset(b, { rows: 500, seed: 9, featureDrift: 0.3, conceptDrift: 0.4, corrupt: true });
    writeDataset(c, { rows: 500, seed: 10, featureDrift: 0.3, conceptDrift: 0.4, corrupt: true });

    // Assess
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  it('keeps every value in its documented domain', () => {
    const rows = generateRows({ rows: 3000, seed: 3, featureDrift: 1 });
    const int = (v: unknown, lo: number, hi: number) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
    const bad = rows.filter(
      (r) =>
        !int(r.tenure_months, 1, 72) ||
        !int(r.age, 18, 90) ||
        !int(r.support_calls, 0, Infinity) ||
        !((r.monthly_charges as number) >= 10) ||
        !((CHURN_CATEGORIES.plan as readonly unknown[]).includes(r.plan)) ||
        !((CHURN_CATEGORIES.region as readonly unknown[]).includes(r.region)) ||
        !((CHURN_CATEGORIES.payment_method as readonly unknown[]).includes(r.payment_method)) ||
        !(r.churned === 0 || r.churned === 1),
    );
    expect(bad).toEqual([]);
  });

  it('moves the inputs under featureDrift: shorter tenure, higher prices, more electronic checks', () => {
    // Act
    const clean = generateRows({ rows: 5000, seed: 5 });
    const drifted = generateRows({ rows: 5000, seed: 5, featureDrift: 1 });

    // Assess: tenure mean 30 -> 18 before clipping to [1, 72] (clipping at 1 pulls the drifted
    // mean up by a few months), so it drops by well over 6; the standard error is ~0.3.
    expect(mean(column(clean, 'tenure_months')) - mean(column(drifted, 'tenure_months'))).toBeGreaterThan(6);
    // Prices x1.15 and the plan mix moving to premium (mean list price 53.5 -> 67.8 before the rise).
    expect(mean(column(drifted, 'monthly_charges'))).toBeGreaterThan(mean(column(clean, 'monthly_charges')) * 1.25);
    // Electronic checks 30 % -> 55 % of customers (standard error ~0.7 %).
    expect(share(clean, 'payment_method', 'electronic_check')).toBeLessThan(0.34);
    expect(share(drifted, 'payment_method', 'electronic_check')).toBeGreaterThan(0.5);
  });

  it('changes labels only under conceptDrift, never the inputs', () => {
    // Act
    const clean = generateRows({ rows: 2000, seed: 11 });
    const drifted = generateRows({ rows: 2000, seed: 11, conceptDrift: 1 });

    // Assess
    const features = CHURN_COLUMNS.filter((c) => c !== CHURN_LABEL);
    expect(toCsv(drifted, features)).toBe(toCsv(clean, features));
    const changed = clean.filter((r, i) => r.churned !== drifted[i]!.churned).length;
    expect(changed).toBeGreaterThan(200);
  });

  it('makes a model trained before concept drift rank worse than chance after it, and retraining recovers', () => {
    // Prepare: one model on the original relationship, one on the drifted one.
    const before = trainOn({ rows: 4000, seed: 21 });
    const after = trainOn({ rows: 4000, seed: 21, conceptDrift: 1 });
    const holdoutBefore = generateRows({ rows: 3000, seed: 22 });
    const holdoutAfter = generateRows({ rows: 3000, seed: 22, conceptDrift: 1 });

    // Act
    const oldOnOld = aucOf(labels(holdoutBefore), predict(before, holdoutBefore));
    const oldOnNew = aucOf(labels(holdoutAfter), predict(before, holdoutAfter));
    const newOnNew = aucOf(labels(holdoutAfter), predict(after, holdoutAfter));

    // Assess: the two relationships' logits are negatively correlated (tenure -1.1 vs +0.2,
    // support calls +0.7 vs -0.8, age -0.2 vs +0.7, payment effects reversed: covariance
    // about -0.8 against standard deviations of about 1.3 each), so the old ranking is
    // worse than chance on new labels; the new relationship is as learnable as the old.
    expect(oldOnOld).toBeGreaterThan(0.75);
    expect(oldOnNew).toBeLessThan(0.5);
    expect(newOnNew).toBeGreaterThan(0.75);
    expect(newOnNew - oldOnNew).toBeGreaterThan(0.25);
  });

  it('draws labels with the documented probability (mean label ~ mean true probability)', () => {
    const rows = generateRows({ rows: 20000, seed: 4 });
    const expected = mean(rows.map((r) => churnProbability(r as unknown as ChurnCustomer)));
    // Bernoulli draws: standard error sqrt(0.2 / 20000) ~ 0.003
    expect(Math.abs(mean(labels(rows)) - expected)).toBeLessThan(0.015);
  });

  it('rejects options out of range', () => {
    expect(() => generateRows({ featureDrift: 1.5 })).toThrow(InputError);
    expect(() => generateRows({ conceptDrift: -0.1 })).toThrow(InputError);
    expect(() => generateRows({ rows: 2.5 })).toThrow(InputError);
    expect(() => generateRows({ corrupt: { missing: { column: 'nope', share: 0.1 } } })).toThrow(/unknown column "nope"/);
  });
});

describe('Function: generateRows (corrupt)', () => {
  it('blanks 40 % of monthly_charges, puts text in 5 % of age and duplicates 10 % of rows', () => {
    // Act
    const n = 1000;
    const rows = generateRows({ rows: n, seed: 8, corrupt: true });

    // Assess: exact shares (rounded counts); duplicates counted as lines seen before.
    const nulls = rows.filter((r) => r.monthly_charges === null).length;
    const text = rows.filter((r) => r.age === 'unknown').length;
    const seen = new Set<string>();
    let dups = 0;
    for (const line of toCsv(rows).split('\n').slice(1, -1)) {
      if (seen.has(line)) dups++;
      seen.add(line);
    }
    // Copies of a blanked or texted row carry the same cells, so those counts can only grow.
    expect(nulls).toBeGreaterThanOrEqual(400);
    expect(nulls).toBeLessThanOrEqual(400 + 100);
    expect(text).toBeGreaterThanOrEqual(40);
    expect(text).toBeLessThanOrEqual(50 + 100);
    expect(dups).toBe(100);
  });

  it('makes the pipeline\'s data validation critical (missing and duplicates)', async () => {
    // Prepare
    const file = join(dir, 'corrupt.csv');
    writeDataset(file, { rows: 2000, seed: 8, corrupt: true });

    // Act
    const result = await validateData(await openTable(file), { thresholds: { missingCritical: 0.1 } });

    // Assess
    expect(result.status).toBe('critical');
    const critical = result.checks.filter((c) => c.status === 'critical').map((c) => `${c.check}:${c.column ?? ''}`);
    expect(critical).toContain('missing:monthly_charges');
    expect(critical).toContain('duplicates:');
  });

  it('leaves clean data healthy under the same validation', async () => {
    const file = join(dir, 'clean.csv');
    writeDataset(file, { rows: 2000, seed: 8 });
    const result = await validateData(await openTable(file), { thresholds: { missingCritical: 0.1 } });
    expect(result.status).toBe('healthy');
  });
});

describe('Function: splitHoldout', () => {
  it('partitions the rows by a seeded shuffle, keeping order', () => {
    // Prepare
    const rows = Array.from({ length: 101 }, (_, i) => i);

    // Act
    const a = splitHoldout(rows, { holdoutFraction: 0.2, seed: 3 });
    const b = splitHoldout(rows, { holdoutFraction: 0.2, seed: 3 });

    // Assess
    expect(a.holdout).toHaveLength(20); // round(20.2)
    expect(a.train).toHaveLength(81);
    expect([...a.train, ...a.holdout].sort((x, y) => x - y)).toEqual(rows);
    expect(a.holdout).toEqual([...a.holdout].sort((x, y) => x - y));
    expect(b).toEqual(a);
    expect(a.holdout).not.toEqual(rows.slice(0, 20)); // shuffled, not the first rows
  });

  it('writes a training channel and a holdout file with headers', () => {
    const out = writeTrainHoldout(join(dir, 'split'), { rows: 100, seed: 2 });
    const train = readFileSync(out.train, 'utf8').trimEnd().split('\n');
    const holdout = readFileSync(out.holdout, 'utf8').trimEnd().split('\n');
    expect(train[0]).toBe(CHURN_COLUMNS.join(','));
    expect(holdout[0]).toBe(CHURN_COLUMNS.join(','));
    expect([train.length - 1, holdout.length - 1]).toEqual([80, 20]);
    expect([out.trainRows, out.holdoutRows]).toEqual([80, 20]);
  });
});
