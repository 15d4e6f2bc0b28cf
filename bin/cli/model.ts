/** `--config FILE --model NAME`: the model config a command takes its settings from. */
import { findModel, loadConfig, type ModelConfig } from '../../vocabulary/config/index';
import type { ParsedValues } from './command';
import { optString, UsageError } from './options';

/** The model named by --model in --config, or undefined when neither is given. */
export async function loadModel(values: ParsedValues): Promise<ModelConfig | undefined> {
  const file = optString(values, 'config');
  const name = optString(values, 'model');
  if (file === undefined && name === undefined) return undefined;
  if (file === undefined) throw new UsageError('--model needs --config FILE');
  const config = await loadConfig(file);
  if (name === undefined) {
    if (config.models.length === 1) return config.models[0];
    throw new UsageError(`--config ${file} holds ${config.models.length} models: choose one with --model (${config.models.map((m) => m.name).join(', ')})`);
  }
  return findModel(config, name);
}
