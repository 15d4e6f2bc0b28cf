import { describe, expect, it } from 'vitest';
import { DRIFT_METHOD_TABLE, isDrifted, resolveMethod } from '../../../../lambdas/core/drift';
import { DRIFT_DEFAULT_THRESHOLD, DRIFT_METHOD_SCORE, DRIFT_METHODS } from '../../../../vocabulary/evaluation-names';

describe('Constant: DRIFT_METHOD_TABLE', () => {
  it('covers every method with the canonical threshold and a direction matching its score kind', () => {
    expect(Object.keys(DRIFT_METHOD_TABLE).sort()).toEqual([...DRIFT_METHODS].sort());
    for (const m of DRIFT_METHODS) {
      expect(DRIFT_METHOD_TABLE[m].threshold).toBe(DRIFT_DEFAULT_THRESHOLD[m]);
      expect(DRIFT_METHOD_TABLE[m].direction).toBe(DRIFT_METHOD_SCORE[m] === 'pValue' ? 'below' : 'above');
    }
  });
});

describe('Function: resolveMethod / isDrifted', () => {
  it('compares p-values below and distances above their threshold, strictly', () => {
    expect(isDrifted('chiSquare', 0.049, 0.05)).toBe(true);
    expect(isDrifted('chiSquare', 0.05, 0.05)).toBe(false);
    expect(isDrifted('psi', 0.2, 0.2)).toBe(false);
    expect(isDrifted('psi', 0.2000001, 0.2)).toBe(true);
  });

  it('falls back for inapplicable dataset-wide methods with the fallback default threshold', () => {
    expect(resolveMethod('c', 'categorical', 'wasserstein', 0.3)).toEqual({ method: 'psi', threshold: 0.2 });
    expect(resolveMethod('n', 'numeric', 'chiSquare', 0.01)).toEqual({ method: 'ks', threshold: 0.01 });
    expect(resolveMethod('n', 'numeric', 'psi', undefined)).toEqual({ method: 'psi', threshold: 0.2 });
    expect(() => resolveMethod('n', 'numeric', 'psi', undefined, { method: 'chiSquare' })).toThrow('column "n"');
  });
});
