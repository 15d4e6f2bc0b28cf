/**
 * SageMaker Model Monitor ground-truth records: one JSON object per line,
 * `{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"..."},"eventVersion":"0"}`.
 * `data` holds the label (or, for a request that carried several instances, one label
 * per instance, comma-separated in CSV or as a JSON array); `eventId` is the id of the
 * captured request it labels.
 */
import { InputError, ParseError, type InputLocation } from '../../../vocabulary/errors';
import type { ProblemType } from '../../../vocabulary/evaluation-names';
import { parseStrictNumber } from './prediction-values';

/** One ground-truth record: the request it labels and its labels, one per instance. */
export interface GroundTruthRecord {
  readonly eventId: string;
  readonly labels: number[];
}

/** The value at `path` (e.g. `eventMetadata.eventId`); a ParseError naming the path when an object on the way is missing. */
function at(record: unknown, path: string, where: InputLocation): unknown {
  let value = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ParseError(`not a ground-truth record: missing ${path}`, where);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Converts a label to its number: binary labels are 0/1 (also `true`/`false`),
 * multiclass labels class indexes 0..K-1, regression targets any finite number.
 *
 * @throws InputError naming the location for any other value
 */
export function parseLabel(raw: unknown, problem: ProblemType, where: InputLocation): number {
  let x: number | undefined;
  if (typeof raw === 'number') x = Number.isFinite(raw) ? raw : undefined;
  else if (typeof raw === 'boolean') x = problem === 'binary' ? (raw ? 1 : 0) : undefined;
  else if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    x = problem === 'binary' && (t === 'true' || t === 'false') ? (t === 'true' ? 1 : 0) : parseStrictNumber(t);
  }
  if (x === undefined) throw new InputError(`label ${JSON.stringify(raw)} is not a number`, where);
  if (problem === 'binary' && x !== 0 && x !== 1) throw new InputError(`label ${x} is not 0 or 1`, where);
  if (problem === 'multiclass' && (!Number.isInteger(x) || x < 0)) throw new InputError(`label ${x} is not a class index (an integer >= 0)`, where);
  return x;
}

/**
 * Reads one parsed ground-truth line.
 *
 * @throws ParseError when the record lacks `groundTruthData.data` or `eventMetadata.eventId`;
 *   InputError for a label that does not fit the problem type
 */
export function parseGroundTruthRecord(value: unknown, problem: ProblemType, where: InputLocation): GroundTruthRecord {
  const data = at(value, 'groundTruthData.data', where);
  const encoding = at(value, 'groundTruthData.encoding', where);
  const eventId = at(value, 'eventMetadata.eventId', where);
  if (typeof eventId !== 'string' || eventId === '') throw new ParseError('eventMetadata.eventId must be a non-empty string', where);
  let raw: unknown[];
  if (typeof data === 'string') {
    if (encoding === 'JSON') {
      try {
        const parsed: unknown = JSON.parse(data);
        raw = Array.isArray(parsed) ? parsed : [parsed];
      } catch (err) {
        throw new ParseError(`groundTruthData.data is not JSON (${(err as Error).message})`, where, { cause: err });
      }
    } else {
      raw = data.split(',');
    }
  } else if (typeof data === 'number' || typeof data === 'boolean') {
    raw = [data];
  } else {
    throw new ParseError('groundTruthData.data must be a string', where);
  }
  return { eventId, labels: raw.map((r) => parseLabel(r, problem, where)) };
}
