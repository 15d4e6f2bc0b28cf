/**
 * Capture presets: the attributes for the serving containers people use, each built
 * from the container's documented request and response format, and the resolution of
 * a preset plus explicit attributes into one {@link CapturePlan} the reader follows.
 *
 * A preset and an explicit attribute that the preset already sets contradict each
 * other: that is an error, not a silent preference (aws-cdk-lib and Solutions
 * Constructs reject contradictory props the same way).
 */
import { InputError } from './errors';
import {
  attributeName,
  compileSelector,
  type CaptureAttributes,
  type OutputPlan,
  type OutputShape,
  type Selector,
} from './capture-attributes';

/** One preset: attributes, how its output is shaped, and the payload kind it expects. */
export interface CapturePreset {
  /** One line for docs and `--help`. */
  readonly summary: string;
  /** Where the format is documented. */
  readonly source: string;
  readonly attributes: Pick<CaptureAttributes, 'features' | 'inference' | 'probability'>;
  /** The features selection is a list of instances, each one row (a scalar is a row of one feature). @default false: Model Monitor's meaning, a list of values is one row */
  readonly featureRows?: boolean;
  /** How the output selection becomes rows. @default 'auto' */
  readonly shape?: OutputShape;
  /** The payload kind the container speaks; the other kind is an error. @default either */
  readonly payload?: 'csv' | 'json';
  /** Attributes the user must add. @default none */
  readonly requires?: readonly (keyof CaptureAttributes)[];
}

/** The presets, by name. */
export const CAPTURE_PRESETS = {
  /**
   * SageMaker XGBoost: CSV features in, CSV scores out. An endpoint call answers ONE line,
   * the scores comma-joined (multi:softprob: `[p0, p1, p2]` per row); the reader spreads it
   * over the request's rows (lambdas/core/readers/xgboost-output.ts).
   */
  xgboost: {
    summary: 'SageMaker XGBoost: text/csv features in, text/csv scores out: one line for the request, comma-joined (multi:softprob: [p0, p1, ...] per row)',
    source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/cdf-inference.html',
    attributes: {},
    payload: 'csv',
  },
  /** SageMaker Linear Learner: `{"predictions": [{"score", "predicted_label"}]}`. */
  'linear-learner': {
    summary: 'SageMaker Linear Learner: {"predictions": [{"score", "predicted_label"}]}; score is P(1), the class vector, or the regression value',
    source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/LL-in-formats.html',
    attributes: { probability: 'predictions[*].score' },
    payload: 'json',
  },
  /** scikit-learn / PyTorch handlers: `{"probabilities": [[p0, p1, ...]]}`, one vector per row. */
  probabilities: {
    summary: 'scikit-learn / PyTorch style {"probabilities": [[p0, p1, ...], ...]}: one column per class',
    source: 'https://scikit-learn.org/stable/glossary.html#term-predict_proba',
    attributes: { probability: 'probabilities' },
    payload: 'json',
  },
  /** scikit-learn / PyTorch handlers: `{"predictions": [y, ...]}`, one value (or vector) per row. */
  predictions: {
    summary: 'scikit-learn / PyTorch style {"predictions": [y, ...]}: one value (or vector) per row',
    source: 'https://scikit-learn.org/stable/glossary.html#term-predict',
    attributes: { inference: 'predictions' },
    payload: 'json',
  },
  /** TensorFlow Serving REST predict API, row format: `{"instances": [...]}` → `{"predictions": [[...]]}`. */
  'tensorflow-serving': {
    summary: 'TensorFlow Serving REST predict, row format: {"instances": [...]} -> {"predictions": [[...], ...]}',
    source: 'https://www.tensorflow.org/tfx/serving/api_rest#predict_api',
    attributes: { features: 'instances', probability: 'predictions' },
    featureRows: true,
    payload: 'json',
  },
  /** Hugging Face text classification: `[{"label", "score"}]`; P(positive) from `positiveLabel`. */
  'huggingface-text-classification': {
    summary: 'Hugging Face text classification: {"inputs": "text"} -> [{"label", "score"}]; P(positive) from capture.positiveLabel',
    source: 'https://huggingface.co/docs/transformers/main_classes/pipelines#transformers.TextClassificationPipeline',
    attributes: { features: 'inputs', probability: '@' },
    shape: 'labelScore',
    payload: 'json',
    requires: ['positiveLabel'],
  },
  /** A bare probability vector per row, `[[p0, p1, p2], ...]` (or `[p0, p1, p2]` for one row): one column per class. */
  'probability-vector': {
    summary: 'a bare probability vector per row, [[p0, p1, ...], ...] (or [p0, p1, ...] for one row): one column per class',
    source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html',
    attributes: { probability: '@' },
    shape: 'vector',
    payload: 'json',
  },
} as const satisfies Record<string, CapturePreset>;

