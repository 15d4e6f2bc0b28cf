/**
 * Planning a fan-out: whether a set of objects is read by one invocation or shared out
 * among children, and which bytes each child reads.
 *
 * Generic over what the bytes hold: the monitor plans a window's capture with it, and
 * any step that reads many line-oriented objects can plan its reads the same way.
 *
 * Invariants of {@link packShards}:
 * - every byte of every non-empty object lies in exactly one piece, pieces of one object
 *   are contiguous and in order, and objects keep their listed order across shards;
 * - a shard names at most `shardBytes` bytes unless it holds one object that cannot be
 *   split (gzipped or Parquet), alone, and at most `maxPiecesPerShard` pieces;
 * - an object is split only when it is larger than `shardBytes`, into the fewest equal
 *   byte ranges that each fit; a child aligns a range to lines as it reads it
 *   (readers/s3-range.ts): a line belongs to the range that holds its first byte.
 */
import { InputError } from '../../../vocabulary/errors';

/** An object to read. */
export interface SizedObject {
  readonly uri: string;
  readonly size: number;
}

/** A byte range `[start, end)` of one object (the whole object when start = 0 and end = size). */
export interface ShardPiece {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
  /** The object's whole size. */
  readonly size: number;
}

/** What one child reads. */
export interface Shard {
  /** Position of the shard in the plan, from 0 (its name in messages). */
  readonly index: number;
  /** Bytes its pieces name. */
  readonly bytes: number;
  readonly pieces: readonly ShardPiece[];
}

/** Options of {@link packShards}. */
export interface PackOptions {
  /** Most bytes one shard names. */
  readonly shardBytes: number;
  /**
   * Most pieces in one shard: a shard travels as a Distributed Map item, and an item is
   * a child execution's input (at most 256 KiB). @default 1000
   */
  readonly maxPiecesPerShard?: number;
  /** Whether an object may be split into byte ranges. @default every object but a gzipped (`.gz`) or Parquet one */
  readonly splittable?: (object: SizedObject) => boolean;
}

/** Default most pieces per shard: about 200 bytes of JSON each, well under an item's 256 KiB. */
export const DEFAULT_MAX_PIECES_PER_SHARD = 1000;

/** How a set of objects is read. */
export type ReadDecision = 'single' | 'fanOut';

/** `fanOut` when the objects total more than `fanOutBytes`, else `single`. */
export function decideFanOut(totalBytes: number, fanOutBytes: number): ReadDecision {
  return totalBytes > fanOutBytes ? 'fanOut' : 'single';
}

const lineSplittable = (o: SizedObject) => !/\.(gz|parquet)$/i.test(o.uri);

/**
 * Packs `objects` (in their order) into shards; see the module documentation. Empty
 * objects are left out: they hold nothing to read.
 *
 * @throws InputError when shardBytes or maxPiecesPerShard is not a positive integer, or an object's size is not a whole number of bytes
 */
export function packShards(objects: readonly SizedObject[], options: PackOptions): Shard[] {
  const { shardBytes } = options;
  const maxPieces = options.maxPiecesPerShard ?? DEFAULT_MAX_PIECES_PER_SHARD;
  if (!Number.isInteger(shardBytes) || shardBytes < 1) throw new InputError(`expected shardBytes a positive integer, got ${shardBytes}`);
  if (!Number.isInteger(maxPieces) || maxPieces < 1) throw new InputError(`expected maxPiecesPerShard a positive integer, got ${maxPieces}`);
  const splittable = options.splittable ?? lineSplittable;
  const shards: Shard[] = [];
  let pieces: ShardPiece[] = [];
  let bytes = 0;
  const close = () => {
    if (pieces.length > 0) shards.push({ index: shards.length, bytes, pieces });
    pieces = [];
    bytes = 0;
  };
  const add = (piece: ShardPiece) => {
    const n = piece.end - piece.start;
    if (pieces.length >= maxPieces || (pieces.length > 0 && bytes + n > shardBytes)) close();
    pieces.push(piece);
    bytes += n;
  };
  for (const o of objects) {
    if (!Number.isInteger(o.size) || o.size < 0) throw new InputError(`expected a size in whole bytes, got ${o.size}`, { file: o.uri });
    if (o.size === 0) continue;
    if (o.size <= shardBytes || !splittable(o)) {
      add({ uri: o.uri, start: 0, end: o.size, size: o.size });
      continue;
    }
    const parts = Math.ceil(o.size / shardBytes);
    const step = Math.ceil(o.size / parts);
    for (let start = 0; start < o.size; start += step) add({ uri: o.uri, start, end: Math.min(o.size, start + step), size: o.size });
  }
  close();
  return shards;
}
