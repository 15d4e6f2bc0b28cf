/**
 * `summarizeShard`: one fan-out child. Reads its shard's byte ranges of the window's
 * capture (line-aligned, records filtered by inferenceTime as on the single path) and
 * writes one partial summary to S3 (core/fanout/table-summary.ts): the validation pass
 * and, with a baseline, the drift accumulators of every feature, made with the options
 * the single path uses (runtime/window-outputs.ts).
 */
import { SummarizeShardInput, type SummarizeShardOutput } from '../../vocabulary/fan-out-contracts';
import { planDrift } from '../core/drift';
import { encodePartial } from '../core/fanout/partial-codec';
import { summarizePart } from '../core/fanout/table-summary';
import { readBaseline } from '../runtime/baseline';
import { captureReadOptions } from '../runtime/capture-settings';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings } from '../runtime/model-settings';
import { writeS3Bytes } from '../runtime/s3-objects';
import { openCapturePieces, windowOf } from '../runtime/window-data';
import { captureFeatureNames, captureValidateOptions, driftSettings } from '../runtime/window-outputs';

/** The key of shard `index`'s partial summary under the partials prefix. */
export function partialKey(partialsKey: string, index: number): string {
  return `${partialsKey}shard-${String(index).padStart(5, '0')}.bin`;
}

export const handler = defineHandler('summarizeShard', SummarizeShardInput, async (input): Promise<SummarizeShardOutput> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const baseline = await readBaseline(input.baselineUri, s3);
  const window = windowOf(input.window);
  const readOptions = { captureFeatureNames: captureFeatureNames(settings, baseline), ...captureReadOptions(settings) };
  const open = () => openCapturePieces(s3, input.shard.pieces, window, readOptions);
  const drift = baseline ? await planDrift({ reference: baseline, ...driftSettings(settings) }) : undefined;
  const summary = await summarizePart(input.shard.index, open, captureValidateOptions(settings, baseline, window, false), drift);
  const partialUri = `s3://${input.partialsBucket}/${partialKey(input.partialsKey, input.shard.index)}`;
  await writeS3Bytes(partialUri, encodePartial(summary), 'application/octet-stream', s3);
  return { shard: input.shard.index, partialUri, rows: summary.validation.rowCount, bytes: input.shard.bytes };
});
