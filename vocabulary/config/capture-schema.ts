/**
 * The `capture` block of a model: where the endpoint's data capture holds the features
 * and the prediction, with the meaning SageMaker Model Monitor gives its attributes
 * (see vocabulary/capture-attributes.ts), or a preset for a known serving
 * container (vocabulary/capture-presets.ts). Checked here as the reader will
 * use it, so a bad expression or a contradiction fails at synth, not in the Monitor.
 */
import { z } from 'zod';
import { InputError } from '../errors';
import { CAPTURE_PRESET_NAMES, capturePlan } from '../capture-presets';
import { nonEmpty, numberIn } from './fields';

/** One model's `capture` block. Absent: only unambiguous payloads are read (CSV, a scalar, a one-element array). */
export const CaptureSchema = z
  .strictObject({
    /** A serving container's attributes by name. @default none */
    preset: z.enum(CAPTURE_PRESET_NAMES).optional(),
    /** JMESPath into `endpointInput` (JSON) or 0-based column indexes (CSV) of the features. @default the whole payload */
    features: nonEmpty().optional(),
    /** JMESPath or CSV column of the predicted label or value in `endpointOutput`. @default none */
    inference: nonEmpty().optional(),
    /** JMESPath or CSV column(s) of the probability (binary: of the positive class; multiclass: one per class). @default none */
    probability: nonEmpty().optional(),
    /** Probability from which a binary prediction counts as positive in the hard-label metrics. @default 0.5 */
    probabilityThreshold: numberIn({ min: 0, max: 1, exclusiveMin: true }).optional(),
    /** The label whose score is P(positive), for label-and-score outputs (Hugging Face). @default none */
    positiveLabel: nonEmpty().optional(),
  })
  .superRefine((capture, ctx) => {
    // A threshold outside (0, 1] is reported by its field; check the rest without it.
    const t = capture.probabilityThreshold;
    try {
      capturePlan(t !== undefined && !(t > 0 && t <= 1) ? { ...capture, probabilityThreshold: undefined } : capture);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, input: capture });
    }
  });

/** A parsed `capture` block. */
export type CaptureConfig = z.output<typeof CaptureSchema>;
