/**
 * Splits CSV text into records, one pass, incrementally.
 *
 * Fast path: a line with no quote character is a whole record, split on commas. Lines with
 * quotes are gathered (a quoted field may span lines: a record ends at a line end where the
 * count of quote characters so far is even) and handed to csv-parse, so quoted content has
 * exactly csv-parse's semantics. Records end at `\n` or `\r\n`; empty lines are skipped; an
 * empty field becomes null. Pure: no I/O.
 */
import { parse, type Options as CsvParseOptions } from 'csv-parse/sync';
import { ParseError } from '../../../vocabulary/errors';
import type { Cell } from './types';

/** The csv-parse options whose semantics the fast path reproduces. */
export const CSV_PARSE_OPTIONS: Readonly<CsvParseOptions> = {
  delimiter: ',',
  quote: '"',
  record_delimiter: ['\r\n', '\n'],
  skip_empty_lines: true,
  relax_column_count: true,
};

/** Longest quoted record (in characters) gathered before giving up on finding its end. */
export const MAX_QUOTED_RECORD_CHARS = 8 << 20;

/** Quoted records gathered before they are parsed together. */
const QUOTED_BLOCK_RECORDS = 256;

/** Where records go: the reader's current batch. */
export interface RecordSink {
  push(row: Cell[], line: number): void;
  readonly full: boolean;
  /**
   * When present, takes a quote-free record as `text[start..end)` instead of `push`, and
   * returns its field count (checked against `width` by the splitter). @default absent
   */
  pushText?(text: string, start: number, end: number, line: number): number;
}

/** Incremental CSV record splitter; feed text, take records, then `end()`. */
export class CsvRecordSplitter {
  /** Field count every record must have; undefined until set (the header has none). */
  public width: number | undefined;
  private buf = '';
  private pos = 0;
  private lineNo = 0;
  /** Raw text of quoted records awaiting csv-parse, and the line each starts at. */
  private block = '';
  private blockLines: number[] = [];
  /** Whether the last record in `block` is still inside a quoted field. */
  private open = false;
  /** Records parsed from a block, not yet taken. */
  private ready: { rows: Cell[][]; lines: number[]; next: number } | undefined;
  private ended = false;
  private nextQuote = -1;

  /**
   * @param lineBase lines before the text (the first line fed is line lineBase + 1). @default 0
   */
  public constructor(
    private readonly file: string,
    lineBase = 0,
  ) {
    this.lineNo = lineBase;
  }

  /** The number of the last line split so far (lineBase + lines split). */
  public get lastLine(): number {
    return this.lineNo;
  }

  /** Adds text (any split: lines and quoted fields may span chunks). */
  public feed(text: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.nextQuote = this.buf.indexOf('"');
  }

