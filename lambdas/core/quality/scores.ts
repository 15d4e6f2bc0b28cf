/**
 * Turning prediction rows into the score columns `evaluate` takes.
 */
import { InputError } from '../../../vocabulary/errors';
import type { ProblemType } from '../../../vocabulary/evaluation-names';

/**
 * The score columns of `predictions` (one row per instance, all rows the same width):
 *
 * - binary: one column P(class 1), or two P(class 0), P(class 1); values in [0, 1]
 *   (a predicted 0/1 class is a degenerate probability and is accepted);
 * - multiclass: K columns of class probabilities, or one column of predicted class
 *   indexes, turned into one-hot columns over `classes` classes (default: the largest
 *   index seen, in labels or predictions, plus one);
 * - regression: one column of predictions.
 *
 * @param labels the labels, to size the one-hot columns
 * @throws InputError on ragged rows, a width that does not fit the problem, or a
 *   probability outside [0, 1]
 */
export function scoreColumns(
  problem: ProblemType,
  predictions: readonly (readonly number[])[],
  labels: readonly number[],
  classes?: number,
): Float64Array[] {
  const n = predictions.length;
  const width = predictions[0]?.length ?? 0;
  for (const row of predictions) {
    if (row.length !== width) throw new InputError(`predictions have ${width} and ${row.length} values on different rows`);
  }
  const column = (j: number) => Float64Array.from(predictions, (r) => r[j]!);
  const checkProbabilities = (cols: Float64Array[]) => {
    for (const c of cols) for (const x of c) if (!(x >= 0 && x <= 1)) throw new InputError(`probability ${x} is outside [0, 1]`);
    return cols;
  };
  switch (problem) {
    case 'regression':
      if (width !== 1) throw new InputError(`regression expects 1 prediction value per instance, got ${width}`);
      return [column(0)];
    case 'binary':
      if (width !== 1 && width !== 2) throw new InputError(`binary classification expects 1 or 2 prediction values per instance, got ${width}`);
      return checkProbabilities(Array.from({ length: width }, (_, j) => column(j)));
    case 'multiclass': {
      if (width >= 2) return checkProbabilities(Array.from({ length: width }, (_, j) => column(j)));
      if (width !== 1) throw new InputError('multiclass classification expects class probabilities or a class index per instance');
      let k = classes ?? 0;
      for (const r of predictions) {
        const c = r[0]!;
        if (!Number.isInteger(c) || c < 0) throw new InputError(`predicted class ${c} is not a class index`);
        if (classes === undefined) k = Math.max(k, c + 1);
        else if (c >= classes) throw new InputError(`predicted class ${c} is not below the ${classes} classes`);
      }
      if (classes === undefined) for (const y of labels) k = Math.max(k, y + 1);
      const cols = Array.from({ length: Math.max(k, 2) }, () => new Float64Array(n));
      predictions.forEach((r, i) => {
        cols[r[0]!]![i] = 1;
      });
      return cols;
    }
  }
}
