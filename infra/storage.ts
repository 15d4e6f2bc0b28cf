/**
 * `PitstopStorage`: the KMS key and the artifacts bucket of one model's pipeline.
 */
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import type { ModelConfig } from '../vocabulary/config/index';
import { sendEventsToEventBridge } from './compliance/bucket-events';
import { acknowledgeControl } from './compliance/control-tower';
import { denyGrantsExceptForAwsResources } from './key-policy';
import { ARTIFACT_PREFIXES } from '../vocabulary/pipeline-names';
import { suppress } from '../statemachines/nag';
import { parseS3Uri as parseS3UriOrProblem, type S3Location } from '../vocabulary/config/index';

/** Properties of {@link PitstopStorage}. */
export interface PitstopStorageProps {
  /** The model whose artifacts are stored: `data.artifactsUri` and the input URIs are read from it. */
  readonly model: ModelConfig;
  /**
   * Key that encrypts the artifacts bucket, and that the other constructs of the
   * pipeline (topic, dead-letter queue) use.
   * @default a new customer-managed key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * An existing bucket for the artifacts.
   * @default the bucket of `model.data.artifactsUri` when it is set, else a new bucket
   */
  readonly bucket?: s3.IBucket;
  /**
   * Days a report under `reports/` stays in S3 Standard before it moves to
   * Standard-Infrequent Access (S3 allows 30 at the earliest).
   * @default 30
   */
  readonly reportsInfrequentAccessAfterDays?: number;
  /**
   * Days after which data capture under `capture/` expires.
   * @default 90
   */
  readonly captureExpirationDays?: number;
  /**
   * Days after which a noncurrent object version is deleted.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Turn on S3 Object Lock on the artifacts bucket, in governance mode with a default
   * retention of `objectLockRetentionDays` (CT.S3.PR.9). Once on, Object Lock can never
   * be turned off. Not applied to the access-logs bucket: a bucket with Object Lock
   * cannot receive server access logs.
   * @default false
   */
  readonly objectLock?: boolean;
  /**
   * Default Object Lock retention of each object version, in days. At most
   * `noncurrentVersionExpirationDays`, so the lifecycle rules still delete noncurrent
   * versions on time (a locked version cannot be deleted, by lifecycle or anyone
   * without governance bypass).
   * @default noncurrentVersionExpirationDays
   */
  readonly objectLockRetentionDays?: number;
  /**
   * Send the created buckets' object events to EventBridge (CT.S3.PR.4), set on the
   * bucket resource itself (no custom-resource Lambda).
   * @default false
   */
  readonly eventBridgeNotifications?: boolean;
  /**
   * What happens to the key and the buckets pitstop creates when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Days the monitor fan-out's working files (`fanout/`) are kept in a created artifacts bucket. */
export const FAN_OUT_WORK_EXPIRATION_DAYS = 7;

/**
 * The KMS key and the artifacts bucket (run records, reports, baselines, model
 * artifacts) of one model's pipeline.
 *
 * The bucket it creates is versioned, encrypted with the key, refuses plain HTTP,
 * blocks all public access and writes server access logs to a separate logs bucket
 * (S3-managed encryption: access-log delivery cannot use KMS). When the model's
 * config names an `artifactsUri`, that bucket is imported instead and nothing is
 * created but the key; grants then go to the imported bucket.
 *
 * @example
 * const storage = new PitstopStorage(this, 'Storage', { model });
 * storage.grantReadWriteArtifacts(role);
 */
export class PitstopStorage extends Construct {
  /** The key of the pipeline. */
  public readonly encryptionKey: kms.IKey;
  /** The artifacts bucket, created or imported. */
  public readonly bucket: s3.IBucket;
  /** Key prefix of pitstop's artifacts in {@link bucket}: `''` or a prefix ending in `/`. */
  public readonly artifactsPrefix: string;
  /** The access-logs bucket, when this construct created the artifacts bucket. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** Whether the artifacts bucket was created here (false when imported). */
  public readonly bucketCreated: boolean;

  private readonly model: ModelConfig;
  private readonly importedInputBuckets = new Map<string, s3.IBucket>();