export type CapturePresetName = keyof typeof CAPTURE_PRESETS;

/** Every preset name, for schemas and `--capture-preset`. */
export const CAPTURE_PRESET_NAMES = Object.keys(CAPTURE_PRESETS) as CapturePresetName[];

/** Attributes and an optional preset: the config's `capture` block. */
export interface CaptureSettings extends CaptureAttributes {
  readonly preset?: CapturePresetName;
}

/** What the capture reader follows: compiled selectors, no guessing left. */
export interface CapturePlan {
  readonly features?: Selector;
  /** The features selection is a list of instances (see CapturePreset.featureRows). */
  readonly featureRows?: boolean;
  readonly output?: OutputPlan;
  readonly payload?: 'csv' | 'json';
  readonly preset?: CapturePresetName;
  readonly probabilityThreshold?: number;
}

/**
 * The plan of a `capture` block: the preset's attributes plus the explicit ones.
 *
 * @returns undefined when nothing is set (the reader reads unambiguous payloads only)
 * @throws InputError for an unknown preset, an attribute the preset already sets, a
 *   missing required attribute, a bad threshold or an unparsable expression
 */
export function capturePlan(settings: CaptureSettings | undefined): CapturePlan | undefined {
  if (!settings) return undefined;
  const { preset: name, ...own } = settings;
  const set = (Object.keys(own) as (keyof CaptureAttributes)[]).filter((k) => own[k] !== undefined);
  if (name === undefined && set.length === 0) return undefined;
  let preset: CapturePreset | undefined;
  if (name !== undefined) {
    preset = (CAPTURE_PRESETS as Record<string, CapturePreset>)[name];
    if (!preset) throw new InputError(`${attributeName('preset')} "${name}" is not a preset; expected one of ${CAPTURE_PRESET_NAMES.join(', ')}`);
    for (const k of set) {
      if (k in preset.attributes) {
        throw new InputError(`${attributeName(k)} contradicts ${attributeName('preset')} "${name}", which sets it to "${(preset.attributes as Record<string, string>)[k]}": give one or the other`);
      }
    }
    for (const k of preset.requires ?? []) {
      if (own[k] === undefined) throw new InputError(`${attributeName('preset')} "${name}" needs ${attributeName(k)}`);
    }
  }
  const merged: CaptureAttributes = { ...preset?.attributes, ...own };
  const t = merged.probabilityThreshold;
  if (t !== undefined && !(t > 0 && t < 1)) throw new InputError(`${attributeName('probabilityThreshold')} must be between 0 and 1 (exclusive), got ${t}`);
  const outputAttribute = merged.probability !== undefined ? 'probability' : merged.inference !== undefined ? 'inference' : undefined;
  const shape: OutputShape = preset?.shape ?? (merged.positiveLabel !== undefined && outputAttribute === 'probability' ? 'labelScore' : 'auto');
  if (merged.positiveLabel !== undefined && shape !== 'labelScore') {
    throw new InputError(`${attributeName('positiveLabel')} applies to label-and-score outputs: set ${attributeName('probability')} to the pairs (e.g. "@") or the preset "huggingface-text-classification"`);
  }
  return {
    ...(merged.features !== undefined ? { features: compileSelector(merged.features, 'features') } : {}),
    ...(preset?.featureRows && own.features === undefined ? { featureRows: true } : {}),
    ...(outputAttribute
      ? {
          output: {
            selector: compileSelector(merged[outputAttribute]!, outputAttribute),
            attribute: outputAttribute,
            shape,
            ...(merged.positiveLabel !== undefined ? { positiveLabel: merged.positiveLabel } : {}),
          },
        }
      : {}),
    ...(preset?.payload ? { payload: preset.payload } : {}),
    ...(name !== undefined ? { preset: name } : {}),
    ...(t !== undefined ? { probabilityThreshold: t } : {}),
  };
}
