/**
 * `prepareHoldout`: writes the batch transform's input and the holdout labels.
 *
 * SageMaker batch transform with `SplitType: Line` sends every line of its input as
 * one record, header included, and the model's `/invocations` takes the features only
 * (CSV, no header, no label, in the model's order). So the Retrain does not send the
 * holdout as it is: this handler reads it once (CSV, JSON Lines or Parquet, every file
 * under a prefix in key order) and writes
 * - `transformInputUri`: one CSV line per holdout row, the config's features in its
 *   order (or every column but the label, in file order), no header;
 * - `labelsUri`: the labels of the same rows in the same order (CSV with a header
 *   line naming the label), which `evaluate` pairs with the `.out` lines by position.
 *
 * Labels are checked against the problem type here, before any transform job runs.
 */
import { PrepareHoldoutInput, type PrepareHoldoutOutput } from '../../vocabulary/contracts';
import { openTable } from '../core/readers';
import { splitHoldout } from '../core/transform-input';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { writeS3Text } from '../runtime/s3-objects';

/** Content type of both files. */
const CSV = 'text/csv; charset=utf-8';

export const handler = defineHandler('prepareHoldout', PrepareHoldoutInput, async (input): Promise<PrepareHoldoutOutput> => {
  const s3 = s3Client();
  const split = await splitHoldout(await openTable(input.holdoutUri, { s3 }), {
    label: input.label,
    problemType: input.problemType,
    features: input.features,
  });
  await writeS3Text(input.transformInputUri, split.featuresCsv, CSV, s3);
  await writeS3Text(input.labelsUri, split.labelsCsv, CSV, s3);
  return { transformInputUri: input.transformInputUri, labelsUri: input.labelsUri, rows: split.rows, features: [...split.features] };
});
