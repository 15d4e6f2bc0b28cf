/**
 * `validate`: checks captured requests (Monitor) or training data (Retrain) against the
 * model's validation limits and, when there is one, the baseline.
 *
 * Where the limits come from: the ValidateInput contract carries no thresholds, label or
 * feature list, so the handler reads them from the `PITSTOP_MODEL_CONFIG` environment
 * variable (see runtime/model-settings.ts), which infra/functions.ts sets from the
 * model's config at deploy time. The settings change only with a deploy, like the
 * state machines that call this function.
 *
 * Captured data is read as SageMaker data capture (`format: 'capture'`), its positional
 * CSV features named after the baseline's features (else the config's); freshness is
 * measured on `inferenceTime`. A capture prefix with no object yet reads as zero rows,
 * so the `rows` check decides. Training data must hold the label and the config's
 * features.
 *
 * With a `window` (the Monitor), only that window's capture is read (its hour
 * partitions, records by inferenceTime), and fewer rows than `window.minRows` gives
 * `insufficientData: true` with a healthy status: a quiet hour is no verdict, not a
 * failure. `validation.minRows` then does not apply (it is for training data).
 */
import { ValidateInput, type ValidateOutput } from '../../vocabulary/contracts';
import { validateData } from '../core/validation';
import { readBaseline } from '../runtime/baseline';
import { s3Client } from '../runtime/clients';
import { openTableOrEmpty } from '../runtime/data';
import { captureReadOptions } from '../runtime/capture-settings';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings, validationThresholds } from '../runtime/model-settings';
import { openCaptureWindow, windowOf } from '../runtime/window-data';
import { captureFeatureNames, captureValidateOptions, toContractCheck, windowValidateOutput } from '../runtime/window-outputs';

export { insufficientCheck, toContractCheck } from '../runtime/window-outputs';

export const handler = defineHandler('validate', ValidateInput, async (input): Promise<ValidateOutput> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const baseline = await readBaseline(input.baselineUri, s3);
  const captured = input.target === 'captured';
  const featureNames = captureFeatureNames(settings, baseline);
  const windowInput = captured ? input.window : undefined;
  const window = windowInput && windowOf(windowInput);
  const captureOptions = { captureFeatureNames: featureNames, ...captureReadOptions(settings) };
  if (windowInput && window) {
    const opened = await openCaptureWindow(s3, windowInput, window, captureOptions);
    const options = captureValidateOptions(settings, baseline, window, opened.table.columns.length === 0);
    const result = await validateData(opened.table, options);
    return windowValidateOutput(result, windowInput, window, { bytes: opened.listed.bytes, objects: opened.listed.objects.length });
  }
  const table = await openTableOrEmpty(input.dataUri, {
    s3,
    ...(captured ? { format: 'capture' as const, ...captureOptions } : {}),
  });
  const empty = table.columns.length === 0;
  const result = await validateData(table, {
    baseline: empty ? undefined : baseline,
    thresholds: validationThresholds(settings),
    label: captured ? undefined : settings.label,
    expectedColumns: empty ? undefined : captured ? featureNames : featureNames && [...featureNames, settings.label],
    timestampColumn: captured && !empty ? 'inferenceTime' : undefined,
  });
  return { status: result.status, checks: result.checks.map(toContractCheck), rows: result.rowCount };
});
