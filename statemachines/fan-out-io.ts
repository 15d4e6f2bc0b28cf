/**
 * The S3 reads and writes of a Distributed Map, scoped to a key prefix.
 *
 * CDK's `S3JsonItemReader` and `ResultWriter` grant the state machine `s3:GetObject`
 * (and, for the writer, `s3:PutObject` and the multipart actions) on every object of
 * the bucket (`bucket/*`). pitstop's map reads its shard manifest and writes its results
 * under one prefix of the artifacts bucket, so these subclasses render the same ASL and
 * grant the same actions on `bucket/<prefix>*` only. This is the one place that works
 * around the missing prefix scope.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** The feature flag under which CDK renders a DistributedMap's `resultWriterV2`. */
export const RESULT_WRITER_V2_FLAG = '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2';

/** An ItemReader of a JSON array in `bucket`, at a key (a JSONPath allowed) under `prefix`, granting reads under `prefix` only. */
export class PrefixScopedJsonItemReader extends sfn.S3JsonItemReader {
  private readonly scopedBucket: s3.IBucket;

  public constructor(
    props: { readonly bucket: s3.IBucket; readonly key: string },
    private readonly prefix: string,
  ) {
    super(props);
    this.scopedBucket = props.bucket;
  }

  public override providePolicyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.scopedBucket.arnForObjects(`${this.prefix}*`)] })];
  }
}

/**
 * A ResultWriter to `bucket` under `prefix`, granting its writes under `prefix` only.
 * CDK renders `resultWriterV2` only under the feature flag
 * {@link RESULT_WRITER_V2_FLAG}, which PitstopStateMachines sets on its own scope.
 */
export class PrefixScopedResultWriter extends sfn.ResultWriterV2 {
  private readonly scopedBucket: s3.IBucket;
  private readonly scopedPrefix: string;

  public constructor(props: { readonly bucket: s3.IBucket; readonly prefix: string }) {
    super(props);
    this.scopedBucket = props.bucket;
    this.scopedPrefix = props.prefix;
  }

  public override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.scopedBucket.arnForObjects(`${this.scopedPrefix}*`)],
      }),
    ];
  }
}
