/**
 * `PitstopAlarms`: the CloudWatch alarms of one model — the ones that trigger a
 * retrain, and the ones that report a failed or timed-out state machine execution.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import { DRIFT_METHOD_SCORE, predictionDriftMethod } from '../vocabulary/evaluation-names';
import { DIMENSIONS, METRICS_NAMESPACE, CLOUDWATCH_METRIC_NAMES, resourceName } from '../vocabulary/pipeline-names';
import { alarmWindowProblem, schedulePeriodSeconds } from '../vocabulary/periods';

/** Properties of {@link PitstopAlarms}. */
export interface PitstopAlarmsProps {
  /** The model: its name, features and `triggers` define the alarms. */
  readonly model: ModelConfig;
  /**
   * State machines whose `ExecutionsFailed` and `ExecutionsTimedOut` raise an alarm,
   * by role (e.g. `{ monitor, retrain, canary, rollback }`). A role names the alarm,
   * so it holds lowercase letters, digits and dashes.
   * @default {} (no execution alarms)
   */
  readonly stateMachines?: Readonly<Record<string, sfn.IStateMachine>>;
  /**
   * Topic notified when a state machine execution fails or times out.
   * @default no alarm action
   */
  readonly topic?: sns.ITopic;
  /**
   * Period of the alarms on the monitor's metrics: one monitor run per period, so
   * "N of M datapoints" counts runs.
   * @default the interval of `model.triggers.monitorSchedule` (see `schedulePeriodSeconds`)
   */
  readonly period?: Duration;
  /**
   * Period of the execution failure and timeout alarms.
   * @default Duration.minutes(5)
   */
  readonly executionAlarmPeriod?: Duration;
}

/**
 * CloudWatch alarms of one model.
 *
 * Retrain triggers, on the metrics the monitor publishes (namespace `Pitstop`,
 * dimension `Model`): `DriftedFeatures` >= `triggers.drift.driftedFeatures`, live
 * quality worse than `triggers.quality.threshold` (when configured; lower is worse
 * for scores, higher for losses), and `NewLabeledSamples` >= `triggers.newLabeledSamples`
 * (one datapoint is enough). Missing data is not breaching: a monitor run that did
 * not happen never starts a retrain.
 *
 * Estimated quality (`EstimatedQuality`, binary) below `triggers.estimatedQuality.threshold`
 * starts a retrain too, when configured.
 *
 * Per-feature `Drift` alarms (only when features are configured) show which feature
 * drifted; they have no action and do not trigger a retrain by themselves.
 *
 * The `PredictionDrift` alarm (binary and regression) watches the drift of the model's
 * outputs from its holdout predictions: informational, or a retrain trigger when
 * `triggers.predictionDrift` is configured.
 *
 * Every alarm has a fixed name `pitstop-<model>-...`, so the EventBridge rule and the
 * key policy can name them.
 *
 * @example
 * const alarms = new PitstopAlarms(this, 'Alarms', { model, stateMachines: { retrain }, topic });
 * alarms.retrainTriggers; // the alarms that start a retrain
 */
export class PitstopAlarms extends Construct {
  /** Alarms whose ALARM state starts the retrain state machine. */
  public readonly retrainTriggers: readonly cloudwatch.Alarm[];
  /** One alarm per configured feature on its `Drift` score (no action). */
  public readonly featureDriftAlarms: readonly cloudwatch.Alarm[];
  /** The informational `PredictionDrift` alarm (absent for multiclass, or when it is a retrain trigger). */
  public readonly predictionDriftAlarm?: cloudwatch.Alarm;
  /** `ExecutionsFailed` and `ExecutionsTimedOut` alarms of the state machines. */
  public readonly executionAlarms: readonly cloudwatch.Alarm[];

