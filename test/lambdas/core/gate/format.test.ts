/**
 * The gate result as text for the CLI.
 */
import { describe, expect, it } from 'vitest';
import { evaluateGate, formatGateResult } from '../../../../lambdas/core/gate';

describe('Function: formatGateResult', () => {
  it('prints a headline and one aligned line per rule', () => {
    // Prepare
    const result = evaluateGate(
      { absolute: [{ metric: 'logLoss', max: 0.5 }], relative: [{ metric: 'f1', maxDegradation: 0.01 }] },
      { logLoss: 0.55, f1: 0.8 },
      { logLoss: 0.6, f1: 0.7 },
    );

    // Act
    const text = formatGateResult(result);

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toBe('gate FAILED (versus-production): 1 of 2 rules passed');
    expect(lines).toHaveLength(4);
    const [header, absolute, relative] = lines.slice(1) as [string, string, string];
    // Every column starts at the same offset on every line.
    for (const [column, cells] of [
      ['rule', ['logLoss <= 0.5', 'f1 >= production - 0.01']],
      ['candidate', ['0.55', '0.8']],
      ['margin', ['-0.05', '+0.11']],
      ['result', ['FAIL', 'pass']],
    ] as const) {
      const at = header.indexOf(column);
      expect(absolute.indexOf(cells[0]), column).toBe(at);
      expect(relative.indexOf(cells[1]), column).toBe(at);
    }
  });

  it('marks skipped rules and absent values without production', () => {
    const text = formatGateResult(evaluateGate({ primary: { metric: 'rmse' } }, { rmse: 3 }));
    expect(text.split('\n')[0]).toBe('gate PASSED (absolute-only): 0 of 0 rules passed, 1 skipped');
    expect(text).toMatch(/primary\s+rmse <= production\s+3\s+-\s+-\s+-\s+skipped \(no production model\)/);
  });

  it('says when no rules are configured', () => {
    expect(formatGateResult(evaluateGate({}, { mae: 1 }))).toBe('gate PASSED (absolute-only): 0 of 0 rules passed (no rules configured)');
  });
});
