/** The types a column can have. */
export const COLUMN_TYPES = {
  /** Every present value is a finite number. */
  numeric: 'numeric',
  /** Anything else: values are categories compared as strings. */
  categorical: 'categorical',
} as const;

/** `'numeric' | 'categorical'`. */
export type ColumnType = (typeof COLUMN_TYPES)[keyof typeof COLUMN_TYPES];

/** What an accumulator does with a bad value in a numeric column. */
export const BAD_VALUE_POLICIES = {
  /** Throw a `ValueTypeError` naming file, line, column and value (drift, profiles). */
  throw: 'throw',
  /** Count it and remember the first one (data validation reports it as a check). */
  count: 'count',
} as const;

/** `'throw' | 'count'`. */
export type BadValuePolicy = (typeof BAD_VALUE_POLICIES)[keyof typeof BAD_VALUE_POLICIES];

/** A value that did not fit its column, with where it was found. */
export interface BadValue {
  /** File (path or `s3://` URI) of the row. */
  readonly file: string;
  /** 1-based line (CSV/JSONL) or 0-based row (Parquet) of the row. */
  readonly line: number;
  /** The value as text. */
  readonly value: string;
  /** True for `NaN`/`Infinity`-like values, false for text that is not a number. */
  readonly nonFinite: boolean;
}

/** True when a cell counts as missing: `null`, `undefined` (short row) or the empty string. */
export function isMissing(cell: unknown): boolean {
  return cell === null || cell === undefined || cell === '';
}
