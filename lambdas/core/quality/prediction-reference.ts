/**
 * The prediction reference recorded at promotion: the promoted model's predictions on
 * the holdout, with the holdout's labels, in holdout order. The `evaluate` Lambda
 * writes it (JSON) beside the candidate's metrics; the Monitor reads it for estimated
 * quality (CBPE calibrates on it) and prediction drift (the captured outputs are
 * compared with its predictions).
 *
 * Format (version 1): `{"version": 1, "problemType": "binary", "labels": [0, 1, ...],
 * "predictions": [[0.12], [0.87], ...]}`: one prediction row per label, each row the
 * values of one transform output line (binary: P(class 1), or P(0), P(1)).
 */
import { z } from 'zod';
import { InputError } from '../../../vocabulary/errors';
import { PROBLEM_TYPES } from '../../../vocabulary/evaluation-names';

export const PREDICTION_REFERENCE_VERSION = 1;

export const PredictionReferenceSchema = z
  .object({
    version: z.literal(PREDICTION_REFERENCE_VERSION),
    problemType: z.enum(PROBLEM_TYPES),
    labels: z.array(z.number()),
    predictions: z.array(z.array(z.number()).min(1)),
  })
  .refine((r) => r.labels.length === r.predictions.length, { message: 'labels and predictions must have the same length' });

/** A prediction reference (see the module header). */
export type PredictionReference = z.infer<typeof PredictionReferenceSchema>;

/**
 * Checks a parsed reference.
 * @throws InputError naming `file` and the first problem
 */
export function parsePredictionReference(json: unknown, file: string): PredictionReference {
  const parsed = PredictionReferenceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`not a prediction reference: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { file });
  }
  return parsed.data;
}

/**
 * The column of scores the prediction-side statistics use: the last value of each row
 * (P(class 1) for binary, whether the model answers P(1) or P(0), P(1); the prediction
 * for regression).
 */
export function scoreOf(rows: readonly (readonly number[])[]): Float64Array {
  return Float64Array.from(rows, (r) => r[r.length - 1]!);
}
