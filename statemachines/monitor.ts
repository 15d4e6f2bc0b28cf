/**
 * The Monitor state machine: validates the endpoint's captured requests, measures
 * per-feature drift against the baseline and live quality against ground truth,
 * publishes the metrics the retrain alarms watch, and writes a report.
 *
 * Metrics are published by the state machine itself with CloudWatch PutMetricData
 * (an AWS SDK task), not by the Lambdas: the Lambdas return plain numbers
 * (contracts.ts) and the metric names and dimensions live in one place
 * (infra/names.ts), next to the alarms that read them. A Map turns each per-feature
 * drift score and each live metric into one datum. A PutMetricData call takes up to
 * 1000 datums, so a model may have up to 1000 features.
 *
 * Input: `{}` (anything else is ignored). Output: the run's state. Fails with
 * `DataQualityFailed` when the captured data is critical, `PipelineFailed` on errors.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIXES, DIMENSIONS, METRIC_NAMES } from '../infra/names';
import type { MachineContext } from './context';
import { PITSTOP_ERRORS, SERVICE_RETRY, withRetry } from './errors';
import { STATE_ATTRIBUTES, stateKey } from './lock-table';
import { invokeLambda, notify, putMetrics } from './steps';

/** Builds one PutMetricData task of the Monitor. */
function putMetricData(scope: Construct, id: string, metricDataPath: string): tasks.CallAwsService {
  return putMetrics(scope, id, metricDataPath);
}

