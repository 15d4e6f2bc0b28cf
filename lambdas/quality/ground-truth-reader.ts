/**
 * Reads SageMaker ground-truth JSON Lines (every object under a prefix, gzip or not)
 * into labels by eventId.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ParseError } from '../../vocabulary/errors';
import type { ProblemType } from '../../vocabulary/evaluation-names';
import { parseGroundTruthRecord } from '../core/quality';
import { listS3Prefix } from '../core/readers/s3';
import { isS3Uri, splitS3Uri } from '../../vocabulary/s3-uri';
import { resolveSource, type InputFile } from '../core/readers/sources';
import { textChunks, textLines } from '../core/readers/text';

/**
 * Labels by eventId from every ground-truth record under `uri`. When an eventId is
 * labeled twice, the later record (by key, then line) wins. A prefix with no object
 * gives an empty map.
 *
 * @throws ParseError naming file and line for a line that is not a ground-truth record
 */
export async function readGroundTruth(uri: string, problem: ProblemType, s3: S3Client): Promise<Map<string, number[]>> {
  const labels = new Map<string, number[]>();
  if (isS3Uri(uri)) {
    const loc = splitS3Uri(uri);
    if ((loc.key === '' || loc.key.endsWith('/')) && (await listS3Prefix(s3, loc)).length === 0) return labels;
  }
  return readGroundTruthFiles(await resolveSource(uri, () => s3), problem, labels);
}

/** Labels by eventId from the ground-truth records of `files`, in order (a later record wins). */
export async function readGroundTruthFiles(
  files: readonly InputFile[],
  problem: ProblemType,
  labels: Map<string, number[]> = new Map(),
): Promise<Map<string, number[]>> {
  for (const file of files) {
    for await (const { text, line } of textLines(textChunks(file.name, file.bytes()))) {
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new ParseError(`not valid JSON (${(err as Error).message})`, { file: file.name, line }, { cause: err });
      }
      const record = parseGroundTruthRecord(value, problem, { file: file.name, line });
      labels.set(record.eventId, record.labels);
    }
  }
  return labels;
}

/**
 * Labeled instances in `files`: one per label of each ground-truth record (a request
 * that carried several instances has as many labels).
 * @throws ParseError naming file and line for a line that is not a ground-truth record
 */
export async function countGroundTruthLabels(files: readonly InputFile[], problem: ProblemType): Promise<number> {
  const labels = new Map<string, number[]>();
  let n = 0;
  for (const file of files) {
    labels.clear();
    await readGroundTruthFiles([file], problem, labels);
    for (const ys of labels.values()) n += ys.length;
  }
  return n;
}
