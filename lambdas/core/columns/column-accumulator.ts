/**
 * One column's running statistics, filled in one pass over a table's rows: a facade over
 * three parts, each in its own module with its own invariants.
 *
 * A column is numeric when every present value is a finite number (a JSON number or a
 * decimal string such as `"1.5"`, `"-3"`, `"1e-3"`); missing values (`null`, `''`, a
 * short row) only count as missing. With a known type (from a profile or the config) a
 * non-number in a numeric column is a `ValueTypeError` naming file, line, column and
 * value (or is counted, with the `count` policy). When the type is inferred, the column
 * is numeric so far and keeps both its numeric statistics (./numeric-column) and the
 * distinct counts of ./type-inference, so that it can become categorical
 * (./categorical-column) without a second pass:
 *
 * - the first text that is not a number turns it categorical: the distinct counts
 *   become the category counts and the numeric statistics are dropped;
 * - past the distinct cap it is committed to numeric, and a later non-number is a
 *   `ValueTypeError`;
 * - `NaN`, `Infinity`, `inf` (any case and sign) are held as pending: a column that
 *   turns out numeric throws a `ValueTypeError` at the first one; one that turns out
 *   categorical keeps them as categories;
 * - a column with no number at all (all missing, or only `NaN`-like text) is typed
 *   categorical at `finish`, since that imposes nothing on later data.
 *
 * Exactly one of the numeric and the categorical part is present (the numeric one while
 * inferring); the inference is present while inferring (and, as a marker, once the cap
 * committed the column to numeric). Consumers read the figures through the read-only
 * {@link ColumnSummary} this class implements.
 *
 * Accumulators merge: `a.merge(b)` leaves `a` equal to the accumulator of a's rows
 * followed by b's rows (counts, bins and categories exactly; moments exactly too while
 * b's value store holds b's values in order, else to rounding), so a fan-out over many
 * objects, or a scan of a file's parts on several threads (./scan-worker, which also
 * moves accumulators between threads), can reduce them.
 */
import { ValueTypeError } from '../../../vocabulary/errors';
import type { ColumnData, ColumnKind } from '../readers/column-batch';
import { isNonFiniteToken, parseNumber } from '../readers/parse-number';
import type { Cell } from '../readers/types';
import { emptyMoments, type Moments } from '../stats/moments';
import type { ValueStore } from '../stats/value-store';
import { CategoricalColumn } from './categorical-column';
import type { ColumnSummary } from './column-summary';
import { BAD_VALUE_POLICIES, type BadValue, type BadValuePolicy, type ColumnType } from './column-types';
import { locateCell } from './locate';
import { NumericColumn } from './numeric-column';
import { TypeInference } from './type-inference';
import type { EcdfReference, ValueCounts } from './value-counts';

export { DEFAULT_DISTINCT_CAP } from './type-inference';

/** Options of a {@link ColumnAccumulator}. */
export interface ColumnAccumulatorOptions {
  /** The column's type when known. @default undefined (inferred from the values) */
  readonly type?: ColumnType;
  /** Budget of the numeric `ValueStore`; 0 keeps no values (no KS, Wasserstein or quantiles). @default 1_000_000 */
  readonly budget?: number;
  /** Cut points to count numeric values into bins against (bin = number of cut points <= x). @default none */
  readonly cuts?: readonly number[];
  /** Numeric values below `min` or above `max` are counted in `outOfRange`. @default none */
  readonly range?: { readonly min: number; readonly max: number };
  /** What to do with a non-number in a column known to be numeric. @default 'throw' */
  readonly onBadValue?: BadValuePolicy;
  /** Distinct values kept while inferring a column that is numeric so far. @default 10_000 */
  readonly distinctCap?: number;
  /**
   * Keep a decimal histogram of the numeric values while they are exact (see
   * {@link ValueCounts}), for ECDF statistics without sorting. @default false
   */
  readonly histogram?: boolean;
  /** The reference those statistics are taken against (its sample and cut points). @default none */
  readonly ecdfReference?: EcdfReference;
}

const INFER = 0;
const NUMERIC = 1;
const CATEGORICAL = 2;

