/**
 * The trained model as stored in `model.json`: everything inference needs, plain JSON,
 * the same bytes for the same data and hyperparameters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../vocabulary/errors';

/** Value of `format` in every model.json this model writes. */
export const MODEL_FORMAT = 'pitstop-logistic-regression';

/** The file name of the model inside the model directory. */
export const MODEL_FILE = 'model.json';

const NumericEncoding = z.strictObject({
  name: z.string(),
  type: z.literal('numeric'),
  /** Training mean; also the value a missing cell takes. */
  mean: z.number(),
  /** Training standard deviation (1 when the column is constant). */
  scale: z.number().positive(),
});

const CategoricalEncoding = z.strictObject({
  name: z.string(),
  type: z.literal('categorical'),
  /** Categories seen in training, sorted; one weight each. Others encode as all zeros. */
  categories: z.array(z.string()),
});

/** How one input feature becomes encoded columns. */
export const FeatureEncodingSchema = z.discriminatedUnion('type', [NumericEncoding, CategoricalEncoding]);
export type FeatureEncoding = z.infer<typeof FeatureEncodingSchema>;

/** Inference-time fault injection, for canary-failure scenarios. */
export const FaultsSchema = z.strictObject({
  /** Milliseconds added to every invocation. */
  latencyMs: z.number().min(0),
  /** Share of invocations answered with HTTP 500. */
  errorRate: z.number().min(0).max(1),
});
export type Faults = z.infer<typeof FaultsSchema>;

/** The contents of model.json. */
export const ModelArtifactSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(1),
  /** The label column the model was trained on. */
  label: z.string(),
  /** The features in request order (the order of a CSV request's columns), with their encoding. */
  features: z.array(FeatureEncodingSchema).min(1),
  intercept: z.number(),
  /** One weight per encoded column: a numeric feature has one, a categorical one per category. */
  weights: z.array(z.number()),
  /** The resolved hyperparameters of the training. */
  hyperparameters: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  /** Training (and validation, when given) metrics, e.g. `train:auc`. */
  metrics: z.record(z.string(), z.number()),
  faults: FaultsSchema,
  /** The JSON response shape (hyperparameter json_response). @default 'predictions' */
  jsonResponse: z.enum(['predictions', 'probabilities']).optional(),
}).refine(
  (m) => m.weights.length === m.features.reduce((n, f) => n + (f.type === 'numeric' ? 1 : f.categories.length), 0),
  { message: 'weights must have one entry per encoded column' },
);
export type ModelArtifact = z.infer<typeof ModelArtifactSchema>;

/**
 * Reads and checks `<dir>/model.json`.
 *
 * @throws InputError naming the file when it is missing, not JSON or not a model
 */
export function loadModel(dir: string): ModelArtifact {
  const file = join(dir, MODEL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the model: ${(err as Error).message}`, { file }, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`model is not JSON: ${(err as Error).message}`, { file }, { cause: err });
  }
  const parsed = ModelArtifactSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InputError(`not a ${MODEL_FORMAT} model: ${issues}`, { file });
  }
  return parsed.data;
}
