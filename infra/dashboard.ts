/**
 * `PitstopDashboard`: one CloudWatch dashboard per model.
 */
import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import {
  DIMENSIONS,
  METRICS_NAMESPACE,
  CLOUDWATCH_METRIC_NAMES,
  OUTCOMES,
  VARIANT_CANDIDATE,
  VARIANT_PRODUCTION,
  resourceName,
} from '../vocabulary/pipeline-names';
import { schedulePeriodSeconds } from '../vocabulary/periods';
import { DRIFT_METHOD_SCORE, ESTIMATED_QUALITY_METRICS, predictionDriftMethod } from '../vocabulary/evaluation-names';

/** Namespace of SageMaker endpoint invocation metrics. */
export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';

/** Properties of {@link PitstopDashboard}. */
export interface PitstopDashboardProps {
  /** The model: name, endpoint, features and thresholds. */
  readonly model: ModelConfig;
  /**
   * State machines whose executions are graphed, by role (e.g. `{ monitor, retrain }`).
   * @default {} (run outcomes come from the `RunOutcome` metric alone)
   */
  readonly stateMachines?: Readonly<Record<string, sfn.IStateMachine>>;
  /**
   * Alarms shown in an alarm status widget.
   * @default [] (no alarm widget)
   */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /**
   * Dashboard name (dashboards are global to the account, hence the region in the default).
   * @default `pitstop-<model>-<region>`
   */
  readonly dashboardName?: string;
  /**
   * Period of the graphs of the monitor's metrics.
   * @default the interval of `model.triggers.monitorSchedule`
   */
  readonly period?: Duration;
  /**
   * Period of the endpoint graphs.
   * @default Duration.minutes(5)
   */
  readonly endpointPeriod?: Duration;
}

/**
 * A CloudWatch dashboard of one model: drift (per feature when features are
 * configured, else the number of drifted features), live quality, estimated quality
 * beside live quality (binary) and prediction drift (not multiclass), new labeled
 * samples, run outcomes, and the endpoint's latency (p95, p99) and 5XX errors per
 * variant.
 *
 * Endpoint graphs use the two variant names the canary keeps on the endpoint,
 * {@link VARIANT_PRODUCTION} and {@link VARIANT_CANDIDATE}, rather than a SEARCH
 * expression: the graphs stay exact and the thresholds line up, and the candidate
 * line is simply empty outside a canary.
 *
 * @example
 * new PitstopDashboard(this, 'Dashboard', { model, alarms: alarms.alarms });
 */
