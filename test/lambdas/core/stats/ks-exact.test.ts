import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { gcd, ksExactPValue, roundHalfEven } from '../../../../lambdas/core/stats';

/** Every interleaving of n values of one sample and m of the other, with its KS distance. */
function allDistances(n: number, m: number): number[] {
  const out: number[] = [];
  const walk = (i: number, j: number, dMax: number): void => {
    const d = Math.max(dMax, Math.abs(i / n - j / m));
    if (i === n && j === m) {
      out.push(d);
      return;
    }
    if (i < n) walk(i + 1, j, d);
    if (j < m) walk(i, j + 1, d);
  };
  walk(0, 0, 0);
  return out;
}

describe('Function: ksExactPValue', () => {
  it.each([[3, 3], [4, 6], [5, 7], [6, 9], [8, 8], [2, 11]])('equals the share of interleavings at least as far apart (n=%d, m=%d)', (n, m) => {
    // Prepare
    const distances = allDistances(n, m);
    const lcm = (n * m) / gcd(n, m);
    const levels = [...new Set(distances.map((d) => Math.round(d * lcm)))].sort((a, b) => a - b);
    for (const h of levels) {
      const d = h / lcm;
      // Act
      const p = ksExactPValue(d, n, m)!;
      // Assess
      const share = distances.filter((x) => Math.round(x * lcm) >= h).length / distances.length;
      expect(Math.abs(p - share)).toBeLessThan(1e-12);
    }
  });

  it('rejects bad arguments', () => {
    // Act / Assess
    expect(() => ksExactPValue(0.2, 0, 4)).toThrow(InputError);
    expect(() => ksExactPValue(0.2, 3, 4.5)).toThrow(InputError);
    expect(() => ksExactPValue(-0.1, 3, 4)).toThrow(InputError);
  });
});

describe('Function: roundHalfEven', () => {
  it('rounds halves to the even neighbour as numpy does, everything else to the nearest', () => {
    // Act / Assess
    expect([0.5, 1.5, 2.5, 499.5, 500.5, 2.4, 2.6, 7].map(roundHalfEven)).toEqual([0, 2, 2, 500, 500, 2, 3, 7]);
  });
});
