import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TypeInference } from '../../../../lambdas/core/columns/type-inference';

/** A cell of a numeric-so-far column: number text, a JSON number, or NaN-like text. */
type Noted = { kind: 'text'; v: string } | { kind: 'number'; v: number } | { kind: 'nan'; v: string };
const noted: fc.Arbitrary<Noted> = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((n) => ({ kind: 'text' as const, v: String(n / 2) })),
  fc.integer({ min: 0, max: 30 }).map((n) => ({ kind: 'number' as const, v: n })),
  fc.constantFrom('NaN', 'inf', '-Infinity').map((v) => ({ kind: 'nan' as const, v })),
);

function feed(cells: readonly Noted[], cap: number, lineBase = 0): TypeInference {
  const t = new TypeInference(cap);
  cells.forEach((c, i) => {
    if (c.kind === 'text') t.noteText(c.v);
    else if (c.kind === 'number') t.noteNumber(c.v);
    else if (!t.capped) t.noteNonFinite({ file: 'f.csv', line: lineBase + i, value: c.v, nonFinite: true });
  });
  return t;
}

/** The category counts the inference would turn into (null once capped). */
const categories = (t: TypeInference) => (t.capped ? null : [...t.toCategories()]);

/** Independently: the distinct cells (numbers by value, text by text) until more than `cap`. */
function expectedCapped(cells: readonly Noted[], cap: number): boolean {
  const seen = new Set<string>();
  for (const c of cells) {
    seen.add(c.kind === 'number' ? `n${c.v}` : `t${c.v}`);
    if (seen.size > cap) return true;
  }
  return false;
}

describe('Function: TypeInference', () => {
  it('is capped exactly when more than `cap` distinct cells were met', () => {
    fc.assert(
      fc.property(fc.array(noted, { maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (cells, cap) => {
        // Act
        const t = feed(cells, cap);
        // Assess
        expect(t.capped).toBe(expectedCapped(cells, cap));
      }),
    );
  });

  it('turns into category counts: every text by its text, numbers by String(n), counted exactly', () => {
    // Prepare
    const t = feed([{ kind: 'text', v: '1.50' }, { kind: 'number', v: 2 }, { kind: 'text', v: '2' }, { kind: 'nan', v: 'NaN' }, { kind: 'number', v: 2 }], 100);
    // Act
    const counts = t.toCategories();
    // Assess: "1.50" stays as written; the JSON 2 joins the text "2"
    expect(Object.fromEntries(counts)).toEqual({ '1.50': 1, '2': 3, NaN: 1 });
    expect(t.pendingNonFinite?.value).toBe('NaN');
  });

  it('merges split parts into what one pass gives (categories in the same order, the first pending value)', () => {
    fc.assert(
      fc.property(fc.array(noted, { maxLength: 80 }), fc.nat(), fc.integer({ min: 1, max: 40 }), (cells, at, cap) => {
        // Prepare
        const k = at % (cells.length + 1);
        const one = feed(cells, cap);
        const a = feed(cells.slice(0, k), cap);
        const b = feed(cells.slice(k), cap, k);
        // Act
        a.merge(b);
        // Assess
        expect(a.capped).toBe(one.capped);
        if (!one.capped) expect(a.pendingNonFinite).toEqual(one.pendingNonFinite);
        expect(categories(a)).toEqual(categories(one));
      }),
    );
  });

  it('merges associatively and commutatively (as counts)', () => {
    fc.assert(
      fc.property(fc.array(noted, { maxLength: 40 }), fc.array(noted, { maxLength: 40 }), fc.array(noted, { maxLength: 40 }), fc.integer({ min: 1, max: 40 }), (x, y, z, cap) => {
        // Prepare
        const asMap = (t: TypeInference) => (t.capped ? null : new Map(t.toCategories()));
        // Act
        const left = feed(x, cap);
        left.merge(feed(y, cap));
        left.merge(feed(z, cap));
        const yz = feed(y, cap);
        yz.merge(feed(z, cap));
        const right = feed(x, cap);
        right.merge(yz);
        const xy = feed(x, cap);
        xy.merge(feed(y, cap));
        const yx = feed(y, cap);
        yx.merge(feed(x, cap));
        // Assess
        expect(categories(left)).toEqual(categories(right));
        expect(yx.capped).toBe(xy.capped);
        expect(asMap(yx)).toEqual(asMap(xy));
      }),
    );
  });

  it('merges a part already committed to numeric (null) into a capped inference', () => {
    // Prepare
    const t = feed([{ kind: 'number', v: 1 }], 10);
    // Act
    t.merge(null);
    // Assess
    expect(t.capped).toBe(true);
    expect(t.distinct).toBe(0);
  });
});
