/**
 * `drift`: compares the captured requests with the baseline profile, feature by feature.
 *
 * Method, threshold, per-feature overrides and the drifted-features count come from
 * the `PITSTOP_MODEL_CONFIG` environment variable (see runtime/model-settings.ts): the
 * DriftInput contract carries none of them. Without a baseline (no model trained yet)
 * or without captured data, nothing drifts: `features: []`. A feature whose score is
 * undefined (no value on one side) is reported with score 0, not drifted, and a `note`.
 * `score` is the value the verdict used: for ks and chiSquare the p-value after the
 * config's multiple-testing correction (`triggers.drift.correction`, default bh), so the
 * per-feature `Drift` metric and its alarm agree with `drifted` (see core/drift/verdict.ts).
 * The output also says whether the data set as a whole `drifted` (at least
 * `driftedFeatures` features drifted); the state machine reads only the contract fields.
 * With a `window`, only the window's capture is compared, and fewer rows than
 * `window.minRows` gives `insufficientData: true` and no feature scores.
 */
import { DriftInput, type DriftOutput } from '../../vocabulary/contracts';
import { computeDrift } from '../core/drift';
import { readBaseline } from '../runtime/baseline';
import { s3Client } from '../runtime/clients';
import { countingTable, openTableOrEmpty } from '../runtime/data';
import { captureReadOptions } from '../runtime/capture-settings';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings } from '../runtime/model-settings';
import { openCaptureWindow, windowOf } from '../runtime/window-data';
import { driftOutput, driftSettings } from '../runtime/window-outputs';
import { windowJson } from '../core/window';

export const handler = defineHandler('drift', DriftInput, async (input): Promise<DriftOutput & { drifted?: boolean }> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const baseline = await readBaseline(input.baselineUri, s3);
  const window = input.window && windowOf(input.window);
  const windowFields = window ? { window: windowJson(window) } : {};
  if (!baseline) return { features: [], driftedFeatures: 0, rows: 0, ...windowFields };
  const captureOptions = { captureFeatureNames: baseline.features.map((f) => f.name), ...captureReadOptions(settings) };
  const opened = input.window && window ? await openCaptureWindow(s3, input.window, window, captureOptions) : undefined;
  const table = opened?.table ?? (await openTableOrEmpty(input.captureUri, { s3, format: 'capture', ...captureOptions }));
  const read = opened ? { ...windowFields, bytesRead: opened.listed.bytes, objectsRead: opened.listed.objects.length } : {};
  const minRows = input.window?.minRows ?? 0;
  if (table.columns.length === 0) return { features: [], driftedFeatures: 0, rows: 0, ...read, ...(input.window ? { insufficientData: minRows > 0 } : {}) };
  const current = countingTable(table);
  const result = await computeDrift({ reference: baseline, current, ...driftSettings(settings) });
  return driftOutput(result, current.rows, input.window ? { input: input.window, fields: read } : undefined);
});
