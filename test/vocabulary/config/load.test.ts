import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../../vocabulary/errors';
import { findModel, loadConfig, parseConfig } from '../../../vocabulary/config/index';
import { configOf, minimalModel } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'pitstop-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('Function: loadConfig', () => {
  it('loads the example config', async () => {
    const config = await loadConfig(fileURLToPath(new URL('../../../examples/pitstop.config.json', import.meta.url)));
    expect(config.models[0]!.name).toBe('churn');
  });

  it('loads a file with a byte order mark', async () => {
    const path = writeConfig('bom.json', `\uFEFF${JSON.stringify(configOf())}`);
    await expect(loadConfig(path)).resolves.toMatchObject({ version: 1 });
  });

  it('names the file, line and column of invalid JSON', async () => {
    // Prepare: the stray "}" is on line 3, column 14 (4 spaces, then {"name": and a space)
    const path = writeConfig('broken.json', '{\n  "models": [\n    {"name": }\n  ]\n}\n');

    // Act
    const error = await loadConfig(path).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toEqual({ file: path, line: 3, column: 14 });
    expect((error as Error).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3, column 14: invalid JSON`));
  });

  it('names the end of a truncated file', async () => {
    const path = writeConfig('truncated.json', '{"models": [\n');
    const error = (await loadConfig(path).catch((e: unknown) => e)) as InputError;
    expect(error.location).toEqual({ file: path, line: 2, column: 1 });
  });

  it('names a file that does not exist', async () => {
    const path = join(dir, 'missing.json');
    await expect(loadConfig(path)).rejects.toThrow(InputError);
    await expect(loadConfig(path)).rejects.toThrow(`${path}: config file not found`);
  });

  it('throws a ConfigError naming the file for valid JSON that is not a valid config', async () => {
    const path = writeConfig('invalid.json', JSON.stringify({ models: [minimalModel({ approval: { mode: 'maybe' } })] }));
    const error = (await loadConfig(path).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.location.file).toBe(path);
    expect(error.issues).toEqual(['models[0].approval.mode: expected one of "manual", "auto", got "maybe"']);
  });
});

describe('Function: findModel', () => {
  const config = parseConfig(configOf(minimalModel(), minimalModel({ name: 'fraud', endpointName: 'fraud-prod' })));

  it('finds a model by name', () => {
    expect(findModel(config, 'fraud').endpointName).toBe('fraud-prod');
  });

  it('lists the available names when the model is not there', () => {
    expect(() => findModel(config, 'churm')).toThrow(InputError);
    expect(() => findModel(config, 'churm')).toThrow('no model named "churm" in the config; available: "churn", "fraud"');
  });
});
