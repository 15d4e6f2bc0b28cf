/**
 * The Retrain's fixed-holdout judgment, for a model with `data.dataset` (between the
 * scoring and the promotion gate): when the gate judges on the recent holdout, the same
 * candidate and production are judged on the fixed holdout (`data.holdout`) too, for
 * the report only. Its holdout is prepared like the gate's (a features-only copy under
 * `transforms/<model>/<run>/input/fixed/`), both models are scored by batch transform,
 * and the evaluation's verdict is kept at `$.fixedHoldout.evaluation`. It decides
 * nothing: any failure on the way is recorded at `$.fixedHoldout.error` and the run goes
 * on to the gate.
 *
 * Run fields it reads (guard.ts sets them for a model with a dataset):
 * `fixedTransformInputUri`, `fixedLabelsUri`, `fixedCandidatePredictionsUri`,
 * `fixedProductionPredictionsUri`, `fixedMetricsUri`, `fixedCandidateTransformJobName`,
 * `fixedProductionTransformJobName`.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { hasProductionVariant } from '../production-variant';
import { invokeLambda } from '../steps';
import { RETRAIN_PATHS } from './paths';
import type { RetrainPhase, RetrainPhaseInputs } from './phase';
import type { TransformFactory } from './score';

const { run, fixedHoldout, endpoint, productionConfig } = RETRAIN_PATHS;

/** Builds the judgment phase; every way out continues with the promotion gate. */
export function buildFixedHoldout(inputs: RetrainPhaseInputs, transform: TransformFactory): RetrainPhase {
  const { scope, ctx } = inputs;
  const { model, functions } = ctx;
  const notJudged = new sfn.Pass(scope, 'Fixed holdout not judged', { parameters: { 'error.$': `${fixedHoldout}.caught.Cause` }, resultPath: fixedHoldout });
  const onError = <T extends sfn.TaskStateBase | sfn.Parallel>(state: T): T => {
    state.addCatch(notJudged, { errors: ['States.ALL'], resultPath: `${fixedHoldout}.caught` });
    return state;
  };
  const prepare = onError(
    invokeLambda(
      scope,
      'Prepare fixed holdout',
      functions.prepareHoldout,
      {
        model: model.name,
        'runId.$': `${run}.runId`,
        holdoutUri: model.data.holdout,
        label: model.label,
        problemType: model.problemType,
        features: (model.features ?? []).map((f) => f.name),
        'transformInputUri.$': `${run}.fixedTransformInputUri`,
        'labelsUri.$': `${run}.fixedLabelsUri`,
      },
      `${fixedHoldout}.holdout`,
    ),
  );
  const input = `${fixedHoldout}.holdout.transformInputUri`;
  const candidate = transform('Score fixed holdout with candidate', `${run}.fixedCandidateTransformJobName`, `${run}.modelName`, `${run}.fixedCandidatePredictionsUri`, input);
  candidate.next(new sfn.Pass(scope, 'Candidate fixed predictions', { parameters: { 'uri.$': `${run}.fixedCandidatePredictionsUri` } }));
  const production = transform(
    'Score fixed holdout with production',
    `${run}.fixedProductionTransformJobName`,
    `${productionConfig}.variants[0].ModelName`,
    `${run}.fixedProductionPredictionsUri`,
    input,
  );
  production.next(new sfn.Pass(scope, 'Production fixed predictions', { parameters: { 'uri.$': `${run}.fixedProductionPredictionsUri` } }));
  const score = onError(
    new sfn.Parallel(scope, 'Score fixed holdout', {
      resultSelector: { 'candidateUri.$': '$[0].uri', 'productionUri.$': '$[1].uri' },
      resultPath: `${fixedHoldout}.transforms`,
    }),
  );
  score.branch(candidate);
  score.branch(
    new sfn.Choice(scope, 'Production model to score on the fixed holdout?')
      .when(
        sfn.Condition.and(
          sfn.Condition.booleanEquals(`${endpoint}.exists`, true),
          hasProductionVariant(`${productionConfig}.variants`),
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
        'runId.$': `${run}.runId`,
        problemType: model.problemType,
        label: model.label,
        ...(model.classes !== undefined ? { classes: model.classes } : {}),
        'labelsUri.$': `${fixedHoldout}.holdout.labelsUri`,
        'candidatePredictionsUri.$': `${fixedHoldout}.transforms.candidateUri`,
        'productionPredictionsUri.$': `${fixedHoldout}.transforms.productionUri`,
        gate: model.gate,
        'metricsUri.$': `${run}.fixedMetricsUri`,
      },
      `${fixedHoldout}.evaluation`,
    ),
  );
  prepare.next(score).next(evaluate);
  const start = new sfn.Choice(scope, 'Recent holdout to compare?').when(sfn.Condition.stringEquals(`${RETRAIN_PATHS.dataset}.holdoutKind`, 'recent'), prepare);
  return {
    start,
    continueWith: (next) => {
      evaluate.next(next);
      notJudged.next(next);
      start.otherwise(next);
    },
  };
}
