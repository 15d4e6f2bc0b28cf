/**
 * Live traffic for a local endpoint: rows sent one per request through SageMaker
 * Runtime InvokeEndpoint (the AWS SDK client, routed to the local backend), as CSV or as
 * JSON (`{"instances": [[...]]}`, answered in JSON), in batches or in the background at a
 * steady rate. The label of every row sent is remembered by
 * request body, so ground truth can be written for the captured events later.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

/** A row of the data set: feature values and the label. */
export type TrafficRow = Readonly<Record<string, number | string | null>>;

/** Per-variant counts of the requests sent. */
export interface VariantTraffic {
  requests: number;
  errors: number;
}

/** The CSV request body of one row: the features in order, no header, no label. */
export function requestBody(row: TrafficRow, features: readonly string[]): string {
  return features
    .map((f) => {
      const v = row[f];
      if (v === null || v === undefined) return '';
      const s = String(v);
      return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}

/** The JSON request body of one row: `{"instances": [[...]]}`, the features in order, numbers as numbers. */
export function jsonRequestBody(row: TrafficRow, features: readonly string[]): string {
  return JSON.stringify({ instances: [features.map((f) => row[f] ?? null)] });
}

/** How requests are encoded. */
export type TrafficPayload = 'csv' | 'json';

/** Options of {@link TrafficGenerator}. */
export interface TrafficOptions {
  readonly endpointName: string;
  /** Feature names in the model's order. */
  readonly features: readonly string[];
  /** The label column of the rows. */
  readonly label: string;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** `csv` (text/csv) or `json` (application/json request and response). @default 'csv' */
  readonly payload?: TrafficPayload;
}

/** Sends rows to an endpoint and keeps what it sent. */
export class TrafficGenerator {
  /** Label of each request body sent. */
  public readonly labels = new Map<string, string>();
  /** Requests and errors by the variant that answered (`unknown` for errors without one). */
  public readonly byVariant = new Map<string, VariantTraffic>();
  private readonly client = new SageMakerRuntimeClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  private background?: { stop: boolean; done: Promise<void> };

  public constructor(private readonly options: TrafficOptions) {}

  private count(variant: string, error: boolean): void {
    const v = this.byVariant.get(variant) ?? { requests: 0, errors: 0 };
    v.requests += 1;
    if (error) v.errors += 1;
    this.byVariant.set(variant, v);
  }

  /** Sends one row; resolves with the variant that answered, or undefined on an error. */
  public async send(row: TrafficRow): Promise<string | undefined> {
    const json = this.options.payload === 'json';
    const body = json ? jsonRequestBody(row, this.options.features) : requestBody(row, this.options.features);
    const type = json ? 'application/json' : 'text/csv';
    const label = row[this.options.label];
    if (label !== null && label !== undefined) this.labels.set(body, String(label));
    try {
      const out = await this.client.send(
        new InvokeEndpointCommand({ EndpointName: this.options.endpointName, Body: new TextEncoder().encode(body), ContentType: type, Accept: type }),
      );
      this.count(out.InvokedProductionVariant ?? 'unknown', false);
      return out.InvokedProductionVariant;
    } catch {
      this.count('unknown', true);
      return undefined;
    }
  }

  /** Sends every row, `concurrency` at a time. */
  public async sendAll(rows: readonly TrafficRow[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < rows.length) await this.send(rows[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, rows.length) }, worker));
  }

  /**
   * Starts sending rows in the background, cycling through them, about `perSecond`
   * requests a second, until {@link stopBackground}.
   */
  public startBackground(rows: readonly TrafficRow[], perSecond: number): void {
    if (this.background || rows.length === 0) return;
    const state = { stop: false, done: Promise.resolve() };
    const gap = 1000 / Math.max(1, perSecond);
    state.done = (async () => {
      let i = 0;
      while (!state.stop) {
        const started = Date.now();
        await this.send(rows[i % rows.length]!);
        i += 1;
        const wait = gap - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    this.background = state;
  }

  /** Stops the background traffic and waits for the request in flight. */
  public async stopBackground(): Promise<void> {
    const b = this.background;
    if (!b) return;
    b.stop = true;
    this.background = undefined;
    await b.done;
  }
}
