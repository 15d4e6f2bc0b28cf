/**
 * `prepareDataset`: the Retrain's first data step. Assembles the training set (the
 * history plus the labeled production rows of the production window) and the holdout
 * (the most recent labeled rows, or `data.holdout`), writes them for the training job
 * and the gate with a manifest of what they were made of, and checks the
 * training/serving skew. See ./prepare.ts for the layout and lambdas/core/dataset for
 * the rules (join, duplicates, schema, time split).
 *
 * How the capture holds the features (the `capture` attributes or preset) comes from
 * the `PITSTOP_MODEL_CONFIG` environment variable (runtime/model-settings.ts).
 */
import { PrepareDatasetInput, type PrepareDatasetOutput } from '../../vocabulary/dataset-contracts';
import { captureReadOptions } from '../runtime/capture-settings';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { loadModelSettings } from '../runtime/model-settings';
import { prepareDataset } from './prepare';

export const handler = defineHandler('prepareDataset', PrepareDatasetInput, (input): Promise<PrepareDatasetOutput> =>
  prepareDataset(input, s3Client(), captureReadOptions(loadModelSettings())),
);
