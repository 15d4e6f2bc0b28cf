/**
 * Column batches: the columnar form of a table's rows, for consumers that read a few
 * columns of every row (profiles, drift). A consumer asks, per column and per batch,
 * for one of three kinds:
 *
 * - `number`: the cells parsed with `parseNumber` into a Float64Array; every cell that
 *   is not a finite number (missing, text, `NaN`, a boolean) is listed as an exception
 *   with its row and the cell as a row reader would give it;
 * - `category`: each cell interned to a code into a dictionary of its text (`String(cell)`),
 *   -1 for a missing cell (`null`, `''`, absent);
 * - `cell`: the cells as a row reader would give them.
 *
 * The CSV reader fills these from its text without making a string per cell; other
 * readers' rows are converted by {@link ColumnBatchBuilder.push}.
 *
 * One unit, over 400 lines, on purpose: the builder's byte and text scanners are the
 * innermost loop of every columnar pass and write straight into the batch's reused
 * arrays and the interner's tables; kept in one module they share those private
 * buffers without accessors or calls across modules, and the per-row bookkeeping
 * (length, lines, exceptions) is updated in one place.
 */
import { parseNumber } from './parse-number';
import type { Cell } from '../../../vocabulary/cell';

/** What a consumer wants of one column. */
export const COLUMN_KINDS = {
  /** Parsed numbers, with the cells that are not finite numbers as exceptions. */
  number: 'number',
  /** Interned codes into a dictionary of category texts. */
  category: 'category',
  /** The cells as they are. */
  cell: 'cell',
} as const;

/** `'number' | 'category' | 'cell'`. */
export type ColumnKind = (typeof COLUMN_KINDS)[keyof typeof COLUMN_KINDS];

/**
 * Which columns to read and how. `kinds` is read again before each batch is filled, so a
 * consumer may change a column's kind between batches (e.g. a column that turned out
 * categorical).
 */
export interface ColumnPlan {
  /** Indexes into the table's columns, each at most once. */
  readonly columns: readonly number[];
  /** One kind per entry of `columns`. */
  readonly kinds: ColumnKind[];
}

/** A column of numbers. */
export interface NumberColumn {
  readonly kind: 'number';
  /** values[r] is row r's number (undefined content at exception rows). */
  readonly values: Float64Array;
  /** Ascending rows whose cell is not a finite number. */
  readonly exceptionRows: readonly number[];
  /** Those rows' cells (null or undefined when missing). */
  readonly exceptionCells: readonly Cell[];
}

/** A column of interned categories. */
export interface CategoryColumn {
  readonly kind: 'category';
  /** codes[r] indexes `names`; -1 when row r's cell is missing. */
  readonly codes: Int32Array;
  /** The dictionary (grows over the batches of one file; codes stay valid). */
  readonly names: readonly string[];
}

/** A column of plain cells. */
export interface CellColumn {
  readonly kind: 'cell';
  readonly cells: readonly Cell[];
}

/** One column of a {@link ColumnBatch}. */
export type ColumnData = NumberColumn | CategoryColumn | CellColumn;

/**
 * A batch of rows in columnar form. Its arrays are reused for the next batch: consume a
 * batch before asking for the next one.
 */
export interface ColumnBatch {
  /** Rows in the batch. */
  readonly length: number;
  /** Where each row came from (1-based line, or 0-based Parquet row), as in `RowBatch.lines`. */
  readonly lines: Float64Array;
  /** The file these rows came from. */
  readonly file: string;
  /** One entry per `plan.columns`, of the kind the plan asked for (see {@link ColumnBatchBuilder}). */
  readonly columns: readonly ColumnData[];
}

/** Distinct categories interned per column; beyond, the column is given as cells. */
export const MAX_INTERNED_CATEGORIES = 1 << 16;

const SKIP = 0;
const NUMBER = 1;
const CATEGORY = 2;
const CELL = 3;
const KIND_CODE: Record<ColumnKind, number> = { number: NUMBER, category: CATEGORY, cell: CELL };

/** POW10[i] = 10^i, exact for i <= 22. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Whether a Uint16Array reads UTF-16LE bytes as the code units they encode. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Interns texts, keyed by their characters, without making a string for a text already seen. */
export class Interner {
  /** Code -> text. */
  public readonly names: string[] = [];
  private hashes: Int32Array = new Int32Array(0);
  /** Open-addressing slots: code + 1, 0 when empty. */
  private slots: Int32Array = new Int32Array(64);

