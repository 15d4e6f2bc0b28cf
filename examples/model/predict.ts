/**
 * Inference of the example model: request rows in, probabilities of the positive class
 * out. Pure; the HTTP server and local batch transform both call {@link predict}.
 */
import { isNonFiniteToken, parseNumber } from '../../lambdas/core/readers/parse-number';
import { ValueTypeError, InputError } from '../../vocabulary/errors';
import type { Cell } from '../../lambdas/core/readers/types';
import type { FeatureEncoding, ModelArtifact } from './artifact';
import { encodedWidth, encodeRow } from './encoding';
import { sigmoid } from './logistic-regression';

/**
 * One input row: an array of values in the model's feature order, or an object keyed
 * by feature name (absent keys are missing values).
 */
export type PredictRow = readonly Cell[] | Readonly<Record<string, Cell | undefined>>;

/** Where a row came from, for error messages. */
export interface RowSource {
  /** File or request name. @default none */
  readonly file?: string;
  /** Line of the first row (1-based). @default 1 */
  readonly firstLine?: number;
}

/**
 * The typed value of one cell: a number for a numeric feature, a trimmed string for a
 * categorical one, `null` when missing (`null`, `undefined` or blank).
 *
 * @throws ValueTypeError when a numeric feature's cell is not a finite number
 */
export function typedValue(feature: Pick<FeatureEncoding, 'name' | 'type'>, cell: Cell | undefined, where: { file?: string; line: number }): number | string | null {
  if (cell === null || cell === undefined) return null;
  if (feature.type === 'categorical') {
    const s = String(cell).trim();
    return s === '' ? null : s;
  }
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return cell;
  } else if (typeof cell === 'string') {
    if (cell.trim() === '') return null;
    const x = parseNumber(cell);
    if (x === x) return x;
  }
  const shown = JSON.stringify(cell);
  const what = typeof cell === 'string' && isNonFiniteToken(cell) ? 'a non-finite number' : shown;
  throw new ValueTypeError(`expected a number, got ${what}`, { file: where.file, line: where.line, column: feature.name });
}

/** The typed values of one row, in the model's feature order. */
export function typedRow(model: ModelArtifact, row: PredictRow, where: { file?: string; line: number }): (number | string | null)[] {
  const features = model.features;
  if (Array.isArray(row)) {
    if (row.length !== features.length) {
      throw new InputError(
        `expected ${features.length} values (${features.map((f) => f.name).join(',')}), got ${row.length}`,
        { file: where.file, line: where.line },
      );
    }
    return features.map((f, i) => typedValue(f, row[i], where));
  }
  if (row === null || typeof row !== 'object') {
    throw new InputError(`expected an array or an object of feature values, got ${JSON.stringify(row)}`, { file: where.file, line: where.line });
  }
  const obj = row as Readonly<Record<string, Cell | undefined>>;
  return features.map((f) => typedValue(f, obj[f.name], where));
}

/**
 * Probabilities of the positive class, one per row. Numeric values may be numbers or
 * numeric strings; a missing numeric value takes the training mean; a missing or
 * unknown category contributes nothing (all its one-hot columns are 0).
 *
 * @throws InputError on a row of the wrong length; ValueTypeError on a non-number in a
 *   numeric feature (the message names the line, 1-based from `source.firstLine`, and the column)
 */
export function predict(model: ModelArtifact, rows: readonly PredictRow[], source: RowSource = {}): number[] {
  const p = encodedWidth(model.features);
  const x = new Float64Array(p);
  const first = source.firstLine ?? 1;
  return rows.map((row, i) => {
    encodeRow(model.features, typedRow(model, row, { file: source.file, line: first + i }), x);
    let z = model.intercept;
    for (let j = 0; j < p; j++) z += model.weights[j]! * x[j]!;
    return sigmoid(z);
  });
}
