import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNonFiniteToken, parseNumber } from '../../../../lambdas/core/readers/parse-number';

describe('Function: parseNumber', () => {
  it('agrees with Number on decimal text, bit for bit (overflow is not a number)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 17 }), (x, digits) => {
        for (const s of [String(x), x.toFixed(Math.min(digits, 15)), x.toPrecision(Math.max(1, digits))]) {
          const n = Number(s);
          if (Number.isFinite(n)) expect(Object.is(parseNumber(s), n), s).toBe(true);
          else expect(parseNumber(s), s).toBeNaN(); // e.g. "2e+308" overflows: not a finite number
        }
      }),
    );
  });

  it('accepts the number forms of CSV data and rejects the rest', () => {
    // Assess
    expect(parseNumber('1.5')).toBe(1.5);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(parseNumber('+2')).toBe(2);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber(' 7 ')).toBe(7);
    expect(parseNumber('1234567890123456789')).toBe(1234567890123456789);
    for (const bad of ['', '-', '.', 'abc', '0x10', '1_000', '1,5', 'NaN', 'Infinity', '-inf', '1e999', '1e', '--1']) {
      expect(parseNumber(bad), bad).toBeNaN();
    }
    for (const t of ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '+INF', '1e999']) expect(isNonFiniteToken(t), t).toBe(true);
    expect(isNonFiniteToken('abc')).toBe(false);
  });
});
