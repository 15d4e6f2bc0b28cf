/**
 * Capture attributes: where a data-capture record's features and prediction are, with
 * the meaning SageMaker Model Monitor gives `FeaturesAttribute`, `InferenceAttribute`,
 * `ProbabilityAttribute` and `ProbabilityThresholdAttribute` (EndpointInput /
 * BatchTransformInput of CreateModelQualityJobDefinition).
 *
 * An attribute is either a JMESPath expression, evaluated on a JSON payload (with the
 * maintained Powertools implementation), or, for a CSV payload, a 0-based column index or
 * a comma-separated list of indexes (`"0"`, `"1,2,3"`). A bare number is not a JMESPath
 * expression, so the two forms never overlap; using one form on the other kind of payload
 * is an error naming the attribute.
 *
 * Nothing here guesses: a selection that does not have one of the shapes documented on
 * {@link selectOutput} is a ParseError naming file, line, the shape seen and what to set.
 */
import { search } from '@aws-lambda-powertools/jmespath';
import { InputError, ParseError } from './errors';
import type { Cell } from './cell';

/** The attributes, as the config's `capture` block and the CLI flags give them. */
export interface CaptureAttributes {
  /** Where the features are in `endpointInput`. @default the whole payload (CSV columns, `instances`, an array or an object of features) */
  readonly features?: string;
  /** Where the predicted label or value is in `endpointOutput`. @default none: only an unambiguous output is read */
  readonly inference?: string;
  /** Where the probability (binary: of the positive class; multiclass: one per class) is in `endpointOutput`. Wins over `inference` for the scores. @default none */
  readonly probability?: string;
  /** The probability from which a binary prediction is positive (hard-label metrics). @default 0.5 */
  readonly probabilityThreshold?: number;
  /** The label whose score is P(positive), for outputs of label-and-score pairs. @default none */
  readonly positiveLabel?: string;
}

/** Names of each attribute in the config and on the CLI, for messages. */
export const ATTRIBUTE_NAMES = {
  features: { config: 'capture.features', flag: '--features-attribute' },
  inference: { config: 'capture.inference', flag: '--inference-attribute' },
  probability: { config: 'capture.probability', flag: '--probability-attribute' },
  probabilityThreshold: { config: 'capture.probabilityThreshold', flag: '--probability-threshold' },
  positiveLabel: { config: 'capture.positiveLabel', flag: '--positive-label' },
  preset: { config: 'capture.preset', flag: '--capture-preset' },
} as const;

/** `capture.x (--x-attribute)`, for messages. */
export function attributeName(key: keyof typeof ATTRIBUTE_NAMES): string {
  const n = ATTRIBUTE_NAMES[key];
  return `${n.config} (${n.flag})`;
}

/** A compiled attribute: CSV column indexes or a JMESPath expression. */
export type Selector =
  | { readonly kind: 'columns'; readonly text: string; readonly indexes: readonly number[] }
  | { readonly kind: 'jmespath'; readonly text: string };

const COLUMN_LIST = /^\s*\d+\s*(,\s*\d+\s*)*$/;

/**
 * Compiles one attribute. A JMESPath expression is parsed now (Powertools caches the
 * parse), so a syntax error surfaces when the config or the flags are read.
 *
 * @throws InputError naming the attribute for an empty or unparsable expression
 */
export function compileSelector(text: string, attribute: keyof typeof ATTRIBUTE_NAMES): Selector {
  if (text.trim() === '') throw new InputError(`${attributeName(attribute)} is empty: expected a JMESPath expression or CSV column indexes`);
  if (COLUMN_LIST.test(text)) return { kind: 'columns', text, indexes: text.split(',').map((s) => Number(s.trim())) };
  try {
    search(text, {});
  } catch (err) {
    throw new InputError(`${attributeName(attribute)} "${text}" is not a JMESPath expression: ${(err as Error).message}`, undefined, { cause: err });
  }
  return { kind: 'jmespath', text };
}

/** Evaluates a JMESPath selector on a JSON value. */
export function evaluateJmesPath(selector: Selector & { kind: 'jmespath' }, value: unknown): unknown {
  return search(selector.text, value as never);
}

