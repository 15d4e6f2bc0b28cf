/**
 * The time split of labeled production rows into training rows and a recent holdout:
 * the holdout is the most recent `fraction` of the rows by inference time, and only
 * rows newer than the production model's training cut-off may be in it, so that
 * neither the candidate nor production has seen them. Every training row is strictly
 * older than the oldest holdout row: rows at the boundary time all go to the holdout,
 * never some to each side (nothing from the future leaks into training).
 */
import { PitstopError } from '../../../vocabulary/errors';
import type { DatasetDrops } from '../../../vocabulary/dataset-contracts';
import type { LabeledRow } from './training-rows';

/** Fewer holdout rows than `minRows`: the run stops, reported, rather than judge on too little. */
export class InsufficientLabelsError extends PitstopError {
  public readonly holdoutRows: number;
  public readonly minRows: number;
  public readonly productionRows: number;
  /** The production rows left out before the split, by reason (the history is not read then: its counts are 0). */
  public dropped?: DatasetDrops;
  public constructor(holdoutRows: number, minRows: number, productionRows: number) {
    super(
      `${holdoutRows} labeled production rows for the recent holdout (of ${productionRows} labeled in the window), fewer than holdout.minRows ${minRows}`,
    );
    this.name = 'InsufficientLabels';
    this.holdoutRows = holdoutRows;
    this.minRows = minRows;
    this.productionRows = productionRows;
  }
}

/** Options of {@link timeSplit}. */
export interface TimeSplitOptions {
  /** Share of the rows in the holdout, (0, 1). */
  readonly fraction: number;
  /** Fewest holdout rows; fewer is an {@link InsufficientLabelsError}. */
  readonly minRows: number;
  /** The production model's training cut-off (epoch ms): holdout rows are strictly newer. @default none (no production model) */
  readonly cutoff?: number;
}

/** A time split. */
export interface TimeSplit {
  /** Rows for training, oldest first. */
  readonly training: LabeledRow[];
  /** The holdout, oldest first. */
  readonly holdout: LabeledRow[];
  /** Inference time of the oldest and newest holdout rows, epoch ms. */
  readonly from: number;
  readonly to: number;
}

/**
 * Splits by inference time.
 *
 * @throws InsufficientLabelsError when the holdout would hold fewer than `minRows` rows
 */
export function timeSplit(rows: readonly LabeledRow[], options: TimeSplitOptions): TimeSplit {
  const sorted = [...rows].sort((a, b) => a.time - b.time);
  const n = sorted.length;
  const wanted = Math.ceil(options.fraction * n);
  // The boundary: the time of the wanted-th newest row, moved up past the cut-off.
  let start = n - wanted;
  const cutoff = options.cutoff;
  if (cutoff !== undefined) while (start < n && sorted[start]!.time <= cutoff) start++;
  // Ties with the boundary row join the holdout, so training is strictly older.
  if (start < n) {
    const boundary = sorted[start]!.time;
    while (start > 0 && sorted[start - 1]!.time === boundary) start--;
  }
  const holdout = sorted.slice(start);
  if (holdout.length === 0 || holdout.length < options.minRows) throw new InsufficientLabelsError(holdout.length, options.minRows, n);
  return { training: sorted.slice(0, start), holdout, from: holdout[0]!.time, to: holdout.at(-1)!.time };
}
