/**
 * What the local SageMaker needs from its surroundings: the S3 and CloudWatch services
 * (as small structural interfaces, so tests pass in-memory fakes), the map from
 * container image URIs to local commands, and its options.
 */

/** The part of an S3 GetObject body the local SageMaker reads. */
export interface ObjectBody {
  transformToByteArray(): Promise<Uint8Array>;
}

/** The S3 actions the local SageMaker calls (model artifacts, channels, transform, capture). */
export interface S3Like {
  GetObject(input: { Bucket: string; Key: string }): Promise<{ Body?: ObjectBody | unknown }>;
  PutObject(input: { Bucket: string; Key: string; Body: Uint8Array | string; ContentType?: string }): Promise<unknown>;
  ListObjectsV2(input: {
    Bucket: string;
    Prefix?: string;
    ContinuationToken?: string;
  }): Promise<{ Contents?: unknown; IsTruncated?: unknown; NextContinuationToken?: unknown }>;
}

/** One datum of a CloudWatch PutMetricData call, as the local SageMaker writes it. */
export interface MetricDatum {
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Timestamp: Date;
  Unit: string;
  /** A single value (counts: the sum over the datum's second). */
  Value?: number;
  /** Distinct values (latencies), with {@link Counts}. */
  Values?: number[];
  Counts?: number[];
}

/** The CloudWatch action the local SageMaker calls (endpoint invocation metrics). */
export interface CloudWatchLike {
  PutMetricData(input: { Namespace: string; MetricData: MetricDatum[] }): Promise<unknown>;
}

/** Local commands that stand in for one container image. */
export interface ImageCommands {
  /** Runs a training job under the SageMaker training container contract. */
  readonly train: string[];
  /** Starts an HTTP server under the SageMaker inference contract (`/ping`, `/invocations`). */
  readonly serve: string[];
}

/** Where a log line came from. */
export interface LogSource {
  readonly kind: 'training' | 'endpoint' | 'transform';
  /** Training job name, `<endpoint>/<variant>`, or transform job name. */
  readonly name: string;
  readonly stream: 'stdout' | 'stderr';
}

/** How batch transform treats the first line of each input file. */
export const TRANSFORM_HEADER = {
  /** Every line is a record, like SageMaker: a header line reaches the model. */
  send: 'send',
  /** The first line of each file is a header: not sent, no output line for it. */
  skip: 'skip',
} as const;
/** A value of {@link TRANSFORM_HEADER}. */
export type TransformHeader = (typeof TRANSFORM_HEADER)[keyof typeof TRANSFORM_HEADER];

/** Options of the local SageMaker. */
export interface LocalSageMakerOptions {
  /** The local S3 service. */
  readonly s3: S3Like;
  /** The local CloudWatch service (endpoint metrics). */
  readonly cloudwatch: CloudWatchLike;
  /** Image URI → local commands. An image not listed is a `ValidationException`. */
  readonly images: Record<string, ImageCommands>;
  /**
   * Directory holding training roots, unpacked models and transform scratch space.
   * @default a fresh directory under the OS temp directory
   */
  readonly workDir?: string;
  /**
   * Working directory of the commands (their relative paths resolve against it).
   * @default process.cwd()
   */
  readonly cwd?: string;
  /** Receives every stdout/stderr line of every command. @default lines are dropped */
  readonly onLog?: (line: string, source: LogSource) => void;
  /**
   * Seed of the PRNG that picks variants by weight and samples data capture, so runs
   * are reproducible.
   * @default 42
   */
  readonly seed?: number;
  /** How long a model server may take to answer `GET /ping` with 200. @default 60_000 */
  readonly startupTimeoutMs?: number;
  /** Account of the ARNs. @default '123456789012' */
  readonly account?: string;
  /** Region of the ARNs. @default 'us-east-1' */
  readonly region?: string;
  /** How often buffered metrics and capture records are written. @default 1000 */
  readonly flushIntervalMs?: number;
  /**
   * How batch transform treats the first line of each input file (see {@link TRANSFORM_HEADER}).
   * @default 'send' (SageMaker's behaviour)
   */
  readonly transformHeader?: TransformHeader;
  /** Time a stopped command gets between SIGTERM and SIGKILL. @default 2000 */
  readonly stopGraceMs?: number;
  /**
   * Clock of data capture (each record's inferenceTime and its hour partition), so
   * capture follows a simulated clock as the monitor's windows do; endpoint metrics
   * keep real time (the canary reads them while traffic flows).
   * @default () => new Date()
   */
  readonly captureClock?: () => Date;
}

/** The options with every default applied. */
export interface ResolvedOptions {
  readonly s3: S3Like;
  readonly cloudwatch: CloudWatchLike;
  readonly images: Record<string, ImageCommands>;
  readonly workDir: string;
  readonly cwd: string;
  readonly onLog: (line: string, source: LogSource) => void;
  readonly seed: number;
  readonly startupTimeoutMs: number;
  readonly account: string;
  readonly region: string;
  readonly flushIntervalMs: number;
  readonly transformHeader: TransformHeader;
  readonly stopGraceMs: number;
  readonly captureClock: () => Date;
}

/** Builds the ARN of a SageMaker resource; SageMaker lowercases names in ARNs. */
export function sageMakerArn(o: Pick<ResolvedOptions, 'account' | 'region'>, type: string, name: string): string {
  return `arn:aws:sagemaker:${o.region}:${o.account}:${type}/${name.toLowerCase()}`;
}
