/**
 * Workaround, local to the runner: the Retrain's batch transform sends the holdout CSV
 * as it is, label column included, while a model's `/invocations` takes features only.
 * Until the pipeline prepares a features-only holdout itself, the runner registers the
 * local SageMaker behind {@link prepareHoldoutForTransform}: a CreateTransformJob whose
 * input files have a header naming the model's label column gets a copy of them as input
 * with the features only and no header, which is what the model takes (the local
 * SageMaker keeps SageMaker's behaviour, `transformHeader: 'send'`). Other input (the
 * header-less, features-only file of the pipeline's own "prepare holdout" step) passes
 * through untouched, so the workaround retires itself once that step is in the Retrain.
 */
import type { ModelConfig } from '../../infra/config';
import type { LocalS3 } from '../backend/s3';
import type { LocalSageMaker } from '../backend/sagemaker';
import type { LocalService } from '../backend/service';

/** Key prefix (in the holdout's bucket) of the features-only copies. */
export const PREPARED_PREFIX = 'pitstop-local/transform-input/';

/**
 * The CSV without the column named `label` (simple CSV: no quoted commas), or
 * undefined when the header has no such column.
 */
export function dropColumn(csv: string, label: string): string | undefined {
  const lines = csv.split(/\r?\n/);
  const header = lines[0]?.split(',').map((c) => c.trim());
  const index = header?.indexOf(label) ?? -1;
  if (index < 0) return undefined;
  return lines
    .map((line) => {
      if (line === '') return line;
      const cells = line.split(',');
      cells.splice(index, 1);
      return cells.join(',');
    })
    .join('\n');
}

/**
 * What the model takes from a labeled CSV: its lines without the label column and
 * without the header, or undefined when the header has no such column.
 */
export function featureRecords(csv: string, label: string): string | undefined {
  const dropped = dropColumn(csv, label);
  return dropped === undefined ? undefined : dropped.slice(dropped.indexOf('\n') + 1);
}

function split(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`expected an S3 URI, got ${uri}`);
  return { bucket: m[1]!, key: m[2]! };
}

/** The local SageMaker, with CreateTransformJob given a features-only copy of labeled input. */
export function prepareHoldoutForTransform(sagemaker: LocalSageMaker, s3: LocalS3, model: () => ModelConfig): LocalService & Record<string, unknown> {
  const prepare = async (input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const ti = input.TransformInput as { DataSource: { S3DataSource: { S3Uri: string } } } | undefined;
    const uri = ti?.DataSource?.S3DataSource?.S3Uri;
    if (!uri) return input;
    const { bucket, key } = split(uri);
    const listed = (await s3.ListObjectsV2({ Bucket: bucket, Prefix: key })) as { Contents?: { Key: string }[] };
    const jobName = String(input.TransformJobName);
    const target = `${PREPARED_PREFIX}${jobName}/`;
    let changed = false;
    for (const o of listed.Contents ?? []) {
      const got = (await s3.GetObject({ Bucket: bucket, Key: o.Key })) as { Body: { transformToString(): Promise<string> } };
      const text = await got.Body.transformToString();
      const features = featureRecords(text, model().label);
      const name = o.Key.slice(key.lastIndexOf('/') + 1) || 'input.csv';
      await s3.PutObject({ Bucket: bucket, Key: `${target}${name}`, Body: features ?? text });
      changed ||= features !== undefined;
    }
    if (!changed) return input;
    return { ...input, TransformInput: { ...ti, DataSource: { S3DataSource: { ...ti!.DataSource.S3DataSource, S3Uri: `s3://${bucket}/${target}` } } } };
  };
  return {
    serviceName: sagemaker.serviceName,
    call: async (action, input) => sagemaker.call(action, action === 'CreateTransformJob' ? await prepare(input) : input),
    waitForTrainingJob: (name: string) => sagemaker.waitForTrainingJob(name),
    waitForTransformJob: (name: string) => sagemaker.waitForTransformJob(name),
    waitForEndpoint: (name: string) => sagemaker.waitForEndpoint(name),
  };
}
