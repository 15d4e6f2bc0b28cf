/**
 * The part of a model's config the Lambdas need and the contracts do not carry:
 * label, problem type, features, validation limits, drift settings and where the data
 * capture holds features and prediction (`capture`).
 *
 * infra/functions.ts writes it as JSON into the `PITSTOP_MODEL_CONFIG` environment
 * variable of the functions that need it (validate, profile, drift, quality, smoke-test). It is
 * a subset rather than the whole config because Lambda allows 4 KB of environment
 * variables in all, and the whole config (training images, hyperparameters, schedules)
 * concerns the state machines only.
 */
import { z } from 'zod';
import type { ModelConfig } from '../../vocabulary/config/schema';
import { DRIFT_CORRECTIONS, DRIFT_METHODS, PROBLEM_TYPES, predictionDriftMethod } from '../../vocabulary/evaluation-names';
import { CAPTURE_PRESET_NAMES } from '../../vocabulary/capture-presets';
import type { ValidationThresholds } from '../core/validation/checks';
import { formatIssues } from './define-handler';
import { EnvironmentError } from './errors';

/** Name of the environment variable holding {@link ModelSettings} as JSON. */
export const MODEL_CONFIG_ENV = 'PITSTOP_MODEL_CONFIG';

const driftMethod = z.enum(DRIFT_METHODS);

/** The settings schema. */
export const ModelSettingsSchema = z.object({
  name: z.string(),
  problemType: z.enum(PROBLEM_TYPES),
  label: z.string(),
  /** Multiclass only. @default the number of score columns */
  classes: z.number().int().optional(),
  /** The config's features, in inference order; per-feature drift only where it differs from `drift`. @default inferred from the data */
  features: z
    .array(
      z.object({
        name: z.string(),
        type: z.enum(['numeric', 'categorical']),
        drift: z.object({ method: driftMethod, threshold: z.number().optional() }).optional(),
      }),
    )
    .optional(),
  /** The config's `validation` limits. @default the config defaults */
  validation: z.record(z.string(), z.number()).optional(),
  /** The config's `triggers.drift`. @default psi with its default threshold, one drifted feature */
  drift: z
    .object({
      method: driftMethod,
      threshold: z.number(),
      driftedFeatures: z.number().int().positive(),
      /** @default 'none' */
      correction: z.enum(DRIFT_CORRECTIONS).optional(),
      minEffect: z.number().min(0).max(1).optional(),
    })
    .optional(),
  /** Prediction drift's method and threshold (vocabulary predictionDriftMethod). @default from `drift` */
  predictionDrift: z.object({ method: driftMethod, threshold: z.number() }).optional(),
  /** The config's `capture` attributes or preset. @default none: only unambiguous capture payloads are read */
  capture: z
    .object({
      preset: z.enum(CAPTURE_PRESET_NAMES).optional(),
      features: z.string().optional(),
      inference: z.string().optional(),
      probability: z.string().optional(),
      probabilityThreshold: z.number().optional(),
      positiveLabel: z.string().optional(),
    })
    .optional(),
});

/** What the Lambdas know of their model beyond the event. */
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

/**
 * The settings of a parsed model config. Per-feature drift settings equal to the
 * model-wide ones are left out (the config fills them in for every feature).
 */
export function modelSettings(model: ModelConfig): ModelSettings {
  const drift = model.triggers.drift;
  return {
    name: model.name,
    problemType: model.problemType,
    label: model.label,
    ...(model.classes === undefined ? {} : { classes: model.classes }),
    ...(model.features
      ? {
          features: model.features.map((f) => {
            const own = f.drift && (f.drift.method !== drift.method || f.drift.threshold !== drift.threshold);
            return { name: f.name, type: f.type, ...(own ? { drift: { method: f.drift.method, threshold: f.drift.threshold } } : {}) };
          }),
        }
      : {}),
    validation: { ...model.validation },
    drift: {
      method: drift.method,
      threshold: drift.threshold,
      driftedFeatures: drift.driftedFeatures,
      correction: drift.correction,
      ...(drift.minEffect === undefined ? {} : { minEffect: drift.minEffect }),
    },
    predictionDrift: predictionDriftMethod(drift, model.triggers.predictionDrift),
    ...(model.capture ? { capture: { ...model.capture } } : {}),
  };
}

/**
 * Reads the settings from the environment.
 *
 * @param env @default process.env
 * @throws EnvironmentError when the variable is absent, not JSON or not settings
 */
export function loadModelSettings(env: Readonly<Record<string, string | undefined>> = process.env): ModelSettings {
  const text = env[MODEL_CONFIG_ENV];
  if (text === undefined || text === '') {
    throw new EnvironmentError(`${MODEL_CONFIG_ENV} is not set: this function needs the model's settings (infra/functions.ts sets them)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EnvironmentError(`${MODEL_CONFIG_ENV} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = ModelSettingsSchema.safeParse(value);
  if (!parsed.success) throw new EnvironmentError(`${MODEL_CONFIG_ENV} is invalid: ${formatIssues(parsed.error.issues).join('; ')}`);
  return parsed.data;
}

/** The validation limits of the settings, as `validateData` takes them. */
export function validationThresholds(settings: ModelSettings): Partial<ValidationThresholds> {
  return (settings.validation ?? {}) as Partial<ValidationThresholds>;
}
