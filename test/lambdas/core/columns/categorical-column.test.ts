import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoricalColumn } from '../../../../lambdas/core/columns/categorical-column';

const key = fc.constantFrom('a', 'b', 'c', 'd', 'é', '');
const codes = fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 60 });
const NAMES = ['a', 'b', 'c', 'd', 'é'];

function feed(keys: readonly string[]): CategoricalColumn {
  const c = new CategoricalColumn();
  for (const k of keys) c.add(k);
  return c;
}

describe('Function: CategoricalColumn', () => {
  it('counts interned codes as it counts their texts one by one (same counts, same order of first appearance)', () => {
    fc.assert(
      fc.property(fc.array(codes, { maxLength: 4 }), (batches) => {
        // Prepare
        const byCodes = new CategoricalColumn();
        const byText = new CategoricalColumn();
        let missing = 0;
        // Act
        for (const batch of batches) {
          missing += byCodes.addCodes(Int32Array.from(batch), NAMES, batch.length);
          for (const c of batch) if (c >= 0) byText.add(NAMES[c]!);
        }
        // Assess
        expect([...byCodes.categoryCounts]).toEqual([...byText.categoryCounts]);
        expect(missing).toBe(batches.flat().filter((c) => c < 0).length);
      }),
    );
  });

  it('merges split parts into what one pass gives, associatively and commutatively (as counts)', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 60 }), fc.array(key, { maxLength: 30 }), fc.array(key, { maxLength: 30 }), (x, y, z) => {
        // Prepare
        const one = feed([...x, ...y, ...z]);
        // Act
        const left = feed(x);
        left.merge(feed(y));
        left.merge(feed(z));
        const yz = feed(y);
        yz.merge(feed(z));
        const right = feed(x);
        right.merge(yz);
        const yx = feed(y);
        yx.merge(feed(x));
        // Assess
        expect([...left.categoryCounts]).toEqual([...one.categoryCounts]);
        expect([...right.categoryCounts]).toEqual([...one.categoryCounts]);
        expect(new Map(yx.categoryCounts)).toEqual(new Map(feed([...x, ...y]).categoryCounts));
      }),
    );
  });

  it('survives a structured clone with its class given back', () => {
    // Prepare
    const c = feed(['a', 'b', 'a']);
    // Act
    const back = CategoricalColumn.revive(structuredClone(c));
    back.add('c');
    // Assess
    expect(Object.fromEntries(back.categoryCounts)).toEqual({ a: 2, b: 1, c: 1 });
    expect(() => CategoricalColumn.revive({})).toThrow(/not a cloned CategoricalColumn/);
  });
});