  /** Marks the end of the text: the last line needs no terminator. */
  public end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.pos < this.buf.length) {
      this.buf += '\n';
      if (this.nextQuote !== -1 && this.nextQuote < this.pos) this.nextQuote = this.buf.indexOf('"', this.pos);
    }
  }

  /**
   * Moves complete records into `sink` until it is full or no complete record is left.
   *
   * @throws ParseError for a record whose field count is not `width`, malformed quoting, or
   *   an unclosed quote at the end of the text.
   */
  public take(sink: RecordSink): void {
    this.drainReady(sink);
    const buf = this.buf;
    const file = this.file;
    let pos = this.pos;
    // Index of the first quote at or after `pos` (-1: none left in buf), kept across lines
    // so that quote-free text is scanned once.
    let quote = this.nextQuote;
    while (!sink.full) {
      if (this.ready) {
        this.drainReady(sink);
        continue;
      }
      const nl = buf.indexOf('\n', pos);
      if (nl === -1) break;
      const end = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (quote !== -1 && quote < pos) quote = buf.indexOf('"', pos);
      const hasQuote = quote !== -1 && quote < end;
      if (!hasQuote && !this.open && this.block) {
        // Emit the gathered quoted records before this line.
        this.flushBlock(false);
        continue;
      }
      const line = ++this.lineNo;
      if (this.open) {
        this.block += buf.slice(pos, nl + 1);
        if (hasQuote && countQuotes(buf, quote, end) % 2 === 1) this.open = false;
        else if (this.block.length > MAX_QUOTED_RECORD_CHARS) this.flushBlock(true);
      } else if (!hasQuote) {
        if (end > pos && sink.pushText !== undefined) {
          const count = sink.pushText(buf, pos, end, line);
          if (this.width !== undefined && count !== this.width) {
            throw new ParseError(`expected ${this.width} fields, found ${count}`, { file, line });
          }
        } else if (end > pos) {
          const fields = buf.slice(pos, end).split(',') as Cell[];
          for (let i = 0; i < fields.length; i++) if (fields[i] === '') fields[i] = null;
          if (this.width !== undefined && fields.length !== this.width) {
            throw new ParseError(`expected ${this.width} fields, found ${fields.length}`, { file, line });
          }
          sink.push(fields, line);
        }
      } else {
        this.block += buf.slice(pos, nl + 1);
        this.blockLines.push(line);
        this.open = countQuotes(buf, quote, end) % 2 === 1;
        if (!this.open && this.blockLines.length >= QUOTED_BLOCK_RECORDS) this.flushBlock(false);
      }
      pos = nl + 1;
    }
    this.pos = pos;
    this.nextQuote = quote;
    if (this.ended && pos >= buf.length && !this.ready && this.block) {
      this.flushBlock(true);
      this.drainReady(sink);
    }
  }

  /** Whether every record has been taken (after `end()`). */
  public get done(): boolean {
    return this.ended && this.pos >= this.buf.length && !this.ready && !this.block;
  }

  private drainReady(sink: RecordSink): void {
    const ready = this.ready;
    if (!ready) return;
    while (!sink.full && ready.next < ready.rows.length) {
      sink.push(ready.rows[ready.next], ready.lines[ready.next]);
      ready.next++;
    }
    if (ready.next >= ready.rows.length) this.ready = undefined;
  }

  /** Parses the gathered quoted records with csv-parse. `final`: no more text will come. */
  private flushBlock(final: boolean): void {
    const text = this.block;
    const lines = this.blockLines;
    const startLine = lines[0];
    this.block = '';
    this.blockLines = [];
    const wasOpen = this.open;
    this.open = false;
    let records: string[][];
    try {
      records = parse(text, CSV_PARSE_OPTIONS) as string[][];
    } catch (err) {
      throw this.quotingError(err, startLine, lines[lines.length - 1]);
    }
    if (wasOpen) {
      // csv-parse accepted text we believe ends inside a quote: only possible if cut at the cap.
      throw new ParseError(
        final ? 'unclosed quoted field' : `quoted record longer than ${MAX_QUOTED_RECORD_CHARS} characters`,
        { file: this.file, line: lines[lines.length - 1] },
      );
    }
    if (records.length !== lines.length) {
      throw new ParseError('malformed quoting', { file: this.file, line: startLine });
    }
    const rows: Cell[][] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
      const fields = records[r] as Cell[];
      for (let i = 0; i < fields.length; i++) if (fields[i] === '') fields[i] = null;
      if (this.width !== undefined && fields.length !== this.width) {
        throw new ParseError(`expected ${this.width} fields, found ${fields.length}`, { file: this.file, line: lines[r] });
      }
      rows[r] = fields;
    }
    this.ready = { rows, lines, next: 0 };
  }

  private quotingError(err: unknown, startLine: number, lastStart: number): ParseError {
    const e = err as { code?: string; lines?: number; message?: string };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new ParseError('unclosed quoted field', { file: this.file, line: lastStart }, { cause: err });
    }
    const line = typeof e.lines === 'number' ? startLine + e.lines - 1 : startLine;
    const what =
      e.code === 'INVALID_OPENING_QUOTE'
        ? 'a quote inside an unquoted field'
        : e.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'a character after a closing quote'
          : (e.message ?? 'unknown error');
    return new ParseError(`malformed quoting: ${what}`, { file: this.file, line }, { cause: err });
  }
}

function countQuotes(s: string, from: number, end: number): number {
  let n = 0;
  for (let i = s.indexOf('"', from); i !== -1 && i < end; i = s.indexOf('"', i + 1)) n++;
  return n;
}
