/**
 * Aligned category counts of two categorical samples.
 *
 * Recipe: `recipe.categories` and `recipe.proportions` of 05_categorical_drift.json:
 * categories are the sorted union of both samples (Python string order, i.e. by Unicode
 * code point), and each sample is counted over all of them (missing -> 0).
 */

/** Categories and the two count vectors aligned with them. */
export interface CategoryCounts {
  readonly categories: string[];
  readonly refCounts: number[];
  readonly curCounts: number[];
}

/** Maps a UTF-16 code unit so that comparing mapped units orders strings by code point. */
function codePointKey(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Orders strings by Unicode code point, as Python's `sorted` does. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointKey(x) - codePointKey(y);
  }
  return a.length - b.length;
}

/** Counts both samples over the sorted union of their categories. */
export function categoryCounts(reference: Iterable<string>, current: Iterable<string>): CategoryCounts {
  const tally = new Map<string, [number, number]>();
  for (const c of reference) {
    const t = tally.get(c);
    if (t) t[0]++;
    else tally.set(c, [1, 0]);
  }
  for (const c of current) {
    const t = tally.get(c);
    if (t) t[1]++;
    else tally.set(c, [0, 1]);
  }
  const categories = [...tally.keys()].sort(compareCodePoints);
  return {
    categories,
    refCounts: categories.map((c) => tally.get(c)![0]),
    curCounts: categories.map((c) => tally.get(c)![1]),
  };
}
