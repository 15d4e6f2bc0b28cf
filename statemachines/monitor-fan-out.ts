/**
 * The Monitor's read of a large window (docs/architecture.md, "Reading a large window"):
 * `Plan window` lists the window's capture and decides. At most `monitor.fanOutBytes`:
 * the single path (`Validate captured data`, then `Detect drift`). Above: a Distributed
 * Map over the plan's shard manifest, one EXPRESS child execution per shard running
 * `summarizeShard` (each writes a partial summary to S3), its results written by the
 * ResultWriter under `fanout/<model>/results/`, then `Merge partial summaries`
 * (`reduceWindow`), whose validation and drift outputs are the single path's; the
 * Monitor then goes on as after the single path.
 *
 * A child's error is caught in the child and rethrown as `ShardFailed`, its cause naming
 * the shard. More failed children than `monitor.toleratedFailurePercentage` allows fail
 * the map (Step Functions' `States.ExceedToleratedFailureThreshold`), which the Monitor's
 * catch turns into `PipelineFailed`; a tolerated loss is reported by the reduce.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { SHARD_READER_TIMEOUT_SECONDS } from '../vocabulary/fan-out';
import { ARTIFACT_PREFIXES } from '../vocabulary/pipeline-names';
import type { MachineContext } from './context';
import { PrefixScopedJsonItemReader, PrefixScopedResultWriter } from './fan-out-io';
import { invokeLambda } from './steps';

/** The error a failed fan-out child ends with. */
export const SHARD_FAILED = 'ShardFailed';

/** How long an EXPRESS child execution may run at most (a Step Functions quota). */
export const EXPRESS_EXECUTION_LIMIT = Duration.minutes(5);

/** Names of the fan-out's states. */
export const FAN_OUT_STATES = {
  plan: 'Plan window',
  decide: 'Window size?',
  map: 'Summarize shards',
  child: 'Summarize shard',
  childFailed: 'Shard failed',
  childFail: 'Fail shard',
  reduce: 'Merge partial summaries',
  take: 'Take merged outputs',
} as const;

/** What the fan-out needs from the Monitor. */
export interface FanOutTargets {
  /** The single path's first state. */
  readonly single: sfn.IChainable;
  /** Where the merged outputs go (a Choice on `$.validation` like the single path's). */
  readonly merged: sfn.IChainable;
  /** Adds the Monitor's catch-all to a state. */
  readonly catchAll: <T extends sfn.TaskStateBase | sfn.Parallel | sfn.Map | sfn.DistributedMap>(state: T) => T;
  /** The baseline URI's path in the state. */
  readonly baselinePath: string;
}

/** Builds the plan, the choice and the fan-out; returns the plan state (the entry). */
export function buildFanOut(scope: Construct, ctx: MachineContext, targets: FanOutTargets): sfn.IChainable {
  const { model, functions, bucket, artifactsPrefix } = ctx;
  const { catchAll } = targets;
  const fanOutPrefix = `${artifactsPrefix}${ARTIFACT_PREFIXES.fanOut}${model.name}/`;

  const plan = catchAll(
    invokeLambda(
      scope,
      FAN_OUT_STATES.plan,
      functions.planWindow,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        'window.$': '$.window',
        fanOutBytes: model.monitor.fanOutBytes,
        shardBytes: model.monitor.shardBytes,
        'workUri.$': `States.Format('s3://${bucket.bucketName}/${fanOutPrefix}{}/', $.run.runId)`,
      },
      '$.plan',
      { timeout: Duration.minutes(6) },
    ),
  );

  // The child: one Lambda, its error rethrown with the shard named.
  const child = invokeLambda(
    scope,
    FAN_OUT_STATES.child,
    functions.summarizeShard,
    {
      model: model.name,
      'runId.$': '$.runId',
      'shard.$': '$.shard',
      'baselineUri.$': '$.baselineUri',
      'window.$': '$.window',
      'partialsBucket.$': '$.partialsBucket',
      'partialsKey.$': '$.partialsKey',
    },
    // The child's output is the Lambda's (SummarizeShardOutput): what the ResultWriter records.
    undefined,
    { timeout: Duration.seconds(SHARD_READER_TIMEOUT_SECONDS + 15) },
  );
  const childFailed = new sfn.Pass(scope, FAN_OUT_STATES.childFailed, {
    parameters: { 'cause.$': "States.Format('shard {} ({} bytes) failed: {}: {}', $.shard.index, $.shard.bytes, $.caught.Error, $.caught.Cause)" },
    resultPath: '$.failure',
  });
  child.addCatch(childFailed, { errors: ['States.ALL'], resultPath: '$.caught' });
  childFailed.next(new sfn.Fail(scope, FAN_OUT_STATES.childFail, { error: SHARD_FAILED, causePath: '$.failure.cause' }));

  const map = catchAll<sfn.DistributedMap>(
    new sfn.DistributedMap(scope, FAN_OUT_STATES.map, {
      itemReader: new PrefixScopedJsonItemReader({ bucket, key: sfn.JsonPath.stringAt('$.plan.manifestKey') }, fanOutPrefix),
      itemSelector: {
        'shard.$': '$$.Map.Item.Value',
        'runId.$': '$.run.runId',
        'baselineUri.$': targets.baselinePath,
        'window.$': '$.window',
        'partialsBucket.$': '$.plan.manifestBucket',
        'partialsKey.$': '$.plan.partialsKey',
      },
      maxConcurrency: model.monitor.maxConcurrency,
      toleratedFailurePercentage: model.monitor.toleratedFailurePercentage,
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      label: 'Shards',
      resultWriterV2: new PrefixScopedResultWriter({ bucket, prefix: `${fanOutPrefix}results` }),
      resultPath: '$.fanOut',
    }),
  );
  map.itemProcessor(child, { mode: sfn.ProcessorMode.DISTRIBUTED, executionType: sfn.ProcessorType.EXPRESS });

  const reduce = catchAll(
    invokeLambda(
      scope,
      FAN_OUT_STATES.reduce,
      functions.reduceWindow,
      {
        model: model.name,
        'runId.$': '$.run.runId',
        'baselineUri.$': targets.baselinePath,
        'window.$': '$.window',
        'plan.$': '$.plan',
        'results.$': '$.fanOut.ResultWriterDetails',
      },
      '$.reduced',
    ),
  );
  // The merged outputs where the single path leaves its own: $.validation and $.drift.
  const take = new sfn.Pass(scope, FAN_OUT_STATES.take, {
    parameters: { 'state.$': 'States.JsonMerge($, $.reduced, false)' },
    outputPath: '$.state',
  });

  plan.next(new sfn.Choice(scope, FAN_OUT_STATES.decide).when(sfn.Condition.stringEquals('$.plan.decision', 'fanOut'), map).otherwise(targets.single));
  map.next(reduce).next(take).next(targets.merged);
  return plan;
}
