/**
 * For a model with `data.dataset`, when the gate judged on the recent holdout: the same
 * candidate and production judged on the fixed holdout (`data.holdout`) too, for the
 * report only. Its holdout is prepared like the gate's (a features-only copy under
 * `transforms/<model>/<run>/input/fixed/`), both models are scored by batch transform,
 * and the evaluation's verdict is kept at `$.fixedHoldout.evaluation`. It decides
 * nothing: any failure on the way is recorded at `$.fixedHoldout.error` and the run goes
 * on to the gate's own verdict.
 *
 * Run fields it reads (set by the Retrain's `Prepare run` when the model has a dataset):
 * `$.run.fixedTransformInputUri`, `$.run.fixedLabelsUri`, `$.run.fixedCandidatePredictionsUri`,
 * `$.run.fixedProductionPredictionsUri`, `$.run.fixedMetricsUri`,
 * `$.run.fixedCandidateTransformJobName`, `$.run.fixedProductionTransformJobName`.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { VARIANT_PRODUCTION } from '../vocabulary/pipeline-names';
import type { MachineContext } from './context';
import { invokeLambda } from './steps';

/** Builds a batch transform Task: id, job name path, model name path, output path, input path. */
export type TransformFactory = (id: string, jobNamePath: string, modelNamePath: string, outputPath: string, inputPath: string) => sfn.State & sfn.INextable;

/** The run fields of the fixed judgment, as `Prepare run` Parameters (`States.Format` with the run id placeholder `{}`). */
export function fixedHoldoutRunFields(base: { transforms: string; models: string; smName: string; runId: string }): Record<string, string> {
  const { transforms, models, smName, runId } = base;
  return {
    'fixedTransformInputUri.$': `States.Format('${transforms}${runId}/input/fixed/holdout.csv', $.id)`,
    'fixedLabelsUri.$': `States.Format('${transforms}${runId}/fixed/labels.csv', $.id)`,
    'fixedCandidatePredictionsUri.$': `States.Format('${transforms}${runId}/fixed/candidate/', $.id)`,
    'fixedProductionPredictionsUri.$': `States.Format('${transforms}${runId}/fixed/production/', $.id)`,
    'fixedMetricsUri.$': `States.Format('${models}${runId}/fixed-metrics.json', $.id)`,
    'fixedCandidateTransformJobName.$': `States.Format('${smName}-candf', $.id)`,
    'fixedProductionTransformJobName.$': `States.Format('${smName}-prodf', $.id)`,
  };
}

/**
 * Builds the judgment. `start` is a Choice (a recent holdout?); every path ends in
 * `next`.
 */
export function buildFixedHoldoutJudgment(scope: Construct, ctx: MachineContext, transform: TransformFactory, next: sfn.IChainable): { start: sfn.State } {
  const { model, functions } = ctx;
  const notJudged = new sfn.Pass(scope, 'Fixed holdout not judged', { parameters: { 'error.$': '$.fixedHoldout.caught.Cause' }, resultPath: '$.fixedHoldout' });
  notJudged.next(next);
  const onError = <T extends sfn.TaskStateBase | sfn.Parallel>(state: T): T => {
    state.addCatch(notJudged, { errors: ['States.ALL'], resultPath: '$.fixedHoldout.caught' });
    return state;
  };
  const prepare = onError(
    invokeLambda(
      scope,
      'Prepare fixed holdout',
      functions.prepareHoldout,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        holdoutUri: model.data.holdout,
        label: model.label,
        problemType: model.problemType,
        features: (model.features ?? []).map((f) => f.name),
        'transformInputUri.$': '$.run.fixedTransformInputUri',
        'labelsUri.$': '$.run.fixedLabelsUri',
      },
      '$.fixedHoldout.holdout',
    ),
  );
  const input = '$.fixedHoldout.holdout.transformInputUri';
  const candidate = transform('Score fixed holdout with candidate', '$.run.fixedCandidateTransformJobName', '$.run.modelName', '$.run.fixedCandidatePredictionsUri', input);
  candidate.next(new sfn.Pass(scope, 'Candidate fixed predictions', { parameters: { 'uri.$': '$.run.fixedCandidatePredictionsUri' } }));
  const production = transform(
    'Score fixed holdout with production',
    '$.run.fixedProductionTransformJobName',
    '$.productionConfig.variants[0].ModelName',
    '$.run.fixedProductionPredictionsUri',
    input,
  );
  production.next(new sfn.Pass(scope, 'Production fixed predictions', { parameters: { 'uri.$': '$.run.fixedProductionPredictionsUri' } }));
  const score = onError(
    new sfn.Parallel(scope, 'Score fixed holdout', {
      resultSelector: { 'candidateUri.$': '$[0].uri', 'productionUri.$': '$[1].uri' },
      resultPath: '$.fixedHoldout.transforms',
    }),
  );
  score.branch(candidate);
  score.branch(
    new sfn.Choice(scope, 'Production model to score on the fixed holdout?')
      .when(
        sfn.Condition.and(
          sfn.Condition.booleanEquals('$.endpoint.exists', true),
          sfn.Condition.isPresent('$.productionConfig.variants[0]'),
          sfn.Condition.stringEquals('$.productionConfig.variants[0].VariantName', VARIANT_PRODUCTION),
        ),
        production,
      )
      .otherwise(new sfn.Pass(scope, 'No production to score on the fixed holdout', { result: sfn.Result.fromObject({ uri: '' }) })),
  );
  const evaluate = onError(
    invokeLambda(
      scope,
      'Evaluate on fixed holdout',
      functions.evaluate,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        problemType: model.problemType,
        label: model.label,
        ...(model.classes !== undefined ? { classes: model.classes } : {}),
        'labelsUri.$': '$.fixedHoldout.holdout.labelsUri',
        'candidatePredictionsUri.$': '$.fixedHoldout.transforms.candidateUri',
        'productionPredictionsUri.$': '$.fixedHoldout.transforms.productionUri',
        gate: model.gate,
        'metricsUri.$': '$.run.fixedMetricsUri',
      },
      '$.fixedHoldout.evaluation',
    ),
  );
  prepare.next(score).next(evaluate).next(next);
  const start = new sfn.Choice(scope, 'Recent holdout to compare?')
    .when(sfn.Condition.stringEquals('$.dataset.holdoutKind', 'recent'), prepare)
    .otherwise(next);
  return { start };
}
