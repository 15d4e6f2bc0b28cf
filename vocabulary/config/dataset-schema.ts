/**
 * The `data.dataset` block of a model: how a retrain assembles its training set and
 * holdout from the history (`data.training`) and the labeled production traffic (the
 * data capture joined with ground truth), and how it writes them for the training
 * container. Absent, a retrain trains on `data.training` and gates on `data.holdout` as
 * they are.
 */
import { z } from 'zod';
import { isoDuration, nonEmpty, numberIn } from './fields';

/** The base training data (`data.training`). */
export const HistorySchema = z
  .strictObject({
    /** Use only the most recent part of the history, this long (ISO 8601), by `timestampColumn`. @default the whole history */
    window: isoDuration().optional(),
    /** The history's column of row times (ISO 8601 or epoch seconds); required with `window`. @default none */
    timestampColumn: nonEmpty().optional(),
  })
  .superRefine((h, ctx) => {
    if (h.window !== undefined && h.timestampColumn === undefined) {
      ctx.addIssue({ code: 'custom', path: ['timestampColumn'], message: 'expected the column of row times, needed by history.window', input: h });
    }
  });

/** Labeled production rows: capture joined with ground truth. */
export const ProductionSchema = z.strictObject({
  /** Add the labeled production rows to the training set. @default true */
  enabled: z.boolean().default(true),
  /** How far back production rows are taken, by inference time (ISO 8601). @default 'P30D' */
  window: isoDuration().default('P30D'),
});

/** The holdout the gate scores candidate and production on. */
export const DatasetHoldoutSchema = z.strictObject({
  /**
   * `recent`: the newest `fraction` of the labeled production rows (a time split);
   * `fixed`: `data.holdout`. @default `recent` when the retrain finds labeled production rows, else `fixed`
   */
  kind: z.enum(['recent', 'fixed']).optional(),
  /** Share of the labeled production rows held out, by inference time. @default 0.2 */
  fraction: numberIn({ min: 0, max: 1, exclusiveMin: true }).default(0.2),
  /** Fewer recent holdout rows than this stops the run with `InsufficientLabels`. @default 500 */
  minRows: numberIn({ min: 1, integer: true }).default(500),
});

/** How the training channel is written. */
export const DatasetOutputSchema = z.strictObject({
  /** `csv` or `parquet`. @default 'csv' */
  format: z.enum(['csv', 'parquet']).default('csv'),
  /** CSV: a header line, label last; false: no header, label first (SageMaker's built-in algorithms). @default true */
  header: z.boolean().default(true),
});

/** One model's `data.dataset` block. */
export const DatasetSchema = z.strictObject({
  history: HistorySchema.prefault({}),
  production: ProductionSchema.prefault({}),
  holdout: DatasetHoldoutSchema.prefault({}),
  output: DatasetOutputSchema.prefault({}),
  /** Severity of a training/serving skew (drift between history and production rows): `warning`, `critical` (stops the run) or `off`. @default 'warning' */
  skew: z.enum(['warning', 'critical', 'off']).default('warning'),
});

/** A parsed `data.dataset` block. */
export type DatasetConfig = z.output<typeof DatasetSchema>;
