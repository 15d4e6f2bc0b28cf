/**
 * The Monitor's metrics: one Parallel of branches, each one PutMetricData — the
 * per-feature drift scores, the live quality metrics (a Map turns each into one datum),
 * the summary (drifted features, new labeled samples), and, when the quality step
 * compared the outputs with the prediction reference, the estimated quality metrics
 * and the prediction drift score. A PutMetricData call takes
 * up to 1000 datums, so a model may have up to 1000 features. Too little data: no
 * DriftedFeatures datapoint (the alarm treats it as missing, not breaching).
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DIMENSIONS, CLOUDWATCH_METRIC_NAMES } from '../vocabulary/pipeline-names';
import type { MachineContext } from './context';
import { putMetrics } from './steps';

/** Builds one PutMetricData task of the Monitor. */
function putMetricData(scope: Construct, id: string, metricDataPath: string): tasks.CallAwsService {
  return putMetrics(scope, id, metricDataPath);
}

/** Builds the Parallel that publishes the run's metrics (its result is discarded). */
export function buildPublishMetrics(scope: Construct, model: MachineContext['model']): sfn.Parallel {
  const modelDimension = { Name: DIMENSIONS.model, Value: model.name };
  const driftData = new sfn.Map(scope, 'Drift datums', {
    itemsPath: '$.drift.features',
    itemSelector: {
      MetricName: CLOUDWATCH_METRIC_NAMES.drift,
      Unit: 'None',
      'Value.$': '$$.Map.Item.Value.score',
      Dimensions: [modelDimension, { Name: DIMENSIONS.feature, 'Value.$': '$$.Map.Item.Value.feature' }],
    },
    resultPath: '$.datums',
  });
  driftData.itemProcessor(new sfn.Pass(scope, 'Drift datum'));
  const qualityData = new sfn.Map(scope, 'Quality datums', {
    itemsPath: '$.quality.metrics',
    itemSelector: {
      MetricName: CLOUDWATCH_METRIC_NAMES.liveQuality,
      Unit: 'None',
      'Value.$': '$$.Map.Item.Value.value',
      Dimensions: [modelDimension, { Name: DIMENSIONS.metric, 'Value.$': '$$.Map.Item.Value.metric' }],
    },
    resultPath: '$.datums',
  });
  qualityData.itemProcessor(new sfn.Pass(scope, 'Quality datum'));
  const publish = new sfn.Parallel(scope, 'Publish metrics', { resultPath: sfn.JsonPath.DISCARD });
  publish.branch(
    new sfn.Choice(scope, 'Any drift scores?')
      .when(sfn.Condition.isPresent('$.drift.features[0]'), driftData.next(putMetricData(scope, 'Put drift metrics', '$.datums')))
      .otherwise(new sfn.Pass(scope, 'No drift scores')),
  );
  publish.branch(
    new sfn.Choice(scope, 'Any live metrics?')
      .when(sfn.Condition.isPresent('$.quality.metrics[0]'), qualityData.next(putMetricData(scope, 'Put quality metrics', '$.datums')))
      .otherwise(new sfn.Pass(scope, 'No live metrics')),
  );
  const newLabels = { MetricName: CLOUDWATCH_METRIC_NAMES.newLabeledSamples, Unit: 'Count', 'Value.$': '$.quality.newLabeledSamples', Dimensions: [modelDimension] };
  const summary = new sfn.Pass(scope, 'Summary datums', {
    parameters: {
      datums: [
        { MetricName: CLOUDWATCH_METRIC_NAMES.driftedFeatures, Unit: 'Count', 'Value.$': '$.drift.driftedFeatures', Dimensions: [modelDimension] },
        newLabels,
      ],
    },
  });
  // Too little data: no DriftedFeatures datapoint (the alarm treats it as missing, not breaching).
  const labelsOnly = new sfn.Pass(scope, 'Summary datums without drift', { parameters: { datums: [newLabels] } });
  const putSummary = putMetricData(scope, 'Put summary metrics', '$.datums');
  summary.next(putSummary);
  labelsOnly.next(putSummary);
  publish.branch(
    new sfn.Choice(scope, 'Drift judged?')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.drift.insufficientData'), sfn.Condition.booleanEquals('$.drift.insufficientData', true)), labelsOnly)
      .otherwise(summary),
  );
  const estimatedData = new sfn.Map(scope, 'Estimated quality datums', {
    itemsPath: '$.quality.estimated',
    itemSelector: {
      MetricName: CLOUDWATCH_METRIC_NAMES.estimatedQuality,
      Unit: 'None',
      'Value.$': '$$.Map.Item.Value.value',
      Dimensions: [modelDimension, { Name: DIMENSIONS.metric, 'Value.$': '$$.Map.Item.Value.metric' }],
    },
    resultPath: '$.datums',
  });
  estimatedData.itemProcessor(new sfn.Pass(scope, 'Estimated quality datum'));
  publish.branch(
    new sfn.Choice(scope, 'Any estimated metrics?')
      .when(sfn.Condition.isPresent('$.quality.estimated[0]'), estimatedData.next(putMetricData(scope, 'Put estimated quality metrics', '$.datums')))
      .otherwise(new sfn.Pass(scope, 'No estimated metrics')),
  );
  const predictionDrift = new sfn.Pass(scope, 'Prediction drift datum', {
    parameters: {
      datums: [{ MetricName: CLOUDWATCH_METRIC_NAMES.predictionDrift, Unit: 'None', 'Value.$': '$.quality.predictionDrift.score', Dimensions: [modelDimension] }],
    },
  });
  publish.branch(
    new sfn.Choice(scope, 'Prediction drift measured?')
      .when(sfn.Condition.isPresent('$.quality.predictionDrift.score'), predictionDrift.next(putMetricData(scope, 'Put prediction drift metric', '$.datums')))
      .otherwise(new sfn.Pass(scope, 'No prediction drift')),
  );
  return publish;
}
