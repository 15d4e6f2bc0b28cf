/**
 * Writing rows as CSV lines for SageMaker batch transform with `SplitType: Line`:
 * one record per line, so a line never holds a line break and is never blank.
 */
import { InputError, type InputLocation } from '../../../vocabulary/errors';
import type { Cell } from '../readers/types';

/** A field that must be quoted: a comma, a quote, or white space at either end (kept only inside quotes). */
const NEEDS_QUOTES = /[",]|^\s|\s$/;

/** A line break, which would split one record into two. */
const LINE_BREAK = /[\r\n]/;

/**
 * One cell as a CSV field (RFC 4180): null is the empty field, numbers and booleans
 * are written as JavaScript prints them, and a field with a comma, a quote or white
 * space at either end is quoted with its quotes doubled.
 *
 * @param where the cell's location, named when it cannot be written
 * @throws InputError when the value holds a line break (batch transform would split the record there)
 */
export function csvField(cell: Cell, where: InputLocation): string {
  if (cell === null) return '';
  const text = String(cell);
  if (LINE_BREAK.test(text)) {
    throw new InputError('the value holds a line break, which batch transform (SplitType Line) would split into two records', where);
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row as a CSV line, without the line terminator. A row of one empty field is
 * written `""` so that the line is not blank (blank lines are not records).
 *
 * @param where the location of each cell, by its index in `cells`
 */
export function csvLine(cells: readonly Cell[], where: (index: number) => InputLocation): string {
  const fields = cells.map((cell, i) => csvField(cell, where(i)));
  return fields.length === 1 && fields[0] === '' ? '""' : fields.join(',');
}
