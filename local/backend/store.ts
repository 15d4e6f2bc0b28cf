/**
 * Small file helpers of the local services: JSON files written atomically, JSON-lines
 * logs, and bytes from any body an SDK caller may pass.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Reads a JSON file, or returns `fallback` when it does not exist. */
export function readJsonFile<T>(file: string, fallback: T): T {
  if (!existsSync(file)) return fallback;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/**
 * Writes a file through a temporary file and a rename, so readers never see half of it.
 * @param tmpDir where the temporary file goes (same file system as `file`) @default beside `file`
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, tmpDir?: string): void {
  mkdirSync(dirname(file), { recursive: true });
  if (tmpDir) mkdirSync(tmpDir, { recursive: true });
  const tmp = tmpDir ? join(tmpDir, `${process.pid}.${randomUUID()}.tmp`) : `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Writes a value as pretty JSON, atomically. */
export function writeJsonFile(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Appends one JSON line to a file (created with its directory when missing). */
export function appendJsonLine(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/** Reads a JSON-lines file (missing file: no records; blank lines skipped). */
export function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/**
 * The bytes of a request body: a string (UTF-8), Buffer, Uint8Array, ArrayBuffer,
 * Blob, Node stream or web ReadableStream (anything async-iterable over chunks).
 * @throws TypeError for any other value
 */
export async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<unknown>) {
      chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  }
  throw new TypeError(`expected a string, bytes, Blob or stream body, got ${Object.prototype.toString.call(body)}`);
}
