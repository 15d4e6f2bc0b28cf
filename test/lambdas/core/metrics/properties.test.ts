/**
 * Properties of the metrics that hold for any data, checked with fast-check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, rocAuc } from '../../../../lambdas/core/metrics';

/** Rows of (label, probability) with probabilities on a 1/100 grid, so ties are common. */
const binaryRows = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 100 })), {
  minLength: 1,
  maxLength: 200,
});
const withBothClasses = binaryRows.filter((rows) => rows.some(([y]) => y === 1) && rows.some(([y]) => y === 0));

const columns = (rows: Array<[number, number]>): [Float64Array, Float64Array] => [
  Float64Array.from(rows, ([y]) => y),
  Float64Array.from(rows, ([, k]) => k / 100),
];

/** A permutation of rows, as random keys sorted. */
const permuted = <T>(rows: T[], keys: number[]): T[] =>
  rows.map((row, i) => ({ row, key: keys[i % keys.length]! + i / 1e6 })).sort((a, b) => a.key - b.key).map((x) => x.row);

/** O(n^2) pair counting: the definition of ROC AUC with ties one half. */
function bruteAuc(y: Float64Array, p: Float64Array): number {
  let pairs = 0;
  let score = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      score += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  }
  return score / pairs;
}

const near = (a: number, b: number): boolean => (Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)));

describe('Property: binary metrics', () => {
  it('are unchanged by row order', () => {
    fc.assert(
      fc.property(binaryRows, fc.array(fc.integer(), { minLength: 1 }), (rows, keys) => {
        const [y1, p1] = columns(rows);
        const [y2, p2] = columns(permuted(rows, keys));
        const a = evaluate('binary', y1, [p1]);
        const b = evaluate('binary', y2, [p2]);
        for (const name of Object.keys(a) as Array<keyof typeof a>) expect(near(a[name], b[name]), name).toBe(true);
      }),
    );
  });

  it('ROC AUC equals O(n^2) pair counting and lies in [0, 1]', () => {
    fc.assert(
      fc.property(withBothClasses, (rows) => {
        const [y, p] = columns(rows);
        const auc = rocAuc(y, p);
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
        expect(auc).toBeCloseTo(bruteAuc(y, p), 12);
      }),
    );
  });

  it('ROC AUC of 1 - p is 1 - ROC AUC of p', () => {
    fc.assert(
      fc.property(withBothClasses, (rows) => {
        const [y, p] = columns(rows);
        expect(rocAuc(y, p.map((x) => 1 - x))).toBeCloseTo(1 - rocAuc(y, p), 12);
      }),
    );
  });

  it('ROC AUC is NaN exactly when one class is missing', () => {
    fc.assert(
      fc.property(binaryRows, (rows) => {
        const [y, p] = columns(rows);
        const both = y.includes(0) && y.includes(1);
        expect(Number.isNaN(rocAuc(y, p))).toBe(!both);
      }),
    );
  });
});

describe('Property: multiclass and regression metrics', () => {
  it('multiclass metrics are unchanged by row order', () => {
    const rows = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 2 }), fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }))),
      { minLength: 1, maxLength: 100 },
    );
    fc.assert(
      fc.property(rows, fc.array(fc.integer(), { minLength: 1 }), (data, keys) => {
        const cols = (d: typeof data): [Float64Array, Float64Array[]] => {
          // Probabilities a/20, b/20 and the rest: each in [0, 1], rows sum to 1.
          const p0 = Float64Array.from(d, ([, [a]]) => a / 20);
          const p1 = Float64Array.from(d, ([, [, b]]) => b / 20);
          return [Float64Array.from(d, ([y]) => y), [p0, p1, p0.map((x, i) => 1 - x - p1[i]!)]];
        };
        const a = evaluate('multiclass', ...cols(data));
        const b = evaluate('multiclass', ...cols(permuted(data, keys)));
        for (const name of Object.keys(a) as Array<keyof typeof a>) expect(near(a[name], b[name]), name).toBe(true);
      }),
    );
  });

  it('regression: rmse^2 = mse, mae <= rmse, r2 <= 1, unchanged by row order', () => {
    // Three decimals, as measured targets are; avoids subnormals, whose squares underflow.
    const value = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((k) => k / 1000);
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 2, maxLength: 100 }), fc.array(fc.integer(), { minLength: 1 }), (rows, keys) => {
        const cols = (r: typeof rows): [Float64Array, Float64Array[]] => [Float64Array.from(r, ([y]) => y), [Float64Array.from(r, ([, p]) => p)]];
        const a = evaluate('regression', ...cols(rows));
        const b = evaluate('regression', ...cols(permuted(rows, keys)));
        expect(a.rmse ** 2).toBeCloseTo(a.mse, 6);
        expect(a.mae).toBeLessThanOrEqual(a.rmse * (1 + 1e-12));
        expect(a.r2).toBeLessThanOrEqual(1);
        for (const name of Object.keys(a) as Array<keyof typeof a>) {
          expect(Math.abs(a[name] - b[name]), name).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a[name])));
        }
      }),
    );
  });
});
