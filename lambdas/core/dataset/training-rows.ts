/**
 * Labeled production rows for training: the captured requests of a window joined with
 * their ground truth, the same join as live quality (the caller's `inferenceId` when
 * the capture record has one, else SageMaker's `eventId`), with the features read as
 * the training schema expects them and the label from the ground truth.
 *
 * - A request captured twice (the same join key in two capture records) is a
 *   duplicate: the first record read is kept, the rows of the later ones are counted
 *   as `duplicate` and left out.
 * - A request whose ground truth holds another number of labels than it has rows is
 *   left out whole and counted as `labelCount` (which label belongs to which row is
 *   not known).
 * - A row whose features do not fit the training schema is counted as `schema` and
 *   left out; the first few problems are kept, with their file and line, for the report.
 * - Captured rows without ground truth are not training rows; they are counted as
 *   `unlabeled`, not as dropped.
 */
import { InputError, ParseError, formatLocation } from '../../../vocabulary/errors';
import { CAPTURE_META_COLUMNS } from '../readers/capture';
import type { Cell, Table } from '../readers/types';
import { fitCell, type TrainingSchema } from './training-schema';

/** One labeled production row. */
export interface LabeledRow {
  /** The join key: inferenceId, else eventId. */
  readonly key: string;
  /** The request's inferenceTime, epoch milliseconds. */
  readonly time: number;
  /** Feature values in the schema's order. */
  readonly features: readonly Cell[];
  /** The label from the ground truth. */
  readonly label: number;
}

/** Why production rows were left out. */
export const DROP_REASONS = ['duplicate', 'labelCount', 'schema'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Rows left out, by reason. */
export type DroppedRows = Record<DropReason, number>;

/** What {@link joinTrainingRows} gives. */
export interface JoinedTrainingRows {
  /** The rows kept, in capture order. */
  readonly rows: LabeledRow[];
  readonly dropped: DroppedRows;
  /** Captured rows in the range with no ground truth (yet). */
  readonly unlabeled: number;
  /** The first few schema problems, each `file:line: problem`. */
  readonly problems: string[];
}

/** Options of {@link joinTrainingRows}. */
export interface JoinTrainingOptions {
  readonly schema: TrainingSchema;
  /** Keep only requests whose inferenceTime is in `[start, end)`, epoch ms. @default every request */
  readonly range?: { readonly start: number; readonly end: number };
  /** Schema problems kept for the report. @default 5 */
  readonly maxProblems?: number;
}

/** No rows dropped. */
export function noDrops(): DroppedRows {
  return { duplicate: 0, labelCount: 0, schema: 0 };
}

interface Pending {
  readonly record: string;
  readonly time: number;
  readonly rows: { cells: Cell[]; where: string }[];
}

/**
 * Joins a capture table with ground truth into training rows.
 *
 * @param truth labels by join key, one per instance of the request
 * @throws InputError when a feature of the schema is not a column of the capture (the
 *   capture's attributes or the config's features need fixing), or ParseError for a
 *   request without a readable inferenceTime
 */
export async function joinTrainingRows(
  table: Table,
  truth: ReadonlyMap<string, readonly number[]>,
  options: JoinTrainingOptions,
): Promise<JoinedTrainingRows> {
  const { schema, range } = options;
  const maxProblems = options.maxProblems ?? 5;
  const [eventIdColumn, inferenceIdColumn, timeColumn] = CAPTURE_META_COLUMNS;
  const eventIdIndex = table.columns.indexOf(eventIdColumn);
  const inferenceIdIndex = table.columns.indexOf(inferenceIdColumn);
  const timeIndex = table.columns.indexOf(timeColumn);
  if (eventIdIndex < 0 || timeIndex < 0) throw new InputError('not a data-capture table: no eventId or inferenceTime', { file: table.source });
  const featureIndexes = schema.features.map((f) => {
    const i = table.columns.indexOf(f.name);
    if (i < 0) {
      throw new InputError(
        `feature column is absent from the capture (its columns are: ${table.columns.join(', ')}); set the features' names in the config or the capture attributes`,
        { file: table.source, column: f.name },
      );
    }
    return i;
  });

  const groups = new Map<string, Pending>();
  const dropped = noDrops();
  let unlabeled = 0;
  for await (const batch of table.batches()) {
    batch.rows.forEach((row, r) => {
      const line = batch.lines[r]!;
      const raw = row[timeIndex];
      const time = typeof raw === 'string' ? Date.parse(raw) : typeof raw === 'number' ? raw : Number.NaN;
      if (!Number.isFinite(time)) throw new ParseError(`inferenceTime ${JSON.stringify(raw)} is not a time`, { file: batch.file, line });
      if (range && (time < range.start || time >= range.end)) return;
      const inferenceId = inferenceIdIndex < 0 ? null : row[inferenceIdIndex];
      const key = typeof inferenceId === 'string' && inferenceId !== '' ? inferenceId : row[eventIdIndex];
      if (typeof key !== 'string' || key === '' || !truth.has(key)) {
        unlabeled++;
        return;
      }
      const record = `${batch.file}\u0000${line}`;
      const cells = featureIndexes.map((i) => row[i] ?? null);
      const where = formatLocation({ file: batch.file, line });
      const group = groups.get(key);
      if (!group) groups.set(key, { record, time, rows: [{ cells, where }] });
      else if (group.record === record) group.rows.push({ cells, where });
      else dropped.duplicate++;
    });
  }

  const rows: LabeledRow[] = [];
  const problems: string[] = [];
  for (const [key, group] of groups) {
    const labels = truth.get(key)!;
    if (labels.length !== group.rows.length) {
      dropped.labelCount += group.rows.length;
      continue;
    }
    group.rows.forEach(({ cells, where }, i) => {
      const features: Cell[] = [];
      for (let f = 0; f < schema.features.length; f++) {
        const fit = fitCell(cells[f], schema.features[f]!);
        if ('problem' in fit) {
          dropped.schema++;
          if (problems.length < maxProblems) problems.push(`${where}: ${fit.problem}`);
          return;
        }
        features.push(fit.value);
      }
      rows.push({ key, time: group.time, features, label: labels[i]! });
    });
  }
  return { rows, dropped, unlabeled, problems };
}
