/**
 * Reads the predictions of captured requests, by join key, for the events that have
 * ground truth. The join key is the caller's `inferenceId` when the record has one,
 * else SageMaker's `eventId`: Model Monitor merges ground truth the same way (the
 * ground-truth record's `eventMetadata.eventId` then holds the inferenceId).
 */
import { InputError } from '../../vocabulary/errors';
import { CAPTURE_META_COLUMNS, PREDICTION_COLUMN } from '../core/readers/capture';
import type { Cell, Table } from '../core/readers/types';
import { parseStrictNumber } from '../core/quality';

/** The prediction columns of a capture table: `prediction`, or `prediction_0..k`. */
export function predictionColumns(columns: readonly string[]): number[] {
  const out: number[] = [];
  columns.forEach((c, i) => {
    if (c === PREDICTION_COLUMN || /^prediction_\d+$/.test(c)) out.push(i);
  });
  return out;
}

/** A prediction cell as a number. @throws InputError naming file, line and column */
export function toNumber(cell: Cell | undefined, file: string, line: number, column: string): number {
  const x = typeof cell === 'number' ? cell : typeof cell === 'string' ? parseStrictNumber(cell) : typeof cell === 'boolean' ? Number(cell) : undefined;
  if (x === undefined || !Number.isFinite(x)) throw new InputError(`prediction ${JSON.stringify(cell)} is not a number`, { file, line, column });
  return x;
}

/**
 * Collects each wanted event's prediction rows, in capture order.
 *
 * @param wanted the join keys to keep (those with ground truth); others are skipped unread
 * @throws InputError when the capture holds no endpoint output or a prediction is not a number
 */
export async function capturedPredictions(table: Table, wanted: ReadonlySet<string>): Promise<Map<string, number[][]>> {
  const idIndex = table.columns.indexOf(CAPTURE_META_COLUMNS[0]);
  const inferenceIdIndex = table.columns.indexOf(CAPTURE_META_COLUMNS[1]);
  const predIndexes = predictionColumns(table.columns);
  if (idIndex < 0 || predIndexes.length === 0) {
    throw new InputError('the capture holds no eventId or no endpoint output (enable capture of responses)', { file: table.source });
  }
  const out = new Map<string, number[][]>();
  for await (const batch of table.batches()) {
    batch.rows.forEach((row, r) => {
      const inferenceId = inferenceIdIndex < 0 ? null : row[inferenceIdIndex];
      const id = typeof inferenceId === 'string' && inferenceId !== '' ? inferenceId : row[idIndex];
      if (typeof id !== 'string' || !wanted.has(id)) return;
      const values = predIndexes.map((j) => toNumber(row[j], batch.file, batch.lines[r]!, table.columns[j]!));
      let rows = out.get(id);
      if (!rows) out.set(id, (rows = []));
      rows.push(values);
    });
  }
  return out;
}
