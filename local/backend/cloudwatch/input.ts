/**
 * Checks of local CloudWatch request fields (timestamps, dimensions, numbers), each
 * failing with CloudWatch's InvalidParameterValue, and the identity of a metric.
 */
import type { Dimension } from './types';
import { LocalAwsError } from '../errors';

/** The service name local CloudWatch errors carry. */
export const SERVICE = 'cloudwatch';

/** A CloudWatch error of local CloudWatch. */
export function cwError(name: string, message: string): LocalAwsError {
  return new LocalAwsError(name, message, SERVICE);
}

/** Epoch milliseconds of a Date, ISO string or number. @throws InvalidParameterValue naming `field` */
export function toMillis(value: unknown, field: string): number {
  const t = value instanceof Date ? value.getTime() : typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN;
  if (!Number.isFinite(t)) throw cwError('InvalidParameterValue', `expected ${field} to be a timestamp, got ${JSON.stringify(value)}`);
  return t;
}

/** Dimensions checked (string Name and Value) and sorted by name. @throws InvalidParameterValue */
export function normalizeDimensions(dimensions: unknown): Dimension[] {
  if (dimensions === undefined) return [];
  if (!Array.isArray(dimensions)) throw cwError('InvalidParameterValue', 'expected Dimensions to be a list');
  return dimensions
    .map((d: { Name?: unknown; Value?: unknown }) => {
      if (typeof d?.Name !== 'string' || typeof d?.Value !== 'string') {
        throw cwError('InvalidParameterValue', `expected each dimension to have a string Name and Value, got ${JSON.stringify(d)}`);
      }
      return { Name: d.Name, Value: d.Value };
    })
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** Identity of a metric: namespace, name and its exact set of dimensions. */
export function metricKey(namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
  return JSON.stringify([namespace, metricName, normalizeDimensions(dimensions).map((d) => [d.Name, d.Value])]);
}

/** A finite number. @throws InvalidParameterValue naming `field` */
export function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw cwError('InvalidParameterValue', `expected ${field} to be a finite number, got ${String(v)}`);
  return v;
}
