/**
 * Writing a data set as a SageMaker training channel (or the holdout) in the form the
 * container reads:
 *
 * - `csv` with a header: one line naming the columns (the features in the config's
 *   order, then the label), a line per row. Containers that read columns by name (the
 *   example model, most framework scripts) take this.
 * - `csv` without a header: the label first, then the features, no header line: the
 *   convention of SageMaker's built-in tabular algorithms (XGBoost, CatBoost,
 *   AutoGluon-Tabular: "the target variable in the first column, no header record").
 * - `parquet`: one column per feature (numeric as DOUBLE, categorical as STRING) and
 *   the label (DOUBLE), named; the header setting does not apply.
 *
 * The bytes are deterministic for the same rows (no write time in them), so the
 * manifest's content hash identifies the data.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { CHANNEL_CONTENT_TYPES } from '../../../vocabulary/dataset-contracts';
import { InputError } from '../../../vocabulary/errors';
import { parseStrictNumber } from '../quality';
import type { Cell } from '../readers/types';
import { csvField } from '../transform-input/csv-line';
import type { TrainingSchema } from './training-schema';

/** How a channel is laid out. */
export interface ChannelFormat {
  readonly format: 'csv' | 'parquet';
  /** CSV only: a header line and the label last; false: no header and the label first. */
  readonly header: boolean;
}

/** A written channel file. */
export interface ChannelFile {
  readonly bytes: Uint8Array;
  /** The HTTP content type of the object (and the channel's `ContentType`). */
  readonly contentType: string;
  /** The file name extension, with its dot. */
  readonly extension: '.csv' | '.parquet';
  /** The columns in the order written. */
  readonly columns: readonly string[];
}


/**
 * Writes rows laid out as the schema says: each row the features in the schema's
 * order, then the label.
 *
 * @param source names the data set in errors (e.g. `training channel`)
 * @throws InputError for a value CSV cannot hold on one line, or a numeric feature that is not a number (Parquet)
 */
export function writeChannel(rows: readonly (readonly Cell[])[], schema: TrainingSchema, layout: ChannelFormat, source: string): ChannelFile {
  const names = [...schema.features.map((f) => f.name), schema.label];
  const labelIndex = names.length - 1;
  if (layout.format === 'parquet') return writeParquet(rows, schema, names, source);
  const order = layout.header ? names.map((_, i) => i) : [labelIndex, ...names.slice(0, labelIndex).map((_, i) => i)];
  const lines: string[] = [];
  if (layout.header) lines.push(names.map((n) => csvField(n, { file: source, column: n })).join(','));
  rows.forEach((row, r) => {
    lines.push(order.map((i) => csvField(row[i] ?? null, { file: source, row: r, column: names[i] })).join(','));
  });
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  return { bytes: new TextEncoder().encode(text), contentType: CHANNEL_CONTENT_TYPES.csv, extension: '.csv', columns: order.map((i) => names[i]!) };
}

function writeParquet(rows: readonly (readonly Cell[])[], schema: TrainingSchema, names: readonly string[], source: string): ChannelFile {
  const numeric = (cell: Cell | undefined, r: number, column: string): number | null => {
    if (cell === null || cell === undefined || cell === '') return null;
    const x = typeof cell === 'number' ? cell : typeof cell === 'string' ? parseStrictNumber(cell) : typeof cell === 'boolean' ? Number(cell) : undefined;
    if (x === undefined || !Number.isFinite(x)) throw new InputError(`${JSON.stringify(cell)} is not a number`, { file: source, row: r, column });
    return x;
  };
  const columnData = names.map((name, c) => {
    const isNumeric = c === names.length - 1 || schema.features[c]!.type === 'numeric';
    const data = rows.map((row, r) => (isNumeric ? numeric(row[c], r, name) : row[c] === null || row[c] === undefined ? null : String(row[c])));
    return { name, data, type: isNumeric ? ('DOUBLE' as const) : ('STRING' as const) };
  });
  const buffer = parquetWriteBuffer({ columnData, createdBy: 'pitstop' });
  return { bytes: new Uint8Array(buffer), contentType: CHANNEL_CONTENT_TYPES.parquet, extension: '.parquet', columns: names };
}