  public constructor(scope: Construct, id: string, props: PitstopStorageProps) {
    // Server access logs are delivered under a bucket policy rather than an ACL. The
    // flag must be set before any child exists, so it is set here, on this scope only.
    super(scope, id);
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const reportsDays = props.reportsInfrequentAccessAfterDays ?? 30;
    const captureDays = props.captureExpirationDays ?? 90;
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 30;
    validateDays('reportsInfrequentAccessAfterDays', reportsDays, 30);
    validateDays('captureExpirationDays', captureDays, 1);
    validateDays('noncurrentVersionExpirationDays', noncurrentDays, 1);
    const objectLock = props.objectLock ?? false;
    const lockDays = props.objectLockRetentionDays ?? noncurrentDays;
    if (props.objectLockRetentionDays !== undefined && !objectLock) {
      throw new Error('expected objectLock to be true when objectLockRetentionDays is given, got objectLock false');
    }
    validateDays('objectLockRetentionDays', lockDays, 1);
    if (!Token.isUnresolved(lockDays) && !Token.isUnresolved(noncurrentDays) && lockDays > noncurrentDays) {
      throw new Error(
        `expected objectLockRetentionDays <= noncurrentVersionExpirationDays (${noncurrentDays}), so the lifecycle rules can delete noncurrent versions on time, got ${lockDays}`,
      );
    }
    const eventBridge = props.eventBridgeNotifications ?? false;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.model = props.model;
    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new kms.Key(this, 'Key', {
        description: `pitstop ${props.model.name}: artifacts, notifications and trigger dead-letter queue`,
        enableKeyRotation: true,
        removalPolicy,
      });
      denyGrantsExceptForAwsResources(key);
      this.encryptionKey = key;
    }

