/**
 * What `prepareDataset` reads from S3, listed with each object's ETag for the manifest:
 * the history (an object or every object under a prefix), the capture of the production
 * window (its hour partitions only, runtime/window-data.ts) and the ground truth that
 * arrived from the window's start on.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ManifestObject } from '../core/dataset';
import type { ProblemType } from '../../vocabulary/evaluation-names';
import { openFiles, s3File, type OpenTableOptions, type Table } from '../core/readers';
import { listS3Prefix, s3ObjectHead } from '../core/readers/s3';
import { splitS3Uri } from '../../vocabulary/s3-uri';
import type { WindowObjects } from '../core/readers/window-objects';
import type { TimeRange } from '../core/window';
import { InputError } from '../../vocabulary/errors';
import { readGroundTruthFiles } from '../quality/ground-truth-reader';
import { groundTruthWindowObjects, openCaptureRange } from '../runtime/window-data';

const manifestObjects = (role: ManifestObject['role'], listed: WindowObjects): ManifestObject[] =>
  listed.objects.map((o) => ({ role, uri: o.uri, etag: o.etag ?? '', size: o.size }));

/** The history as a table, with its objects. */
export async function openHistory(s3: S3Client, uri: string): Promise<{ table: Table; objects: ManifestObject[] }> {
  const loc = splitS3Uri(uri);
  let objects: ManifestObject[];
  if (loc.key === '' || loc.key.endsWith('/')) {
    objects = (await listS3Prefix(s3, loc)).map((o) => ({ role: 'history' as const, uri: `s3://${loc.bucket}/${o.key}`, etag: o.etag ?? '', size: o.size }));
    if (objects.length === 0) throw new InputError('no files found', { file: uri });
  } else {
    const head = await s3ObjectHead(s3, loc);
    objects = [{ role: 'history', uri, etag: head.etag, size: head.size }];
  }
  const files = objects.map((o) => {
    const l = splitS3Uri(o.uri);
    return s3File(s3, l.bucket, l.key, o.size);
  });
  return { table: await openFiles(uri, files, { s3 }), objects };
}

/** The capture of `range` and the labels that arrived for it by `now`, with their objects. */
export async function openProduction(
  s3: S3Client,
  options: {
    readonly capturePrefix: string;
    readonly captureLagSeconds: number;
    readonly groundTruthUri: string;
    readonly problemType: ProblemType;
    readonly range: TimeRange;
    readonly now: Date;
    readonly read: Omit<OpenTableOptions, 'format' | 's3' | 'captureWindow'>;
  },
): Promise<{ capture: Table; truth: Map<string, number[]>; objects: ManifestObject[] }> {
  const truthObjects = await groundTruthWindowObjects(s3, options.groundTruthUri, options.range.start, options.now);
  const truth = await readGroundTruthFiles(
    truthObjects.objects.map((o) => {
      const l = splitS3Uri(o.uri);
      return s3File(s3, l.bucket, l.key, o.size);
    }),
    options.problemType,
  );
  const opened = await openCaptureRange(s3, options.capturePrefix, options.range, options.captureLagSeconds, options.read);
  return {
    capture: opened.table,
    truth,
    objects: [...manifestObjects('capture', opened.listed), ...manifestObjects('groundTruth', truthObjects)],
  };
}
