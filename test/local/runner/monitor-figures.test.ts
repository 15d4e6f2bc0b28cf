import { describe, expect, it } from 'vitest';
import { compareMonitorFigures, type MonitorFigures } from '../../../local/runner/monitor-figures';

const base: MonitorFigures = { drift: { age: 0.31, plan: 0.02 }, quality: { rocAuc: 0.33, accuracy: 0.41 }, matched: 1100 };

describe('Function: compareMonitorFigures', () => {
  it('agrees on figures equal up to a relative 1e-9 (sums in another order)', () => {
    const b = { ...base, quality: { rocAuc: 0.33 * (1 + 1e-12), accuracy: 0.41 } };
    expect(compareMonitorFigures(base, b)).toEqual([]);
  });

  it('names each figure that differs or is missing, and a different match count', () => {
    const b: MonitorFigures = { drift: { age: 0.31 }, quality: { rocAuc: 0.67, accuracy: 0.41 }, matched: 1099 };
    expect(compareMonitorFigures(base, b)).toEqual(['drift plan: only in the first run', 'quality rocAuc: 0.33 vs 0.67', 'matched: 1100 vs 1099']);
  });
});
