import { describe, expect, it } from 'vitest';
import { InputError, ValueTypeError } from '../../../../vocabulary/errors';
import {
  exactSample,
  kolmogorovPValue,
  kolmogorovSurvival,
  ksStatistic,
  linfCategorical,
  linfRobust,
  momentsOf,
  stdPopulation,
  wasserstein1,
  wassersteinNormed,
  type WeightedSample,
} from '../../../../lambdas/core/stats';

const s = (v: number[]): WeightedSample => exactSample(v);
const weighted = (values: number[], weights: number[]): WeightedSample => ({
  values: Float64Array.from(values),
  weights: Float64Array.from(weights),
  total: weights.reduce((a, b) => a + b, 0),
});

describe('Function: exactSample', () => {
  it('sorts a copy numerically and leaves the input alone', () => {
    const input = [10, 9, 1, -2];
    const sample = exactSample(input);
    expect(Array.from(sample.values)).toEqual([-2, 1, 9, 10]);
    expect(input).toEqual([10, 9, 1, -2]);
    expect(sample.weights).toBeNull();
    expect(sample.total).toBe(4);
    const typed = Float64Array.from([3, 1]);
    exactSample(typed);
    expect(Array.from(typed)).toEqual([3, 1]);
  });

  it('rejects non-finite values', () => {
    expect(() => exactSample([1, Number.NaN])).toThrow(ValueTypeError);
    expect(() => exactSample([-Infinity])).toThrow(ValueTypeError);
  });
});

describe('Function: ksStatistic', () => {
  it('handles ties with ECDF(x) = #{v <= x} / n', () => {
    // at 1: 2/3 vs 1/3; at 2: 1 vs 1
    expect(ksStatistic(s([1, 1, 2]), s([1, 2, 2]))).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic(s([1, 2, 3]), s([3, 2, 1]))).toBe(0);
  });

  it('is 1 for separated samples, including values outside the other range, and n = 1', () => {
    expect(ksStatistic(s([1, 2]), s([3, 4]))).toBe(1);
    expect(ksStatistic(s([0]), s([1]))).toBe(1);
    expect(ksStatistic(s([0]), s([0]))).toBe(0);
    expect(ksStatistic(s([0, 1]), s([0.5]))).toBe(0.5);
  });

  it('treats weights as repeated values', () => {
    expect(ksStatistic(weighted([1, 2], [2, 1]), s([1, 2, 2]))).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic(weighted([1, 2], [2, 1]), s([1, 1, 2]))).toBe(0);
  });

  it('throws on an empty sample', () => {
    expect(() => ksStatistic(s([]), s([1]))).toThrow(InputError);
    expect(() => ksStatistic(s([1]), s([]))).toThrow(InputError);
  });
});

describe('Function: kolmogorovSurvival', () => {
  const alternating = (l: number): number => {
    let sum = 0;
    for (let k = 1; k <= 200; k++) sum += (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * l * l);
    return 2 * sum;
  };

  it('matches Q(1) = 2(e^-2 - e^-8 + e^-18 - ...) = 0.26999967167735456', () => {
    expect(kolmogorovSurvival(1)).toBeCloseTo(0.26999967167735456, 15);
  });

  it('agrees with the plain alternating series below the cutover (theta-function branch)', () => {
    for (const l of [0.4, 0.5, 0.6, 0.7, 0.81, 0.83]) expect(kolmogorovSurvival(l)).toBeCloseTo(alternating(l), 12);
  });

  it('is 1 at and near 0, tends to 0 for large l, and decreases', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(0.05)).toBe(1);
    expect(kolmogorovSurvival(40)).toBe(0);
    let prev = 1;
    for (let l = 0.1; l < 5; l += 0.01) {
      const q = kolmogorovSurvival(l);
      expect(q).toBeLessThanOrEqual(prev);
      prev = q;
    }
  });
});

describe('Function: kolmogorovPValue', () => {
  it('scales d by sqrt(nm/(n+m))', () => {
    // n = m = 200 -> en = 100, sqrt = 10
    expect(kolmogorovPValue(0.1, 200, 200)).toBeCloseTo(0.26999967167735456, 14);
    expect(kolmogorovPValue(0, 5, 7)).toBe(1);
  });

  it('rejects d outside [0, 1] and non-positive sizes', () => {
    expect(() => kolmogorovPValue(1.5, 10, 10)).toThrow(InputError);
    expect(() => kolmogorovPValue(Number.NaN, 10, 10)).toThrow(InputError);
    expect(() => kolmogorovPValue(0.5, 0, 10)).toThrow(InputError);
  });
});

describe('Function: wasserstein1', () => {
  it('matches hand computations', () => {
    expect(wasserstein1(s([0]), s([1]))).toBe(1);
    expect(wasserstein1(s([0, 1]), s([1, 0]))).toBe(0);
    // F_a = 2/3, F_b = 1/3 on [0, 1)
    expect(wasserstein1(s([0, 0, 1]), s([0, 1, 1]))).toBeCloseTo(1 / 3, 15);
    // current entirely outside the reference range: mean shift
    expect(wasserstein1(s([0, 1, 2]), s([10, 11, 12]))).toBeCloseTo(10, 12);
  });

  it('treats weights as repeated values', () => {
    expect(wasserstein1(weighted([0, 1], [2, 1]), s([0, 1, 1]))).toBeCloseTo(1 / 3, 15);
  });

  it('is the gap between two constant columns', () => {
    expect(wasserstein1(s([2, 2, 2]), s([5, 5]))).toBe(3);
  });

  it('throws on an empty sample', () => {
    expect(() => wasserstein1(s([]), s([1]))).toThrow(InputError);
  });
});

describe('Function: wassersteinNormed', () => {
  it('divides by the reference std, floored at 0.001 for constant references', () => {
    expect(wassersteinNormed(0.5, 2)).toBe(0.25);
    const constantStd = stdPopulation(momentsOf([4, 4, 4]));
    expect(constantStd).toBe(0);
    expect(wassersteinNormed(0.5, constantStd)).toBeCloseTo(500, 10);
    expect(() => wassersteinNormed(Number.NaN, 1)).toThrow(InputError);
    expect(() => wassersteinNormed(1, -1)).toThrow(InputError);
  });
});

describe('Function: linfRobust', () => {
  it('subtracts 1.8 sqrt((n+m)/(nm)) and floors at 0', () => {
    expect(linfRobust(0.5, 100, 100)).toBeCloseTo(0.5 - 1.8 * Math.sqrt(0.02), 15);
    expect(linfRobust(0.1, 100, 100)).toBe(0);
    expect(linfRobust(1, 1, 1)).toBe(0);
    expect(() => linfRobust(0.1, 0, 5)).toThrow(InputError);
  });
});

describe('Function: linfCategorical', () => {
  it('is the largest proportion gap, counting unseen categories', () => {
    expect(linfCategorical([1, 1], [1, 3])).toBe(0.25);
    expect(linfCategorical([1, 1, 0], [0, 0, 5])).toBe(1);
    expect(() => linfCategorical([1], [1, 2])).toThrow(InputError);
    expect(() => linfCategorical([0], [1])).toThrow(InputError);
  });
});
