/**
 * Reading SageMaker batch transform output: for each input file the job writes
 * `<input file>.out` under its output prefix, one prediction line per input line, in
 * input order.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../vocabulary/errors';
import { parsePredictionValues } from '../core/quality';
import { listS3Prefix } from '../core/readers/s3';
import { splitS3Uri } from '../../vocabulary/s3-uri';
import { resolveSource } from '../core/readers/sources';
import { textChunks, textLines } from '../core/readers/text';

/** The suffix batch transform appends to each input file's name. */
export const TRANSFORM_OUTPUT_SUFFIX = '.out';

/**
 * Every prediction under a transform output prefix: the `.out` objects in key order,
 * each line in order, blank lines skipped. Each line is parsed with
 * `parsePredictionValues` (CSV numbers or a JSON number array).
 *
 * @throws InputError when the prefix holds no `.out` object or a line is not numbers
 */
export async function readTransformOutput(prefixUri: string, s3: S3Client): Promise<number[][]> {
  const prefix = prefixUri.endsWith('/') ? prefixUri : `${prefixUri}/`;
  const loc = splitS3Uri(prefix);
  const objects = (await listS3Prefix(s3, loc)).filter((o) => o.key.endsWith(TRANSFORM_OUTPUT_SUFFIX));
  if (objects.length === 0) {
    throw new InputError(`no batch transform output (*${TRANSFORM_OUTPUT_SUFFIX}) under the prefix`, { file: prefix });
  }
  const out: number[][] = [];
  for (const o of objects) {
    const [file] = await resolveSource(`s3://${loc.bucket}/${o.key}`, () => s3);
    for await (const { text, line } of textLines(textChunks(file!.name, file!.bytes()))) {
      if (text.trim() === '') continue;
      const values = parsePredictionValues(text);
      if (!values) throw new InputError(`not a prediction (expected numbers): ${JSON.stringify(text.slice(0, 80))}`, { file: file!.name, line });
      out.push(values);
    }
  }
  return out;
}
