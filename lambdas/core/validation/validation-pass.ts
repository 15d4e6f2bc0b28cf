/**
 * The one pass over a table that data validation makes, and the merge of passes over
 * parts of a table: what a fan-out child computes over its shard, and what the reduce
 * merges before concluding (./validate-data.ts). The checks are concluded from a pass
 * alone, so a merged pass gives the checks one pass over the whole table gives: counts,
 * missing shares, out-of-range and unseen-category shares, label bins, the newest
 * timestamp and (while the row-hash set is below its cap) the duplicate count, exactly.
 */
import { ColumnAccumulator } from '../columns/column-accumulator';
import { isMissing } from '../columns/column-types';
import { reviveAccumulator } from '../columns/scan-worker';
import { parseNumber } from '../readers/parse-number';
import type { FeatureProfile, Profile } from '../profile/profile-schema';
import type { Cell, Table } from '../readers/types';
import { InputError } from '../../../vocabulary/errors';
import { DEFAULT_DISTINCT_ROW_CAP, HashSet64, hashRow } from './row-hash';

/** What a validation pass needs to know before it reads. */
export interface ValidationPassOptions {
  /** Baseline profile: its features (and label) present in the table are accumulated. @default none */
  readonly baseline?: Profile;
  /** The label column in the data. @default the baseline's label */
  readonly label?: string;
  /** Column whose newest value (ISO 8601 text, or epoch seconds/milliseconds) measures freshness. @default none */
  readonly timestampColumn?: string;
  /** Most distinct rows remembered for the duplicate check. @default 4_194_304 */
  readonly distinctRowCap?: number;
}

/** The figures of one pass (or of merged passes over consecutive parts of a table). */
export interface ValidationPass {
  readonly source: string;
  readonly header: readonly string[];
  readonly metaColumns: readonly string[];
  rowCount: number;
  /** Missing cells per header column. */
  readonly missing: number[];
  duplicates: number;
  readonly hashes: HashSet64;
  /** Newest timestamp (epoch ms), -Infinity when none was read. */
  newest: number;
  badTimestamps: number;
  /** The baseline's features present in the header, in baseline order, then the label when present. */
  readonly columns: ColumnAccumulator[];
  /** Whether the last of `columns` is the label's. */
  readonly hasLabel: boolean;
}

/** Epoch milliseconds of a timestamp cell; NaN when it is not one. Numbers below 1e11 are seconds. */
export function timestampMs(cell: Cell | undefined): number {
  let x: number;
  if (typeof cell === 'number') x = cell;
  else if (typeof cell === 'string') {
    x = parseNumber(cell);
    if (x !== x) return Date.parse(cell);
  } else return NaN;
  if (!Number.isFinite(x)) return NaN;
  return Math.abs(x) < 1e11 ? x * 1000 : x;
}

function featureAccumulator(f: FeatureProfile): ColumnAccumulator {
  const range = f.type === 'numeric' && f.min !== null && f.max !== null ? { min: f.min, max: f.max } : undefined;
  return new ColumnAccumulator(f.name, { type: f.type, budget: 0, range, onBadValue: 'count' });
}

/** First index of each name in `header`. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const indexOf = new Map<string, number>();
  header.forEach((h, i) => {
    if (!indexOf.has(h)) indexOf.set(h, i);
  });
  return indexOf;
}

/** The label column a pass accumulates, or undefined. */
export function passLabel(options: ValidationPassOptions, indexOf: ReadonlyMap<string, number>): string | undefined {
  const baseLabel = options.baseline?.label;
  const labelColumn = options.label ?? baseLabel?.name;
  return baseLabel && labelColumn !== undefined && indexOf.has(labelColumn) ? labelColumn : undefined;
}

/**
 * Reads `table` once. Never throws on bad values (they are counted).
 *
 * @throws ParseError / InputError only from the reader
 */
