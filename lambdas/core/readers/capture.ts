/**
 * SageMaker data-capture records: one JSON object per line,
 * `{"captureData":{"endpointInput":{"observedContentType","mode","data","encoding"},
 * "endpointOutput":{...}},"eventMetadata":{"eventId","inferenceId"?,"inferenceTime"},"eventVersion":"0"}`,
 * where `encoding` is `CSV`, `JSON` or `BASE64` (then `observedContentType` tells what the
 * decoded bytes hold). Each record becomes one row (or one row per instance when a request
 * carried several): `eventId`, `inferenceId` (null unless the caller set one),
 * `inferenceTime`, the features, then the prediction.
 *
 * Where the features and the prediction are comes from a {@link CapturePlan} (the model's
 * `capture` attributes or preset, see ./capture-presets). Without one, only an
 * unambiguous output is read: CSV, a bare scalar, or a one-element array of a scalar.
 * Any other output (an object, a vector of several values, label-and-score pairs) is a
 * ParseError naming file, line, the shape seen and the attribute or preset to set.
 * The meta columns are carried for joins and windows; they are never features.
 */
import { parse } from 'csv-parse/sync';
import { ParseError } from '../../../vocabulary/errors';
import {
  attributeName,
  describeShape,
  evaluateJmesPath,
  isPlainObject,
  isScalar,
  selectColumns,
  selectOutput,
  type Selector,
} from '../../../vocabulary/capture-attributes';
import { CAPTURE_PRESET_NAMES, type CapturePlan } from '../../../vocabulary/capture-presets';
import { CSV_PARSE_OPTIONS } from './csv-records';
import type { Cell } from './types';
import { xgboostOutputRows } from './xgboost-output';

/** Columns every capture table starts with. */
export const CAPTURE_META_COLUMNS = ['eventId', 'inferenceId', 'inferenceTime'] as const;

/** Column of a single-valued prediction; multi-valued CSV outputs use `prediction_0..k`. */
export const PREDICTION_COLUMN = 'prediction';

/** The layout fixed by a file's first capture record. */
export interface CaptureLayout {
  readonly columns: string[];
  /** Feature names, or undefined when features are positional (CSV or JSON arrays). */
  readonly featureKeys: readonly string[] | undefined;
  readonly featureCount: number;
  /** Prediction columns (0 when the capture holds no output). */
  readonly predictionCount: number;
  /** Where features and prediction are. @default none: unambiguous payloads only */
  readonly plan?: CapturePlan;
}

/** Whether a parsed JSON line looks like a data-capture record. */
export function isCaptureRecord(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'captureData' in value;
}

interface Decoded {
  readonly eventId: Cell;
  /** The caller's InferenceId (InvokeEndpoint's `InferenceId`), when it set one. */
  readonly inferenceId: Cell;
  readonly inferenceTime: Cell;
  /** Feature rows, each positional or keyed. */
  readonly inputs: (Cell[] | Record<string, Cell>)[];
  /** Prediction rows: one per input row, or one for the whole request; undefined without output. */
  readonly outputs: Cell[][] | undefined;
}

/**
 * Fixes the columns from a file's first record.
 *
 * @param featureNames names for positional features. @default f0, f1, ...
 */
export function captureColumns(
  value: unknown,
  file: string,
  line: number,
  featureNames?: readonly string[],
  plan?: CapturePlan,
): CaptureLayout {
  const d = decodeRecord(value, file, line, plan);
  const firstInput = d.inputs[0];
  let featureKeys: readonly string[] | undefined;
  let featureColumns: string[];
  if (Array.isArray(firstInput)) {
    featureKeys = undefined;
    if (featureNames && featureNames.length !== firstInput.length) {
      throw new ParseError(
        `expected ${featureNames.length} features (captureFeatureNames), found ${firstInput.length}`,
        { file, line },
      );
    }
    featureColumns = featureNames ? [...featureNames] : firstInput.map((_, i) => `f${i}`);
  } else {
    featureKeys = Object.keys(firstInput);
    featureColumns = [...featureKeys];
  }
  const width = d.outputs?.[0]?.length ?? 0;
  const predictionColumns = width === 1 ? [PREDICTION_COLUMN] : Array.from({ length: width }, (_, i) => `${PREDICTION_COLUMN}_${i}`);
  const columns = [...CAPTURE_META_COLUMNS, ...featureColumns, ...predictionColumns];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new ParseError('duplicate column name', { file, line, column: c });
    seen.add(c);
  }
  return { columns, featureKeys, featureCount: featureColumns.length, predictionCount: width, ...(plan ? { plan } : {}) };
}

