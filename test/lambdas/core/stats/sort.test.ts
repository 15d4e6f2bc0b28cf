import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from '../../../../lambdas/core/stats/sort';

/** Bit patterns, so -0/+0 and NaN payloads count. */
const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, 2 * a.length));

describe('Function: sortFloat64', () => {
  it('orders exactly like Float64Array.prototype.sort, bit for bit (incl. -0, infinities, subnormals)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 3000 }), fc.integer({ min: 0, max: 3 }), (xs, dup) => {
        // Prepare: sometimes many ties, and always long enough for the radix path now and then
        const values = dup ? xs.map((x) => Math.round(x) % (dup * 3)) : xs;
        const a = Float64Array.from(values);
        const expected = Float64Array.from(values).sort();
        // Act
        const out = sortFloat64(a);
        // Assess
        expect(out).toBe(a);
        expect(bits(a)).toEqual(bits(expected));
      }),
      { numRuns: 200 },
    );
  });

  it('sorts a large array of mixed signs and magnitudes like the built-in sort', () => {
    // Prepare
    const n = 100_000;
    const a = new Float64Array(n);
    let s = 7;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      a[i] = ((s / 2147483648) - 0.5) * 10 ** ((i % 40) - 20);
    }
    a[10] = -0;
    a[20] = 0;
    a[30] = -Infinity;
    a[40] = Infinity;
    const expected = a.slice().sort();
    // Act
    sortFloat64(a);
    // Assess
    expect(bits(a)).toEqual(bits(expected));
    const z = a.indexOf(0);
    expect(Object.is(a[z], -0) && Object.is(a[z + 1], 0)).toBe(true);
  });

  it('puts NaN last like the built-in sort', () => {
    // Prepare
    const a = Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? NaN : (i * 7919) % 1000));
    // Act
    sortFloat64(a);
    // Assess
    expect(Number.isNaN(a[999])).toBe(true);
    for (let i = 1; i < 999; i++) expect(a[i]! >= a[i - 1]!).toBe(true);
  });
});

describe('Function: sortAllFloat64', () => {
  it('sorts shared and plain arrays like the built-in sort, sharing the work with a worker on two cores', async () => {
    // Prepare: 4 shared arrays of 700k values (above the parallel threshold) and a plain one
    const { sortAllFloat64, PARALLEL_SORT_MIN_VALUES } = await import('../../../../lambdas/core/stats/parallel-sort');
    const { availableParallelism } = await import('node:os');
    const arrays: Float64Array[] = [];
    let s = 11;
    for (let k = 0; k < 5; k++) {
      const n = k === 4 ? 1000 : 700_000;
      const a = k === 4 ? new Float64Array(n) : new Float64Array(new SharedArrayBuffer(8 * n));
      for (let i = 0; i < n; i++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        a[i] = Math.round(((s / 2147483648) - 0.5) * 1e6) / 1e4;
      }
      arrays.push(a);
    }
    const expected = arrays.map((a) => a.slice().sort());
    expect(arrays.reduce((t, a) => t + a.length, 0)).toBeGreaterThan(PARALLEL_SORT_MIN_VALUES);
    // Act
    const byWorker = await sortAllFloat64(arrays);
    // Assess
    const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    arrays.forEach((a, k) => expect(bytes(a).equals(bytes(expected[k]!))).toBe(true));
    if (availableParallelism() > 1) expect(byWorker).toBeGreaterThan(0);
  });
});
