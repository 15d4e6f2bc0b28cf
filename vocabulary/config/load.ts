/** Parsing a config object, loading a config file, finding a model in it. */
import { readFile } from 'node:fs/promises';
import { ConfigError, InputError } from '../errors';
import { jsonErrorOffset, lineColumn } from './json-position';
import { configErrorMap, formatIssues } from './messages';
import { PitstopConfigSchema, type ModelConfig, type PitstopConfig } from './schema';

/**
 * Validates a config object and applies every default.
 * @param input the config as read from JSON (or built in code)
 * @param file where the config came from, named in the error message
 * @throws ConfigError listing every problem as `path.to.field: message`
 */
export function parseConfig(input: unknown, file?: string): PitstopConfig {
  const result = PitstopConfigSchema.safeParse(input, { error: configErrorMap });
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  return result.data;
}

/**
 * Reads a JSON config file and validates it.
 * @throws InputError naming the file when it cannot be read or is not JSON (with line and column)
 * @throws ConfigError naming the file and listing every problem when the config is invalid
 */
export async function loadConfig(path: string): Promise<PitstopConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? String(cause)})`;
    throw new InputError(why, { file: path }, { cause });
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    const offset = jsonErrorOffset(body);
    const where = offset === undefined ? {} : lineColumn(body, offset);
    const detail = (cause as Error).message
      .replace(/,\s*".*" is not valid JSON$/s, '')
      .replace(/\s*(in JSON )?at position \d+.*$/s, '');
    throw new InputError(`invalid JSON: ${detail}`, { file: path, ...where }, { cause });
  }
  return parseConfig(json, path);
}

/**
 * The model called `name`.
 * @throws InputError listing the model names the config holds
 */
export function findModel(config: PitstopConfig, name: string): ModelConfig {
  const model = config.models.find((m) => m.name === name);
  if (!model) {
    const names = config.models.map((m) => JSON.stringify(m.name)).join(', ');
    throw new InputError(`no model named ${JSON.stringify(name)} in the config; available: ${names}`);
  }
  return model;
}
