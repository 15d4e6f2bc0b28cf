/**
 * A queue declared as a dead-letter queue, in the form Control Tower's CT.SQS.PR.1
 * accepts: a `RedriveAllowPolicy` with `redrivePermission` `byQueue`.
 *
 * The pipeline's dead-letter queue receives events EventBridge could not deliver; no
 * SQS queue sends it messages. `byQueue` must name the source queues allowed to use
 * it, so it names the queue itself: no other queue may make it its dead-letter
 * queue. Naming its own ARN needs a fixed queue name (a `Fn::GetAtt` of itself would
 * be a circular reference), so the queue is named `pitstop-<model>-trigger-dead-letters`,
 * like the pipeline's alarms.
 */
import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Queue properties that make a queue a dead-letter queue no other queue may use, named `queueName`. */
export function deadLetterQueueOnly(scope: Construct, queueName: string): Pick<sqs.QueueProps, 'queueName' | 'redriveAllowPolicy'> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(queueName)) {
    throw new Error(`expected a queue name of 1 to 80 letters, digits, dashes and underscores, got "${queueName}"`);
  }
  const self = sqs.Queue.fromQueueArn(scope, 'DeadLetterQueueSelf', Stack.of(scope).formatArn({ service: 'sqs', resource: queueName }));
  return {
    queueName,
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: [self] },
  };
}