  /** Number of distinct texts. */
  public get size(): number {
    return this.names.length;
  }

  /** Code of `text.slice(start, end)`, whose hash is `hash` (see {@link hashChars}). */
  public internRange(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === 0) return this.insert(text.slice(start, end), hash);
      const code = s - 1;
      if (this.hashes[code] !== hash) continue;
      const name = this.names[code]!;
      if (name.length !== len) continue;
      let k = 0;
      while (k < len && name.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === len) return code;
    }
  }

  /** Code of `text`. */
  public intern(text: string): number {
    return this.internRange(text, 0, text.length, hashChars(text, 0, text.length));
  }

  /** Byte index (see {@link internBytes}): each code's UTF-8 bytes in `arena` at `byteStart[code]`. */
  private byteSlots: Int32Array = new Int32Array(0);
  private byteHashes: Int32Array = new Int32Array(0);
  private byteStart: Int32Array = new Int32Array(0);
  private byteCodes: Int32Array = new Int32Array(0);
  private arena: Uint8Array = new Uint8Array(0);
  private arenaUsed = 0;
  private byteKeys = 0;

  /**
   * Code of the text whose UTF-8 bytes are `bytes[start..end)`, whose hash is `hash` (see
   * {@link hashBytes}), without decoding bytes already seen. Byte keys are indexed apart
   * from texts; one interner is meant to be fed either texts or bytes.
   */
  public internBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    if (this.byteSlots.length === 0) this.byteSlots = new Int32Array(64);
    const slots = this.byteSlots;
    const mask = slots.length - 1;
    const len = end - start;
    const arena = this.arena;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === 0) return this.insertBytes(bytes, start, end, hash);
      const key = s - 1;
      if (this.byteHashes[key] !== hash) continue;
      const at = this.byteStart[key]!;
      if (this.byteStart[key + 1]! - at !== len) continue;
      let k = 0;
      while (k < len && arena[at + k] === bytes[start + k]) k++;
      if (k === len) return this.byteCodes[key]!;
    }
  }

  private insertBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    const key = this.byteKeys++;
    if (this.byteHashes.length <= key + 1) {
      const size = Math.max(16, 2 * this.byteHashes.length);
      this.byteHashes = grow(this.byteHashes, size);
      this.byteCodes = grow(this.byteCodes, size);
      this.byteStart = grow(this.byteStart, size + 1);
    }
    if (this.arena.length < this.arenaUsed + len) {
      const next = new Uint8Array(Math.max(1024, 2 * (this.arenaUsed + len)));
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.byteStart[key] = this.arenaUsed;
    this.arenaUsed += len;
    this.byteStart[key + 1] = this.arenaUsed;
    this.byteHashes[key] = hash;
    const code = this.names.length;
    this.names.push(UTF8.decode(bytes.subarray(start, end)));
    this.byteCodes[key] = code;
    if (2 * this.byteKeys > this.byteSlots.length) {
      this.byteSlots = new Int32Array(2 * this.byteSlots.length);
      for (let k = 0; k < this.byteKeys; k++) this.placeBytes(k);
    } else this.placeBytes(key);
    return code;
  }

  private placeBytes(key: number): void {
    const slots = this.byteSlots;
    const mask = slots.length - 1;
    let i = this.byteHashes[key]! & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = key + 1;
  }

  private insert(name: string, hash: number): number {
    const code = this.names.length;
    this.names.push(name);
    if (this.hashes.length <= code) {
      const next = new Int32Array(Math.max(16, 2 * this.hashes.length));
      next.set(this.hashes);
      this.hashes = next;
    }
    this.hashes[code] = hash;
    if (2 * this.names.length > this.slots.length) this.rehash();
    else this.place(code);
    return code;
  }

  private place(code: number): void {
    const mask = this.slots.length - 1;
    let i = this.hashes[code]! & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = code + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    for (let c = 0; c < this.names.length; c++) this.place(c);
  }
}

/** A copy of `a` with room for `size` entries. */
function grow(a: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(a.subarray(0, Math.min(a.length, size)));
  return next;
}

/** UTF-8 to text, invalid sequences replaced by U+FFFD (as the text readers decode). */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of the UTF-8 bytes `bytes[start..end)`. */
function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  return UTF8.decode(bytes.subarray(start, end));
}

/** FNV-1a over UTF-16 code units of `text[start..end)`. */
export function hashChars(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
}

