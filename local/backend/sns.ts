/**
 * Local SNS: Publish appends each message to `<root>/sns.log` (JSON lines) and to
 * {@link LocalSns.messages}, which the demo prints.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LocalAwsError } from './errors';
import { callAction, type LocalService } from './service';
import { appendJsonLine } from './store';

const SERVICE = 'sns';

/** One published message. */
export interface PublishedMessage {
  readonly MessageId: string;
  readonly TopicArn?: string;
  readonly TargetArn?: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, unknown>;
  /** ISO 8601. */
  readonly Timestamp: string;
}

/** Options of {@link LocalSns}. */
export interface LocalSnsOptions {
  /** Root directory of local mode (messages go to `<root>/sns.log`). */
  readonly root: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

function invalid(message: string): LocalAwsError {
  return new LocalAwsError('InvalidParameterException', `Invalid parameter: ${message}`, SERVICE);
}

/** The local SNS service. */
export class LocalSns implements LocalService {
  public readonly serviceName = SERVICE;
  /** Messages published by this instance, oldest first. */
  public readonly messages: PublishedMessage[] = [];
  private readonly file: string;
  private readonly clock: () => Date;

  public constructor(options: LocalSnsOptions) {
    this.file = join(options.root, 'sns.log');
    this.clock = options.clock ?? (() => new Date());
  }

  public call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callAction(this, SERVICE, action, input);
  }

  /**
   * Publish. Checks what SNS checks: a TopicArn or TargetArn, a non-empty Message, and a
   * Subject of ASCII text under 100 characters without line breaks.
   */
  public async Publish(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const topic = input.TopicArn ?? input.TargetArn;
    if (typeof topic !== 'string' || topic === '') throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
    if (typeof input.Message !== 'string' || input.Message === '') throw invalid('Message Reason: Empty message');
    if (input.Subject !== undefined) {
      const subject = String(input.Subject);
      if (subject.length === 0 || subject.length >= 100 || /[^\x20-\x7e]/.test(subject)) {
        throw invalid('Subject Reason: must be less than 100 characters long, ASCII text without line breaks');
      }
    }
    const message: PublishedMessage = {
      MessageId: randomUUID(),
      ...(typeof input.TopicArn === 'string' ? { TopicArn: input.TopicArn } : {}),
      ...(typeof input.TargetArn === 'string' ? { TargetArn: input.TargetArn } : {}),
      ...(input.Subject !== undefined ? { Subject: String(input.Subject) } : {}),
      Message: input.Message,
      ...(input.MessageAttributes ? { MessageAttributes: input.MessageAttributes as Record<string, unknown> } : {}),
      Timestamp: this.clock().toISOString(),
    };
    this.messages.push(message);
    appendJsonLine(this.file, message);
    return { MessageId: message.MessageId };
  }
}
