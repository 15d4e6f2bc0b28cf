/**
 * `planWindow`: lists the monitor window's capture objects and decides how they are read:
 * at most `fanOutBytes` in total, by the single path (`validate`, then `drift`); above
 * it, by a fan-out, for which it packs the objects into shards of at most `shardBytes`
 * (core/fanout/plan.ts) and writes them as a JSON array, the manifest the Distributed
 * Map's ItemReader reads, under the run's `workUri`.
 */
import { PlanWindowInput, type PlanWindowOutput } from '../../vocabulary/fan-out-contracts';
import { splitS3Uri } from '../../vocabulary/s3-uri';
import { decideFanOut, packShards } from '../core/fanout/plan';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { writeS3Json } from '../runtime/s3-objects';
import { listCaptureRange, windowOf } from '../runtime/window-data';

export const handler = defineHandler('planWindow', PlanWindowInput, async (input): Promise<PlanWindowOutput> => {
  const s3 = s3Client();
  const window = windowOf(input.window);
  const listed = await listCaptureRange(s3, input.window.capturePrefix, window, input.window.captureLagSeconds);
  const decision = decideFanOut(listed.bytes, input.fanOutBytes);
  const seen = { bytes: listed.bytes, objects: listed.objects.length };
  if (decision === 'single') return { decision, ...seen, shards: 0, manifestBucket: '', manifestKey: '', partialsKey: '' };
  const shards = packShards(listed.objects, { shardBytes: input.shardBytes });
  const work = splitS3Uri(input.workUri.endsWith('/') ? input.workUri : `${input.workUri}/`);
  const manifestKey = `${work.key}shards.json`;
  await writeS3Json(`s3://${work.bucket}/${manifestKey}`, shards, s3);
  return { decision, ...seen, shards: shards.length, manifestBucket: work.bucket, manifestKey, partialsKey: `${work.key}partials/` };
});
