/**
 * Where the SageMaker container contracts put things, with the environment overrides
 * SageMaker's training toolkit sets (SM_*) and one of our own, `SM_ROOT`, that moves the
 * whole `/opt/ml` tree (local mode points it at a temporary directory).
 */
import { dirname, join } from 'node:path';

/** The default root of the SageMaker container layout. */
export const DEFAULT_SM_ROOT = '/opt/ml';

/** Paths of the training contract. */
export interface TrainingPaths {
  /** `SM_ROOT` or `/opt/ml`. */
  readonly root: string;
  /** Holds hyperparameters.json: `SM_INPUT_CONFIG_DIR` or `<root>/input/config`. */
  readonly inputConfigDir: string;
  /** The `train` channel: `SM_CHANNEL_TRAIN` or `<root>/input/data/train`. */
  readonly trainChannel: string;
  /** The optional `validation` channel: `SM_CHANNEL_VALIDATION` or `<root>/input/data/validation`. */
  readonly validationChannel: string;
  /** Where model.json goes: `SM_MODEL_DIR` or `<root>/model`. */
  readonly modelDir: string;
  /** `SM_OUTPUT_DIR`, else the parent of `SM_OUTPUT_DATA_DIR`, else `<root>/output`. */
  readonly outputDir: string;
  /** Extra outputs (metrics.json): `SM_OUTPUT_DATA_DIR` or `<outputDir>/data`. */
  readonly outputDataDir: string;
  /** The failure reason file: `<outputDir>/failure`. */
  readonly failureFile: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Resolves the training paths from the environment. */
export function trainingPaths(env: Env = process.env): TrainingPaths {
  const root = env.SM_ROOT || DEFAULT_SM_ROOT;
  const outputDir = env.SM_OUTPUT_DIR || (env.SM_OUTPUT_DATA_DIR ? dirname(env.SM_OUTPUT_DATA_DIR) : join(root, 'output'));
  return {
    root,
    inputConfigDir: env.SM_INPUT_CONFIG_DIR || join(root, 'input', 'config'),
    trainChannel: env.SM_CHANNEL_TRAIN || join(root, 'input', 'data', 'train'),
    validationChannel: env.SM_CHANNEL_VALIDATION || join(root, 'input', 'data', 'validation'),
    modelDir: env.SM_MODEL_DIR || join(root, 'model'),
    outputDir,
    outputDataDir: env.SM_OUTPUT_DATA_DIR || join(outputDir, 'data'),
    failureFile: join(outputDir, 'failure'),
  };
}

/** The model directory of the inference contract: `SM_MODEL_DIR`, else `<SM_ROOT>/model`, else `/opt/ml/model`. */
export function servingModelDir(env: Env = process.env): string {
  return env.SM_MODEL_DIR || join(env.SM_ROOT || DEFAULT_SM_ROOT, 'model');
}