/** Fills column batches from CSV text (quote-free lines) or from rows. */
export class ColumnBatchBuilder {
  /** Rows held. */
  public length = 0;
  private readonly lines: Float64Array;
  /** Per table column: SKIP or the kind it is read as in the current batch. */
  private readonly slotKind: Int8Array;
  /** Per table column: its position in the plan, -1 when not read. */
  private readonly slotOf: Int32Array;
  private readonly values: (Float64Array | null)[];
  private readonly exRows: number[][];
  private readonly exCells: Cell[][];
  private readonly codes: (Int32Array | null)[];
  private readonly cells: Cell[][];
  private readonly interners: Interner[];
  private readonly kinds: Int8Array;
  /** Per table column, for the current batch: its number values, codes and interner. */
  private readonly slotValues: (Float64Array | null)[];
  private readonly slotCodes: (Int32Array | null)[];
  private readonly slotInterner: (Interner | null)[];
  /** The text whose UTF-16 code units `units` holds (see `codeUnits`). */
  private unitsText: string | null = null;
  private units: Uint16Array = new Uint16Array(0);
  /** `units`' bytes. */
  private unitBytes: Buffer = Buffer.alloc(0);

  /**
   * @param width number of columns of the table
   * @param plan the columns to fill and their kinds (re-read by {@link begin})
   */
  public constructor(
    private readonly file: string,
    public readonly size: number,
    width: number,
    private readonly plan: ColumnPlan,
  ) {
    this.lines = new Float64Array(size);
    this.slotKind = new Int8Array(width);
    this.slotOf = new Int32Array(width).fill(-1);
    const n = plan.columns.length;
    this.kinds = new Int8Array(n);
    plan.columns.forEach((c, k) => {
      if (!Number.isInteger(c) || c < 0 || c >= width) throw new RangeError(`column index ${c} is outside the table's ${width} columns`);
      if (this.slotOf[c] !== -1) throw new RangeError(`column index ${c} is planned twice`);
      this.slotOf[c] = k;
    });
    this.values = new Array<Float64Array | null>(n).fill(null);
    this.codes = new Array<Int32Array | null>(n).fill(null);
    this.exRows = Array.from({ length: n }, () => []);
    this.exCells = Array.from({ length: n }, () => []);
    this.cells = Array.from({ length: n }, () => []);
    this.interners = Array.from({ length: n }, () => new Interner());
    this.slotValues = new Array<Float64Array | null>(width).fill(null);
    this.slotCodes = new Array<Int32Array | null>(width).fill(null);
    this.slotInterner = new Array<Interner | null>(width).fill(null);
  }

  /** Whether the batch holds `size` rows. */
  public get full(): boolean {
    return this.length >= this.size;
  }

  /** Whether the batch holds no rows. */
  public get empty(): boolean {
    return this.length === 0;
  }

  /** Starts a batch at its first row: reads the plan's kinds, empties the exceptions. */
  private begin(): void {
    const { columns, kinds } = this.plan;
    for (let k = 0; k < columns.length; k++) {
      let kind = KIND_CODE[kinds[k]!];
      if (kind === undefined) throw new RangeError(`unknown column kind ${String(kinds[k])}`);
      if (kind === CATEGORY && this.interners[k]!.size >= MAX_INTERNED_CATEGORIES) kind = CELL;
      this.kinds[k] = kind;
      const j = columns[k]!;
      this.slotKind[j] = kind;
      if (kind === NUMBER) {
        this.slotValues[j] = this.values[k] ??= new Float64Array(this.size);
        this.exRows[k]!.length = 0;
        this.exCells[k]!.length = 0;
      } else if (kind === CATEGORY) {
        this.slotCodes[j] = this.codes[k] ??= new Int32Array(this.size);
        this.slotInterner[j] = this.interners[k]!;
      } else this.cells[k]!.length = 0;
    }
  }

  /** Hands out the batch (valid until the next `take`) and starts the next one. */
  public take(): ColumnBatch {
    const n = this.plan.columns.length;
    const columns: ColumnData[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const kind = this.kinds[k];
      if (kind === NUMBER) {
        columns[k] = { kind: 'number', values: this.values[k]!, exceptionRows: this.exRows[k]!, exceptionCells: this.exCells[k]! };
      } else if (kind === CATEGORY) {
        columns[k] = { kind: 'category', codes: this.codes[k]!, names: this.interners[k]!.names };
      } else {
        // Cells are handed out as they are; the next batch gets a fresh array.
        columns[k] = { kind: 'cell', cells: this.cells[k]! };
        this.cells[k] = [];
      }
    }
    const batch: ColumnBatch = { length: this.length, lines: this.lines, file: this.file, columns };
    this.length = 0;
    return batch;
  }

