/**
 * The retention and encryption of every log group of a pipeline, applied as an Aspect.
 *
 * The Lambdas' and the state machines' log groups are created in their own
 * constructs; one Aspect on the pipeline gives them all the same policy, including
 * log groups added later, instead of a setting threaded through each construct:
 * - retention: the model's `logRetentionDays` (365 by default: CT.CLOUDWATCH.PR.2
 *   wants at least a year);
 * - encryption: the pipeline key (CT.CLOUDWATCH.PR.3), unless the log group already
 *   names a key. The key policy must let CloudWatch Logs use the key
 *   (`allowCloudWatchLogsToUseKey`), which the pipeline adds.
 */
import { type IAspect, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** Properties of {@link LogGroupPolicy}. */
export interface LogGroupPolicyProps {
  /** Days every log group keeps its events (a CloudWatch Logs retention period). */
  readonly retentionDays: number;
  /**
   * Key that encrypts the log groups that name none.
   * @default log groups are left as they are
   */
  readonly encryptionKey?: kms.IKey;
}

/** Sets retention and KMS encryption on every `AWS::Logs::LogGroup` under the scope it is added to. */
export class LogGroupPolicy implements IAspect {
  public constructor(private readonly props: LogGroupPolicyProps) {
    if (!Token.isUnresolved(props.retentionDays) && (!Number.isInteger(props.retentionDays) || props.retentionDays < 1)) {
      throw new Error(`expected retentionDays to be a positive integer, got ${props.retentionDays}`);
    }
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof logs.CfnLogGroup)) return;
    node.retentionInDays = this.props.retentionDays;
    if (this.props.encryptionKey && node.kmsKeyId === undefined) node.kmsKeyId = this.props.encryptionKey.keyArn;
  }
}
