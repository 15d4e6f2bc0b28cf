/**
 * Splitting a holdout table into what batch transform sends the model (the feature
 * columns, in the model's order, as CSV lines without a header) and the labels the
 * evaluation scores the answers against, row for row in the same order.
 */
import { InputError, type InputLocation } from '../../../vocabulary/errors';
import type { ProblemType } from '../../../vocabulary/evaluation-names';
import { parseLabel } from '../quality';
import type { Cell, RowBatch, Table } from '../readers/types';
import { csvField, csvLine } from './csv-line';

/** Where the feature columns and the label sit in a table. */
export interface HoldoutColumns {
  /** Feature names, in the order they are written. */
  readonly features: readonly string[];
  /** Index in the table's columns of each feature, aligned with `features`. */
  readonly featureIndexes: readonly number[];
  /** Index of the label column. */
  readonly labelIndex: number;
}

/**
 * The columns to write: `features` when given (the config's order), else every
 * column but the label in file order.
 *
 * @param features the model's features in inference order; empty or absent: inferred
 * @throws InputError naming the file and the column when the label or a listed feature is absent, or no feature is left
 */
export function holdoutColumns(table: Pick<Table, 'source' | 'columns'>, label: string, features: readonly string[] = []): HoldoutColumns {
  const { columns, source } = table;
  const absent = (what: string, column: string) =>
    new InputError(`${what} column is absent (the columns are: ${columns.join(', ')})`, { file: source, column });
  const labelIndex = columns.indexOf(label);
  if (labelIndex < 0) throw absent('label', label);
  const names = features.length > 0 ? [...features] : columns.filter((c) => c !== label);
  const featureIndexes = names.map((name) => {
    const index = columns.indexOf(name);
    if (index < 0) throw absent('feature', name);
    return index;
  });
  if (names.length === 0) throw new InputError(`no feature column besides the label "${label}"`, { file: source });
  return { features: names, featureIndexes, labelIndex };
}

/** Options of {@link splitHoldout}. */
export interface SplitHoldoutOptions {
  /** The label column. */
  readonly label: string;
  /** Each label is checked against the problem type and written as its number (binary `true` → `1`). */
  readonly problemType: ProblemType;
  /**
   * The model's features in inference order.
   * @default every column but the label, in file order
   */
  readonly features?: readonly string[];
  /**
   * Start each line of `featuresCsv` with the label (its number), as SageMaker's
   * built-in algorithms and framework containers read a training channel.
   * @default false
   */
  readonly labelFirst?: boolean;
}

/** What {@link splitHoldout} gives. */
export interface SplitHoldout {
  /** The feature names, in the order of the CSV fields. */
  readonly features: readonly string[];
  /** Holdout rows read: the lines of `featuresCsv` and the data lines of `labelsCsv`. */
  readonly rows: number;
  /** One CSV line per row, the features only (after the label with `labelFirst`), no header; each line ends with `\n`. */
  readonly featuresCsv: string;
  /** A CSV with one column named after the label (header line first), one label per row. */
  readonly labelsCsv: string;
}

/** Where one cell of a batch came from: a line for text files, a row for Parquet. */
export function cellLocation(batch: RowBatch, r: number, column: string): InputLocation {
  return /\.parquet(\.gz)?$/i.test(batch.file)
    ? { file: batch.file, row: batch.lines[r], column }
    : { file: batch.file, line: batch.lines[r], column };
}

/**
 * Reads the whole holdout once and splits it into the transform input and the labels,
 * row for row in file order (the order the readers give: files sorted by key).
 *
 * @throws InputError for an absent label or feature column, a missing or invalid
 *   label, a value with a line break, or a holdout without rows (each naming the file,
 *   and the line or row and column where they apply)
 */
export async function splitHoldout(table: Table, options: SplitHoldoutOptions): Promise<SplitHoldout> {
  const { features, featureIndexes, labelIndex } = holdoutColumns(table, options.label, options.features);
  const featureLines: string[] = [];
  const labelLines: string[] = [csvField(options.label, { file: table.source, column: options.label })];
  const cells: Cell[] = new Array<Cell>(featureIndexes.length);
  let rows = 0;
  for await (const batch of table.batches()) {
    const lines: string[] = [];
    const labels: string[] = [];
    batch.rows.forEach((row, r) => {
      const raw = row[labelIndex];
      const at = cellLocation(batch, r, options.label);
      if (raw === null || raw === undefined || raw === '') throw new InputError('missing label', at);
      const label = String(parseLabel(raw, options.problemType, at));
      labels.push(label);
      for (let f = 0; f < featureIndexes.length; f++) cells[f] = row[featureIndexes[f]!] ?? null;
      const line = csvLine(cells, (f) => cellLocation(batch, r, features[f]!));
      lines.push(options.labelFirst ? `${label},${line}` : line);
    });
    rows += batch.rows.length;
    if (lines.length > 0) {
      featureLines.push(`${lines.join('\n')}\n`);
      labelLines.push(labels.join('\n'));
    }
  }
  if (rows === 0) throw new InputError('the holdout has no rows', { file: table.source });
  return { features, rows, featuresCsv: featureLines.join(''), labelsCsv: `${labelLines.join('\n')}\n` };
}