  public constructor(scope: Construct, id: string, props: PitstopAlarmsProps) {
    super(scope, id);
    const { model } = props;
    const { triggers } = model;
    const periodSeconds = props.period ? props.period.toSeconds() : schedulePeriodSeconds(triggers.monitorSchedule);
    const period = Duration.seconds(periodSeconds);
    const modelDimension = { [DIMENSIONS.model]: model.name };

    const window = (what: string, evaluationPeriods: number, datapointsToAlarm: number) => {
      const problem = alarmWindowProblem(periodSeconds, evaluationPeriods);
      if (problem) throw new Error(`${what}: ${problem}`);
      if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
        throw new Error(`${what}: expected datapointsToAlarm between 1 and evaluationPeriods (${evaluationPeriods}), got ${datapointsToAlarm}`);
      }
      return { evaluationPeriods, datapointsToAlarm };
    };
    const metric = (metricName: string, statistic: string, dimensions: Record<string, string>) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { ...modelDimension, ...dimensions },
        statistic,
        period,
      });
    const name = (suffix: string) => resourceName(model.name, suffix);

    // Retrain triggers.
    const drift = triggers.drift;
    requirePositive('triggers.drift.driftedFeatures', drift.driftedFeatures);
    const driftWindow = window('triggers.drift', drift.evaluationPeriods, drift.datapointsToAlarm);
    const retrainTriggers: cloudwatch.Alarm[] = [
      new cloudwatch.Alarm(this, 'DriftedFeatures', {
        alarmName: name('drifted-features'),
        alarmDescription: `pitstop ${model.name}: ${drift.driftedFeatures} or more features drifted in ${drift.datapointsToAlarm} of the last ${drift.evaluationPeriods} monitor runs; starts a retrain.`,
        metric: metric(CLOUDWATCH_METRIC_NAMES.driftedFeatures, cloudwatch.Stats.MAXIMUM, {}),
        threshold: drift.driftedFeatures,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...driftWindow,
      }),
    ];

    const quality = triggers.quality;
    if (quality) {
      const lowerIsWorse = quality.comparison === 'lowerIsWorse';
      retrainTriggers.push(
        new cloudwatch.Alarm(this, 'LiveQuality', {
          alarmName: name(`live-quality-${quality.metric}`),
          alarmDescription: `pitstop ${model.name}: live ${quality.metric} ${lowerIsWorse ? 'below' : 'above'} ${quality.threshold} in ${quality.datapointsToAlarm} of the last ${quality.evaluationPeriods} monitor runs; starts a retrain.`,
          metric: metric(CLOUDWATCH_METRIC_NAMES.liveQuality, cloudwatch.Stats.AVERAGE, { [DIMENSIONS.metric]: quality.metric }),
          threshold: quality.threshold,
          comparisonOperator: lowerIsWorse
            ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
            : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          ...window('triggers.quality', quality.evaluationPeriods, quality.datapointsToAlarm),
        }),
      );
    }

    const estimated = triggers.estimatedQuality;
    if (estimated && model.problemType === 'binary') {
      retrainTriggers.push(
        new cloudwatch.Alarm(this, 'EstimatedQuality', {
          alarmName: name(`estimated-quality-${estimated.metric}`),
          alarmDescription: `pitstop ${model.name}: ${estimated.metric} estimated without labels (CBPE) below ${estimated.threshold} in ${estimated.datapointsToAlarm} of the last ${estimated.evaluationPeriods} monitor runs; starts a retrain.`,
          metric: metric(CLOUDWATCH_METRIC_NAMES.estimatedQuality, cloudwatch.Stats.AVERAGE, { [DIMENSIONS.metric]: estimated.metric }),
          threshold: estimated.threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          ...window('triggers.estimatedQuality', estimated.evaluationPeriods, estimated.datapointsToAlarm),
        }),
      );
    }

    let predictionDriftAlarm: cloudwatch.Alarm | undefined;
    if (model.problemType !== 'multiclass') {
      const own = triggers.predictionDrift;
      const { method, threshold } = predictionDriftMethod(drift, own);
      const pValue = DRIFT_METHOD_SCORE[method] === 'pValue';
      const periods = own ?? drift;
      const alarm = new cloudwatch.Alarm(this, 'PredictionDrift', {
        alarmName: name('prediction-drift'),
        alarmDescription: `pitstop ${model.name}: drift of the model's outputs from its holdout predictions (${method}) ${pValue ? 'p-value below' : 'over'} ${threshold} in ${periods.datapointsToAlarm} of the last ${periods.evaluationPeriods} monitor runs. ${own ? 'Starts a retrain.' : 'Informational; set triggers.predictionDrift to retrain on it.'}`,
        metric: metric(CLOUDWATCH_METRIC_NAMES.predictionDrift, pValue ? cloudwatch.Stats.MINIMUM : cloudwatch.Stats.MAXIMUM, {}),
        threshold,
        comparisonOperator: pValue ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...window(own ? 'triggers.predictionDrift' : 'triggers.drift', periods.evaluationPeriods, periods.datapointsToAlarm),
      });
      if (own) retrainTriggers.push(alarm);
      else predictionDriftAlarm = alarm;
    }
    this.predictionDriftAlarm = predictionDriftAlarm;

    requirePositive('triggers.newLabeledSamples', triggers.newLabeledSamples);
    retrainTriggers.push(
      new cloudwatch.Alarm(this, 'NewLabeledSamples', {
        alarmName: name('new-labeled-samples'),
        alarmDescription: `pitstop ${model.name}: ${triggers.newLabeledSamples} or more new labeled samples since the last training; starts a retrain.`,
        metric: metric(CLOUDWATCH_METRIC_NAMES.newLabeledSamples, cloudwatch.Stats.MAXIMUM, {}),
        threshold: triggers.newLabeledSamples,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      }),
    );
    this.retrainTriggers = retrainTriggers;

    // Per-feature drift, for the dashboard and the console.
    const used = new Set<string>();
    this.featureDriftAlarms = (model.features ?? []).map((feature, index) => {
      const threshold = feature.drift?.threshold ?? drift.threshold;
      const method = feature.drift?.method ?? drift.method;
      const pValue = DRIFT_METHOD_SCORE[method] === 'pValue';
      // What the monitor publishes for a p-value method: the p-value after the
      // multiple-testing correction, the value the verdict used (core/drift/verdict.ts).
      const score = !pValue ? 'over' : drift.correction === 'none' ? 'p-value below' : `p-value adjusted for ${CORRECTION_NAMES[drift.correction]} below`;
      let slug = alarmSlug(feature.name);
      if (used.has(slug)) slug = `${slug}-${index}`;
      used.add(slug);
      return new cloudwatch.Alarm(this, `Drift${index}`, {
        alarmName: name(`drift-${slug}`),
        alarmDescription: `pitstop ${model.name}: drift of feature "${feature.name}" (${method}) ${score} ${threshold}${pValue && drift.minEffect !== undefined ? ` (a feature whose effect is under ${drift.minEffect} publishes at least the threshold)` : ''}. Informational; retraining follows the DriftedFeatures alarm.`,
        // p-value methods drift when the p-value is small: the worst run is the lowest.
        metric: metric(CLOUDWATCH_METRIC_NAMES.drift, pValue ? cloudwatch.Stats.MINIMUM : cloudwatch.Stats.MAXIMUM, { [DIMENSIONS.feature]: feature.name }),
        threshold,
        comparisonOperator: pValue ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...driftWindow,
      });
    });

    // State machine failures and timeouts.
    const executionPeriod = props.executionAlarmPeriod ?? Duration.minutes(5);
    const action = props.topic ? new actions.SnsAction(props.topic) : undefined;
    const executionAlarms: cloudwatch.Alarm[] = [];
    for (const [role, machine] of Object.entries(props.stateMachines ?? {})) {
      if (!/^[a-z][a-z0-9-]{0,31}$/.test(role)) {
        throw new Error(`expected a state machine role of lowercase letters, digits and dashes (e.g. "retrain"), got "${role}"`);
      }
      const roleId = role.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
      const kinds = [
        { suffix: 'executions-failed', id: 'ExecutionsFailed', what: 'failed', metric: machine.metricFailed({ period: executionPeriod, statistic: cloudwatch.Stats.SUM }) },
        { suffix: 'executions-timed-out', id: 'ExecutionsTimedOut', what: 'timed out', metric: machine.metricTimedOut({ period: executionPeriod, statistic: cloudwatch.Stats.SUM }) },
      ];
      for (const kind of kinds) {
        const alarm = new cloudwatch.Alarm(this, `${roleId}${kind.id}`, {
          alarmName: name(`${role}-${kind.suffix}`),
          alarmDescription: `pitstop ${model.name}: an execution of the ${role} state machine ${kind.what}.`,
          metric: kind.metric,
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        if (action) alarm.addAlarmAction(action);
        executionAlarms.push(alarm);
      }
    }
    this.executionAlarms = executionAlarms;
  }

  /** Every alarm of this construct. */
  public get alarms(): readonly cloudwatch.Alarm[] {
    return [...this.retrainTriggers, ...this.featureDriftAlarms, ...(this.predictionDriftAlarm ? [this.predictionDriftAlarm] : []), ...this.executionAlarms];
  }
}

/** The multiple-testing corrections, as an alarm description names them. */
const CORRECTION_NAMES = { bonferroni: 'Bonferroni', holm: 'Holm', bh: 'Benjamini-Hochberg' } as const;

/** A feature name made safe and short for an alarm name. */
function alarmSlug(featureName: string): string {
  const slug = featureName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
  return slug === '' ? 'feature' : slug;
}

function requirePositive(what: string, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`expected ${what} to be a number > 0, got ${value}`);
}
