/**
 * Errors of the pitstop data core.
 *
 * Every error a caller may need to tell apart has its own class that sets `name`,
 * keeps `{ cause }` and carries typed fields. The CLI maps `InputError` (and its
 * subclasses) to exit code 2 and prints `error.message` alone, so messages are one
 * line that names the file, the line and the column where they apply.
 */

/** Base class of every pitstop error. */
export class PitstopError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PitstopError';
  }
}

/** Where in an input a problem was found. Every field is optional; give what is known. */
export interface InputLocation {
  /** Local path or `s3://` URI. */
  readonly file?: string;
  /** 1-based physical line number (for CSV, of the line where the record starts). */
  readonly line?: number;
  /** Column name (preferred) or 1-based column index. */
  readonly column?: string | number;
  /** Row index within a Parquet file (0-based). */
  readonly row?: number;
}

/** Formats a location as `file:line, column "x"`. */
export function formatLocation(loc: InputLocation): string {
  const parts: string[] = [];
  let head = loc.file ?? '';
  if (loc.line !== undefined) head += `${head ? ':' : 'line '}${loc.line}`;
  if (head) parts.push(head);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined) {
    parts.push(typeof loc.column === 'number' ? `column ${loc.column}` : `column "${loc.column}"`);
  }
  return parts.join(', ');
}

/** Bad input data or bad usage: the user must fix something. CLI exit code 2. */
export class InputError extends PitstopError {
  public readonly location: InputLocation;
  public constructor(problem: string, location: InputLocation = {}, options?: { cause?: unknown }) {
    const where = formatLocation(location);
    super(where ? `${where}: ${problem}` : problem, options);
    this.name = 'InputError';
    this.location = location;
  }
}

/** The input could not be parsed (malformed CSV, a JSON line that is not JSON, truncated gzip...). */
export class ParseError extends InputError {
  public constructor(problem: string, location: InputLocation = {}, options?: { cause?: unknown }) {
    super(problem, location, options);
    this.name = 'ParseError';
  }
}

/** A value is not of the type its column requires (a non-number in a numeric column, NaN, Infinity). */
export class ValueTypeError extends InputError {
  public constructor(problem: string, location: InputLocation = {}, options?: { cause?: unknown }) {
    super(problem, location, options);
    this.name = 'ValueTypeError';
  }
}

/** Where in a config file one problem lies (1-based), when the config came from a file. */
export interface IssuePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A configuration file or object is invalid; `issues` lists every problem by its path,
 * `positions` (same order) the line and column of each in the file, when known.
 */
export class ConfigError extends InputError {
  public readonly issues: readonly string[];
  public readonly positions: readonly (IssuePosition | undefined)[];
  public constructor(file: string | undefined, issues: readonly string[], positions: readonly (IssuePosition | undefined)[] = []) {
    const lines = issues.map((issue, i) => {
      const at = positions[i];
      return at ? `line ${at.line}, column ${at.column}: ${issue}` : issue;
    });
    super(`invalid config:\n  ${lines.join('\n  ')}`, file ? { file } : {});
    this.name = 'ConfigError';
    this.issues = issues;
    this.positions = positions;
  }
}
