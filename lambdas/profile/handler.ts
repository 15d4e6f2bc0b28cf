/**
 * `profile`: builds the baseline profile of the training data (per-feature bins,
 * sketches and categories, the label's distribution) and writes it as JSON to
 * `outputUri`, where drift detection and validation read it later.
 *
 * Label, problem type and feature types come from the `PITSTOP_MODEL_CONFIG`
 * environment variable (see runtime/model-settings.ts): the ProfileInput contract
 * carries none of them. The features profiled are the config's, in its order, or every
 * column but the label. A classification label is profiled as categorical (counts per
 * class), a regression target as numeric.
 */
import { ProfileInput, type ProfileOutput } from '../../vocabulary/contracts';
import { buildProfile } from '../core/profile';
import { openTable } from '../core/readers';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings } from '../runtime/model-settings';
import { writeS3Json } from '../runtime/s3-objects';

export const handler = defineHandler('profile', ProfileInput, async (input): Promise<ProfileOutput> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const table = await openTable(input.trainingUri, { s3 });
  const profile = await buildProfile(table, {
    label: settings.label,
    labelType: settings.problemType === 'regression' ? 'numeric' : 'categorical',
    columns: settings.features?.map((f) => f.name),
    types: Object.fromEntries((settings.features ?? []).map((f) => [f.name, f.type])),
  });
  await writeS3Json(input.outputUri, profile, s3);
  return { baselineUri: input.outputUri, rows: profile.rowCount, features: profile.features.map((f) => f.name) };
});
