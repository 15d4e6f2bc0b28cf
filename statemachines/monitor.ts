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
 * Each run covers one time window (lambdas/core/window): the schedule rule passes the
 * event's `time`; a console or CLI start uses the execution's start; a backfill names
 * it: `{"windowEnd": "2026-11-30T10:00:00Z", "window": "PT6H"}`. Too few rows in the
 * window (`monitor.minRows`) is `insufficientData`: no drift or quality datapoint,
 * a successful run, nobody notified.
 *
 * After publishing, the run re-arms the retrain triggers and starts a retrain for a
 * model that is too old (monitor-rearm.ts); the metrics it publishes are built in
 * monitor-metrics.ts.
 *
 * A backfill (`windowEnd` given) writes its report and publishes nothing, re-arms nothing.
 *
 * Input: `{}` or `{ trigger?, reason?, time?, windowEnd?, window? }`. Output: the
 * run's state. Fails with `DataQualityFailed` when the captured data is critical,
 * `PipelineFailed` on errors.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIXES, TRIGGER_KINDS, VARIANT_PRODUCTION } from '../vocabulary/pipeline-names';
import { schedulePeriodSeconds } from '../vocabulary/periods';
import { durationSeconds } from '../vocabulary/duration';
import type { MachineContext } from './context';
import { PITSTOP_ERRORS, SERVICE_RETRY, withRetry } from './errors';
import { STATE_ATTRIBUTES, stateKey } from './lock-table';
import { buildPublishMetrics } from './monitor-metrics';
import { buildFanOut } from './monitor-fan-out';
import { buildRearm } from './monitor-rearm';
import { invokeLambda, notify } from './steps';

/** What the Monitor needs besides its context. */
export interface MonitorTargets {
  /** Started with trigger `maxAge` when the production model is too old. */
  readonly retrain: sfn.IStateMachine;
}

/** The constant part of the `window` the Monitor passes to its Lambdas (contracts.ts MonitorWindowInput). */
export function monitorWindowSettings(model: MachineContext['model']) {
  const periodSeconds = schedulePeriodSeconds(model.triggers.monitorSchedule);
  return {
    periodSeconds,
    defaultLengthSeconds: model.monitor.window ? durationSeconds(model.monitor.window, 'monitor.window') : periodSeconds,
    captureLagSeconds: durationSeconds(model.monitor.captureLag, 'monitor.captureLag'),
    labelDelaySeconds: durationSeconds(model.monitor.labelDelay, 'monitor.labelDelay'),
    minRows: model.monitor.minRows,
    capturePrefix: `${model.data.captureUri.replace(/\/+$/, '')}/${model.endpointName}/${VARIANT_PRODUCTION}/`,
  };
}

/** Attributes of the state item the Monitor reads, with the value it uses when one is absent. */
const RECORDED_DEFAULTS = {
  [STATE_ATTRIBUTES.baselineUri]: { S: '' },
  [STATE_ATTRIBUTES.predictionReferenceUri]: { S: '' },
  [STATE_ATTRIBUTES.trainingCutoff]: { S: '' },
  [STATE_ATTRIBUTES.cooldownUntil]: { S: '' },
  [STATE_ATTRIBUTES.retryAfter]: { S: '' },
  [STATE_ATTRIBUTES.maxAgeAt]: { S: '' },
} as const;

