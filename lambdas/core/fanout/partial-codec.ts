/**
 * The bytes of a partial summary: what a fan-out child writes to S3 and the reduce reads
 * back. Accumulators are classes holding typed arrays, Maps and nested parts; they go
 * through V8's structured-clone serializer (`node:v8` serialize, the format worker
 * threads use between themselves), gzipped, behind a small header naming the format, its
 * version and the Node major version that wrote it. The reduce then gives each part its
 * class back (the caller's `revive`).
 *
 * V8's format may change between Node major versions: the child and the reduce are
 * bundled for the same runtime, and a partial written by another major version is refused
 * with a message saying so rather than misread.
 */
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../../../vocabulary/errors';

/** The header of every partial: a magic word and the version of this layout. */
const MAGIC = 'pitstop-partial/1';

/** Node's major version, written with each partial. */
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Encodes `value` (structured-cloneable: no functions) as partial-summary bytes. */
export function encodePartial(value: object): Uint8Array {
  const header = Buffer.from(`${MAGIC} node${NODE_MAJOR}\n`, 'utf8');
  return Buffer.concat([header, gzipSync(serialize(value), { level: 1 })]);
}

/**
 * Decodes partial-summary bytes read from `file` and hands the clone to `revive`.
 *
 * @throws InputError naming `file` when the bytes are no partial summary, or were written by another Node major version
 */
export function decodePartial<T>(bytes: Uint8Array, file: string, revive: (clone: T) => T): T {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nl = buffer.indexOf(0x0a);
  const header = nl < 0 ? '' : buffer.subarray(0, nl).toString('utf8');
  const match = /^pitstop-partial\/1 node(\d+)$/.exec(header);
  if (!match) throw new InputError(`not a partial summary (expected a "${MAGIC}" header)`, { file });
  if (Number(match[1]) !== NODE_MAJOR) {
    throw new InputError(`partial summary written by Node ${match[1]}, read by Node ${NODE_MAJOR}: V8's serialization differs between major versions`, { file });
  }
  let clone: T;
  try {
    clone = deserialize(gunzipSync(buffer.subarray(nl + 1))) as T;
  } catch (err) {
    throw new InputError(`corrupt partial summary: ${(err as Error).message}`, { file }, { cause: err });
  }
  return revive(clone);
}