/**
 * The rows of one capture record, aligned with `layout.columns`.
 *
 * @throws ParseError naming file and line for a record that does not fit the layout.
 */
export function captureRows(value: unknown, layout: CaptureLayout, file: string, line: number): Cell[][] {
  const d = decodeRecord(value, file, line, layout.plan);
  const outputs = d.outputs;
  if (outputs && outputs.length !== d.inputs.length) {
    // One answer for a request of several rows is not one prediction per row (it may be
    // one row of several values): never spread it over the rows.
    throw new ParseError(
      `${d.inputs.length} input rows but ${outputs.length} output row${outputs.length === 1 ? '' : 's'}: expected one prediction per input row` +
        (outputs.length === 1 ? ` (if the line holds one value per row, select them with ${attributeName('probability')} or ${attributeName('inference')})` : ''),
      { file, line },
    );
  }
  return d.inputs.map((input, r) => {
    const row: Cell[] = [d.eventId, d.inferenceId, d.inferenceTime];
    if (Array.isArray(input)) {
      if (layout.featureKeys || input.length !== layout.featureCount) {
        throw new ParseError(
          layout.featureKeys
            ? 'expected a JSON object of features, like the first record'
            : `expected ${layout.featureCount} features, found ${input.length}`,
          { file, line },
        );
      }
      row.push(...input);
    } else {
      if (!layout.featureKeys) throw new ParseError('expected positional features, like the first record', { file, line });
      const keys = layout.featureKeys;
      for (const k in input) {
        if (!keys.includes(k)) throw new ParseError('key not in the first record', { file, line, column: k });
      }
      for (const k of keys) row.push(input[k] ?? null);
    }
    if (layout.predictionCount > 0) {
      const out = outputs ? outputs[r] : undefined;
      if (out && out.length !== layout.predictionCount) {
        throw new ParseError(`expected ${layout.predictionCount} prediction values, found ${out.length}`, { file, line });
      }
      row.push(...(out ?? new Array<Cell>(layout.predictionCount).fill(null)));
    }
    return row;
  });
}

function decodeRecord(value: unknown, file: string, line: number, plan: CapturePlan | undefined): Decoded {
  const rec = objectAt(value, 'record', file, line);
  const capture = objectAt(rec.captureData, 'captureData', file, line);
  const meta = rec.eventMetadata === undefined ? {} : objectAt(rec.eventMetadata, 'eventMetadata', file, line);
  const input = decodePayload(capture.endpointInput, 'endpointInput', file, line);
  if (input === undefined) throw new ParseError('missing captureData.endpointInput', { file, line });
  // A preset names the kind of the response; the request's kind matters only where the plan reads features from it.
  if (plan?.features) checkPayloadKind(input, 'endpointInput', plan, file, line);
  const inputs = plan?.features ? selectedInputRows(input, plan.features, plan.featureRows === true, file, line) : inputRows(input, file, line);
  const output =
    capture.endpointOutput === undefined ? undefined : decodePayload(capture.endpointOutput, 'endpointOutput', file, line);
  if (output && plan) checkPayloadKind(output, 'endpointOutput', plan, file, line);
  return {
    eventId: metaCell(meta.eventId, 'eventId', file, line),
    inferenceId: metaCell(meta.inferenceId, 'inferenceId', file, line),
    inferenceTime: metaCell(meta.inferenceTime, 'inferenceTime', file, line),
    inputs,
    outputs:
      output === undefined
        ? undefined
        : plan?.output
          ? selectedOutputRows(output, plan.output, inputs.length, file, line)
          : plan?.preset === 'xgboost' && output.kind === 'csv'
            ? xgboostOutputRows(output.text, inputs.length, file, line)
            : outputRows(output, file, line),
  };
}

/** A preset made for CSV (or JSON) containers rejects the other kind of payload. */
function checkPayloadKind(p: Payload, where: string, plan: CapturePlan, file: string, line: number): void {
  if (plan.payload && plan.payload !== p.kind) {
    throw new ParseError(
      `${where} is ${p.kind.toUpperCase()}, but ${attributeName('preset')} "${plan.preset}" reads ${plan.payload.toUpperCase()} payloads; choose the preset of this container or set the attributes`,
      { file, line },
    );
  }
}

/** A selector of the wrong form for the payload: CSV takes column indexes, JSON a JMESPath expression. */
function wrongForm(s: Selector, attribute: 'features' | 'inference' | 'probability', where: string, kind: 'csv' | 'json', file: string, line: number): never {
  throw new ParseError(
    kind === 'csv'
      ? `${attributeName(attribute)} "${s.text}" is a JMESPath expression, but ${where} is CSV: give 0-based column indexes (e.g. "0" or "1,2,3")`
      : `${attributeName(attribute)} "${s.text}" is CSV column indexes, but ${where} is JSON: give a JMESPath expression`,
    { file, line },
  );
}

