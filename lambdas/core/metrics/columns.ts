/**
 * Reads the label and score columns of a table into Float64Arrays for `evaluate`,
 * rejecting bad values with errors that name the file, the line and the column.
 */
import { InputError, ValueTypeError, type InputLocation } from '../../../vocabulary/errors';
import type { Cell, RowBatch, Table } from '../readers/types';
import type { ProblemType } from './metric-sets';

/** Options of {@link readEvaluationColumns}. */
export interface ReadEvaluationOptions {
  /**
   * Multiclass only: the number of classes, so labels must be integers `0..classes-1`.
   * Give it when `scoreColumns` holds several models' columns side by side.
   * @default scoreColumns.length
   */
  readonly classes?: number;
}

/** The columns `evaluate` takes. */
export interface EvaluationColumns {
  /** The label of each row (the `yTrue` of `evaluate`). */
  readonly label: Float64Array;
  /** One array per score column, in the order the columns were asked for. */
  readonly scores: Float64Array[];
  /** The number of rows read. */
  readonly rows: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** A growable Float64Array. */
class Column {
  private data = new Float64Array(1024);
  public length = 0;
  public push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  public values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Where row `i` of a batch came from: Parquet batches carry 0-based row indexes, the
 * text formats 1-based line numbers.
 */
function locate(batch: RowBatch, i: number, column: string): InputLocation {
  const where = batch.lines[i];
  return /\.parquet(?:\.gz)?$/i.test(batch.file)
    ? { file: batch.file, row: where, column }
    : { file: batch.file, line: where, column };
}

/**
 * Converts one cell to a finite number. Numbers and numeric strings (surrounding
 * whitespace ignored) are accepted; booleans only where `allowBoolean` (binary labels:
 * true = 1, false = 0).
 */
function toNumber(cell: Cell, allowBoolean: boolean, where: () => InputLocation): number {
  if (cell === null || (typeof cell === 'string' && cell.trim() === '')) {
    throw new InputError('missing value', where());
  }
  if (typeof cell === 'boolean') {
    if (allowBoolean) return cell ? 1 : 0;
    throw new ValueTypeError(`expected a number, got ${cell}`, where());
  }
  let value: number;
  if (typeof cell === 'number') {
    value = cell;
  } else {
    const text = cell.trim();
    if (NON_FINITE.test(text)) throw new ValueTypeError(`expected a finite number, got "${text}"`, where());
    if (!NUMBER.test(text)) throw new ValueTypeError(`expected a number, got "${text}"`, where());
    value = Number(text);
  }
  if (!Number.isFinite(value)) throw new ValueTypeError(`expected a finite number, got ${value}`, where());
  return value;
}

/**
 * Reads the label column and the score columns of `table` into Float64Arrays.
 *
 * @param table the holdout joined with the model's outputs
 * @param label the label column's name
 * @param scoreColumns the score columns' names: binary, P(class 1) (or P(class 0),
 *   P(class 1)); multiclass, one probability per class, class k in position k;
 *   regression, the prediction
 * @param problem decides which labels are valid (0/1 for binary, integers
 *   `0..scoreColumns.length-1` for multiclass, any finite number for regression) and
 *   whether scores must be probabilities in [0, 1] (binary, multiclass)
 * @param options the number of classes, for multiclass
 * @throws InputError when a column is missing, a value is missing, a label is outside the
 *   problem's label set, a probability is outside [0, 1], or the table has no rows
 * @throws ValueTypeError when a value is not a number, or is NaN or infinite
 */
export async function readEvaluationColumns(
  table: Table,
  label: string,
  scoreColumns: readonly string[],
  problem: ProblemType,
  options: ReadEvaluationOptions = {},
): Promise<EvaluationColumns> {
  if (scoreColumns.length === 0) throw new InputError('no score columns given', { file: table.source });
  const indexOf = (name: string): number => {
    const index = table.columns.indexOf(name);
    if (index < 0) {
      throw new InputError(`missing column (the columns are: ${table.columns.join(', ')})`, {
        file: table.source,
        column: name,
      });
    }
    return index;
  };
  const labelIndex = indexOf(label);
  const scoreIndexes = scoreColumns.map(indexOf);
  const classes = problem === 'multiclass' ? (options.classes ?? scoreColumns.length) : 2;
  const probabilities = problem !== 'regression';

  const labels = new Column();
  const scores = scoreColumns.map(() => new Column());
  for await (const batch of table.batches()) {
    for (let i = 0; i < batch.rows.length; i++) {
      const row = batch.rows[i]!;
      const y = toNumber(row[labelIndex] ?? null, problem === 'binary', () => locate(batch, i, label));
      if (problem === 'binary' && y !== 0 && y !== 1) {
        throw new InputError(`label ${y} is not 0 or 1`, locate(batch, i, label));
      }
      if (problem === 'multiclass' && (!Number.isInteger(y) || y < 0 || y >= classes)) {
        throw new InputError(
          `label ${y} is not a class index: expected an integer in 0..${classes - 1}`,
          locate(batch, i, label),
        );
      }
      labels.push(y);
      for (let k = 0; k < scoreIndexes.length; k++) {
        const column = scoreColumns[k]!;
        const s = toNumber(row[scoreIndexes[k]!] ?? null, false, () => locate(batch, i, column));
        if (probabilities && (s < 0 || s > 1)) {
          throw new InputError(`probability ${s} is outside [0, 1]`, locate(batch, i, column));
        }
        scores[k]!.push(s);
      }
    }
  }
  if (labels.length === 0) throw new InputError('no data rows to evaluate', { file: table.source });
  return { label: labels.values(), scores: scores.map((c) => c.values()), rows: labels.length };
}

/**
 * Reads one probability column of `table` (each value a finite number in [0, 1]): the
 * scores of unlabeled data for performance estimation.
 *
 * @throws InputError when the column is missing, a value is missing or outside [0, 1], or the table has no rows
 * @throws ValueTypeError when a value is not a finite number
 */
export async function readProbabilityColumn(table: Table, column: string): Promise<Float64Array> {
  const index = table.columns.indexOf(column);
  if (index < 0) throw new InputError(`missing column (the columns are: ${table.columns.join(', ')})`, { file: table.source, column });
  const out = new Column();
  for await (const batch of table.batches()) {
    for (let i = 0; i < batch.rows.length; i++) {
      const s = toNumber(batch.rows[i]![index] ?? null, false, () => locate(batch, i, column));
      if (s < 0 || s > 1) throw new InputError(`probability ${s} is outside [0, 1]`, locate(batch, i, column));
      out.push(s);
    }
  }
  if (out.length === 0) throw new InputError('no data rows', { file: table.source });
  return out.values();
}
