/**
 * Feature encoding of the example model: numeric features standardised with the
 * training mean and standard deviation (a missing value becomes the mean, i.e. 0),
 * categorical features one-hot over the categories seen in training (a missing or
 * unknown category becomes all zeros).
 */
import type { FeatureEncoding } from './artifact';

/** One feature's values, typed: numbers or category strings, `null` when missing. */
export type TypedColumn =
  | { readonly name: string; readonly type: 'numeric'; readonly values: readonly (number | null)[] }
  | { readonly name: string; readonly type: 'categorical'; readonly values: readonly (string | null)[] };

/** The number of encoded columns: one per numeric feature, one per category. */
export function encodedWidth(features: readonly FeatureEncoding[]): number {
  let p = 0;
  for (const f of features) p += f.type === 'numeric' ? 1 : f.categories.length;
  return p;
}

/**
 * Fits the encoding on training columns: the mean and population standard deviation of
 * each numeric column over its present values (mean 0, scale 1 when none is present;
 * scale 1 when the column is constant), and the sorted distinct categories of each
 * categorical column.
 */
export function fitEncoding(columns: readonly TypedColumn[]): FeatureEncoding[] {
  return columns.map((col): FeatureEncoding => {
    if (col.type === 'categorical') {
      const seen = new Set<string>();
      for (const v of col.values) if (v !== null) seen.add(v);
      return { name: col.name, type: 'categorical', categories: [...seen].sort() };
    }
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (const v of col.values) {
      if (v === null) continue;
      n++;
      const delta = v - mean; // Welford
      mean += delta / n;
      m2 += delta * (v - mean);
    }
    const sd = n > 0 ? Math.sqrt(m2 / n) : 0;
    return { name: col.name, type: 'numeric', mean: n > 0 ? mean : 0, scale: sd > 0 ? sd : 1 };
  });
}

/**
 * Writes the encoding of one row into `out` (length {@link encodedWidth}).
 *
 * @param values one typed value per feature, in the encoding's order
 */
export function encodeRow(features: readonly FeatureEncoding[], values: readonly (number | string | null)[], out: Float64Array): void {
  let j = 0;
  for (let f = 0; f < features.length; f++) {
    const enc = features[f]!;
    const v = values[f] ?? null;
    if (enc.type === 'numeric') {
      out[j++] = typeof v === 'number' ? (v - enc.mean) / enc.scale : 0;
    } else {
      const k = typeof v === 'string' ? enc.categories.indexOf(v) : -1;
      for (let c = 0; c < enc.categories.length; c++) out[j + c] = c === k ? 1 : 0;
      j += enc.categories.length;
    }
  }
}

/** Encodes whole columns into a row-major `n × p` matrix. */
export function encodeColumns(features: readonly FeatureEncoding[], columns: readonly TypedColumn[], n: number): Float64Array {
  const p = encodedWidth(features);
  const x = new Float64Array(n * p);
  const row = new Float64Array(p);
  const values: (number | string | null)[] = new Array(columns.length);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < columns.length; f++) values[f] = columns[f]!.values[i] ?? null;
    encodeRow(features, values, row);
    x.set(row, i * p);
  }
  return x;
}
