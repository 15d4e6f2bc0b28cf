import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../vocabulary/config/index';
import { ConfigError } from '../../../vocabulary/errors';
import { configOf, minimalModel } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'pitstop-positions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1-based line and column of the `nth` occurrence of `needle` in `text`, counted by hand. */
function where(text: string, needle: string, nth = 1): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < nth; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`${needle} not in the text`);
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

async function errorOf(text: string): Promise<ConfigError> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, text);
  const error = await loadConfig(path).catch((e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('Function: loadConfig (positions of schema problems)', () => {
  it('gives the line and column of a bad value, at its key', async () => {
    // Prepare
    const text = JSON.stringify(configOf(minimalModel({ approval: { mode: 'maybe' } })), null, 2);

    // Act
    const error = await errorOf(text);

    // Assess
    expect(error.issues).toEqual(['models[0].approval.mode: expected one of "manual", "auto", got "maybe"']);
    expect(error.positions).toEqual([where(text, '"mode"')]);
    const { line, column } = where(text, '"mode"');
    expect(error.message).toContain(`line ${line}, column ${column}: models[0].approval.mode: expected one of`);
  });

  it('points a missing required key at the object it belongs in', async () => {
    // Prepare: the second model has no label
    const second = minimalModel({ name: 'fraud', endpointName: 'fraud-prod' }) as Record<string, unknown>;
    delete second.label;
    const text = JSON.stringify(configOf(minimalModel(), second), null, 2);

    // Act
    const error = await errorOf(text);

    // Assess: the second model's opening brace
    const index = error.issues.findIndex((i) => i.startsWith('models[1].label:'));
    expect(index).toBeGreaterThanOrEqual(0);
    const nameLine = where(text, '"name": "fraud"');
    expect(error.positions[index]).toEqual({ line: nameLine.line - 1, column: nameLine.column - 2 });
  });

  it('points an unknown key at the key itself, and a cross-field problem at its field', async () => {
    // Prepare
    const text = JSON.stringify(configOf(minimalModel({ canaryy: {}, canary: { stages: [{ percent: 50 }, { percent: 20 }, { percent: 100 }] } })), null, 2);

    // Act
    const error = await errorOf(text);

    // Assess
    const unknown = error.issues.findIndex((i) => i.includes('unknown key "canaryy"'));
    const stage = error.issues.findIndex((i) => i.startsWith('models[0].canary.stages[1].percent:'));
    expect(error.positions[unknown]).toEqual(where(text, '"canaryy"'));
    expect(error.positions[stage]).toEqual(where(text, '"percent"', 2));
  });

  it('has no positions for a config built in code', async () => {
    const { parseConfig } = await import('../../../vocabulary/config/index');
    const error = (() => {
      try {
        parseConfig(configOf(minimalModel({ approval: { mode: 'maybe' } })));
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.positions).toEqual([]);
    expect(error.message).not.toMatch(/line \d+/);
  });
});
