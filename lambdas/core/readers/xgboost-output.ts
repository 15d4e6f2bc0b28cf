/**
 * The answer of SageMaker's built-in XGBoost in a data capture, as its
 * algorithm_mode/serve.py writes it: for an endpoint call ONE line, the predictions
 * comma-joined (`",".join(map(str, preds.tolist()))`): `0.2,0.9` for two records of
 * binary:logistic or reg:*, `[0.1, 0.2, 0.7],[0.6, 0.3, 0.1]` for two of multi:softprob
 * (each record's probabilities as a Python list); under a batch transform one line per
 * record. Either way: one prediction row per input row.
 */
import { ParseError } from '../../../vocabulary/errors';
import type { Cell } from './types';

/** One line's rows: `[..]` groups (a probability vector each, as numbers) or plain CSV cells (one row, as the CSV reader gives them). */
function lineRows(text: string, file: string, line: number): Cell[][] {
  if (!text.includes('[')) return [text.split(',').map((v) => (v.trim() === '' ? null : v.trim()))];
  let parsed: unknown;
  try {
    parsed = JSON.parse(`[${text}]`);
  } catch {
    throw new ParseError(`endpointOutput line ${JSON.stringify(text.slice(0, 60))} is neither numbers nor [..] probability vectors`, { file, line });
  }
  const groups = parsed as unknown[];
  if (!groups.every((g) => Array.isArray(g) && g.length > 0 && g.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new ParseError(`endpointOutput line ${JSON.stringify(text.slice(0, 60))} mixes [..] probability vectors with other values`, { file, line });
  }
  return groups as Cell[][];
}

/**
 * The prediction rows of an XGBoost answer for a request of `inputRows` rows.
 *
 * A single line of plain numbers for several input rows is spread over them: V values
 * for N rows give N rows of V / N values (one score each, or the k = V / N class
 * probabilities of a flat multi:softprob answer).
 *
 * @throws ParseError naming file and line when the values cannot be one row per input row
 */
export function xgboostOutputRows(text: string, inputRows: number, file: string, line: number): Cell[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new ParseError('endpointOutput.data is empty', { file, line });
  const rows = lines.flatMap((l) => lineRows(l, file, line));
  if (rows.length === inputRows || inputRows <= 1 || lines.length > 1 || lines[0]!.includes('[')) return rows;
  const values = rows[0]!;
  if (values.length % inputRows !== 0) {
    throw new ParseError(
      `endpointOutput holds ${values.length} values on one line for ${inputRows} input rows: XGBoost answers one score per row, or k class probabilities per row (multi:softprob), and ${values.length} is not a multiple of ${inputRows}`,
      { file, line },
    );
  }
  const k = values.length / inputRows;
  return Array.from({ length: inputRows }, (_, r) => values.slice(r * k, (r + 1) * k));
}