export async function scanValidation(table: Table, options: ValidationPassOptions = {}): Promise<ValidationPass> {
  const { baseline } = options;
  const header = table.columns;
  const width = header.length;
  const indexOf = headerIndex(header);
  const features = (baseline?.features ?? []).filter((f) => indexOf.has(f.name));
  const accs = features.map(featureAccumulator);
  const accIdx = features.map((f) => indexOf.get(f.name)!);
  const labelColumn = passLabel(options, indexOf);
  const baseLabel = baseline?.label;
  if (baseLabel && labelColumn !== undefined) {
    accs.push(
      new ColumnAccumulator(labelColumn, {
        type: baseLabel.type,
        budget: 0,
        cuts: baseLabel.type === 'numeric' ? baseLabel.bins.cutPoints : undefined,
        onBadValue: 'count',
      }),
    );
    accIdx.push(indexOf.get(labelColumn)!);
  }
  const tsIdx = options.timestampColumn === undefined ? -1 : (indexOf.get(options.timestampColumn) ?? -1);

  const hashes = new HashSet64(options.distinctRowCap ?? DEFAULT_DISTINCT_ROW_CAP);
  const hash = new Uint32Array(2);
  const missing = new Float64Array(width);
  let rowCount = 0;
  let duplicates = 0;
  let newest = -Infinity;
  let badTimestamps = 0;
  for await (const batch of table.batches()) {
    const { rows, lines, file } = batch;
    const nRows = rows.length;
    for (let r = 0; r < nRows; r++) {
      const row = rows[r]!;
      hashRow(row, width, hash);
      if (hashes.addOrHas(hash[0]!, hash[1]!)) duplicates++;
      for (let j = 0; j < width; j++) {
        const c = row[j];
        if (c === null || c === undefined || c === '') missing[j]!++;
      }
      if (tsIdx >= 0) {
        const c = row[tsIdx];
        const ms = timestampMs(c);
        if (ms === ms) {
          if (ms > newest) newest = ms;
        } else if (!isMissing(c)) badTimestamps++;
      }
    }
    for (let k = 0; k < accs.length; k++) {
      const acc = accs[k]!;
      const j = accIdx[k]!;
      for (let r = 0; r < nRows; r++) acc.add(rows[r]![j], file, lines[r]!);
    }
    rowCount += nRows;
  }
  return {
    source: table.source,
    header: [...header],
    metaColumns: [...(table.metaColumns ?? [])],
    rowCount,
    missing: Array.from(missing),
    duplicates,
    hashes,
    newest,
    badTimestamps,
    columns: accs,
    hasLabel: labelColumn !== undefined && baseLabel !== undefined,
  };
}

/**
 * Merges `b` (the rows after `a`'s) into `a` and returns `a`. Both passes must be of
 * tables with the same columns, made with the same options.
 *
 * @throws InputError when the headers differ (as one pass over files of different columns fails)
 */
export function mergeValidationPasses(a: ValidationPass, b: ValidationPass): ValidationPass {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  if (!same(a.header, b.header) || !same(a.columns.map((c) => c.name), b.columns.map((c) => c.name))) {
    throw new InputError(`columns differ from the first part's (expected ${a.header.join(',')}; found ${b.header.join(',')})`, { file: b.source });
  }
  a.duplicates += b.duplicates + a.hashes.absorb(b.hashes);
  b.missing.forEach((n, j) => (a.missing[j]! += n));
  a.rowCount += b.rowCount;
  if (b.newest > a.newest) a.newest = b.newest;
  a.badTimestamps += b.badTimestamps;
  a.columns.forEach((c, k) => c.merge(b.columns[k]!));
  return a;
}

/** Gives back their classes to a pass that went through a structured clone (see core/fanout/partial-codec.ts). */
export function reviveValidationPass(clone: ValidationPass): ValidationPass {
  HashSet64.revive(clone.hashes);
  clone.columns.forEach((c) => reviveAccumulator(c));
  return clone;
}