/** Builds the Monitor definition in `scope`. */
export function buildMonitor(scope: Construct, ctx: MachineContext, targets: MonitorTargets): sfn.IChainable {
  const { model, functions, topic, lockTable, bucket, artifactsPrefix } = ctx;

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
  const catchAll = <T extends sfn.TaskStateBase | sfn.Parallel | sfn.Map | sfn.DistributedMap>(state: T): T => {
    state.addCatch(errored, { errors: ['States.ALL'], resultPath: '$.caught' });
    return state;
  };

  const name = new sfn.Pass(scope, 'Name monitor run', {
    parameters: {
      'id.$': "States.ArrayGetItem(States.StringSplit(States.UUID(), '-'), 4)",
      defaults: { trigger: TRIGGER_KINDS.manual, reason: '', time: '', windowEnd: '', window: '' },
      recordedDefaults: RECORDED_DEFAULTS,
      'input.$': '$',
    },
  });
  const runId = `${model.name}-monitor-{}`;
  const prepare = new sfn.Pass(scope, 'Prepare monitor run', {
    parameters: {
      'request.$': 'States.JsonMerge($.defaults, $.input, false)',
      'recordedDefaults.$': '$.recordedDefaults',
      run: {
        model: model.name,
        'runId.$': `States.Format('${runId}', $.id)`,
        'recordUri.$': `States.Format('s3://${bucket.bucketName}/${artifactsPrefix}${ARTIFACT_PREFIXES.runs}${model.name}/${runId}.json', $.id)`,
        'reportUri.$': `States.Format('s3://${bucket.bucketName}/${artifactsPrefix}${ARTIFACT_PREFIXES.reports}${model.name}/${runId}.md', $.id)`,
      },
    },
  });
  const describeWindow = new sfn.Pass(scope, 'Describe window', {
    parameters: {
      'time.$': '$.request.time',
      'startedAt.$': '$$.Execution.StartTime',
      'windowEnd.$': '$.request.windowEnd',
      'length.$': '$.request.window',
      ...monitorWindowSettings(model),
    },
    resultPath: '$.window',
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
  // Every attribute read later, with '' for those the item lacks (no model yet, or
  // recorded before the attribute existed): paths that might be missing fail a state.
  const recorded = new sfn.Pass(scope, 'Read recorded state', {
    parameters: { 'item.$': 'States.JsonMerge($.recordedDefaults, $.state.Item, false)' },
    resultPath: '$.recorded',
  });
  const nothingRecorded = new sfn.Pass(scope, 'Nothing recorded yet', {
    parameters: { 'item.$': '$.recordedDefaults' },
    resultPath: '$.recorded',
  });
  const at = (attribute: string) => `$.recorded.item.${attribute}.S`;
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
        'baselineUri.$': at(STATE_ATTRIBUTES.baselineUri),
        'window.$': '$.window',
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
      {
        model: model.name,
        'runId.$': '$.run.runId',
        captureUri: model.data.captureUri,
        'baselineUri.$': at(STATE_ATTRIBUTES.baselineUri),
        'window.$': '$.window',
      },
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
        'window.$': '$.window',
        'labelsSince.$': at(STATE_ATTRIBUTES.trainingCutoff),
        'referenceUri.$': at(STATE_ATTRIBUTES.predictionReferenceUri),
      },
      '$.quality',
    ),
  );

  const publish = catchAll(buildPublishMetrics(scope, model));
  const completed = new sfn.Pass(scope, 'Monitor done', {
    result: sfn.Result.fromObject({ outcome: 'Completed', error: '', cause: '' }),
    resultPath: '$.end',
  });


  const rearm = buildRearm(scope, ctx, { retrain: targets.retrain, completed, catchAll, recorded: at });

  const tooLittle = new sfn.Pass(scope, 'Too little captured data', {
    parameters: { features: [], driftedFeatures: 0, 'rows.$': '$.validation.rows', insufficientData: true },
    resultPath: '$.drift',
  });

  name.next(prepare).next(describeWindow).next(loadState).next(
    new sfn.Choice(scope, 'State recorded?').when(sfn.Condition.isPresent('$.state.Item'), recorded).otherwise(nothingRecorded),
  );
  const insufficient = sfn.Condition.and(sfn.Condition.isPresent('$.validation.insufficientData'), sfn.Condition.booleanEquals('$.validation.insufficientData', true));
  // A large window fans out (monitor-fan-out.ts): its merged outputs skip the single path's drift step.
  const merged = new sfn.Choice(scope, 'Merged data usable?')
    .when(sfn.Condition.stringEquals('$.validation.status', 'critical'), critical)
    .when(insufficient, tooLittle)
    .otherwise(quality);
  const plan = buildFanOut(scope, ctx, { single: validate, merged, catchAll, baselinePath: at(STATE_ATTRIBUTES.baselineUri) });
  recorded.next(plan);
  nothingRecorded.next(plan);
  validate.next(
    new sfn.Choice(scope, 'Captured data usable?')
      .when(sfn.Condition.stringEquals('$.validation.status', 'critical'), critical)
      .when(insufficient, tooLittle)
      .otherwise(drift),
  );
  tooLittle.next(quality);
  // A backfill reports its window and publishes nothing: PutMetricData would stamp past
  // windows' datapoints with the current time, and re-arming belongs to the present.
  const backfill = new sfn.Pass(scope, 'Backfill: report only', { result: sfn.Result.fromObject({ rearmed: false, reason: 'a backfill publishes no datapoint and re-arms nothing' }), resultPath: '$.rearm' });
  backfill.next(completed);
  drift.next(quality).next(
    new sfn.Choice(scope, 'Backfill?').when(sfn.Condition.not(sfn.Condition.stringEquals('$.request.windowEnd', '')), backfill).otherwise(publish),
  );
  publish.next(rearm.start);
  completed.next(report);
  return name;
}
