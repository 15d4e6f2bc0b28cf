/**
 * Turns a file's bytes into text: gunzips when the name ends in `.gz` or the bytes start with
 * the gzip magic number, decodes UTF-8 and drops a leading byte-order mark. Streaming: holds
 * one chunk at a time.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { ParseError } from '../../../vocabulary/errors';
import { hasGzipSuffix, startsWithGzipMagic } from './detect';

/** Largest piece of text yielded at once (whole lines, so a longer line is one longer piece). */
const TEXT_PIECE_BYTES = 1 << 16;

/** Output chunk size of the gunzip stream. */
const GUNZIP_CHUNK_BYTES = 1 << 18;

/** Options of {@link textChunks}. */
export interface TextChunkOptions {
  /**
   * The bytes are a part of a plain text file that starts at a line start (not at the
   * file's start): never gunzipped, and a leading U+FEFF is kept. @default false
   */
  readonly part?: boolean;
}

/**
 * Yields a file's text in chunks.
 *
 * @throws ParseError "truncated or corrupt gzip" from the iterator, before it completes, when
 *   the compressed stream is cut short or damaged.
 */
export async function* textChunks(
  file: string,
  bytes: AsyncIterable<Uint8Array>,
  options: TextChunkOptions = {},
): AsyncGenerator<string> {
  const source = bytes[Symbol.asyncIterator]();
  const first = await source.next();
  if (first.done) return;
  const head = first.value;
  const decoder = new StringDecoder('utf8');
  let atStart = options.part !== true;
  // Bytes after the last line feed, held back so that every piece of text ends at a line
  // end: the line splitters then never join a partial line to the next piece and work on
  // flat strings. Pieces are at most TEXT_PIECE_BYTES (but whole lines), small enough for
  // V8's young generation, so they die young instead of piling up in the old one.
  let held: Buffer | null = null;
  const text = (piece: Buffer): string => {
    let t = decoder.write(piece);
    if (atStart && t.length > 0) {
      atStart = false;
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    }
    return t;
  };
  const decode = (bytes: Uint8Array): string[] => {
    const chunk = bytes as Buffer;
    const out: string[] = [];
    const last = chunk.lastIndexOf(10);
    if (last === -1) {
      held = held === null ? Buffer.from(chunk) : Buffer.concat([held, chunk]);
      return out;
    }
    let start = 0;
    if (held !== null) {
      const first = chunk.indexOf(10);
      out.push(text(Buffer.concat([held, chunk.subarray(0, first + 1)])));
      held = null;
      start = first + 1;
    }
    while (start <= last) {
      let stop = start + TEXT_PIECE_BYTES > last ? last + 1 : chunk.lastIndexOf(10, start + TEXT_PIECE_BYTES - 1) + 1;
      if (stop <= start) stop = chunk.indexOf(10, start) + 1;
      out.push(text(chunk.subarray(start, stop)));
      start = stop;
    }
    if (last + 1 < chunk.length) held = Buffer.from(chunk.subarray(last + 1));
    return out;
  };
  /** The held-back bytes and the decoder's rest, at the end of the input. */
  const finish = (): string => {
    let text = held === null ? '' : decoder.write(held);
    held = null;
    text += decoder.end();
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };

  if (options.part === true || (!hasGzipSuffix(file) && !startsWithGzipMagic(head))) {
    for (const t of decode(Buffer.from(head.buffer, head.byteOffset, head.byteLength))) if (t) yield t;
    for (let r = await source.next(); !r.done; r = await source.next()) {
      for (const t of decode(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength))) if (t) yield t;
    }
    const tail = finish();
    if (tail) yield tail;
    return;
  }

  const compressed = Readable.from(prepend(head, source), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  compressed.on('error', (err) => gunzip.destroy(err));
  compressed.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      for (const t of decode(chunk)) if (t) yield t;
    }
  } catch (err) {
    if (isZlibError(err)) {
      throw new ParseError(`truncated or corrupt gzip (${(err as Error).message})`, { file }, { cause: err });
    }
    throw err;
  } finally {
    compressed.destroy();
    gunzip.destroy();
  }
  const tail = finish();
  if (tail) yield tail;
}

async function* prepend(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** One physical line of text, without its line terminator. */
export interface TextLine {
  readonly text: string;
  /** 1-based line number. */
  readonly line: number;
}

/** Splits streamed text into lines (`\n` or `\r\n`), numbering them from 1. */
export async function* textLines(chunks: AsyncIterable<string>): AsyncGenerator<TextLine> {
  let rest = '';
  let line = 0;
  for await (const chunk of chunks) {
    const buf = rest + chunk;
    let pos = 0;
    for (let nl = buf.indexOf('\n', pos); nl !== -1; nl = buf.indexOf('\n', pos)) {
      const end = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { text: buf.slice(pos, end), line: ++line };
      pos = nl + 1;
    }
    rest = buf.slice(pos);
  }
  if (rest) yield { text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: ++line };
}
