/**
 * The training schema a dataset row must fit: the model's features in the config's
 * order, each numeric or categorical, and the label. A production row whose features do
 * not fit is counted and left out, never guessed (no imputation, no coercion beyond
 * reading a numeric text as its number).
 */
import { parseStrictNumber } from '../quality';
import type { Cell } from '../readers/types';

/** One feature of the training schema. */
export interface SchemaFeature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
}

/** The features (in the order they are written) and the label column. */
export interface TrainingSchema {
  readonly features: readonly SchemaFeature[];
  readonly label: string;
}

/**
 * The cell as the training data holds it, or a reason it does not fit: a numeric feature
 * takes a finite number (or a text that is one); a categorical feature any non-empty
 * scalar; a missing value fits neither.
 */
export function fitCell(cell: Cell | undefined, feature: SchemaFeature): { value: Cell } | { problem: string } {
  if (cell === null || cell === undefined || cell === '') return { problem: `feature "${feature.name}" is missing` };
  if (feature.type === 'categorical') return { value: cell };
  const x = typeof cell === 'number' ? cell : typeof cell === 'string' ? parseStrictNumber(cell.trim()) : undefined;
  if (x === undefined || !Number.isFinite(x)) return { problem: `feature "${feature.name}" is not a number: ${JSON.stringify(cell)}` };
  return { value: x };
}
