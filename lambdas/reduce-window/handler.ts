/**
 * `reduceWindow`: the fan-out's reduce. Reads the Distributed Map's ResultWriter manifest
 * (core/fanout/map-run.ts), reads the partial summaries of the children that succeeded,
 * merges them in shard order and concludes: the same validation and drift outputs the
 * single path's `validate` and `drift` give for the window (runtime/window-outputs.ts).
 *
 * A child lost under `monitor.toleratedFailurePercentage` is reported in both outputs
 * (`lostShards`: shard, bytes, error): the verdict is then on the rows that were read.
 * Every planned shard must be accounted for, and at least one must have succeeded.
 */
import { InputError } from '../../vocabulary/errors';
import { ReduceWindowInput, ShardItem, SummarizeShardOutput, type ReduceWindowOutput } from '../../vocabulary/fan-out-contracts';
import { concludeValidation } from '../core/validation';
import { planDrift, scoreDrift } from '../core/drift';
import { readMapRun } from '../core/fanout/map-run';
import { decodePartial } from '../core/fanout/partial-codec';
import { mergeSummaries, reviveSummary, type TableSummary } from '../core/fanout/table-summary';
import { windowJson } from '../core/window';
import { readBaseline } from '../runtime/baseline';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings } from '../runtime/model-settings';
import { readS3Bytes, readS3Json } from '../runtime/s3-objects';
import { windowOf } from '../runtime/window-data';
import { captureValidateOptions, driftOutput, driftSettings, windowValidateOutput } from '../runtime/window-outputs';

export const handler = defineHandler('reduceWindow', ReduceWindowInput, async (input): Promise<ReduceWindowOutput> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const manifestUri = `s3://${input.results.Bucket}/${input.results.Key}`;
  const run = await readMapRun(manifestUri, (uri) => readS3Json(uri, s3));
  const done = run.outputs.map((o) => SummarizeShardOutput.parse(o)).sort((a, b) => a.shard - b.shard);
  const lostShards = run.lost.map((l) => {
    const item = ShardItem.safeParse((l.input as { shard?: unknown } | null)?.shard);
    return { shard: item.success ? item.data.index : -1, bytes: item.success ? item.data.bytes : 0, error: l.error };
  });
  const accounted = new Set([...done.map((d) => d.shard), ...lostShards.map((l) => l.shard)]);
  if (accounted.size !== input.plan.shards || done.length + lostShards.length !== input.plan.shards) {
    throw new InputError(`the map run accounts for ${done.length} succeeded and ${lostShards.length} lost children, expected one per planned shard (${input.plan.shards})`, { file: manifestUri });
  }
  if (done.length === 0) throw new InputError(`every shard was lost (${lostShards.map((l) => `shard ${l.shard}: ${l.error}`).join('; ')})`, { file: manifestUri });

  // One partial in memory at a time besides the running merge.
  let merged: TableSummary | undefined;
  for (const d of done) {
    const part = decodePartial(await readS3Bytes(d.partialUri, s3), d.partialUri, reviveSummary);
    merged = merged ? mergeSummaries([merged, part]) : part;
  }
  const summary = merged!;
  const baseline = await readBaseline(input.baselineUri, s3);
  const window = windowOf(input.window);
  const read = { bytes: input.plan.bytes, objects: input.plan.objects };
  const lost = lostShards.length > 0 ? { lostShards: lostShards.sort((a, b) => a.shard - b.shard) } : {};
  const validation = { ...windowValidateOutput(concludeValidation(summary.validation, captureValidateOptions(settings, baseline, window, false)), input.window, window, read), ...lost };
  const fields = { window: windowJson(window), bytesRead: read.bytes, objectsRead: read.objects };
  if (!baseline || !summary.drift) return { validation, drift: { features: [], driftedFeatures: 0, rows: 0, window: windowJson(window), ...lost } };
  const drift = await planDrift({ reference: baseline, ...driftSettings(settings) });
  const result = await scoreDrift(drift, summary.drift, driftSettings(settings));
  return { validation, drift: { ...driftOutput(result, summary.drift.rowCount, { input: input.window, fields }), ...lost } };
});
