/**
 * The Retrain's dataset phase, for a model with `data.dataset` (between the guard and
 * the training): the production model's training cut-off read from the state item
 * (empty when none is recorded), then the `prepareDataset` Lambda, then a Choice on its
 * status. It ends the run with `InsufficientLabels` when the recent holdout is too
 * small, with `DataQualityFailed` when the training/serving skew is critical
 * (`data.dataset.skew: critical`), and otherwise continues with the training, which
 * validates the assembled set.
 *
 * State written: `$.cutoff.value`, `$.dataset` (PrepareDatasetOutput). The later phases
 * read `$.dataset.trainingUri` (validation, profile, training channel),
 * `$.dataset.holdoutUri` (the gate's holdout) and `$.dataset.manifestUri` (the model
 * package's metadata); see {@link datasetPaths}.
 */
import { LAMBDA_STEP_BUDGET } from '../timeouts';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { durationSeconds } from '../../vocabulary/duration';
import { ARTIFACT_PREFIXES, OUTCOMES, VARIANT_PRODUCTION } from '../../vocabulary/pipeline-names';
import type { MachineContext } from '../context';
import { PITSTOP_ERRORS } from '../errors';
import { STATE_ATTRIBUTES } from '../lock-table';
import { invokeLambda } from '../steps';
import { RETRAIN_PATHS } from './paths';
import { catchUnexpected, endRun, type RetrainPhase, type RetrainPhaseInputs } from './phase';

/**
 * A run's dataset folder relative to the artifacts location (`data.artifactsUri`, else
 * the artifacts bucket's root): a `States.Format` template whose `{}` is the run id.
 * At most 9 + 32 + 1 + 45 + 1 characters of `[a-z0-9-/]` (model names are 1 to 32 of
 * `[a-z0-9-]`, run ids the model name, a dash and 12 hex digits).
 */
export const datasetRunKey = (modelName: string): string => `${ARTIFACT_PREFIXES.datasets}${modelName}/{}/`;

/** Where the rest of the Retrain reads the data it trains and gates on, with and without a dataset phase. */
export function datasetPaths(ctx: Pick<MachineContext, 'model'>): {
  /** A Parameters entry (`'key'` or `'key.$'`) for the training data. */
  training: (key: string) => Record<string, string>;
  /** A Parameters entry for the gate's holdout. */
  holdout: (key: string) => Record<string, string>;
} {
  if (!ctx.model.data.dataset) {
    return { training: (key) => ({ [key]: ctx.model.data.training }), holdout: (key) => ({ [key]: ctx.model.data.holdout }) };
  }
  return {
    training: (key) => ({ [`${key}.$`]: `${RETRAIN_PATHS.dataset}.trainingUri` }),
    holdout: (key) => ({ [`${key}.$`]: `${RETRAIN_PATHS.dataset}.holdoutUri` }),
  };
}

/** Builds the dataset phase; it continues (`$.dataset` ready) with the training. */
export function buildDataset(inputs: RetrainPhaseInputs): RetrainPhase {
  const { scope, ctx } = inputs;
  const { model, functions, bucket, artifactsPrefix } = ctx;
  const dataset = model.data.dataset;
  if (!dataset || !functions.prepareDataset) throw new Error(`expected data.dataset and the prepareDataset function for model "${model.name}"`);
  const cutoffPath = `${RETRAIN_PATHS.state}.Item.${STATE_ATTRIBUTES.trainingCutoff}.S`;
  const knownCutoff = new sfn.Pass(scope, 'Production cut-off', { parameters: { 'value.$': cutoffPath }, resultPath: RETRAIN_PATHS.cutoff });
  const noCutoff = new sfn.Pass(scope, 'No production cut-off', { result: sfn.Result.fromObject({ value: '' }), resultPath: RETRAIN_PATHS.cutoff });
  const start = new sfn.Choice(scope, 'Cut-off recorded?').when(sfn.Condition.isPresent(cutoffPath), knownCutoff).otherwise(noCutoff);

  const prepare = catchUnexpected(
    inputs,
    invokeLambda(
      scope,
      'Prepare dataset',
      functions.prepareDataset,
      {
        model: model.name,
        'runId.$': `${RETRAIN_PATHS.run}.runId`,
        problemType: model.problemType,
        label: model.label,
        features: (model.features ?? []).map((f) => ({ name: f.name, type: f.type })),
        'startedAt.$': '$$.Execution.StartTime',
        'trainingCutoff.$': `${RETRAIN_PATHS.cutoff}.value`,
        history: {
          uri: model.data.training,
          windowSeconds: dataset.history.window ? durationSeconds(dataset.history.window, 'data.dataset.history.window') : 0,
          timestampColumn: dataset.history.timestampColumn ?? '',
        },
        production: {
          enabled: dataset.production.enabled,
          windowSeconds: durationSeconds(dataset.production.window, 'data.dataset.production.window'),
          capturePrefix: `${model.data.captureUri.replace(/\/+$/, '')}/${model.endpointName}/${VARIANT_PRODUCTION}/`,
          captureLagSeconds: durationSeconds(model.monitor.captureLag, 'monitor.captureLag'),
          groundTruthUri: model.data.groundTruthUri,
        },
        holdout: { kind: dataset.holdout.kind ?? 'auto', fraction: dataset.holdout.fraction, minRows: dataset.holdout.minRows, fixedUri: model.data.holdout },
        output: dataset.output,
        skew: { severity: dataset.skew, method: model.triggers.drift.method, threshold: model.triggers.drift.threshold },
        'outputPrefix.$': `States.Format('s3://${bucket.bucketName}/${artifactsPrefix}${datasetRunKey(model.name)}', ${RETRAIN_PATHS.run}.runId)`,
      },
      RETRAIN_PATHS.dataset,
      { timeout: LAMBDA_STEP_BUDGET },
    ),
  );
  knownCutoff.next(prepare);
  noCutoff.next(prepare);
  const cause = { path: `${RETRAIN_PATHS.dataset}.cause` };
  const ready = new sfn.Choice(scope, 'Dataset ready?')
    .when(
      sfn.Condition.stringEquals(`${RETRAIN_PATHS.dataset}.status`, 'insufficientLabels'),
      endRun(inputs, 'Insufficient labels', OUTCOMES.failed, PITSTOP_ERRORS.insufficientLabels, cause),
    )
    .when(
      sfn.Condition.stringEquals(`${RETRAIN_PATHS.dataset}.status`, 'skewCritical'),
      endRun(inputs, 'Training/serving skew critical', OUTCOMES.failed, PITSTOP_ERRORS.dataQualityFailed, cause),
    );
  prepare.next(ready);
  return { start, continueWith: (next) => ready.otherwise(next) };
}
