/**
 * What the consumers of an accumulated column read (profiles, drift, validation): a typed,
 * read-only view of a `ColumnAccumulator`, so that they depend on these figures and not on
 * how the accumulator keeps them. The getters may do owed work on first read (sort-free
 * moments, bins, histogram counts; see ./numeric-column), which changes no figure.
 */
import type { Moments } from '../stats/moments';
import type { ValueStore } from '../stats/value-store';
import type { BadValue, ColumnType } from './column-types';
import type { ValueCounts } from './value-counts';

/** The figures of one accumulated column. */
export interface ColumnSummary {
  /** Column name. */
  readonly name: string;
  /** The settled type (throws while the type is still inferred: call `finish()` first). */
  readonly type: ColumnType;
  /** The current type: settled, or the type so far while inferring. */
  readonly typeSoFar: ColumnType;
  /** Present (non-missing) cells. */
  readonly count: number;
  /** Missing cells (`null`, `''`, absent). */
  readonly missing: number;
  /** Numeric values added (0 when categorical). */
  readonly numberCount: number;
  /** Moments of the numeric values (empty when categorical). */
  readonly moments: Readonly<Moments>;
  /** Counts per bin of the cut points (length cuts + 1); null without cuts. */
  readonly binCounts: readonly number[] | null;
  /** Numeric values outside the range. */
  readonly outOfRange: number;
  /**
   * The numeric values (exact up to the budget); null when categorical, with budget 0, or
   * when the decimal histogram holds them instead. A caller may sort its values in place.
   */
  readonly store: ValueStore | null;
  /** The decimal histogram of the numeric values (the `histogram` option); null without or when categorical. */
  readonly valueCounts: ValueCounts | null;
  /** Bad values met under the `count` policy. */
  readonly badCount: number;
  /** The first bad value under the `count` policy. */
  readonly firstBad: BadValue | null;
  /** Counts per category (the column must be categorical). */
  categoryCounts(): ReadonlyMap<string, number>;
}
