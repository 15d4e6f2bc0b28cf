/**
 * How config problems are worded: issue paths as `models[0].canary.stages[2].percent`,
 * values as they were written, and messages of the form "expected X, got Y".
 */
import type { z } from 'zod';

/** Formats an issue path: identifiers joined with dots, indices in brackets, other keys quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}

/** Shows a value the way it was written in the config, shortened when long. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  return String(value);
}

/**
 * Edit distance between two short strings: insertions, deletions, substitutions and
 * swaps of two adjacent letters each count one (optimal string alignment), so that
 * "drfit" is one edit from "drift".
 */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known word closest to `word` (case-insensitively), when it is close enough to be
 * a likely typo; otherwise undefined.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** ` (did you mean "x"?)` when a close match exists, else the empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  const match = closest(word, known);
  return match ? ` (did you mean ${JSON.stringify(match)}?)` : '';
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

/** Keys of the object schema that raised an `unrecognized_keys` issue, when known. */
function knownKeys(issue: { inst?: unknown }): string[] {
  const def = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

/**
 * The zod error map for config parsing: every message says what was expected and
 * what was found. Fields with a precise expectation set their own message and never
 * reach this map.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `required (expected ${expected})`;
      return `expected ${expected}, got ${showValue(issue.input)}`;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return `expected ${expected}, got ${showValue(issue.input)}${hint}`;
    }
    case 'unrecognized_keys': {
      const known = knownKeys(issue);
      const keys = issue.keys.map((k) => `${JSON.stringify(k)}${didYouMean(k, known)}`);
      const allowed = known.length ? `; allowed: ${known.join(', ')}` : '';
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}${allowed}`;
    }
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `expected at least ${n} item${n === 1 ? '' : 's'}, got ${lengthOf(issue.input)}`;
      }
      if (issue.origin === 'string') {
        return n === 1 ? 'expected a non-empty string' : `expected at least ${n} characters, got ${lengthOf(issue.input)}`;
      }
      return `expected a number ${issue.inclusive ? '>=' : '>'} ${n}, got ${showValue(issue.input)}`;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `expected at most ${n} item${n === 1 ? '' : 's'}, got ${lengthOf(issue.input)}`;
      }
      if (issue.origin === 'string') return `expected at most ${n} characters, got ${lengthOf(issue.input)}`;
      return `expected a number ${issue.inclusive ? '<=' : '<'} ${n}, got ${showValue(issue.input)}`;
    }
    case 'invalid_format':
      return `expected ${issue.format === 'email' ? 'an email address' : `a valid ${issue.format}`}, got ${showValue(issue.input)}`;
    case 'invalid_union':
      return `expected ${issue.note ?? 'a valid value'}, got ${showValue(issue.input)}`;
    default:
      return undefined;
  }
};

function lengthOf(value: unknown): string {
  return typeof value === 'string' || Array.isArray(value) ? String(value.length) : showValue(value);
}

/** Formats zod issues as `path: message`, one string each, in the order found. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}
