/**
 * The promotion gate's rules: absolute, relative and primary, with and without production.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../vocabulary/errors';
import { evaluateGate, type GateRuleResult } from '../../../../lambdas/core/gate';
import { evaluate } from '../../../../lambdas/core/metrics';
import { loadReference } from '../../../helpers/reference';

const only = (rules: GateRuleResult[]): GateRuleResult => {
  expect(rules).toHaveLength(1);
  return rules[0]!;
};

describe('Function: evaluateGate (absolute rules)', () => {
  it('passes a min rule by the margin above it and fails below it', () => {
    const pass = only(evaluateGate({ absolute: [{ metric: 'f1', min: 0.7 }] }, { f1: 0.75 }).rules);
    expect(pass).toMatchObject({ kind: 'absolute', metric: 'f1', description: 'f1 >= 0.7', candidate: 0.75, threshold: 0.7, passed: true });
    expect(pass.margin).toBeCloseTo(0.05, 15);

    const fail = evaluateGate({ absolute: [{ metric: 'f1', min: 0.7 }] }, { f1: 0.6 });
    expect(fail.passed).toBe(false);
    expect(fail.rules[0]!.margin).toBeCloseTo(-0.1, 15);
  });

  it('passes a max rule on a lower-is-better metric below it and fails above it', () => {
    const pass = only(evaluateGate({ absolute: [{ metric: 'logLoss', max: 0.5 }] }, { logLoss: 0.4 }).rules);
    expect(pass).toMatchObject({ description: 'logLoss <= 0.5', passed: true });
    expect(pass.margin).toBeCloseTo(0.1, 15);

    const fail = only(evaluateGate({ absolute: [{ metric: 'logLoss', max: 0.5 }] }, { logLoss: 0.55 }).rules);
    expect(fail.passed).toBe(false);
    expect(fail.margin).toBeCloseTo(-0.05, 15);
  });

  it('is inclusive at the threshold', () => {
    expect(evaluateGate({ absolute: [{ metric: 'accuracy', min: 0.8 }] }, { accuracy: 0.8 }).rules[0]).toMatchObject({ passed: true, margin: 0 });
    expect(evaluateGate({ absolute: [{ metric: 'rmse', max: 3 }] }, { rmse: 3 }).rules[0]).toMatchObject({ passed: true, margin: 0 });
  });

  it('checks min and max of one rule as two results', () => {
    const result = evaluateGate({ absolute: [{ metric: 'r2', min: 0.5, max: 0.99 }] }, { r2: 0.995 });
    expect(result.rules.map((r) => [r.description, r.passed])).toEqual([
      ['r2 >= 0.5', true],
      ['r2 <= 0.99', false],
    ]);
    expect(result.passed).toBe(false);
  });
});

describe('Function: evaluateGate (relative rules)', () => {
  it('lets a higher-is-better metric be worse than production by at most maxDegradation', () => {
    const rules = { relative: [{ metric: 'f1', maxDegradation: 0.01 }] };
    const pass = only(evaluateGate(rules, { f1: 0.795 }, { f1: 0.8 }).rules);
    expect(pass).toMatchObject({ kind: 'relative', description: 'f1 >= production - 0.01', production: 0.8, passed: true });
    expect(pass.threshold).toBeCloseTo(0.79, 15);
    expect(pass.margin).toBeCloseTo(0.005, 15);

    const fail = only(evaluateGate(rules, { f1: 0.78 }, { f1: 0.8 }).rules);
    expect(fail.passed).toBe(false);
    expect(fail.margin).toBeCloseTo(-0.01, 15);
  });

  it('passes exactly at production -/+ maxDegradation despite float rounding', () => {
    // In float64 0.7 - 0.1 = 0.6000000000000001 > 0.6 and 0.3 + 0.6 = 0.8999999999999999 < 0.9;
    // the gate is inclusive at the decimal threshold.
    const rule = only(evaluateGate({ relative: [{ metric: 'f1', maxDegradation: 0.1 }] }, { f1: 0.6 }, { f1: 0.7 }).rules);
    expect(rule).toMatchObject({ passed: true, margin: 0 });
    const loss = only(evaluateGate({ relative: [{ metric: 'mae', maxDegradation: 0.6 }] }, { mae: 0.9 }, { mae: 0.3 }).rules);
    expect(loss).toMatchObject({ passed: true, margin: 0 });
    // One part in 1e9 beyond the threshold still fails.
    expect(only(evaluateGate({ relative: [{ metric: 'f1', maxDegradation: 0.1 }] }, { f1: 0.6 - 1e-9 }, { f1: 0.7 }).rules).passed).toBe(false);
  });

  it('lets a lower-is-better metric rise above production by at most maxDegradation', () => {
    const rules = { relative: [{ metric: 'rmse', maxDegradation: 0.5 }] };
    const pass = only(evaluateGate(rules, { rmse: 10.25 }, { rmse: 10 }).rules);
    expect(pass).toMatchObject({ description: 'rmse <= production + 0.5', threshold: 10.5, margin: 0.25, passed: true });
    const fail = only(evaluateGate(rules, { rmse: 11 }, { rmse: 10 }).rules);
    expect(fail).toMatchObject({ threshold: 10.5, margin: -0.5, passed: false });
  });
});

describe('Function: evaluateGate (primary rule)', () => {
  it('requires a higher-is-better metric to beat production by minImprovement', () => {
    const rules = { primary: { metric: 'rocAuc', minImprovement: 0.02 } };
    const pass = only(evaluateGate(rules, { rocAuc: 0.85 }, { rocAuc: 0.8 }).rules);
    expect(pass).toMatchObject({ kind: 'primary', description: 'rocAuc >= production + 0.02', passed: true });
    expect(pass.margin).toBeCloseTo(0.03, 15);
    const fail = only(evaluateGate(rules, { rocAuc: 0.81 }, { rocAuc: 0.8 }).rules);
    expect(fail.passed).toBe(false);
    expect(fail.margin).toBeCloseTo(-0.01, 15);
  });

  it('requires a lower-is-better metric to drop below production by minImprovement', () => {
    const rules = { primary: { metric: 'mse', minImprovement: 2 } };
    expect(only(evaluateGate(rules, { mse: 7 }, { mse: 10 }).rules)).toMatchObject({ description: 'mse <= production - 2', threshold: 8, margin: 1, passed: true });
    expect(only(evaluateGate(rules, { mse: 9 }, { mse: 10 }).rules)).toMatchObject({ threshold: 8, margin: -1, passed: false });
  });

  it('defaults minImprovement to 0: equal to production passes, worse fails', () => {
    const rules = { primary: { metric: 'brier' } };
    expect(only(evaluateGate(rules, { brier: 0.2 }, { brier: 0.2 }).rules)).toMatchObject({ description: 'brier <= production', margin: 0, passed: true });
    expect(only(evaluateGate(rules, { brier: 0.21 }, { brier: 0.2 }).rules).passed).toBe(false);
  });
});

describe('Function: evaluateGate (no production model)', () => {
  const rules = {
    absolute: [{ metric: 'accuracy', min: 0.7 }],
    relative: [{ metric: 'accuracy', maxDegradation: 0 }],
    primary: { metric: 'f1', minImprovement: 0.1 },
  };

  it('skips relative and primary rules and lets absolute rules decide', () => {
    const result = evaluateGate(rules, { accuracy: 0.75, f1: 0.1 });
    expect(result.mode).toBe('absolute-only');
    expect(result.passed).toBe(true);
    expect(result.rules.map((r) => [r.kind, r.skipped ?? false])).toEqual([
      ['absolute', false],
      ['relative', true],
      ['primary', true],
    ]);
    expect(result.rules[2]).toMatchObject({ description: 'f1 >= production + 0.1', candidate: 0.1, reason: 'no production model' });
    expect(result.rules[2]!.threshold).toBeUndefined();
    expect(result.rules[2]!.margin).toBeUndefined();
  });

  it('fails on a failing absolute rule', () => {
    const result = evaluateGate(rules, { accuracy: 0.65, f1: 0.9 });
    expect(result.passed).toBe(false);
  });

  it('passes with no rules at all', () => {
    expect(evaluateGate({ absolute: [], relative: [] }, { accuracy: 0.1 })).toEqual({ passed: true, mode: 'absolute-only', rules: [] });
  });
});

describe('Function: evaluateGate (bad rules and undefined metrics)', () => {
  it('throws an InputError naming a metric the candidate does not have', () => {
    expect(() => evaluateGate({ absolute: [{ metric: 'rocAuc', min: 0.7 }] }, { mae: 1, rmse: 2 })).toThrow(InputError);
    expect(() => evaluateGate({ absolute: [{ metric: 'rocAuc', min: 0.7 }] }, { mae: 1, rmse: 2 })).toThrow(/"rocAuc".*candidate.*mae, rmse/);
    // Even when the rule would be skipped for lack of production.
    expect(() => evaluateGate({ primary: { metric: 'f1Macro' } }, { accuracy: 1 })).toThrow(/"f1Macro"/);
  });

  it('throws when production lacks the metric, for an unknown metric and for a bound-less absolute rule', () => {
    expect(() => evaluateGate({ relative: [{ metric: 'f1', maxDegradation: 0 }] }, { f1: 1 }, { accuracy: 1 })).toThrow(/production's metrics/);
    expect(() => evaluateGate({ relative: [{ metric: 'auc', maxDegradation: 0 }] }, { f1: 1 }, { f1: 1 })).toThrow(/unknown metric "auc"/);
    expect(() => evaluateGate({ absolute: [{ metric: 'f1' }] }, { f1: 1 })).toThrow(/neither min nor max/);
  });

  it('fails a rule on an undefined (NaN) metric with a reason', () => {
    const result = evaluateGate({ absolute: [{ metric: 'rocAuc', min: 0.5 }], primary: { metric: 'rocAuc' } }, { rocAuc: Number.NaN }, { rocAuc: 0.8 });
    expect(result.passed).toBe(false);
    expect(result.rules.every((r) => !r.passed && r.margin === undefined)).toBe(true);
    expect(result.rules[0]!.reason).toMatch(/rocAuc of the candidate is undefined/);
  });
});

describe('Function: evaluateGate (end to end on reference 06)', () => {
  // Expected values are the file's scikit-learn ones; margins follow from them by hand.
  const ref = loadReference('06_binary_candidate_vs_production');
  const y = Float64Array.from(ref.inputs.y_true as number[]);
  const candidate = evaluate('binary', y, [Float64Array.from(ref.inputs.p_candidate as number[])]);
  const production = evaluate('binary', y, [Float64Array.from(ref.inputs.p_production as number[])]);
  const c = ref.expected.candidate;
  const p = ref.expected.production;
  const rules = {
    absolute: [{ metric: 'rocAuc', min: 0.8 }, { metric: 'ece', max: 0.15 }],
    relative: [{ metric: 'f1', maxDegradation: 0.01 }, { metric: 'logLoss', maxDegradation: 0 }],
    primary: { metric: 'rocAuc', minImprovement: 0.05 },
  };

  it('promotes the candidate over production, with margins from the reference values', () => {
    // Act
    const result = evaluateGate(rules, candidate, production);

    // Assess
    expect(result.passed).toBe(true);
    expect(result.mode).toBe('versus-production');
    const margins = result.rules.map((r) => r.margin!);
    const expected = [
      c.roc_auc - 0.8, // 0.0513...
      0.15 - c.ece_10_uniform, // 0.0335...
      c.f1_binary - (p.f1_binary - 0.01), // 0.1049...
      p.log_loss - c.log_loss, // 0.0794...
      c.roc_auc - (p.roc_auc + 0.05), // 0.0348...
    ];
    margins.forEach((m, i) => expect(m).toBeCloseTo(expected[i]!, 9));
    expect(result.rules[4]).toMatchObject({ production: expect.closeTo(p.roc_auc, 9), candidate: expect.closeTo(c.roc_auc, 9) });
  });

  it('rejects when the improvement required exceeds the candidate\'s', () => {
    // The candidate's AUC gain is 0.0848; demand 0.1.
    const result = evaluateGate({ ...rules, primary: { metric: 'rocAuc', minImprovement: 0.1 } }, candidate, production);
    expect(result.passed).toBe(false);
    expect(result.rules[4]!.margin).toBeCloseTo(c.roc_auc - p.roc_auc - 0.1, 9);
    expect(result.rules.filter((r) => !r.passed).map((r) => r.kind)).toEqual(['primary']);
  });

  it('rejects production posing as the candidate against the better model', () => {
    const result = evaluateGate(rules, production, candidate);
    expect(result.passed).toBe(false);
    expect(result.rules.filter((r) => !r.passed).map((r) => r.description)).toEqual([
      'rocAuc >= 0.8',
      'f1 >= production - 0.01',
      'logLoss <= production',
      'rocAuc >= production + 0.05',
    ]);
  });
});
