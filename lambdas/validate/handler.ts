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
import { validateData, type ValidationCheck } from '../core/validation';
import { readBaseline } from '../runtime/baseline';
import { s3Client } from '../runtime/clients';
import { openTableOrEmpty } from '../runtime/data';
import { captureReadOptions } from '../runtime/capture-settings';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings, validationThresholds } from '../runtime/model-settings';
import { openCaptureWindow, windowOf } from '../runtime/window-data';
import { windowJson } from '../core/window';

/** Check names as the contract spells them, where they differ from the core's. */
const CHECK_NAMES: Readonly<Record<string, string>> = { minRows: 'rows' };

/** One core check as a contract check: `threshold` is the level crossed, when one was. */
export function toContractCheck(c: ValidationCheck): ValidateOutput['checks'][number] {
  const threshold = c.status === 'critical' ? c.critical : c.status === 'warning' ? c.warning : undefined;
  return {
    check: CHECK_NAMES[c.check] ?? c.check,
    ...(c.column === undefined ? {} : { column: c.column }),
    // An unknown age (no readable timestamp) is reported as the largest number, since JSON has no Infinity.
    value: Number.isFinite(c.value) ? c.value : Number.MAX_VALUE,
    ...(threshold === undefined ? {} : { threshold }),
    status: c.status,
    message: c.message,
  };
}

export const handler = defineHandler('validate', ValidateInput, async (input): Promise<ValidateOutput> => {
  const settings = loadModelSettings();
  const s3 = s3Client();
  const baseline = await readBaseline(input.baselineUri, s3);
  const captured = input.target === 'captured';
  const featureNames = baseline?.features.map((f) => f.name) ?? settings.features?.map((f) => f.name);
  const windowInput = captured ? input.window : undefined;
  const window = windowInput && windowOf(windowInput);
  const captureOptions = { captureFeatureNames: featureNames, ...captureReadOptions(settings) };
  const opened = windowInput && window ? await openCaptureWindow(s3, windowInput, window, captureOptions) : undefined;
  const table =
    opened?.table ??
    (await openTableOrEmpty(input.dataUri, {
      s3,
      ...(captured ? { format: 'capture' as const, ...captureOptions } : {}),
    }));
  const empty = table.columns.length === 0;
  // In a window, too few rows is "no verdict" (monitor.minRows), not a critical check.
  const thresholds = windowInput ? { ...validationThresholds(settings), minRows: 0 } : validationThresholds(settings);
  const result = await validateData(table, {
    baseline: empty ? undefined : baseline,
    thresholds,
    label: captured ? undefined : settings.label,
    expectedColumns: empty ? undefined : captured ? featureNames : featureNames && [...featureNames, settings.label],
    timestampColumn: captured && !empty ? 'inferenceTime' : undefined,
    // A window is judged at its end (a backfill of last week is not stale data).
    ...(window ? { now: window.end } : {}),
  });
  if (!windowInput || !window || !opened) return { status: result.status, checks: result.checks.map(toContractCheck), rows: result.rowCount };
  const read = { window: windowJson(window), bytesRead: opened.listed.bytes, objectsRead: opened.listed.objects.length };
  if (result.rowCount < windowInput.minRows) {
    return {
      status: 'healthy',
      checks: [insufficientCheck(result.rowCount, windowInput.minRows)],
      rows: result.rowCount,
      ...read,
      insufficientData: true,
    };
  }
  return { status: result.status, checks: result.checks.map(toContractCheck), rows: result.rowCount, ...read, insufficientData: false };
});

/** The one check of a window with too few rows to judge. */
export function insufficientCheck(rows: number, minRows: number): ValidateOutput['checks'][number] {
  return {
    check: 'rows',
    value: rows,
    threshold: minRows,
    status: 'healthy',
    message: `insufficient data: ${rows} rows in the window, fewer than monitor.minRows (${minRows}); no verdict and no datapoint this run`,
  };
}