export class PitstopDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: PitstopDashboardProps) {
    super(scope, id);
    const { model } = props;
    const dashboardName = props.dashboardName ?? resourceName(model.name, Aws.REGION);
    if (!Token.isUnresolved(dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(dashboardName)) {
      throw new Error(`expected a dashboard name of letters, digits, "-" and "_" (at most 255), got "${dashboardName}"`);
    }
    const period = props.period ?? Duration.seconds(schedulePeriodSeconds(model.triggers.monitorSchedule));
    const endpointPeriod = props.endpointPeriod ?? Duration.minutes(5);
    const pitstopMetric = (metricName: string, statistic: string, dimensions: Record<string, string>, label?: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [DIMENSIONS.model]: model.name, ...dimensions },
        statistic,
        period,
        label,
      });
    const endpointMetric = (metricName: string, variant: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: SAGEMAKER_NAMESPACE,
        metricName,
        dimensionsMap: { EndpointName: model.endpointName, VariantName: variant },
        statistic,
        period: endpointPeriod,
        label,
      });

    const { drift, quality } = model.triggers;
    const features = model.features ?? [];
    const driftWidget =
      features.length > 0
        ? new cloudwatch.GraphWidget({
            title: 'Drift per feature',
            left: features.map((f) => pitstopMetric(CLOUDWATCH_METRIC_NAMES.drift, cloudwatch.Stats.MAXIMUM, { [DIMENSIONS.feature]: f.name }, f.name)),
            leftAnnotations: [{ value: drift.threshold, label: `default threshold ${drift.threshold}`, color: cloudwatch.Color.RED }],
            width: 12,
          })
        : new cloudwatch.GraphWidget({
            title: 'Drifted features',
            left: [pitstopMetric(CLOUDWATCH_METRIC_NAMES.driftedFeatures, cloudwatch.Stats.MAXIMUM, {}, 'drifted features')],
            leftAnnotations: [{ value: drift.driftedFeatures, label: 'retrain trigger', color: cloudwatch.Color.RED }],
            width: 12,
          });

    const qualityWidget = quality
      ? new cloudwatch.GraphWidget({
          title: `Live quality (${quality.metric})`,
          left: [pitstopMetric(CLOUDWATCH_METRIC_NAMES.liveQuality, cloudwatch.Stats.AVERAGE, { [DIMENSIONS.metric]: quality.metric }, quality.metric)],
          leftAnnotations: [{ value: quality.threshold, label: 'retrain trigger', color: cloudwatch.Color.RED }],
          width: 12,
        })
      : new cloudwatch.GraphWidget({
          title: 'Live quality',
          left: [
            new cloudwatch.MathExpression({
              // Every quality metric the monitor publishes for this model, one line each.
              expression: `SEARCH('{${METRICS_NAMESPACE},${DIMENSIONS.model},${DIMENSIONS.metric}} MetricName="${CLOUDWATCH_METRIC_NAMES.liveQuality}" ${DIMENSIONS.model}="${model.name}"', 'Average', ${period.toSeconds()})`,
              label: '',
              period,
            }),
          ],
          width: 12,
        });

    // Binary: the quality estimated without labels beside the live one, same metric, so
    // the estimate can be seen running ahead of the labels.
    const outputWidgets: cloudwatch.IWidget[] = [];
    if (model.problemType === 'binary') {
      const estimated = model.triggers.estimatedQuality;
      const liveMetric = quality?.metric;
      const shown = estimated?.metric ?? (liveMetric && (ESTIMATED_QUALITY_METRICS as readonly string[]).includes(liveMetric) ? liveMetric : 'f1');
      outputWidgets.push(
        new cloudwatch.GraphWidget({
          title: `Estimated and live quality (${shown})`,
          left: [
            pitstopMetric(CLOUDWATCH_METRIC_NAMES.estimatedQuality, cloudwatch.Stats.AVERAGE, { [DIMENSIONS.metric]: shown }, `estimated ${shown}`),
            pitstopMetric(CLOUDWATCH_METRIC_NAMES.liveQuality, cloudwatch.Stats.AVERAGE, { [DIMENSIONS.metric]: shown }, `live ${shown}`),
          ],
          leftAnnotations: estimated ? [{ value: estimated.threshold, label: 'retrain trigger', color: cloudwatch.Color.RED }] : [],
          width: 12,
        }),
      );
    }
    if (model.problemType !== 'multiclass') {
      const { method, threshold } = predictionDriftMethod(drift, model.triggers.predictionDrift);
      outputWidgets.push(
        new cloudwatch.GraphWidget({
          title: `Prediction drift (${method})`,
          left: [pitstopMetric(CLOUDWATCH_METRIC_NAMES.predictionDrift, DRIFT_METHOD_SCORE[method] === 'pValue' ? cloudwatch.Stats.MINIMUM : cloudwatch.Stats.MAXIMUM, {}, 'prediction drift')],
          leftAnnotations: [{ value: threshold, label: model.triggers.predictionDrift ? 'retrain trigger' : 'threshold', color: cloudwatch.Color.RED }],
          width: 12,
        }),
      );
    }

    const samplesWidget = new cloudwatch.GraphWidget({
      title: 'New labeled samples',
      left: [pitstopMetric(CLOUDWATCH_METRIC_NAMES.newLabeledSamples, cloudwatch.Stats.MAXIMUM, {}, 'new labeled samples')],
      leftAnnotations: [{ value: model.triggers.newLabeledSamples, label: 'retrain trigger', color: cloudwatch.Color.RED }],
      width: 12,
    });

    const outcomes = Object.values(OUTCOMES).map((outcome) =>
      pitstopMetric(CLOUDWATCH_METRIC_NAMES.runOutcome, cloudwatch.Stats.SUM, { [DIMENSIONS.outcome]: outcome }, outcome),
    );
    const executions = Object.entries(props.stateMachines ?? {}).flatMap(([role, machine]) => [
      machine.metricSucceeded({ period, statistic: cloudwatch.Stats.SUM, label: `${role} succeeded` }),
      machine.metricFailed({ period, statistic: cloudwatch.Stats.SUM, label: `${role} failed` }),
    ]);
    const outcomesWidget = new cloudwatch.GraphWidget({
      title: 'Run outcomes',
      left: outcomes,
      right: executions,
      stacked: false,
      width: 12,
    });

    const variants = [VARIANT_PRODUCTION, VARIANT_CANDIDATE];
    const latencyWidget = new cloudwatch.GraphWidget({
      title: `Model latency per variant (${model.endpointName}, microseconds)`,
      left: variants.flatMap((v) => [
        endpointMetric('ModelLatency', v, cloudwatch.Stats.p(95), `${v} p95`),
        endpointMetric('ModelLatency', v, cloudwatch.Stats.p(99), `${v} p99`),
      ]),
      leftAnnotations: [
        { value: model.canary.maxLatencyP95Ms * 1000, label: 'canary p95 limit', color: cloudwatch.Color.ORANGE },
        { value: model.canary.maxLatencyP99Ms * 1000, label: 'canary p99 limit', color: cloudwatch.Color.RED },
      ],
      width: 12,
    });
    const errorsWidget = new cloudwatch.GraphWidget({
      title: `Invocations and 5XX errors per variant (${model.endpointName})`,
      left: variants.map((v) => endpointMetric('Invocation5XXErrors', v, cloudwatch.Stats.SUM, `${v} 5XX`)),
      right: variants.map((v) => endpointMetric('Invocations', v, cloudwatch.Stats.SUM, `${v} invocations`)),
      width: 12,
    });

    const rows: cloudwatch.IWidget[][] = [
      [
        new cloudwatch.TextWidget({
          markdown: `# pitstop: ${model.name}\nEndpoint \`${model.endpointName}\`; variants \`${VARIANT_PRODUCTION}\` and \`${VARIANT_CANDIDATE}\` (the candidate serves traffic only during a canary).`,
          width: 24,
          height: 2,
        }),
      ],
      [driftWidget, qualityWidget],
      ...(outputWidgets.length > 0 ? [outputWidgets] : []),
      [samplesWidget, outcomesWidget],
      [latencyWidget, errorsWidget],
    ];
    const alarms = props.alarms ?? [];
    if (alarms.length > 0) {
      rows.push([new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms], width: 24 })]);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName, widgets: rows });
  }
}