/** Feature rows at the features attribute: CSV columns, or the JSON value it selects. */
function selectedInputRows(p: Payload, s: Selector, instances: boolean, file: string, line: number): (Cell[] | Record<string, Cell>)[] {
  if (p.kind === 'csv') {
    if (s.kind !== 'columns') wrongForm(s, 'features', 'endpointInput', 'csv', file, line);
    const rows = csvRows(p.text, 'endpointInput', file, line);
    if (rows.length === 0) throw new ParseError('endpointInput.data is empty', { file, line });
    return selectColumns(rows, s, 'features', 'endpointInput', file, line);
  }
  if (s.kind !== 'jmespath') wrongForm(s, 'features', 'endpointInput', 'json', file, line);
  const v = evaluateJmesPath(s, p.value);
  if (instances && Array.isArray(v) && v.length > 0) return v.map((x) => (isScalar(x) ? [x] : jsonRow(x, file, line)));
  if (isScalar(v)) return [[v]];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => Array.isArray(x) || isPlainObject(x))) return v.map((x) => jsonRow(x, file, line));
  if (Array.isArray(v) && v.length > 0) return [jsonRow(v, file, line)];
  if (isPlainObject(v)) return [jsonRow(v, file, line)];
  throw new ParseError(
    `${attributeName('features')} "${s.text}" selected ${describeShape(v)} from endpointInput: expected a row (a list or an object of values) or a list of rows`,
    { file, line },
  );
}

/** Prediction rows at the inference or probability attribute. */
function selectedOutputRows(p: Payload, plan: NonNullable<CapturePlan['output']>, inputRowCount: number, file: string, line: number): Cell[][] {
  const s = plan.selector;
  let rows: Cell[][];
  if (p.kind === 'csv') {
    if (s.kind !== 'columns') wrongForm(s, plan.attribute, 'endpointOutput', 'csv', file, line);
    rows = selectColumns(csvRows(p.text, 'endpointOutput', file, line), s, plan.attribute, 'endpointOutput', file, line);
  } else {
    if (s.kind !== 'jmespath') wrongForm(s, plan.attribute, 'endpointOutput', 'json', file, line);
    rows = selectOutput(evaluateJmesPath(s, p.value), plan, inputRowCount, file, line);
  }
  // An attribute names one prediction per instance: one for a whole multi-row request is not spread over its rows.
  if (rows.length !== inputRowCount) {
    throw new ParseError(
      `${attributeName(plan.attribute)} "${s.text}" gave ${rows.length} prediction${rows.length === 1 ? '' : 's'} for ${inputRowCount} input rows: expected one per row`,
      { file, line },
    );
  }
  return rows;
}

type Payload = { kind: 'csv'; text: string } | { kind: 'json'; value: unknown };

function decodePayload(value: unknown, where: string, file: string, line: number): Payload | undefined {
  if (value === undefined || value === null) return undefined;
  const p = objectAt(value, where, file, line);
  if (typeof p.data !== 'string') throw new ParseError(`${where}.data is not a string`, { file, line });
  const encoding = String(p.encoding ?? '').toUpperCase();
  const contentType = String(p.observedContentType ?? '').toLowerCase();
  let text = p.data;
  let kind: 'csv' | 'json';
  if (encoding === 'CSV') kind = 'csv';
  else if (encoding === 'JSON') kind = 'json';
  else if (encoding === 'BASE64') {
    text = Buffer.from(p.data, 'base64').toString('utf8');
    kind = contentType.includes('json') ? 'json' : 'csv';
  } else {
    throw new ParseError(`${where}.encoding must be CSV, JSON or BASE64, got ${JSON.stringify(p.encoding)}`, { file, line });
  }
  if (kind === 'csv') return { kind, text };
  try {
    return { kind, value: JSON.parse(text) };
  } catch (err) {
    throw new ParseError(`${where}.data is not valid JSON`, { file, line }, { cause: err });
  }
}

/**
 * Quote-free CSV text split into records and cells: what csv-parse gives for text without a
 * quote character (records end at `\n` or `\r\n`, empty lines skipped, empty field -> null).
 */
export function splitPlainCsv(text: string): Cell[][] {
  const rows: Cell[][] = [];
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = n;
    const end = nl < n && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (end > pos) {
      const cells = text.slice(pos, end).split(',') as Cell[];
      for (let i = 0; i < cells.length; i++) if (cells[i] === '') cells[i] = null;
      rows.push(cells);
    }
    pos = nl + 1;
  }
  return rows;
}

