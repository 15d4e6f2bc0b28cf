/**
 * Building a baseline profile from a reference table, in one pass; or from the merged
 * accumulators of several parts of it (a fan-out over many objects).
 */
import { accumulateTable, columnIndexes, mergeTableAccumulators, type ParallelScanOptions, type TableAccumulator } from '../columns/table-accumulator';
import type { ColumnType } from '../columns/column-types';
import { InputError } from '../../../vocabulary/errors';
import type { Table } from '../readers/types';
import { DEFAULT_BINS } from '../stats/binning';
import { sortAllFloat64 } from '../stats/parallel-sort';
import { countsRecord, profileFeature, summarizeColumn } from './feature-summary';
import { PROFILE_VERSION, type LabelProfile, type Profile } from './profile-schema';

/** Default most items in each numeric feature's sketch. */
export const DEFAULT_SKETCH_ITEMS = 50_000;

/** What to accumulate; the same options must be given to every part that is merged. */
export interface ProfileAccumulateOptions {
  /** The label column: profiled apart from the features. @default none */
  readonly label?: string;
  /** Type of the label. @default inferred (a 0/1 label is numeric unless given as 'categorical') */
  readonly labelType?: ColumnType;
  /** Known feature types (e.g. the config's `features`); others are inferred. @default {} */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** The feature columns to profile. @default every column of the table except the label and its meta columns */
  readonly columns?: readonly string[];
  /** Values kept exactly per numeric column before it turns to a sketch. @default 1_000_000 */
  readonly budget?: number;
  /** Reading a local plain CSV file on several threads when every column's type is given; false: one thread. @default {} (see ParallelScanOptions) */
  readonly parallel?: ParallelScanOptions | false;
}

/** Options of {@link buildProfile}. */
export interface ProfileOptions extends ProfileAccumulateOptions {
  /** Quantile bins per numeric column (before de-duplication). @default 10 */
  readonly bins?: number;
  /** Most items in each numeric feature's sketch; exact up to this many values. @default 50_000 */
  readonly sketchItems?: number;
  /** The creation time written in the profile. @default new Date() */
  readonly now?: Date;
}

/** The accumulated state of a profile (features then, when given, the label column last). */
export interface ProfileAccumulator extends TableAccumulator {
  /** The label column's name, when profiled. */
  readonly label?: string;
}

/** Reads `table` once and accumulates what a profile needs. */
export async function accumulateProfile(table: Table, options: ProfileAccumulateOptions = {}): Promise<ProfileAccumulator> {
  const { label } = options;
  if (label !== undefined) columnIndexes(table.columns, [label], table.source);
  const meta = new Set(table.metaColumns ?? []);
  const features = options.columns ?? table.columns.filter((c) => c !== label && !meta.has(c));
  if (label !== undefined && features.includes(label)) {
    throw new InputError('the label cannot also be a feature', { file: table.source, column: label });
  }
  const types: Record<string, ColumnType> = { ...options.types };
  if (label !== undefined && options.labelType) types[label] = options.labelType;
  const acc = await accumulateTable(table, {
    columns: label === undefined ? features : [...features, label],
    types,
    budget: options.budget,
    parallel: options.parallel,
  });
  return { ...acc, label };
}

/**
 * Merges the accumulator of the rows after `a`'s into `a` and returns it: the result
 * equals the accumulator of the concatenation (counts, bins and categories exactly,
 * moments to rounding).
 */
export function mergeProfileAccumulators(a: ProfileAccumulator, b: ProfileAccumulator): ProfileAccumulator {
  if (a.label !== b.label) throw new InputError(`cannot merge profiles with labels ${String(a.label)} and ${String(b.label)}`);
  mergeTableAccumulators(a, b);
  return a;
}

/** Turns a (merged) accumulator into the profile JSON. */
export function finishProfile(acc: ProfileAccumulator, options: ProfileOptions = {}): Profile {
  const bins = options.bins ?? DEFAULT_BINS;
  const sketchItems = options.sketchItems ?? DEFAULT_SKETCH_ITEMS;
  const featureAccs = acc.label === undefined ? acc.columns : acc.columns.slice(0, -1);
  const features = featureAccs.map((c) => {
    c.finish();
    return profileFeature(summarizeColumn(c, bins), sketchItems);
  });
  const profile: Profile = {
    version: PROFILE_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    source: acc.source,
    rowCount: acc.rowCount,
    features,
  };
  if (acc.label !== undefined) profile.label = labelProfile(acc, bins);
  return profile;
}

function labelProfile(acc: ProfileAccumulator, bins: number): LabelProfile {
  const column = acc.columns[acc.columns.length - 1]!;
  column.finish();
  const s = summarizeColumn(column, bins);
  if (s.type === 'categorical') {
    return { name: s.name, type: 'categorical', count: s.count, missing: s.missing, counts: countsRecord(s.categoryCounts) };
  }
  const m = column.moments;
  return {
    name: s.name,
    type: 'numeric',
    count: s.count,
    missing: s.missing,
    moments: { count: m.count, mean: m.mean, m2: m.m2, min: s.min, max: s.max },
    bins: { cutPoints: s.cutPoints, binCounts: s.binCounts },
  };
}

/**
 * Builds the baseline profile of a reference table in one pass.
 *
 * @throws ValueTypeError on a NaN/Infinity in a numeric column, or a non-number in a column typed numeric
 * @throws InputError when the label or a requested column is absent
 */
export async function buildProfile(table: Table, options: ProfileOptions = {}): Promise<Profile> {
  const acc = await accumulateProfile(table, options);
  // Sort every column's exact values up front, on two threads where there are two cores.
  await sortAllFloat64(acc.columns.flatMap((c) => (c.typeSoFar === 'numeric' ? (c.store?.unsortedValues() ?? []) : [])));
  return finishProfile(acc, options);
}