/** Running statistics of one column. See the module documentation. */
export class ColumnAccumulator implements ColumnSummary {
  /** Present (non-missing) cells. */
  public count = 0;
  /** Missing cells (`null`, `''`, absent). */
  public missing = 0;
  /** Bad values met under the `count` policy. */
  public badCount = 0;
  /** The first bad value under the `count` policy. */
  public firstBad: BadValue | null = null;
  private state: number;
  private numeric: NumericColumn | null;
  private categorical: CategoricalColumn | null;
  private inference: TypeInference | null;
  /** The first text that turned the column categorical while inferring. */
  private firstNonNumber: BadValue | null = null;
  private readonly declared: ColumnType | undefined;
  private readonly policy: BadValuePolicy;
  /** Bin counts of a categorical column (all zero); null without cuts. */
  private readonly noBins: number[] | null;

  public constructor(
    public readonly name: string,
    options: ColumnAccumulatorOptions = {},
  ) {
    this.declared = options.type;
    this.state = options.type === 'numeric' ? NUMERIC : options.type === 'categorical' ? CATEGORICAL : INFER;
    this.policy = options.onBadValue ?? BAD_VALUE_POLICIES.throw;
    this.noBins = options.cuts ? new Array<number>(options.cuts.length + 1).fill(0) : null;
    this.numeric = this.state === CATEGORICAL ? null : new NumericColumn(name, options);
    this.categorical = this.state === CATEGORICAL ? new CategoricalColumn() : null;
    this.inference = this.state === INFER ? new TypeInference(options.distinctCap) : null;
  }

  /** Adds one cell found at `file`, `line` (for error messages). */
  public add(cell: Cell | undefined, file: string, line: number): void {
    if (cell === null || cell === undefined || cell === '') {
      this.missing++;
      return;
    }
    this.count++;
    const state = this.state;
    if (state === CATEGORICAL) {
      this.categorical!.add(typeof cell === 'string' ? cell : String(cell));
      return;
    }
    let x: number;
    if (typeof cell === 'number') {
      if (!Number.isFinite(cell)) {
        this.nonNumber(String(cell), true, file, line);
        return;
      }
      x = cell;
    } else if (typeof cell === 'string') {
      x = parseNumber(cell);
      if (x !== x) {
        this.nonNumber(cell, isNonFiniteToken(cell), file, line);
        return;
      }
    } else {
      this.nonNumber(String(cell), false, file, line);
      return;
    }
    this.numeric!.add(x);
    if (state === INFER) {
      if (typeof cell === 'string') this.inference!.noteText(cell);
      else this.inference!.noteNumber(cell);
    }
  }

  /** True once inference dropped the distinct counts of a numeric-so-far column. */
  public get distinctCapped(): boolean {
    return this.inference?.capped ?? false;
  }

  /**
   * The column kind this accumulator wants in the next column batch: numbers while numeric
   * (or inferred and past the distinct cap), categories once categorical, plain cells while
   * inferring (the distinct counts are kept by text).
   */
  public get wantedKind(): ColumnKind {
    if (this.state === CATEGORICAL) return 'category';
    if (this.state === NUMERIC || this.distinctCapped) return 'number';
    return 'cell';
  }

  /**
   * Adds the first `length` rows of one column of a column batch, the same as calling
   * {@link add} on each of its cells in order. A `number` column must be read while
   * {@link wantedKind} is `number`, a `category` column while it is `category`.
   */
  public addColumn(col: ColumnData, length: number, lines: ArrayLike<number>, file: string): void {
    if (col.kind === 'cell') {
      const cells = col.cells;
      for (let r = 0; r < length; r++) this.add(cells[r], file, lines[r]!);
      return;
    }
    if (col.kind === 'category') {
      if (this.state !== CATEGORICAL) throw new Error(`column "${this.name}" is not categorical`);
      const missing = this.categorical!.addCodes(col.codes, col.names, length);
      this.missing += missing;
      this.count += length - missing;
      return;
    }
    if (this.state !== NUMERIC && !(this.state === INFER && this.distinctCapped)) {
      throw new Error(`column "${this.name}" cannot take a number column while inferring`);
    }
    const { values, exceptionRows, exceptionCells } = col;
    const numeric = this.numeric!;
    let from = 0;
    for (let e = 0; e < exceptionRows.length; e++) {
      const r = exceptionRows[e]!;
      if (r >= length) break;
      if (r > from) {
        this.count += r - from;
        numeric.addNumbers(values, from, r);
      }
      this.add(exceptionCells[e], file, lines[r]!);
      from = r + 1;
    }
    if (length > from) {
      this.count += length - from;
      numeric.addNumbers(values, from, length);
    }
  }

