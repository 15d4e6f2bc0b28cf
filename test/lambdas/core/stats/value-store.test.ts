import { describe, expect, it } from 'vitest';
import { InputError, ValueTypeError } from '../../../../vocabulary/errors';
import { exactSample, ksStatistic, ValueStore, wasserstein1, type WeightedSample } from '../../../../lambdas/core/stats';
import { normals, rng } from './helpers';

/** #{v < x} and #{v <= x} in an ascending array. */
function rankRange(sorted: Float64Array, x: number): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end] === x) end++;
  return [lo, end];
}

function storeOf(values: ArrayLike<number>, budget: number): ValueStore {
  const s = new ValueStore(budget);
  s.addAll(values);
  return s;
}

function totalWeight(s: WeightedSample): number {
  if (s.weights === null) return s.values.length;
  return s.weights.reduce((a, b) => a + b, 0);
}

/** Asserts the documented guarantees of a store against the exact data. */
function expectWithinBound(store: ValueStore, data: Float64Array): void {
  const exact = exactSample(data);
  const n = data.length;
  const e = store.rankErrorBound() * n;
  // ECDF error at every point is at most the bound
  expect(ksStatistic(store.sample(), exact)).toBeLessThanOrEqual(store.rankErrorBound() + 1e-12);
  for (let i = 0; i <= 1000; i++) {
    const q = i / 1000;
    const [below, atOrBelow] = rankRange(exact.values, store.quantile(q));
    expect(below).toBeLessThanOrEqual(q * n + e);
    expect(atOrBelow).toBeGreaterThanOrEqual(q * n - e);
  }
}

describe('Class: ValueStore (exact mode)', () => {
  it('keeps every value while within the budget', () => {
    const store = storeOf([4, 1, 3, 2], 128);
    expect(store.exact).toBe(true);
    expect(store.count).toBe(4);
    expect(store.rankErrorBound()).toBe(0);
    const s = store.sample();
    expect(Array.from(s.values)).toEqual([1, 2, 3, 4]);
    expect(s.weights).toBeNull();
    expect(s.total).toBe(4);
    expect(store.quantile(0)).toBe(1);
    expect(store.quantile(0.5)).toBe(2.5);
    expect(store.quantile(1)).toBe(4);
  });

  it('handles empty, single and constant stores', () => {
    const empty = new ValueStore(128);
    expect(empty.count).toBe(0);
    expect(empty.rankErrorBound()).toBe(0);
    expect(empty.sample().values.length).toBe(0);
    expect(() => empty.quantile(0.5)).toThrow(InputError);
    expect(storeOf([9], 128).quantile(0.3)).toBe(9);
    expect(storeOf([2, 2, 2], 128).quantile(0.7)).toBe(2);
  });

  it('rejects non-finite values, bad q and bad budgets', () => {
    const store = new ValueStore(128);
    expect(() => store.add(Number.NaN)).toThrow(ValueTypeError);
    expect(() => store.add(Infinity)).toThrow(ValueTypeError);
    expect(store.count).toBe(0);
    store.add(1);
    expect(() => store.quantile(-0.1)).toThrow(InputError);
    expect(() => new ValueStore(127)).toThrow(InputError);
    expect(() => new ValueStore(1000.5)).toThrow(InputError);
  });

  it('switches to the sketch one value past the budget, keeping the total weight', () => {
    const data = Float64Array.from({ length: 129 }, (_, i) => i);
    const store = storeOf(data, 128);
    expect(store.exact).toBe(false);
    expect(store.count).toBe(129);
    expect(store.retained).toBeLessThanOrEqual(128);
    expect(totalWeight(store.sample())).toBe(129);
    expect(store.sample().total).toBe(129);
    expect(store.rankErrorBound()).toBeGreaterThan(0);
    expect(store.quantile(0)).toBe(0);
    expect(store.quantile(1)).toBe(128);
    expectWithinBound(store, data);
  });
});

describe('Class: ValueStore (sketch mode)', () => {
  const n = 200_000;
  const budget = 10_000;
  const u = rng(7);
  const orders: Record<string, Float64Array> = {
    'random normal': normals(n, 1),
    ascending: normals(n, 2).sort(),
    descending: normals(n, 3).sort().reverse(),
    'heavy ties': Float64Array.from({ length: n }, () => Math.floor(u() * 10)),
  };

  it.each(Object.keys(orders))('keeps every quantile within the tracked rank-error bound (%s, 200k values, budget 10k)', (name) => {
    const data = orders[name]!;
    const store = storeOf(data, budget);
    expect(store.exact).toBe(false);
    expect(store.retained).toBeLessThanOrEqual(budget);
    // the documented a-priori bound L / floor(budget / L), L = number of levels (<= 8 here)
    expect(store.rankErrorBound()).toBeLessThanOrEqual(8 / Math.floor(budget / 8));
    expect(totalWeight(store.sample())).toBe(n);
    expectWithinBound(store, data);
  });

  it('keeps the retained item count bounded as n grows (1e5 vs 1e6 values)', () => {
    const small = storeOf(normals(100_000, 11), budget);
    const large = storeOf(normals(1_000_000, 12), budget);
    expect(small.retained).toBeLessThanOrEqual(budget);
    expect(large.retained).toBeLessThanOrEqual(budget);
    expect(large.sample().values.length).toBeLessThanOrEqual(budget);
    expect(large.toJSON().levels.flat().length).toBeLessThanOrEqual(budget);
    expect(large.count).toBe(1_000_000);
  });

  it('keeps KS and Wasserstein-1 on the sketch within the bound of the exact values', () => {
    // Prepare: reference exact, current sketched; KS moves by at most the bound,
    // W1 by at most bound x (max - min) of the sketched column.
    const reference = normals(50_000, 21);
    const current = normals(n, 22, 0.2, 1.3);
    const refSample = exactSample(reference);
    const curStore = storeOf(current, budget);
    const eps = curStore.rankErrorBound();
    const range = curStore.quantile(1) - curStore.quantile(0);
    // Act
    const dExact = ksStatistic(refSample, exactSample(current));
    const dSketch = ksStatistic(refSample, curStore.sample());
    const wExact = wasserstein1(refSample, exactSample(current));
    const wSketch = wasserstein1(refSample, curStore.sample());
    // Assess
    expect(dExact).toBeGreaterThan(0.05);
    expect(Math.abs(dSketch - dExact)).toBeLessThanOrEqual(eps + 1e-12);
    expect(Math.abs(wSketch - wExact)).toBeLessThanOrEqual(eps * range + 1e-12);
    // both sketched: the bounds add up
    const refStore = storeOf(reference, 1000);
    const dBoth = ksStatistic(refStore.sample(), curStore.sample());
    expect(Math.abs(dBoth - dExact)).toBeLessThanOrEqual(eps + refStore.rankErrorBound() + 1e-12);
  });
});