/** CSV payload lines, each split into cells (csv-parse semantics, empty field -> null). */
function csvRows(text: string, where: string, file: string, line: number): Cell[][] {
  // Most payloads have no quote: split them directly (csv-parse costs far more per call).
  if (!text.includes('"')) return splitPlainCsv(text);
  let records: string[][];
  try {
    records = parse(text, CSV_PARSE_OPTIONS) as string[][];
  } catch (err) {
    throw new ParseError(`${where}.data is not valid CSV`, { file, line }, { cause: err });
  }
  return records.map((r) => r.map((v) => (v === '' ? null : v)));
}

function inputRows(p: Payload, file: string, line: number): (Cell[] | Record<string, Cell>)[] {
  if (p.kind === 'csv') {
    const rows = csvRows(p.text, 'endpointInput', file, line);
    if (rows.length === 0) throw new ParseError('endpointInput.data is empty', { file, line });
    return rows;
  }
  let v = p.value;
  if (isPlainObject(v) && Array.isArray(v.instances)) v = v.instances;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => Array.isArray(x) || isPlainObject(x))) {
    return v.map((x) => jsonRow(isPlainObject(x) && Array.isArray(x.features) ? x.features : x, file, line));
  }
  return [jsonRow(v, file, line)];
}

function jsonRow(v: unknown, file: string, line: number): Cell[] | Record<string, Cell> {
  if (Array.isArray(v)) return v.map((x, i) => cellOf(x, file, line, `f${i}`));
  if (isPlainObject(v)) {
    const row: Record<string, Cell> = {};
    for (const k in v) row[k] = cellOf(v[k], file, line, k);
    return row;
  }
  throw new ParseError('endpointInput.data must be a JSON object or array', { file, line });
}

/**
 * The output without attributes: CSV, a bare scalar, or a one-element array of a scalar.
 * Anything else is ambiguous, and the error says what to set.
 */
function outputRows(p: Payload, file: string, line: number): Cell[][] {
  if (p.kind === 'csv') return csvRows(p.text, 'endpointOutput', file, line);
  const v = p.value;
  if (isScalar(v)) return [[v]];
  if (Array.isArray(v) && v.length === 1 && isScalar(v[0])) return [[v[0]]];
  throw new ParseError(`endpointOutput is ${describeShape(v)}: which value is the prediction is ambiguous and pitstop does not guess; ${ambiguityHint(v)}`, { file, line });
}

/** What to set for an ambiguous output, from its shape. */
export function ambiguityHint(v: unknown): string {
  const presets = `${attributeName('preset')} (one of ${CAPTURE_PRESET_NAMES.join(', ')})`;
  const first = Array.isArray(v) ? (Array.isArray(v[0]) ? v[0][0] : v[0]) : undefined;
  if (isPlainObject(first) && 'label' in first && 'score' in first) {
    return `these are label-and-score pairs, and the score of the predicted label is not P(positive): set ${attributeName('preset')} "huggingface-text-classification" with ${attributeName('positiveLabel')}`;
  }
  if (Array.isArray(v) && v.every(isScalar)) {
    return `a probability vector of ${v.length} classes (or one value per row): set ${attributeName('probability')} to the positive class (e.g. "[1]"), or ${attributeName('preset')} "probability-vector" for one column per class`;
  }
  if (Array.isArray(v) && v.every(Array.isArray)) {
    return `one vector per row: set ${attributeName('probability')} (e.g. "[*][1]" for P(class 1)), or ${attributeName('preset')} "probability-vector" for one column per class`;
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    const example = keys.includes('probabilities')
      ? '"probabilities[*][1]" for P(class 1), or the preset "probabilities" for one column per class'
      : keys.includes('predictions')
        ? '"predictions[*].score" (Linear Learner: preset "linear-learner"), or "predictions" (presets "predictions", "tensorflow-serving")'
        : `"${keys[0] ?? 'field'}"`;
    return `set ${attributeName('probability')} or ${attributeName('inference')} to a JMESPath expression (e.g. ${example}), or ${presets}`;
  }
  return `set ${attributeName('probability')} or ${attributeName('inference')} (JMESPath), or ${presets}`;
}

function cellOf(v: unknown, file: string, line: number, column: string): Cell {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new ParseError('nested value where a scalar feature is expected', { file, line, column });
}

function metaCell(v: unknown, name: string, file: string, line: number): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  throw new ParseError(`eventMetadata.${name} is not a string`, { file, line });
}

function objectAt(v: unknown, where: string, file: string, line: number): Record<string, unknown> {
  if (!isPlainObject(v)) throw new ParseError(`${where} is not a JSON object`, { file, line });
  return v;
}
