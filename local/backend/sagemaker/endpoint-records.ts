/**
 * The shapes of local endpoints: statuses, production variants, the stored endpoint
 * config and endpoint records, and what the runtime needs to route an invocation.
 */
import type { DataCaptureConfig } from './capture';
import type { ModelServer } from './model-server';

/** Endpoint statuses. */
export const ENDPOINT_STATUS = {
  creating: 'Creating',
  updating: 'Updating',
  inService: 'InService',
  failed: 'Failed',
  deleting: 'Deleting',
} as const;

/** A production variant of CreateEndpointConfig. */
export interface ProductionVariant {
  VariantName: string;
  ModelName: string;
  InitialVariantWeight?: number;
  InstanceType?: string;
  InitialInstanceCount?: number;
  [key: string]: unknown;
}

export interface EndpointConfigRecord {
  readonly name: string;
  readonly arn: string;
  readonly variants: ProductionVariant[];
  readonly capture?: DataCaptureConfig;
  readonly input: Record<string, unknown>;
  readonly created: Date;
}

/** A variant being served. */
export interface LiveVariant {
  readonly name: string;
  readonly modelName: string;
  readonly image: string;
  weight: number;
  desiredWeight: number;
  instanceCount: number;
  desiredInstanceCount: number;
  readonly server: ModelServer;
}

export interface EndpointRecord {
  readonly name: string;
  readonly arn: string;
  readonly created: Date;
  modified: Date;
  status: string;
  failureReason?: string;
  configName: string;
  capture?: DataCaptureConfig;
  variants: LiveVariant[];
  pending: Promise<void>;
  generation: number;
}

/** What {@link LocalEndpoints.failNextUpdate} makes the next update do. */
export type UpdateOutcome = 'fail' | 'rollback';

/** What the runtime needs to route an invocation. */
export interface RoutableEndpoint {
  readonly name: string;
  readonly status: string;
  readonly variants: readonly LiveVariant[];
  readonly capture?: DataCaptureConfig;
}