  /** Adds one row of cells (a row reader's row, or a quoted CSV record). */
  public push(row: readonly Cell[], line: number): void {
    if (this.length === 0) this.begin();
    const r = this.length++;
    this.lines[r] = line;
    const { columns } = this.plan;
    for (let k = 0; k < columns.length; k++) {
      const cell = row[columns[k]!];
      this.putCell(k, r, cell);
    }
  }

  private putCell(k: number, r: number, cell: Cell | undefined): void {
    const kind = this.kinds[k];
    if (kind === NUMBER) {
      let x = NaN;
      if (typeof cell === 'number') x = cell;
      else if (typeof cell === 'string') x = parseNumber(cell);
      if (x - x === 0) this.values[k]![r] = x;
      else {
        this.exRows[k]!.push(r);
        this.exCells[k]!.push(cell as Cell);
      }
    } else if (kind === CATEGORY) {
      this.codes[k]![r] = cell === null || cell === undefined || cell === '' ? -1 : this.interners[k]!.intern(typeof cell === 'string' ? cell : String(cell));
    } else this.cells[k]!.push(cell as Cell);
  }

  /**
   * Adds the quote-free CSV record `text[start..end)` (no line terminator) and returns its
   * field count; the caller checks it against the header's width (a record of another
   * width leaves this batch unusable).
   */
  public pushText(text: string, start: number, end: number, line: number): number {
    if (this.length === 0) this.begin();
    const r = this.length++;
    this.lines[r] = line;
    // The text's code units in a typed array: reading them is cheaper than charCodeAt.
    const u = text === this.unitsText ? this.units : this.codeUnits(text);
    const slotKind = this.slotKind;
    const slotValues = this.slotValues;
    const slotCodes = this.slotCodes;
    const width = slotKind.length;
    let p = start;
    let j = 0;
    for (;; j++) {
      const kind = j < width ? slotKind[j]! : SKIP;
      let q: number;
      if (kind === NUMBER) {
        // Inline parseNumber fast path: [-]digits[.digits], 1..15 digits. The digits are
        // read up to the first other unit, `end` or not (units[text.length] is 0); a field
        // that does not end at a comma before `end`, or at `end`, takes the slow path.
        let i = p;
        let c = u[i]!;
        const neg = c === 45;
        if (neg) c = u[++i]!;
        const first = i;
        let m = 0;
        while (c >= 48 && c <= 57) {
          m = m * 10 + (c - 48);
          c = u[++i]!;
        }
        let digits = i - first;
        let fd = 0;
        if (c === 46) {
          const dot = i;
          c = u[++i]!;
          while (c >= 48 && c <= 57) {
            m = m * 10 + (c - 48);
            c = u[++i]!;
          }
          fd = i - dot - 1;
          digits += fd;
        }
        if ((i === end || (c === 44 && i < end)) && digits > 0 && digits <= 15) {
          // m < 10^15 < 2^53, every step exact (= int * 10^fd + frac, as parseNumber):
          // one correctly rounded division
          const v = fd === 0 ? m : m / POW10[fd]!;
          slotValues[j]![r] = neg ? -v : v;
          q = i;
        } else {
          q = fieldEnd(text, Math.min(i, end), end);
          const k = this.slotOf[j]!;
          if (q === p) {
            this.exRows[k]!.push(r);
            this.exCells[k]!.push(null);
          } else {
            const s = text.slice(p, q);
            const x = parseNumber(s);
            if (x === x) slotValues[j]![r] = x;
            else {
              this.exRows[k]!.push(r);
              this.exCells[k]!.push(s);
            }
          }
        }
      } else if (kind === CATEGORY) {
        let h = 0x811c9dc5 | 0;
        let i = p;
        for (; i < end; i++) {
          const c = u[i]!;
          if (c === 44) break;
          h = Math.imul(h ^ c, 16777619);
        }
        q = i;
        slotCodes[j]![r] = q === p ? -1 : this.slotInterner[j]!.internRange(text, p, q, h);
      } else {
        q = fieldEnd(text, p, end);
        if (kind === CELL) this.cells[this.slotOf[j]!]!.push(q === p ? null : text.slice(p, q));
      }
      if (q >= end) break;
      p = q + 1;
    }
    const fields = j + 1;
    // A short record: the missing columns read as absent cells (the caller rejects it anyway).
    for (let jj = fields; jj < width; jj++) {
      const k = this.slotOf[jj]!;
      if (k !== -1) this.putCell(k, r, undefined);
    }
    return fields;
  }

