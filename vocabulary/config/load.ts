/** Parsing a config object, loading a config file, finding a model in it. */
import { readFile } from 'node:fs/promises';
import { ConfigError, InputError } from '../errors';
import { issuePositions } from './issue-positions';
import { jsonErrorOffset, lineColumn } from './json-position';
import { configErrorMap, formatIssues } from './messages';
import { ModelConfigSchema } from './model-schema';
import { PitstopConfigSchema, type ModelConfig, type ModelConfigInput, type PitstopConfig } from './schema';

/**
 * Validates a config object and applies every default.
 * @param input the config as read from JSON (or built in code)
 * @param file where the config came from, named in the error message
 * @throws ConfigError listing every problem as `path.to.field: message`
 */
export function parseConfig(input: unknown, file?: string): PitstopConfig {
  return parseConfigText(input, file);
}

/** {@link parseConfig}, with each problem's line and column when the JSON text is known. */
function parseConfigText(input: unknown, file?: string, text?: string): PitstopConfig {
  const result = PitstopConfigSchema.safeParse(input, { error: configErrorMap });
  if (!result.success) {
    const positionOf = text === undefined ? undefined : issuePositions(text);
    // an unknown key is shown where it is written, not at the object holding it
    const pathOf = (issue: (typeof result.error.issues)[number]) => (issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path);
    const positions = positionOf ? result.error.issues.map((issue) => positionOf(pathOf(issue))) : [];
    throw new ConfigError(file, formatIssues(result.error.issues), positions);
  }
  return result.data;
}

/**
 * Validates one model's config as written (or built in code) and applies its defaults;
 * a model that was parsed already comes back equal.
 * @throws ConfigError listing every problem as `model.path.to.field: message`
 */
export function parseModelConfig(input: ModelConfigInput | ModelConfig): ModelConfig {
  const result = ModelConfigSchema.safeParse(input, { error: configErrorMap });
  if (!result.success) throw new ConfigError(undefined, formatIssues(result.error.issues).map((issue) => `model${issue.startsWith('[') ? '' : '.'}${issue}`));
  return result.data;
}

/**
 * Reads a JSON config file and validates it.
 * @throws InputError naming the file when it cannot be read or is not JSON (with line and column)
 * @throws ConfigError naming the file and listing every problem, with its line and column, when the config is invalid
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
  return parseConfigText(json, path, body);
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
