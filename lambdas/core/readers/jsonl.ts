/**
 * JSON Lines reader: one object per line, columns from the first object's keys. Also opens
 * SageMaker data-capture files, which are JSON Lines too (see ./capture).
 */
import { InputError, ParseError } from '../../../vocabulary/errors';
import { BatchBuilder } from './batcher';
import { CAPTURE_META_COLUMNS, captureColumns, captureRows, isCaptureRecord, type CaptureLayout } from './capture';
import type { FileReadOptions, FileTable } from './file-table';
import type { InputFile } from './sources';
import { textChunks, textLines, type TextLine } from './text';
import type { CaptureWindow, Cell } from './types';

/** Where a capture row holds `inferenceTime`. */
const CAPTURE_TIME_INDEX = CAPTURE_META_COLUMNS.indexOf('inferenceTime');

/** Whether a capture record's inferenceTime is inside the window. @throws ParseError when it has none */
function inWindow(time: Cell | undefined, window: CaptureWindow, file: string, line: number): boolean {
  const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ParseError(`eventMetadata.inferenceTime ${JSON.stringify(time ?? null)} is not an ISO 8601 time: the record cannot be placed in the monitor window`, { file, line });
  }
  return ms >= window.start && ms < window.end;
}

/** How to read a JSON Lines file: plain, data capture, or data capture if the first record is one. */
export type JsonLinesMode = 'jsonl' | 'capture' | 'auto';

/**
 * Opens a JSON Lines or data-capture file and reads its first record.
 *
 * @throws InputError when the file holds no record; ParseError for a bad first line.
 */
export async function openJsonLines(input: InputFile, opts: FileReadOptions, mode: JsonLinesMode): Promise<FileTable> {
  const file = input.name;
  const lines = textLines(textChunks(file, input.bytes()));
  let first: { line: TextLine; value: unknown } | undefined;
  try {
    for (let r = await lines.next(); !r.done; r = await lines.next()) {
      if (isBlank(r.value.text)) continue;
      first = { line: r.value, value: parseLine(r.value, file) };
      break;
    }
  } catch (err) {
    await lines.return(undefined);
    throw err;
  }
  if (!first) throw new InputError('empty file: no JSON record', { file });

  const capture = mode === 'capture' || (mode === 'auto' && isCaptureRecord(first.value));
  if (capture) {
    const layout = captureColumns(first.value, file, first.line.line, opts.captureFeatureNames, opts.capturePlan);
    return captureTable(file, lines, first, layout, opts.batchSize, opts.captureWindow);
  }
  const columns = objectKeys(first.value, file, first.line.line);
  return plainTable(file, lines, first, columns, opts.batchSize);
}

function plainTable(
  file: string,
  lines: AsyncGenerator<TextLine>,
  first: { line: TextLine; value: unknown },
  columns: string[],
  batchSize: number,
): FileTable {
  const index = new Map(columns.map((c, i) => [c, i]));
  const toRow = (value: unknown, line: number): Cell[] => {
    const obj = asObject(value, file, line);
    const row: Cell[] = new Array(columns.length).fill(null);
    for (const key in obj) {
      const i = index.get(key);
      if (i === undefined) throw new ParseError('key not in the first record', { file, line, column: key });
      row[i] = scalar(obj[key], file, line, key);
    }
    return row;
  };
  return {
    file,
    columns,
    close: async () => {
      await lines.return(undefined);
    },
    async *batches() {
      const batch = new BatchBuilder(file, batchSize);
      try {
        batch.push(toRow(first.value, first.line.line), first.line.line);
        for await (const l of lines) {
          if (isBlank(l.text)) continue;
          batch.push(toRow(parseLine(l, file), l.line), l.line);
          if (batch.full) yield batch.take();
        }
        if (!batch.empty) yield batch.take();
      } finally {
        await lines.return(undefined);
      }
    },
  };
}

function captureTable(
  file: string,
  lines: AsyncGenerator<TextLine>,
  first: { line: TextLine; value: unknown },
  layout: CaptureLayout,
  batchSize: number,
  window: CaptureWindow | undefined,
): FileTable {
  return {
    file,
    columns: layout.columns,
    metaColumns: CAPTURE_META_COLUMNS,
    close: async () => {
      await lines.return(undefined);
    },
    async *batches() {
      const batch = new BatchBuilder(file, batchSize);
      const add = (value: unknown, line: number) => {
        const rows = captureRows(value, layout, file, line);
        if (window && !inWindow(rows[0]?.[CAPTURE_TIME_INDEX], window, file, line)) return;
        for (const row of rows) batch.push(row, line);
      };
      try {
        add(first.value, first.line.line);
        if (batch.full) yield batch.take();
        for await (const l of lines) {
          if (isBlank(l.text)) continue;
          add(parseLine(l, file), l.line);
          if (batch.full) yield batch.take();
        }
        if (!batch.empty) yield batch.take();
      } finally {
        await lines.return(undefined);
      }
    },
  };
}

function isBlank(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}

function parseLine(l: TextLine, file: string): unknown {
  try {
    return JSON.parse(l.text);
  } catch (err) {
    throw new ParseError(`not valid JSON (${(err as Error).message})`, { file, line: l.line }, { cause: err });
  }
}

/** A JSON value as an object, or a ParseError naming the line. */
export function asObject(value: unknown, file: string, line: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ParseError(`expected a JSON object, got ${describe(value)}`, { file, line });
  }
  return value as Record<string, unknown>;
}

function objectKeys(value: unknown, file: string, line: number): string[] {
  const obj = asObject(value, file, line);
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new ParseError('the first record has no keys', { file, line });
  return keys;
}

/** A JSON value as a cell; a nested object or array is a ParseError naming the column. */
export function scalar(value: unknown, file: string, line: number, column: string): Cell {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw new ParseError(`nested value (${describe(value)}) where a scalar is expected`, { file, line, column });
}

/** Names a JSON value's kind for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