describe('Method: ValueStore.merge', () => {
  it('two exact halves merged equal the whole exactly while within budget', () => {
    const data = normals(5000, 31);
    const whole = storeOf(data, 10_000);
    const left = storeOf(data.subarray(0, 2500), 10_000);
    const right = storeOf(data.subarray(2500), 10_000);
    left.merge(right);
    expect(left.exact).toBe(true);
    expect(left.count).toBe(5000);
    expect(left.sample().values).toEqual(whole.sample().values);
    expect(left.quantile(0.37)).toBe(whole.quantile(0.37));
    expect(right.count).toBe(2500);
  });

  it('turns into a sketch when the combined count exceeds the budget, within the summed bound', () => {
    const data = normals(30_000, 32);
    const a = storeOf(data.subarray(0, 900), 1000);
    const b = storeOf(data.subarray(900), 1000);
    expect(a.exact).toBe(true);
    a.merge(b);
    expect(a.exact).toBe(false);
    expect(a.count).toBe(30_000);
    expect(a.retained).toBeLessThanOrEqual(1000);
    expectWithinBound(a, data);
  });

  it('merges many sketches (e.g. one per file) within the summed bound', () => {
    const data = normals(120_000, 33);
    const total = new ValueStore(2000);
    for (let i = 0; i < 12; i++) total.merge(storeOf(data.subarray(i * 10_000, (i + 1) * 10_000), 2000));
    expect(total.count).toBe(120_000);
    expect(total.retained).toBeLessThanOrEqual(2000);
    expectWithinBound(total, data);
  });

  it('merges a store with itself as a doubled multiset', () => {
    const s = storeOf([1, 2], 128);
    s.merge(s);
    expect(Array.from(s.sample().values)).toEqual([1, 1, 2, 2]);
  });
});

describe('Method: ValueStore.toJSON / fromJSON', () => {
  it('round-trips an exact store through JSON text', () => {
    const store = storeOf([3, -1.5, 1e-300, 2 ** 52 + 1], 128);
    const back = ValueStore.fromJSON(JSON.parse(JSON.stringify(store.toJSON())));
    expect(back.exact).toBe(true);
    expect(back.count).toBe(4);
    expect(back.sample().values).toEqual(store.sample().values);
  });

  it('round-trips a sketch, which then continues identically', () => {
    const data = normals(20_000, 41);
    const store = storeOf(data.subarray(0, 10_000), 500);
    const back = ValueStore.fromJSON(JSON.parse(JSON.stringify(store)));
    expect(back.exact).toBe(false);
    expect(back.count).toBe(store.count);
    expect(back.rankErrorBound()).toBe(store.rankErrorBound());
    expect(back.sample().values).toEqual(store.sample().values);
    expect(back.sample().weights).toEqual(store.sample().weights);
    store.addAll(data.subarray(10_000));
    back.addAll(data.subarray(10_000));
    expect(back.sample().values).toEqual(store.sample().values);
    expect(back.quantile(0.5)).toBe(store.quantile(0.5));
  });

  it('compacts to maxItems without changing the store, and stays exact when the count fits', () => {
    const data = normals(5000, 42);
    const store = storeOf(data, 10_000);
    expect(store.toJSON(5000).exact).toBe(true);
    const json = store.toJSON(1000);
    expect(json.exact).toBe(false);
    expect(json.levels.flat().length).toBeLessThanOrEqual(1000);
    expect(store.exact).toBe(true);
    expect(store.retained).toBe(5000);
    const back = ValueStore.fromJSON(json);
    expect(back.count).toBe(5000);
    expectWithinBound(back, data);
    expect(() => store.toJSON(100)).toThrow(InputError);
    expect(storeOf([1, 2], 128).toJSON(2).exact).toBe(true);
  });

  it('rejects malformed JSON', () => {
    const good = storeOf([1, 2, 3], 128).toJSON();
    expect(() => ValueStore.fromJSON(null)).toThrow(InputError);
    expect(() => ValueStore.fromJSON({ ...good, version: 2 })).toThrow(InputError);
    expect(() => ValueStore.fromJSON({ ...good, count: 4 })).toThrow(/count/);
    expect(() => ValueStore.fromJSON({ ...good, levels: [[1, 'x', 3]] })).toThrow(InputError);
    expect(() => ValueStore.fromJSON({ ...good, min: 2 })).toThrow(/min and max/);
    expect(() => ValueStore.fromJSON({ ...good, errorWeight: 1 })).toThrow(/exact/);
  });
});
