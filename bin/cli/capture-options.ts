/**
 * The capture flags shared by `profile`, `validate`, `drift` and `evaluate`: where a
 * data capture holds the features and the prediction, as the config's `capture` block
 * says it (see docs/configuration.md). Given flags replace the config's block whole, so
 * a preset in the config and an attribute on the command line never combine by accident.
 */
import type { ModelConfig } from '../../vocabulary/config/index';
import { CAPTURE_PRESET_NAMES, capturePlan, type CaptureSettings } from '../../vocabulary/capture-presets';
import type { OptionSpec, ParsedValues } from './command';
import { optChoice, optNumber, optString } from './options';

/** The flags, for a command's `options`. */
export const CAPTURE_OPTIONS: OptionSpec = {
  'capture-preset': { type: 'string' },
  'features-attribute': { type: 'string' },
  'inference-attribute': { type: 'string' },
  'probability-attribute': { type: 'string' },
  'probability-threshold': { type: 'string' },
  'positive-label': { type: 'string' },
};

/** Their help lines. */
export const CAPTURE_HELP: readonly (readonly [string, string])[] = [
  ['--capture-preset NAME', `capture data: a serving container's attributes (${CAPTURE_PRESET_NAMES.join(' | ')})`],
  ['--features-attribute X', 'capture data: JMESPath to the features in endpointInput (CSV: column indexes, e.g. 1,2,3)'],
  ['--inference-attribute X', 'capture data: JMESPath (CSV: column index) of the predicted label or value in endpointOutput'],
  ['--probability-attribute X', 'capture data: JMESPath (CSV: column indexes) of the probability, e.g. "probabilities[*][1]"'],
  ['--probability-threshold P', 'binary: probability from which the prediction is positive (default 0.5)'],
  ['--positive-label L', 'label-and-score outputs (Hugging Face): the label whose score is P(positive)'],
];

/**
 * The capture settings of the flags, else the config's.
 *
 * @throws UsageError for a bad flag value; InputError (naming the flag) for a bad
 *   expression, an unknown preset or a contradiction
 */
export function optCapture(values: ParsedValues, model?: ModelConfig): CaptureSettings | undefined {
  const preset = optChoice(values, 'capture-preset', CAPTURE_PRESET_NAMES);
  const own: CaptureSettings = {
    ...(preset !== undefined ? { preset } : {}),
    ...defined('features', optString(values, 'features-attribute')),
    ...defined('inference', optString(values, 'inference-attribute')),
    ...defined('probability', optString(values, 'probability-attribute')),
    ...defined('probabilityThreshold', optNumber(values, 'probability-threshold', { min: 0, max: 1 })),
    ...defined('positiveLabel', optString(values, 'positive-label')),
  };
  const settings = Object.keys(own).length > 0 ? own : model?.capture;
  capturePlan(settings);
  return settings;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
