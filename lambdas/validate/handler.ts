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
 */
import { ValidateInput, type ValidateOutput } from '../../statemachines/contracts';
import { validateData, type ValidationCheck } from '../core/validation';
import { readBaseline } from '../runtime/baseline';
import { s3Client } from '../runtime/clients';
import { openTableOrEmpty } from '../runtime/data';
import { captureReadOptions } from '../runtime/capture-settings';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings, validationThresholds } from '../runtime/model-settings';

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
  const table = await openTableOrEmpty(input.dataUri, {
    s3,
    ...(captured ? { format: 'capture' as const, captureFeatureNames: featureNames, ...captureReadOptions(settings) } : {}),
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
