/**
 * Turns a file's bytes into text: gunzips when the name ends in `.gz` or the bytes start with
 * the gzip magic number, decodes UTF-8 and drops a leading byte-order mark. Streaming: holds
 * one chunk at a time.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { ParseError } from '../errors';
import { hasGzipSuffix, startsWithGzipMagic } from './detect';

/** Output chunk size of the gunzip stream. */
const GUNZIP_CHUNK_BYTES = 1 << 18;

/**
 * Yields a file's text in chunks.
 *
 * @throws ParseError "truncated or corrupt gzip" from the iterator, before it completes, when
 *   the compressed stream is cut short or damaged.
 */
export async function* textChunks(file: string, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const source = bytes[Symbol.asyncIterator]();
  const first = await source.next();
  if (first.done) return;
  const head = first.value;
  const decoder = new StringDecoder('utf8');
  let atStart = true;
  const decode = (chunk: Uint8Array): string => {
    let text = decoder.write(chunk as Buffer);
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };

  if (!hasGzipSuffix(file) && !startsWithGzipMagic(head)) {
    const text = decode(Buffer.from(head.buffer, head.byteOffset, head.byteLength));
    if (text) yield text;
    for (let r = await source.next(); !r.done; r = await source.next()) {
      const t = decode(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
      if (t) yield t;
    }
    const tail = decoder.end();
    if (tail) yield tail;
    return;
  }

  const compressed = Readable.from(prepend(head, source), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  compressed.on('error', (err) => gunzip.destroy(err));
  compressed.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const t = decode(chunk);
      if (t) yield t;
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
  const tail = decoder.end();
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