  /**
   * Adds the quote-free CSV record whose UTF-8 bytes are `bytes[start..end)` (no line
   * terminator) and returns its field count, as {@link pushText} does for its text; the
   * same cells, numbers and categories result. `bytes[end]` must exist (the line's
   * terminator): it ends the last field's digits.
   */
  public pushBytes(bytes: Uint8Array, start: number, end: number, line: number): number {
    if (this.length === 0) this.begin();
    const r = this.length++;
    this.lines[r] = line;
    const slotKind = this.slotKind;
    const slotValues = this.slotValues;
    const slotCodes = this.slotCodes;
    const width = slotKind.length;
    let p = start;
    let j = 0;
    for (;; j++) {
      const kind = j < width ? slotKind[j]! : SKIP;
      let q: number;
      if (kind === NUMBER) {
        // As in pushText: [-]digits[.digits], 1..15 digits, else the slow path.
        let i = p;
        let c = bytes[i]!;
        const neg = c === 45;
        if (neg) c = bytes[++i]!;
        const first = i;
        let m = 0;
        while (c >= 48 && c <= 57) {
          m = m * 10 + (c - 48);
          c = bytes[++i]!;
        }
        let digits = i - first;
        let fd = 0;
        if (c === 46) {
          const dot = i;
          c = bytes[++i]!;
          while (c >= 48 && c <= 57) {
            m = m * 10 + (c - 48);
            c = bytes[++i]!;
          }
          fd = i - dot - 1;
          digits += fd;
        }
        if ((i === end || (c === 44 && i < end)) && digits > 0 && digits <= 15) {
          const v = fd === 0 ? m : m / POW10[fd]!;
          slotValues[j]![r] = neg ? -v : v;
          q = i;
        } else {
          q = byteFieldEnd(bytes, Math.min(i, end), end);
          const k = this.slotOf[j]!;
          if (q === p) {
            this.exRows[k]!.push(r);
            this.exCells[k]!.push(null);
          } else {
            const s = decodeBytes(bytes, p, q);
            const x = parseNumber(s);
            if (x === x) slotValues[j]![r] = x;
            else {
              this.exRows[k]!.push(r);
              this.exCells[k]!.push(s);
            }
          }
        }
      } else if (kind === CATEGORY) {
        let h = 0x811c9dc5 | 0;
        let i = p;
        for (; i < end; i++) {
          const c = bytes[i]!;
          if (c === 44) break;
          h = Math.imul(h ^ c, 16777619);
        }
        q = i;
        slotCodes[j]![r] = q === p ? -1 : this.slotInterner[j]!.internBytes(bytes, p, q, h);
      } else {
        q = byteFieldEnd(bytes, p, end);
        if (kind === CELL) this.cells[this.slotOf[j]!]!.push(q === p ? null : decodeBytes(bytes, p, q));
      }
      if (q >= end) break;
      p = q + 1;
    }
    const fields = j + 1;
    for (let jj = fields; jj < width; jj++) {
      const k = this.slotOf[jj]!;
      if (k !== -1) this.putCell(k, r, undefined);
    }
    return fields;
  }

  /**
   * The UTF-16 code units of `text`, in a buffer reused for the next text (a view valid
   * until then); remembers the text they belong to.
   */
  private codeUnits(text: string): Uint16Array {
    const n = text.length;
    if (this.units.length < n + 1) {
      const buffer = new ArrayBuffer(2 * Math.max(n + 1, 2 * this.units.length, 1024));
      this.units = new Uint16Array(buffer);
      this.unitBytes = Buffer.from(buffer);
    }
    const units = this.units;
    if (LITTLE_ENDIAN) this.unitBytes.write(text, 0, 2 * n, 'utf16le');
    else for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
    units[n] = 0; // ends every run of digits
    this.unitsText = text;
    return units;
  }
}

/** Index of the comma ending the field of `bytes` that contains `from`, or `end`. */
function byteFieldEnd(bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && bytes[i] !== 44) i++;
  return i;
}

/** Index of the comma ending the field that contains `from`, or `end`. */
function fieldEnd(text: string, from: number, end: number): number {
  const q = text.indexOf(',', from);
  return q === -1 || q > end ? end : q;
}
