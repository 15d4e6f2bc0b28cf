/**
 * Assembling a retrain's data set from tables already opened: the history (whole or
 * its window), the labeled production rows (capture joined with ground truth), and the
 * holdout, either the recent one (a time split of the production rows) or the fixed
 * one the config names (then every production row trains).
 *
 * `auto` holdout: recent when the join found labeled production rows, else fixed.
 *
 * The split comes first: with a recent holdout, the history's rows are cut at the
 * holdout's start (its oldest row's time) as well as by the history window, so that no
 * training row, from history or production, is as new as the oldest holdout row. A
 * history without a `timestampColumn` has no row times and is taken whole.
 */
import type { DatasetDrops } from '../../../vocabulary/dataset-contracts';
import type { ProblemType } from '../../../vocabulary/evaluation-names';
import type { Cell, Table } from '../readers/types';
import { readHistoryRows } from './history-rows';
import { InsufficientLabelsError, timeSplit } from './time-split';
import { joinTrainingRows, noDrops, type LabeledRow } from './training-rows';
import type { TrainingSchema } from './training-schema';
import { writeChannel, type ChannelFile, type ChannelFormat } from './write-channel';

/** Options of {@link assembleDataset}. */
export interface AssembleOptions {
  readonly schema: TrainingSchema;
  readonly problemType: ProblemType;
  readonly history: Table;
  /**
   * The history's column of row times, and the window of rows kept (`[start, end)`, epoch ms).
   * @default no row times: the whole history
   */
  readonly historyTime?: { readonly timestampColumn: string; readonly window?: { readonly start: number; readonly end: number } };
  /** The production window's capture and its labels by join key; absent: no production rows. */
  readonly production?: {
    readonly capture: Table;
    readonly truth: ReadonlyMap<string, readonly number[]>;
    readonly range: { readonly start: number; readonly end: number };
  };
  readonly holdout: {
    readonly kind: 'recent' | 'fixed' | 'auto';
    readonly fraction: number;
    readonly minRows: number;
    /** The production model's training cut-off, epoch ms. @default none */
    readonly cutoff?: number;
  };
  /** How the training channel is written (the recent holdout is always CSV with a header). */
  readonly output: ChannelFormat;
}

/** An assembled data set, written to bytes. */
export interface AssembledDataset {
  readonly training: ChannelFile;
  /** The recent holdout (CSV with a header, features then label); absent when the holdout is fixed. */
  readonly holdout?: ChannelFile;
  readonly holdoutKind: 'recent' | 'fixed';
  readonly rows: { readonly history: number; readonly production: number; readonly training: number; readonly holdout: number };
  readonly dropped: DatasetDrops;
  /** The first schema problems of production rows, for the report. */
  readonly problems: readonly string[];
  /** Holdout inference times, epoch ms (recent holdout only). */
  readonly holdoutRange?: { readonly from: number; readonly to: number };
  /** Rows for the skew check: history features and production features (each features then label). */
  readonly historyRows: readonly (readonly Cell[])[];
  readonly productionRows: readonly (readonly Cell[])[];
}

const asCells = (r: LabeledRow): Cell[] => [...r.features, r.label];

/**
 * Reads, joins, splits and writes.
 *
 * @throws InsufficientLabelsError when a recent holdout has fewer than `minRows` rows
 * @throws InputError for bad history rows or a capture that lacks a feature column
 */
export async function assembleDataset(options: AssembleOptions): Promise<AssembledDataset> {
  const { schema } = options;
  const joined = options.production
    ? await joinTrainingRows(options.production.capture, options.production.truth, { schema, range: options.production.range })
    : { rows: [], dropped: noDrops(), unlabeled: 0, problems: [] };
  const kind = options.holdout.kind === 'auto' ? (joined.rows.length > 0 ? 'recent' : 'fixed') : options.holdout.kind;
  let trainingProduction: LabeledRow[] = [...joined.rows].sort((a, b) => a.time - b.time);
  let holdout: ChannelFile | undefined;
  let holdoutRange: AssembledDataset['holdoutRange'];
  if (kind === 'recent') {
    let split;
    try {
      split = timeSplit(joined.rows, options.holdout);
    } catch (err) {
      if (err instanceof InsufficientLabelsError) err.dropped = { ...joined.dropped, unlabeled: joined.unlabeled, historyOutsideWindow: 0, historyAtOrAfterHoldout: 0 };
      throw err;
    }
    trainingProduction = split.training;
    holdout = writeChannel(split.holdout.map(asCells), schema, { format: 'csv', header: true }, 'recent holdout');
    holdoutRange = { from: split.from, to: split.to };
  }
  const time = options.historyTime;
  const history = await readHistoryRows(options.history, {
    schema,
    problemType: options.problemType,
    ...(time ? { timestampColumn: time.timestampColumn, ...(time.window ? { window: time.window } : {}) } : {}),
    ...(time && holdoutRange ? { before: holdoutRange.from } : {}),
  });
  const productionCells = trainingProduction.map(asCells);
  const trainingRows = [...history.rows, ...productionCells];
  const training = writeChannel(trainingRows, schema, options.output, 'training channel');
  const holdoutRows = joined.rows.length - trainingProduction.length;
  return {
    training,
    ...(holdout ? { holdout } : {}),
    holdoutKind: kind,
    rows: { history: history.rows.length, production: joined.rows.length, training: trainingRows.length, holdout: holdoutRows },
    dropped: { ...joined.dropped, unlabeled: joined.unlabeled, historyOutsideWindow: history.outsideWindow, historyAtOrAfterHoldout: history.atOrAfterHoldout },
    problems: joined.problems,
    ...(holdoutRange ? { holdoutRange } : {}),
    historyRows: history.rows,
    productionRows: joined.rows.map(asCells),
  };
}
