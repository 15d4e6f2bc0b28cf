/**
 * An action on every alarm of a pipeline, applied as an Aspect.
 *
 * CT.CLOUDWATCH.PR.1 wants every CloudWatch alarm to have an ALARM action. The
 * execution alarms already notify the pipeline's topic; the retrain triggers get
 * their ALARM and OK actions from the pipeline (a retrain is coming; the condition
 * cleared). This Aspect gives the pipeline's topic to every alarm that is still
 * without an ALARM action (the per-feature drift alarms, and alarms added later).
 */
import { Stack, type IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';

/** Adds `topic` as the ALARM action of every `AWS::CloudWatch::Alarm` under the scope that has none. */
export class AlarmActionPolicy implements IAspect {
  public constructor(private readonly topic: sns.ITopic) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.CfnAlarm)) return;
    // An L2 alarm writes its actions lazily: resolve them to see whether there are any.
    const actions: unknown = Stack.of(node).resolve(node.alarmActions);
    if (actions === undefined || (Array.isArray(actions) && actions.length === 0)) node.alarmActions = [this.topic.topicArn];
  }
}