  /**
   * Adds `offset` to the line of every value remembered for a message (first bad value,
   * pending non-finite, first non-number): for rows that were numbered from the start
   * of a part of a file rather than of the file.
   */
  public shiftLines(offset: number): void {
    const shift = (b: BadValue | null): BadValue | null => (b === null ? null : { ...b, line: b.line + offset });
    this.firstBad = shift(this.firstBad);
    this.firstNonNumber = shift(this.firstNonNumber);
    this.inference?.shiftLines(offset);
  }

  /** A present cell that is not a finite number, in a column that is numeric (so far). */
  private nonNumber(value: string, nonFinite: boolean, file: string, line: number): void {
    const bad: BadValue = { file, line, value, nonFinite };
    if (this.state === NUMERIC) {
      if (this.policy === BAD_VALUE_POLICIES.count) {
        this.badCount++;
        this.firstBad ??= bad;
        return;
      }
      throw badValueError(this.name, bad);
    }
    // Inferring, numeric so far.
    const inference = this.inference!;
    if (inference.capped) throw badValueError(this.name, bad, inference.cap);
    if (nonFinite) {
      inference.noteNonFinite(bad);
      return;
    }
    this.firstNonNumber ??= bad;
    this.becomeCategorical();
    this.categorical!.add(value);
  }

  /** Turns the distinct counts into category counts and drops the numeric part. */
  private becomeCategorical(): void {
    this.categorical = new CategoricalColumn(this.inference!.toCategories());
    this.inference = null;
    this.numeric = null;
    this.state = CATEGORICAL;
  }

  /** Counts per bin of `cuts` (length cuts.length + 1); null without cuts. */
  public get binCounts(): number[] | null {
    return this.numeric === null ? this.noBins : this.numeric.binCounts;
  }

  /** Moments of the numeric values. */
  public get moments(): Moments {
    return this.numeric?.moments ?? emptyMoments();
  }

  /** Number of numeric values added (without computing owed moments). */
  public get numberCount(): number {
    return this.numeric?.numberCount ?? 0;
  }

  /** Numeric values outside `range`. */
  public get outOfRange(): number {
    return this.numeric?.outOfRange ?? 0;
  }

  /**
   * The numeric values (exact up to the budget); null when categorical or budget 0.
   * Owed moments are settled first: a caller may sort the values in place.
   */
  public get store(): ValueStore | null {
    return this.numeric?.store ?? null;
  }

  /** The decimal histogram of the numeric values (the `histogram` option; null without, or once categorical). */
  public get valueCounts(): ValueCounts | null {
    return this.numeric?.valueCounts ?? null;
  }

  /** Counts the values owed to the decimal histogram (see ./numeric-column); a worker does this before replying. */
  public countValues(): void {
    this.numeric?.countValues();
  }

  /**
   * Drops the exact values of a numeric column (type settled) when its decimal histogram
   * holds every one of them (see `NumericColumn.releaseValues`). Returns whether it did.
   */
  public releaseValues(): boolean {
    const numeric = this.numeric;
    if (numeric === null) return false;
    if (this.state !== NUMERIC) {
      numeric.countValues();
      return false;
    }
    return numeric.releaseValues();
  }

  /**
   * Drops the values of all `parts` (the accumulators of one column over consecutive rows,
   * about to be merged) when their histograms together hold every value as one pass's
   * histogram would; then they merge by histograms alone. Returns whether it did; if not,
   * none is touched and their values merge in order.
   */
  public static releaseTogether(parts: readonly ColumnAccumulator[]): boolean {
    if (parts.length === 0 || !parts.every((p) => p.state === NUMERIC)) return false;
    return NumericColumn.releaseTogether(parts.map((p) => p.numeric!));
  }

