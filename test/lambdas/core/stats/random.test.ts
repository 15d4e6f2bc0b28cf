import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../lambdas/core/stats/random';

describe('Function: mulberry32', () => {
  it('gives the published algorithm stream (values from an independent Python port of mulberry32)', () => {
    // Prepare: a = a + 0x6D2B79F5; t = (a ^ a >> 15) * (a | 1); t ^= t + (t ^ t >> 7) * (t | 61); (t ^ t >> 14) / 2^32, all mod 2^32
    const expected: Record<number, number[]> = {
      0: [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111],
      1: [0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741],
      42: [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693],
    };
    for (const [seed, values] of Object.entries(expected)) {
      // Act
      const next = mulberry32(Number(seed));
      // Assess
      expect(values.map(() => next()), `seed ${seed}`).toEqual(values);
    }
  });

  it('is deterministic per seed, takes the seed modulo 2^32, and differs between seeds', () => {
    const draw = (seed: number) => {
      const next = mulberry32(seed);
      return Array.from({ length: 8 }, () => next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7 + 2 ** 32)).toEqual(draw(7));
    expect(draw(-1)).toEqual(draw(2 ** 32 - 1));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('stays in [0, 1) and is close to uniform over 10 bins (chi-square, 9 degrees of freedom, below the 0.999 quantile 27.88)', () => {
    // Prepare
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    const next = mulberry32(2024);
    let outside = 0;

    // Act
    for (let i = 0; i < n; i++) {
      const u = next();
      if (u < 0 || u >= 1) outside++;
      else bins[Math.floor(u * 10)]! += 1;
    }

    // Assess
    expect(outside).toBe(0);
    const chi2 = bins.reduce((sum, observed) => sum + (observed - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.88);
  });
});