    const artifactsUri = props.model.data.artifactsUri;
    if (props.bucket) {
      this.bucket = props.bucket;
      this.artifactsPrefix = artifactsUri ? prefixOf(parseS3Uri(artifactsUri, 'data.artifactsUri')) : '';
      this.bucketCreated = false;
    } else if (artifactsUri) {
      const location = parseS3Uri(artifactsUri, 'data.artifactsUri');
      this.bucket = s3.Bucket.fromBucketName(this, 'ArtifactsBucket', location.bucket);
      this.artifactsPrefix = prefixOf(location);
      this.bucketCreated = false;
    } else {
      const logs = new s3.Bucket(this, 'AccessLogsBucket', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        versioned: true,
        lifecycleRules: [
          {
            id: 'expire-access-logs',
            expiration: Duration.days(365),
            noncurrentVersionExpiration: Duration.days(noncurrentDays),
            abortIncompleteMultipartUploadAfter: Duration.days(7),
          },
        ],
        removalPolicy,
      });
      suppress(
        logs,
        'AwsSolutions-S1',
        'This bucket receives the server access logs of the artifacts bucket; logging it to itself would loop.',
      );
      // What S3 server access logging allows a log target bucket: see docs/operations.md.
      acknowledgeControl(
        logs,
        's3_bucket_logging_enabled_check',
        'This bucket is the target of the artifacts bucket\'s server access logs; a target bucket that logs to itself would loop, and a second log bucket would fail the same control.',
      );
      acknowledgeControl(
        logs,
        's3_bucket_default_encryption_kms_check',
        'S3 server access log delivery supports only SSE-S3 default encryption on the target bucket, not SSE-KMS.',
      );
      acknowledgeControl(
        logs,
        's3_bucket_object_lock_enabled_check',
        'A bucket with S3 Object Lock enabled cannot be the target of server access logs (Amazon S3 User Guide, Object Lock considerations).',
      );
      this.accessLogsBucket = logs;
      this.bucket = new s3.Bucket(this, 'ArtifactsBucket', {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.encryptionKey,
        bucketKeyEnabled: true,
        versioned: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: logs,
        serverAccessLogsPrefix: 'artifacts/',
        lifecycleRules: [
          {
            id: 'reports-to-infrequent-access',
            prefix: ARTIFACT_PREFIXES.reports,
            transitions: [
              { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(reportsDays) },
            ],
          },
          {
            id: 'expire-capture-data',
            prefix: ARTIFACT_PREFIXES.capture,
            expiration: Duration.days(captureDays),
          },
          {
            // The fan-out's working files (shard manifests, partial summaries, Map Run
            // results) serve one monitor run; a week leaves time to read a failed run's.
            id: 'expire-fan-out-work',
            prefix: ARTIFACT_PREFIXES.fanOut,
            expiration: Duration.days(FAN_OUT_WORK_EXPIRATION_DAYS),
          },
          {
            id: 'expire-noncurrent-versions',
            noncurrentVersionExpiration: Duration.days(noncurrentDays),
            abortIncompleteMultipartUploadAfter: Duration.days(7),
          },
        ],
        ...(objectLock
          ? { objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(lockDays)) }
          : {}),
        removalPolicy,
      });
      const artifacts = this.bucket as s3.Bucket;
      if (!objectLock) {
        acknowledgeControl(
          artifacts,
          's3_bucket_object_lock_enabled_check',
          'Object Lock is an opinionated control, off in compliance "standard": versioning already keeps every overwritten or deleted object for noncurrentVersionExpirationDays.',
        );
      }
      for (const bucket of [logs, artifacts]) {
        if (eventBridge) {
          sendEventsToEventBridge(bucket);
        } else {
          acknowledgeControl(
            bucket,
            's3_event_notifications_enabled_check',
            'Event notifications are an opinionated control, off in compliance "standard": nothing in the pipeline consumes object events.',
          );
        }
      }
      this.artifactsPrefix = '';
      this.bucketCreated = true;
    }
  }

  /** `s3://` URI of the artifacts location (contains a token when the bucket is created here). */
  public get artifactsUri(): string {
    return `s3://${this.bucket.bucketName}/${this.artifactsPrefix}`;
  }

  /** Grants reading and writing pitstop's artifacts (and using the key of a created bucket). */
  public grantReadWriteArtifacts(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantReadWrite(grantee, `${this.artifactsPrefix}*`);
  }

  /** Grants reading pitstop's artifacts (and decrypting with the key of a created bucket). */
  public grantReadArtifacts(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee, `${this.artifactsPrefix}*`);
  }

  /**
   * Grants reading the model's input data: `data.training`, `data.holdout`,
   * `data.captureUri` and `data.groundTruthUri`, each scoped to its key prefix.
   *
   * Input buckets encrypted with a customer-managed key also need a grant on that
   * key, which only its owner can give.
   */
  public grantReadInputs(grantee: iam.IGrantable): iam.Grant[] {
    const { data } = this.model;
    const inputs: Array<[string, string]> = [
      ['data.training', data.training],
      ['data.holdout', data.holdout],
      ['data.captureUri', data.captureUri],
      ['data.groundTruthUri', data.groundTruthUri],
    ];
    return inputs.map(([what, uri]) => {
      const location = parseS3Uri(uri, what);
      return this.inputBucket(location.bucket).grantRead(grantee, `${location.key}*`);
    });
  }

  private inputBucket(name: string): s3.IBucket {
    let bucket = this.importedInputBuckets.get(name);
    if (!bucket) {
      bucket = s3.Bucket.fromBucketName(this, `InputBucket${this.importedInputBuckets.size}`, name);
      this.importedInputBuckets.set(name, bucket);
    }
    return bucket;
  }
}

/** Parses an S3 URI, throwing `expected <what> to be ..., got ...` when it is malformed. */
function parseS3Uri(uri: string, what: string): S3Location {
  const parsed = parseS3UriOrProblem(uri);
  if ('problem' in parsed) throw new Error(`${what}: ${parsed.problem}`);
  return parsed;
}

/** The key prefix under a location: `''` for the bucket root, else the key ending in exactly one `/`. */
function prefixOf(location: S3Location): string {
  if (location.key === '') return '';
  return location.key.endsWith('/') ? location.key : `${location.key}/`;
}

function validateDays(name: string, value: number, min: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`expected ${name} to be an integer >= ${min}, got ${value}`);
  }
}
