/**
 * The Retrain's `Prepare dataset` step, for a model with `data.dataset`: the production
 * model's training cut-off read from the state item (empty when none is recorded), then
 * the `prepareDataset` Lambda, then a Choice on its status. It ends the run with
 * `InsufficientLabels` when the recent holdout is too small, with `DataQualityFailed`
 * when the training/serving skew is critical (`data.dataset.skew: critical`), and
 * otherwise goes on to the training-data validation of the assembled set.
 *
 * State written: `$.cutoff.value`, `$.dataset` (PrepareDatasetOutput). The later steps
 * read `$.dataset.trainingUri` (validation, profile, training channel),
 * `$.dataset.holdoutUri` (the gate's holdout) and `$.dataset.manifestUri` (the model
 * package's metadata); see {@link datasetPaths}.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { durationSeconds } from '../vocabulary/duration';
import { ARTIFACT_PREFIXES, VARIANT_PRODUCTION } from '../vocabulary/pipeline-names';
import type { MachineContext } from './context';
import { PITSTOP_ERRORS } from './errors';
import { STATE_ATTRIBUTES } from './lock-table';
import { invokeLambda } from './steps';

/** Where the rest of the Retrain reads the data it trains and gates on, with and without a dataset step. */
export function datasetPaths(ctx: Pick<MachineContext, 'model'>): {
  /** A Parameters entry (`'key'` or `'key.$'`) for the training data. */
  training: (key: string) => Record<string, string>;
  /** A Parameters entry for the gate's holdout. */
  holdout: (key: string) => Record<string, string>;
} {
  if (!ctx.model.data.dataset) {
    return { training: (key) => ({ [key]: ctx.model.data.training }), holdout: (key) => ({ [key]: ctx.model.data.holdout }) };
  }
  return { training: (key) => ({ [`${key}.$`]: '$.dataset.trainingUri' }), holdout: (key) => ({ [`${key}.$`]: '$.dataset.holdoutUri' }) };
}

/** How the step ends a run: a Pass that sets `$.end` and goes to the finish. */
export type EndRun = (id: string, outcome: string, error: string, cause: { path: string }) => sfn.IChainable;

/** The step's states: its first state, and the Choice whose `otherwise` the caller chains on. */
export interface DatasetStep {
  readonly start: sfn.State;
  /** Routes on `$.dataset.status`; give it `.otherwise(next)`. */
  readonly ready: sfn.Choice;
}

/**
 * Builds the step.
 *
 * @param catchAll adds the run's catch-all (ends as PipelineFailed) to a task
 * @param end builds a run end
 */
export function buildDatasetStep(
  scope: Construct,
  ctx: MachineContext,
  options: { readonly catchAll: <T extends sfn.TaskStateBase>(state: T) => T; readonly end: EndRun; readonly failedOutcome: string },
): DatasetStep {
  const { model, functions, bucket, artifactsPrefix } = ctx;
  const dataset = model.data.dataset;
  if (!dataset || !functions.prepareDataset) throw new Error(`expected data.dataset and the prepareDataset function for model "${model.name}"`);
  const cutoffPath = `$.state.Item.${STATE_ATTRIBUTES.trainingCutoff}.S`;
  const knownCutoff = new sfn.Pass(scope, 'Production cut-off', { parameters: { 'value.$': cutoffPath }, resultPath: '$.cutoff' });
  const noCutoff = new sfn.Pass(scope, 'No production cut-off', { result: sfn.Result.fromObject({ value: '' }), resultPath: '$.cutoff' });
  const start = new sfn.Choice(scope, 'Cut-off recorded?').when(sfn.Condition.isPresent(cutoffPath), knownCutoff).otherwise(noCutoff);

  const features = (model.features ?? []).map((f) => ({ name: f.name, type: f.type }));
  const prepare = options.catchAll(
    invokeLambda(
      scope,
      'Prepare dataset',
      functions.prepareDataset,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        problemType: model.problemType,
        label: model.label,
        features,
        'startedAt.$': '$$.Execution.StartTime',
        'trainingCutoff.$': '$.cutoff.value',
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
        'outputPrefix.$': `States.Format('s3://${bucket.bucketName}/${artifactsPrefix}${ARTIFACT_PREFIXES.datasets}${model.name}/{}/', $.run.runId)`,
      },
      '$.dataset',
      { timeout: Duration.minutes(15) },
    ),
  );
  knownCutoff.next(prepare);
  noCutoff.next(prepare);
  const insufficient = options.end('Insufficient labels', options.failedOutcome, PITSTOP_ERRORS.insufficientLabels, { path: '$.dataset.cause' });
  const skewed = options.end('Training/serving skew critical', options.failedOutcome, PITSTOP_ERRORS.dataQualityFailed, { path: '$.dataset.cause' });
  const ready = new sfn.Choice(scope, 'Dataset ready?')
    .when(sfn.Condition.stringEquals('$.dataset.status', 'insufficientLabels'), insufficient)
    .when(sfn.Condition.stringEquals('$.dataset.status', 'skewCritical'), skewed);
  prepare.next(ready);
  return { start, ready };
}
