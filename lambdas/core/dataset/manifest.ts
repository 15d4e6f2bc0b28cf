/**
 * The dataset manifest: what a retrain's training set and holdout were made of, so any
 * model can be traced to the exact data it saw. It names every object read with its
 * ETag (an object rewritten under the same key has another ETag), the rows taken from
 * history and from production, the rows left out and why, the holdout's time range, and
 * a content hash of the files written (SHA-256 over each file's length and bytes, in
 * the order training then holdout).
 */
import { createHash } from 'node:crypto';
import type { DatasetDrops } from '../../../vocabulary/dataset-contracts';

/** Current manifest version. */
export const MANIFEST_VERSION = 1;

/** One object read. */
export interface ManifestObject {
  /** What it was read as. */
  readonly role: 'history' | 'capture' | 'groundTruth';
  readonly uri: string;
  /** The object's ETag as S3 listed it ('' when the listing gave none). */
  readonly etag: string;
  readonly size: number;
}

/** A file written. */
export interface ManifestFile {
  readonly uri: string;
  readonly rows: number;
  readonly contentType: string;
  readonly columns: readonly string[];
}

/** The manifest. */
export interface DatasetManifest {
  readonly version: number;
  readonly model: string;
  readonly runId: string;
  readonly createdAt: string;
  readonly objects: readonly ManifestObject[];
  readonly rows: {
    readonly history: number;
    /** Labeled production rows kept (training and holdout). */
    readonly production: number;
    readonly training: number;
    readonly holdout: number;
  };
  /** Rows left out, by reason (production rows and history rows). */
  readonly dropped: DatasetDrops;
  readonly holdout: {
    readonly kind: 'recent' | 'fixed';
    /** ISO 8601 inference time of the oldest and newest holdout rows ('' for a fixed holdout). */
    readonly from: string;
    readonly to: string;
    /** The production model's training cut-off the holdout is newer than ('' without one). */
    readonly cutoff: string;
  };
  readonly training: ManifestFile;
  /** The recent holdout written; absent for a fixed holdout. */
  readonly holdoutFile?: ManifestFile;
  /** `sha256:<hex>` of the files written. */
  readonly contentHash: string;
}

/** SHA-256 over each file's byte length (8 bytes, big-endian) and bytes, in order, as `sha256:<hex>`. */
export function contentHash(files: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const bytes of files) {
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.byteLength));
    hash.update(length);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}
