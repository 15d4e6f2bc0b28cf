/**
 * What the monitor's data checks read and return, shared by the single path (`validate`,
 * `drift`) and the fan-out's reduce (`reduceWindow`), so both give the same outputs for
 * the same rows: the options the validation and the drift comparison run with, and the
 * shaping of their results into the contracts.
 */
import type { DriftOutput, MonitorWindowInput, ValidateOutput } from '../../vocabulary/contracts';
import type { DriftOptions, DriftResult } from '../core/drift';
import type { Profile } from '../core/profile';
import type { ValidateOptions, ValidationCheck, ValidationResult } from '../core/validation';
import { windowJson, type MonitorWindow } from '../core/window';
import { validationThresholds, type ModelSettings } from './model-settings';

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

/** The columns captured data is read with: the baseline's features, else the config's. */
export function captureFeatureNames(settings: ModelSettings, baseline: Profile | undefined): string[] | undefined {
  return baseline?.features.map((f) => f.name) ?? settings.features?.map((f) => f.name);
}

/**
 * The options validating a window's capture runs with (`empty`: the window held no
 * object, so only the row count speaks).
 */
export function captureValidateOptions(settings: ModelSettings, baseline: Profile | undefined, window: MonitorWindow, empty: boolean): ValidateOptions {
  const featureNames = captureFeatureNames(settings, baseline);
  return {
    baseline: empty ? undefined : baseline,
    // In a window, too few rows is "no verdict" (monitor.minRows), not a critical check.
    thresholds: { ...validationThresholds(settings), minRows: 0 },
    label: undefined,
    expectedColumns: empty ? undefined : featureNames,
    timestampColumn: empty ? undefined : 'inferenceTime',
    // A window is judged at its end (a backfill of last week is not stale data).
    now: window.end,
  };
}

/** What a windowed read saw. */
export interface WindowRead {
  readonly bytes: number;
  readonly objects: number;
}

/** A window's validation result as the contract's output. */
export function windowValidateOutput(result: ValidationResult, input: MonitorWindowInput, window: MonitorWindow, read: WindowRead): ValidateOutput {
  const fields = { window: windowJson(window), bytesRead: read.bytes, objectsRead: read.objects };
  if (result.rowCount < input.minRows) {
    return { status: 'healthy', checks: [insufficientCheck(result.rowCount, input.minRows)], rows: result.rowCount, ...fields, insufficientData: true };
  }
  return { status: result.status, checks: result.checks.map(toContractCheck), rows: result.rowCount, ...fields, insufficientData: false };
}

/** The drift options of the config (`triggers.drift`, `features[].drift`). */
export function driftSettings(settings: ModelSettings): Pick<DriftOptions, 'method' | 'threshold' | 'driftedFeatures' | 'correction' | 'minEffect' | 'featureOverrides'> {
  return {
    method: settings.drift?.method,
    threshold: settings.drift?.threshold,
    driftedFeatures: settings.drift?.driftedFeatures,
    correction: settings.drift?.correction,
    minEffect: settings.drift?.minEffect,
    featureOverrides: (settings.features ?? []).flatMap((f) => (f.drift ? [{ name: f.name, ...f.drift }] : [])),
  };
}

/**
 * A drift result over `rows` current rows as the contract's output; `windowed` with the
 * window's read fields and minRows (fewer rows: `insufficientData`, no score).
 */
export function driftOutput(
  result: DriftResult,
  rows: number,
  windowed: { readonly input: MonitorWindowInput; readonly fields: Record<string, unknown> } | undefined,
): DriftOutput & { drifted?: boolean } {
  if (windowed && rows < windowed.input.minRows) {
    // Too few rows to judge: no score is published (alarms treat missing data as not breaching).
    return { features: [], driftedFeatures: 0, rows, ...windowed.fields, insufficientData: true };
  }
  return {
    ...(windowed ? { ...windowed.fields, insufficientData: false } : {}),
    features: result.features.map((f) => ({
      feature: f.name,
      method: f.method,
      score: f.score ?? 0,
      threshold: f.threshold,
      drifted: f.drifted,
      ...(f.note === undefined ? {} : { note: f.note }),
    })),
    driftedFeatures: result.driftedCount,
    rows,
    drifted: result.drifted,
  };
}