/** A short description of a JSON value's shape, for messages: `an object with fields "a", "b"`, `an array of 2 numbers`. */
export function describeShape(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty array';
    const kinds = new Set(v.map(kindOf));
    const kind = kinds.size === 1 ? [...kinds][0]! : 'mixed value';
    const inner = kind === 'object' ? ` (first: ${describeShape(v[0])})` : kind === 'array' ? ` (first: ${describeShape(v[0])})` : '';
    return `an array of ${v.length} ${kind}${v.length === 1 ? '' : 's'}${inner}`;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.length === 0 ? 'an empty object' : `an object with field${keys.length === 1 ? '' : 's'} ${keys.slice(0, 6).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
  }
  return `a ${typeof v} ${JSON.stringify(v)}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** How a selected output value becomes prediction rows. */
export type OutputShape =
  /** A scalar (one row), an array of scalars (one per input row), or an array of arrays (one vector per row). */
  | 'auto'
  /** An array of scalars is one vector (a single-row request); an array of arrays is one vector per row. */
  | 'vector'
  /** `{label, score}` per row, or an array of them per row: P(positive) from `positiveLabel`. */
  | 'labelScore';

/** Where the prediction comes from, compiled. */
export interface OutputPlan {
  readonly selector: Selector;
  /** The attribute it came from, for messages. */
  readonly attribute: 'inference' | 'probability';
  readonly shape: OutputShape;
  readonly positiveLabel?: string;
}

/**
 * Prediction rows from a selected JSON value (one row per input row, or one row for the
 * whole request), each row one value or one vector:
 *
 * - a scalar: one row of one value;
 * - an array of scalars: one value per input row (`auto`), or one vector (`vector`);
 * - an array of arrays of scalars: one vector per input row;
 * - `labelScore`: `{label, score}` per row (P(positive) = score when label is the positive
 *   label, else 1 − score) or an array of such pairs per row (the positive label's score).
 *
 * @throws ParseError for any other shape, naming the attribute and the shape seen
 */
export function selectOutput(value: unknown, plan: OutputPlan, inputRows: number, file: string, line: number): Cell[][] {
  const where = `${attributeName(plan.attribute)} "${plan.selector.text}"`;
  const fail = (what: string): never => {
    throw new ParseError(`${where} selected ${describeShape(value)} from endpointOutput: ${what}`, { file, line });
  };
  if (value === null || value === undefined) fail('nothing there; check the expression against the payload');
  if (plan.shape === 'labelScore') return labelScoreRows(value, plan.positiveLabel, fail);
  if (isScalar(value)) return [[value]];
  if (!Array.isArray(value)) return fail('expected a number, a list of numbers (one per row) or a list of lists (one vector per row)');
  if (value.length === 0) return fail('expected at least one value');
  if (value.every(isScalar)) {
    if (plan.shape === 'vector') return [value as Cell[]];
    if (value.length !== inputRows) {
      fail(
        `${value.length} values for ${inputRows} input row${inputRows === 1 ? '' : 's'}; a list of numbers gives one value per row. ` +
          'For one probability vector per row select a list of lists (e.g. "probabilities"), or for one class select it (e.g. "probabilities[*][1]")',
      );
    }
    return value.map((x) => [x as Cell]);
  }
  if (value.every((r) => Array.isArray(r) && r.length > 0 && r.every(isScalar))) return value as Cell[][];
  return fail(
    value.some(isPlainObject)
      ? 'expected numbers, not objects; select a field of each (e.g. "predictions[*].score")'
      : 'expected a list of numbers or a list of lists of numbers',
  );
}

function labelScoreRows(value: unknown, positiveLabel: string | undefined, fail: (what: string) => never): Cell[][] {
  if (positiveLabel === undefined) fail(`label-and-score pairs need ${attributeName('positiveLabel')}: the label whose probability is P(positive)`);
  const pair = (p: unknown): number => {
    if (!isPlainObject(p) || typeof p.score !== 'number' || !('label' in p)) return fail('expected {"label", "score"} pairs');
    return String(p.label) === positiveLabel ? p.score : 1 - p.score;
  };
  const ofAll = (ps: unknown[]): number => {
    const hit = ps.find((p) => isPlainObject(p) && String(p.label) === positiveLabel);
    if (!isPlainObject(hit) || typeof hit.score !== 'number') {
      const seen = ps.map((p) => (isPlainObject(p) ? JSON.stringify(p.label) : '?')).join(', ');
      return fail(`no score for the positive label ${JSON.stringify(positiveLabel)} among the labels ${seen}`);
    }
    return hit.score;
  };
  if (isPlainObject(value)) return [[pair(value)]];
  if (!Array.isArray(value) || value.length === 0) return fail('expected {"label", "score"} pairs');
  return value.map((row) => [Array.isArray(row) ? ofAll(row) : pair(row)]);
}

/** The cells at `indexes` of each CSV row. */
export function selectColumns(rows: readonly Cell[][], selector: Selector & { kind: 'columns' }, attribute: keyof typeof ATTRIBUTE_NAMES, where: string, file: string, line: number): Cell[][] {
  return rows.map((r) => {
    const out: Cell[] = [];
    for (const i of selector.indexes) {
      if (i >= r.length) {
        throw new ParseError(`${attributeName(attribute)} "${selector.text}" asks for CSV column ${i} of ${where}, which has ${r.length} column${r.length === 1 ? '' : 's'}`, { file, line });
      }
      out.push(r[i]!);
    }
    return out;
  });
}
