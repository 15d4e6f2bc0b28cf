/**
 * The local AWS backend: one local service per AWS service, all under one root
 * directory (default `.pitstop/local/` of the working directory), reachable by
 * `call(service, action, input)`. SageMaker and SageMaker Runtime are registered by
 * the runner ({@link LocalBackend.register}) because they need the image commands.
 */
import { join } from 'node:path';
import type { FakeEnvironment } from '../asl';
import { LocalCloudWatch } from './cloudwatch';
import { LocalDynamoDB } from './dynamodb';
import { LocalAwsError } from './errors';
import { LocalEventBridge, type TriggeredTarget } from './eventbridge';
import { LocalS3 } from './s3';
import type { LocalService } from './service';
import { LocalSns } from './sns';

export { LocalAwsError } from './errors';
export type { LocalService } from './service';
export { SERVICE_NAMES } from './service';

/** Options of {@link LocalBackend}. */
export interface LocalBackendOptions {
  /** @default `.pitstop/local` under the working directory */
  readonly root?: string;
  /** Clock of timestamps (metrics without Timestamp, alarm evaluation, events). @default () => new Date() */
  readonly clock?: () => Date;
  /** Account and region of ARNs. @default 123456789012, us-east-1 */
  readonly env?: FakeEnvironment;
  /** Other services to register (e.g. the local SageMaker). @default none */
  readonly services?: readonly LocalService[];
  /** Called for every target an EventBridge event starts. @default none */
  readonly onTarget?: (target: TriggeredTarget) => void;
}

/** Every local AWS service of one run. */
export class LocalBackend {
  public readonly root: string;
  public readonly s3: LocalS3;
  public readonly cloudwatch: LocalCloudWatch;
  public readonly dynamodb: LocalDynamoDB;
  public readonly sns: LocalSns;
  public readonly eventbridge: LocalEventBridge;
  private readonly services = new Map<string, LocalService>();

  public constructor(options: LocalBackendOptions = {}) {
    this.root = options.root ?? join(process.cwd(), '.pitstop', 'local');
    const common = { root: this.root, clock: options.clock, env: options.env };
    this.s3 = new LocalS3(common);
    this.cloudwatch = new LocalCloudWatch(common);
    this.dynamodb = new LocalDynamoDB(common);
    this.sns = new LocalSns(common);
    this.eventbridge = new LocalEventBridge({ ...common, onTarget: options.onTarget });
    for (const s of [this.s3, this.cloudwatch, this.dynamodb, this.sns, this.eventbridge, ...(options.services ?? [])]) this.register(s);
  }

  /** Adds or replaces the service named `service.serviceName`. */
  public register(service: LocalService): void {
    this.services.set(service.serviceName, service);
  }

  /** The service of that name, if registered. */
  public service(name: string): LocalService | undefined {
    return this.services.get(name);
  }

  /** The registered local SageMaker, if any. */
  public get sagemaker(): LocalService | undefined {
    return this.services.get('sagemaker');
  }

  /**
   * Runs `action` (PascalCase) of a service.
   * @throws LocalAwsError `UnknownOperationException` for a service not registered or an action it lacks
   */
  public async call(service: string, action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const target = this.services.get(service);
    if (!target) throw new LocalAwsError('UnknownOperationException', `no local service ${service} (action ${action})`, service);
    return target.call(action, input);
  }
}