  /**
   * Settles the type (see the module documentation) and returns it. Throws the pending
   * `ValueTypeError` of a `NaN`-like value in a column that turns out numeric.
   */
  public finish(): ColumnType {
    if (this.state === INFER) {
      const inference = this.inference!;
      if (this.numberCount === 0) this.becomeCategorical();
      else if (inference.pendingNonFinite) throw badValueError(this.name, inference.pendingNonFinite);
      else {
        this.state = NUMERIC;
        // Kept only as the marker that the cap committed the column (see distinctCapped).
        if (!inference.capped) this.inference = null;
      }
    }
    return this.typeSoFar;
  }

  /** The settled type; an error while the type is still inferred (call {@link finish} first). */
  public get type(): ColumnType {
    if (this.state === INFER) throw new Error(`column "${this.name}": type not settled (call finish() first)`);
    return this.typeSoFar;
  }

  /** The current type: settled, or the type so far while inferring. */
  public get typeSoFar(): ColumnType {
    return this.state === CATEGORICAL ? 'categorical' : 'numeric';
  }

  /** Counts per category of a categorical column (call {@link finish} first). */
  public categoryCounts(): ReadonlyMap<string, number> {
    if (this.state !== CATEGORICAL) throw new Error(`column "${this.name}" is not categorical`);
    return this.categorical!.categoryCounts;
  }

  /** The parts, for moving the accumulator between threads (./scan-worker) only. */
  public get parts(): { readonly numeric: NumericColumn | null; readonly categorical: CategoricalColumn | null; readonly inference: TypeInference | null } {
    return { numeric: this.numeric, categorical: this.categorical, inference: this.inference };
  }

  /**
   * Merges `other` (the rows that follow this accumulator's rows) into this one.
   * Both must have been created with the same options; `other` must not be used after.
   * Merging a categorical half with a half that committed to numeric (distinct cap
   * reached) is a `ValueTypeError` at the first non-number.
   */
  public merge(other: ColumnAccumulator): this {
    if (other.name !== this.name) throw new Error(`cannot merge column "${other.name}" into "${this.name}"`);
    if (other.declared !== this.declared) throw new Error(`cannot merge column "${this.name}" of different declared types`);
    this.count += other.count;
    this.missing += other.missing;
    this.badCount += other.badCount;
    this.firstBad ??= other.firstBad;
    if (this.state === CATEGORICAL && other.state === CATEGORICAL) {
      this.categorical!.merge(other.categorical!);
    } else if (this.state !== CATEGORICAL && other.state !== CATEGORICAL) {
      this.numeric!.merge(other.numeric!);
      if (this.state === INFER) {
        const inference = this.inference!;
        inference.merge(other.state === INFER ? other.inference : null);
        if (inference.capped && inference.pendingNonFinite) throw badValueError(this.name, inference.pendingNonFinite);
      }
    } else if (this.state === CATEGORICAL) {
      // other is numeric so far (inferring)
      const inference = other.inference!;
      if (inference.capped) throw badValueError(this.name, this.firstNonNumber!, inference.cap);
      other.becomeCategorical();
      this.categorical!.merge(other.categorical!);
    } else {
      // this is numeric so far (inferring), other categorical
      const inference = this.inference!;
      if (inference.capped) throw badValueError(this.name, other.firstNonNumber!, inference.cap);
      this.firstNonNumber ??= other.firstNonNumber;
      this.becomeCategorical();
      this.categorical!.merge(other.categorical!);
    }
    return this;
  }
}

function badValueError(column: string, bad: BadValue, cap?: number): ValueTypeError {
  const what = bad.nonFinite ? 'non-finite value' : 'non-numeric value';
  const why = cap !== undefined ? ` (the column had more than ${cap} distinct numbers, so it is numeric)` : '';
  return new ValueTypeError(`${what} ${JSON.stringify(bad.value)} in numeric column${why}`, locateCell(bad.file, bad.line, column));
}
