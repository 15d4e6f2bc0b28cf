/**
 * The history part of a training set: the rows of `history` (today's `data.training`)
 * as the training schema lays them out (features in the config's order, then the
 * label), whole, or only those whose `timestampColumn` falls in the history window.
 * With a recent holdout, rows at or after the holdout's start are left out too (the
 * window ends there), so that no training row is newer than the oldest holdout row; a
 * history without `timestampColumn` has no row times and is taken whole.
 *
 * A timestamp is ISO 8601 text or a number of seconds since the epoch (a text of
 * digits counts as that number); anything else, and a missing label, is an InputError
 * naming the file, line and column: the history is the user's own data, and a row of it
 * is never dropped silently.
 */
import { InputError, type InputLocation } from '../../../vocabulary/errors';
import type { ProblemType } from '../../../vocabulary/evaluation-names';
import { parseLabel, parseStrictNumber } from '../quality';
import type { Cell, RowBatch, Table } from '../readers/types';
import type { TrainingSchema } from './training-schema';

/** Options of {@link readHistoryRows}. */
export interface HistoryOptions {
  readonly schema: TrainingSchema;
  readonly problemType: ProblemType;
  /** The column of row times, read for `window` and `before`. @default none (rows have no time: every row is kept) */
  readonly timestampColumn?: string;
  /** Keep only rows whose `timestampColumn` is in `[start, end)`, epoch ms. @default every row */
  readonly window?: { readonly start: number; readonly end: number };
  /** Leave out rows whose time is at or after this (the recent holdout's start), epoch ms. @default none */
  readonly before?: number;
}

/** What {@link readHistoryRows} gives. */
export interface HistoryRows {
  /** Each row: the features in the schema's order, then the label (a number). */
  readonly rows: Cell[][];
  /** Rows read but outside the window. */
  readonly outsideWindow: number;
  /** Rows inside the window but at or after `before`: as new as the holdout. */
  readonly atOrAfterHoldout: number;
}

function locate(batch: RowBatch, r: number, column: string): InputLocation {
  return /\.parquet(\.gz)?$/i.test(batch.file) ? { file: batch.file, row: batch.lines[r], column } : { file: batch.file, line: batch.lines[r], column };
}

/** A timestamp cell as epoch ms, or undefined. */
export function timestampMs(cell: Cell | undefined): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell * 1000 : undefined;
  if (typeof cell !== 'string' || cell.trim() === '') return undefined;
  const seconds = parseStrictNumber(cell);
  if (seconds !== undefined) return seconds * 1000;
  const ms = Date.parse(cell);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Reads the history rows.
 *
 * @throws InputError for an absent column, a missing or invalid label, or an unreadable timestamp
 */
export async function readHistoryRows(table: Table, options: HistoryOptions): Promise<HistoryRows> {
  const { schema, window, before } = options;
  if ((window || before !== undefined) && !options.timestampColumn) throw new InputError('history rows need a timestampColumn to be cut by time', { file: table.source });
  const indexOf = (name: string, what: string) => {
    const i = table.columns.indexOf(name);
    if (i < 0) throw new InputError(`${what} column is absent (the columns are: ${table.columns.join(', ')})`, { file: table.source, column: name });
    return i;
  };
  const featureIndexes = schema.features.map((f) => indexOf(f.name, 'feature'));
  const labelIndex = indexOf(schema.label, 'label');
  const timeColumn = window || before !== undefined ? options.timestampColumn! : undefined;
  const timeIndex = timeColumn === undefined ? -1 : indexOf(timeColumn, 'history.timestampColumn');
  const rows: Cell[][] = [];
  let outsideWindow = 0;
  let atOrAfterHoldout = 0;
  for await (const batch of table.batches()) {
    batch.rows.forEach((row, r) => {
      if (timeColumn !== undefined) {
        const t = timestampMs(row[timeIndex]);
        if (t === undefined) throw new InputError(`${JSON.stringify(row[timeIndex] ?? null)} is not a timestamp (ISO 8601 or epoch seconds)`, locate(batch, r, timeColumn));
        if (window && (t < window.start || t >= window.end)) {
          outsideWindow++;
          return;
        }
        if (before !== undefined && t >= before) {
          atOrAfterHoldout++;
          return;
        }
      }
      const raw = row[labelIndex];
      const at = locate(batch, r, schema.label);
      if (raw === null || raw === undefined || raw === '') throw new InputError('missing label', at);
      const out: Cell[] = featureIndexes.map((i) => row[i] ?? null);
      out.push(parseLabel(raw, options.problemType, at));
      rows.push(out);
    });
  }
  return { rows, outsideWindow, atOrAfterHoldout };
}