/** Builds the Monitor definition in `scope`. */
export function buildMonitor(scope: Construct, ctx: MachineContext): sfn.IChainable {
  const { model, functions, topic, lockTable, bucket, artifactsPrefix } = ctx;
  const modelDimension = { Name: DIMENSIONS.model, Value: model.name };

  const fail = (error: string) => new sfn.Fail(scope, `Monitor ${error}`, { error, causePath: '$.end.cause' });
  const failRoute = new sfn.Choice(scope, 'Monitor ended with?')
    .when(sfn.Condition.stringEquals('$.end.error', PITSTOP_ERRORS.dataQualityFailed), fail(PITSTOP_ERRORS.dataQualityFailed))
    .when(sfn.Condition.stringEquals('$.end.error', ''), new sfn.Succeed(scope, 'Monitor completed'))
    .otherwise(fail(PITSTOP_ERRORS.pipelineFailed));
  const notifyProblem = notify(
    scope,
    'Notify monitor problem',
    {
      topic,
      subject: `States.Format('pitstop ${model.name}: monitor {}', $.end.error)`,
      message: `States.Format('Monitor run {} of model ${model.name} failed with {}: {}', $.run.runId, $.end.error, $.end.cause)`,
    },
    failRoute,
  );
  const report = invokeLambda(
    scope,
    'Write report',
    functions.report,
    {
      kind: 'monitor',
      model: model.name,
      'runId.$': '$.run.runId',
      'executionId.$': '$$.Execution.Id',
      'startedAt.$': '$$.Execution.StartTime',
      'outcome.$': '$.end.outcome',
      'error.$': '$.end.error',
      'cause.$': '$.end.cause',
      'details.$': '$',
      'recordUri.$': '$.run.recordUri',
      'reportUri.$': '$.run.reportUri',
    },
    '$.report',
    { timeout: Duration.minutes(5) },
  );
  report.addCatch(notifyProblem, { errors: ['States.ALL'], resultPath: '$.reportError' });
  report.next(
    new sfn.Choice(scope, 'Monitor healthy?').when(sfn.Condition.stringEquals('$.end.error', ''), failRoute).otherwise(notifyProblem),
  );
  const errored = new sfn.Pass(scope, 'Monitor error', {
    parameters: { outcome: 'Failed', error: PITSTOP_ERRORS.pipelineFailed, 'cause.$': '$.caught.Cause' },
    resultPath: '$.end',
  }).next(report);
  const catchAll = <T extends sfn.TaskStateBase | sfn.Parallel | sfn.Map>(state: T): T => {
    state.addCatch(errored, { errors: ['States.ALL'], resultPath: '$.caught' });
    return state;
  };

  const name = new sfn.Pass(scope, 'Name monitor run', {
    parameters: { 'id.$': "States.ArrayGetItem(States.StringSplit(States.UUID(), '-'), 4)" },
  });
  const runId = `${model.name}-monitor-{}`;
  const prepare = new sfn.Pass(scope, 'Prepare monitor run', {
    parameters: {
      run: {
        model: model.name,
        'runId.$': `States.Format('${runId}', $.id)`,
        'recordUri.$': `States.Format('s3://${bucket.bucketName}/${artifactsPrefix}${ARTIFACT_PREFIXES.runs}${model.name}/${runId}.json', $.id)`,
        'reportUri.$': `States.Format('s3://${bucket.bucketName}/${artifactsPrefix}${ARTIFACT_PREFIXES.reports}${model.name}/${runId}.md', $.id)`,
      },
    },
  });
  const loadState = catchAll(
    withRetry(
      new tasks.DynamoGetItem(scope, 'Load production state', {
        table: lockTable,
        key: { pk: tasks.DynamoAttributeValue.fromString(stateKey(model.name)) },
        resultPath: '$.state',
        taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      }),
      SERVICE_RETRY,
    ),
  );
  const baselinePath = `$.state.Item.${STATE_ATTRIBUTES.baselineUri}.S`;
  const withBaseline = new sfn.Pass(scope, 'Use recorded baseline', {
    parameters: { 'uri.$': baselinePath },
    resultPath: '$.baseline',
  });
  const noBaseline = new sfn.Pass(scope, 'No baseline yet', { result: sfn.Result.fromObject({ uri: '' }), resultPath: '$.baseline' });

  const validate = catchAll(
    invokeLambda(
      scope,
      'Validate captured data',
      functions.validate,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        target: 'captured',
        dataUri: model.data.captureUri,
        'baselineUri.$': '$.baseline.uri',
      },
      '$.validation',
    ),
  );
  const critical = new sfn.Pass(scope, 'Captured data critical', {
    parameters: {
      outcome: 'Failed',
      error: PITSTOP_ERRORS.dataQualityFailed,
      'cause.$': "States.Format('Captured data failed critical checks: {}', States.JsonToString($.validation.checks))",
    },
    resultPath: '$.end',
  }).next(report);
  const drift = catchAll(
    invokeLambda(
      scope,
      'Detect drift',
      functions.drift,
      { model: model.name, 'runId.$': '$.run.runId', captureUri: model.data.captureUri, 'baselineUri.$': '$.baseline.uri' },
      '$.drift',
    ),
  );
  const quality = catchAll(
    invokeLambda(
      scope,
      'Measure quality',
      functions.quality,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        captureUri: model.data.captureUri,
        groundTruthUri: model.data.groundTruthUri,
        problemType: model.problemType,
        label: model.label,
      },
      '$.quality',
    ),
  );

  // PublishMetrics: three branches, each one PutMetricData.
  const driftData = new sfn.Map(scope, 'Drift datums', {
    itemsPath: '$.drift.features',
    itemSelector: {
      MetricName: METRIC_NAMES.drift,
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
      MetricName: METRIC_NAMES.liveQuality,
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
  const summary = new sfn.Pass(scope, 'Summary datums', {
    parameters: {
      datums: [
        { MetricName: METRIC_NAMES.driftedFeatures, Unit: 'Count', 'Value.$': '$.drift.driftedFeatures', Dimensions: [modelDimension] },
        { MetricName: METRIC_NAMES.newLabeledSamples, Unit: 'Count', 'Value.$': '$.quality.newLabeledSamples', Dimensions: [modelDimension] },
      ],
    },
  });
  publish.branch(summary.next(putMetricData(scope, 'Put summary metrics', '$.datums')));
  catchAll(publish);
  const completed = new sfn.Pass(scope, 'Monitor done', {
    result: sfn.Result.fromObject({ outcome: 'Completed', error: '', cause: '' }),
    resultPath: '$.end',
  });

  name.next(prepare).next(loadState).next(
    new sfn.Choice(scope, 'Baseline recorded?').when(sfn.Condition.isPresent(baselinePath), withBaseline).otherwise(noBaseline),
  );
  withBaseline.next(validate);
  noBaseline.next(validate);
  validate.next(
    new sfn.Choice(scope, 'Captured data usable?')
      .when(sfn.Condition.stringEquals('$.validation.status', 'critical'), critical)
      .otherwise(drift),
  );
  drift.next(quality).next(publish).next(completed).next(report);
  return name;
}
