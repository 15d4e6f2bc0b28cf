/**
 * The shapes of local CloudWatch: dimensions, comparison operators, metric alarms as
 * DescribeAlarms returns them, and the EventBridge event of an alarm's state change.
 */
import type { FakeEnvironment } from '../../asl';
import type { AlarmStateValue, TreatMissingData } from '../alarm-evaluation';

/** A metric dimension. */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** Comparison operators of metric alarms. */
export const COMPARISON_OPERATORS = {
  GreaterThanOrEqualToThreshold: (v: number, t: number) => v >= t,
  GreaterThanThreshold: (v: number, t: number) => v > t,
  LessThanThreshold: (v: number, t: number) => v < t,
  LessThanOrEqualToThreshold: (v: number, t: number) => v <= t,
} as const;
/** A supported comparison operator. */
export type ComparisonOperator = keyof typeof COMPARISON_OPERATORS;

/** A metric alarm as DescribeAlarms returns it. */
export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData: TreatMissingData;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  StateValue: AlarmStateValue;
  StateReason: string;
  StateUpdatedTimestamp: Date;
  AlarmConfigurationUpdatedTimestamp: Date;
}

/** The EventBridge event CloudWatch sends when an alarm changes state. */
export interface AlarmStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'CloudWatch Alarm State Change';
  readonly source: 'aws.cloudwatch';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: {
    readonly alarmName: string;
    readonly state: { readonly value: AlarmStateValue; readonly reason: string; readonly timestamp: string };
    readonly previousState: { readonly value: AlarmStateValue; readonly reason: string; readonly timestamp: string };
    readonly configuration: {
      readonly description?: string;
      readonly metrics: Array<{
        readonly id: string;
        readonly metricStat: {
          readonly metric: { readonly namespace: string; readonly name: string; readonly dimensions: Record<string, string> };
          readonly period: number;
          readonly stat: string;
        };
        readonly returnData: boolean;
      }>;
    };
  };
}

/** Options of LocalCloudWatch. */
export interface LocalCloudWatchOptions {
  /** Root directory of local mode (metrics go to `<root>/cloudwatch/`). */
  readonly root: string;
  /** Clock for datapoints without Timestamp and for alarm evaluation. @default () => new Date() */
  readonly clock?: () => Date;
  /** Account and region of alarm ARNs and events. @default 123456789012, us-east-1 */
  readonly env?: FakeEnvironment;
  /**
   * Periods the evaluation range holds beyond EvaluationPeriods (CloudWatch does not
   * publish the size; its documented examples use 2 for a 3-period alarm).
   * @default 2
   */
  readonly extraEvaluationPeriods?: number;
}
