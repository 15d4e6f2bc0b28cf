import { describe, expect, it } from 'vitest';
import {
  DRIFT_DEFAULT_THRESHOLD,
  DRIFT_METHODS,
  DRIFT_METHODS_BY_FEATURE_TYPE,
  METRIC_DIRECTION,
  EVALUATION_METRIC_NAMES,
  METRICS_BY_PROBLEM_TYPE,
} from '../../vocabulary/evaluation-names';

describe('Canonical names', () => {
  it('marks exactly the losses and errors as lower-is-better', () => {
    const lower = EVALUATION_METRIC_NAMES.filter((m) => METRIC_DIRECTION[m] === 'lower');
    expect(new Set(lower)).toEqual(new Set(['logLoss', 'brier', 'ece', 'mae', 'mse', 'rmse', 'mape']));
  });

  it('gives every metric at least one problem type', () => {
    const covered = new Set(Object.values(METRICS_BY_PROBLEM_TYPE).flat());
    expect(EVALUATION_METRIC_NAMES.filter((m) => !covered.has(m))).toEqual([]);
  });

  it('names each metric once, and only metrics some problem type uses', () => {
    expect(new Set(EVALUATION_METRIC_NAMES).size).toBe(EVALUATION_METRIC_NAMES.length);
    const used = new Set(Object.values(METRICS_BY_PROBLEM_TYPE).flat());
    expect(new Set(EVALUATION_METRIC_NAMES)).toEqual(used);
    expect(Object.keys(METRIC_DIRECTION).sort()).toEqual([...EVALUATION_METRIC_NAMES].sort());
  });

  it('keeps regression metrics apart from classification metrics', () => {
    const classification = new Set<string>([...METRICS_BY_PROBLEM_TYPE.binary, ...METRICS_BY_PROBLEM_TYPE.multiclass]);
    expect(METRICS_BY_PROBLEM_TYPE.regression.filter((m) => classification.has(m))).toEqual([]);
  });

  it('has a default threshold for every drift method and a method for every feature type', () => {
    expect(Object.keys(DRIFT_DEFAULT_THRESHOLD).sort()).toEqual([...DRIFT_METHODS].sort());
    const used = new Set(Object.values(DRIFT_METHODS_BY_FEATURE_TYPE).flat());
    expect(DRIFT_METHODS.filter((m) => !used.has(m))).toEqual([]);
    expect(DRIFT_DEFAULT_THRESHOLD.psi).toBe(0.2);
  });
});
