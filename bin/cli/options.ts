/** Typed readers for parsed CLI option values; each throws a UsageError naming the flag. */
import { InputError } from '../../vocabulary/errors';
import type { DataFormat } from '../../lambdas/core/readers/types';
import type { ParsedValues } from './command';

/** Bad command-line usage (exit 2). */
export class UsageError extends InputError {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function optString(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`--${name} expects a value`);
  return v;
}

export function reqString(values: ParsedValues, name: string): string {
  const v = optString(values, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

export function optNumber(
  values: ParsedValues,
  name: string,
  bounds: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const raw = optString(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || raw.trim() === '') throw new UsageError(`--${name} expects a number, got "${raw}"`);
  if (bounds.integer && !Number.isInteger(n)) throw new UsageError(`--${name} expects an integer, got ${raw}`);
  if (bounds.min !== undefined && n < bounds.min) throw new UsageError(`--${name} expects at least ${bounds.min}, got ${raw}`);
  if (bounds.max !== undefined && n > bounds.max) throw new UsageError(`--${name} expects at most ${bounds.max}, got ${raw}`);
  return n;
}

/** A comma-separated list, e.g. `--score p0,p1,p2`. */
export function optList(values: ParsedValues, name: string): string[] | undefined {
  const raw = optString(values, name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s.length === 0)) throw new UsageError(`--${name} has an empty item in "${raw}"`);
  return items;
}

export function reqList(values: ParsedValues, name: string): string[] {
  const v = optList(values, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

export function optChoice<T extends string>(values: ParsedValues, name: string, choices: readonly T[]): T | undefined {
  const raw = optString(values, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} expects one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export const FORMATS: readonly DataFormat[] = ['csv', 'jsonl', 'capture', 'parquet'];

export function optFormat(values: ParsedValues): DataFormat | undefined {
  return optChoice(values, 'format', FORMATS);
}
