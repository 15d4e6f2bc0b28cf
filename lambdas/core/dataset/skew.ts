/**
 * Training/serving skew: the same drift statistics the Monitor computes, between the
 * history rows (the reference) and the labeled production rows of a training set. A
 * drifted feature is reported at the configured severity (`warning` by default): the
 * retrain goes on and says so, or, at `critical`, stops as bad data.
 */
import type { ColumnType } from '../columns/column-types';
import { computeDrift } from '../drift';
import type { DriftMethod } from '../../../vocabulary/evaluation-names';
import type { Cell } from '../readers/types';
import { rowsTable } from './rows-table';
import type { TrainingSchema } from './training-schema';

/** One feature's skew. */
export interface FeatureSkew {
  readonly feature: string;
  readonly method: string;
  readonly score: number;
  readonly threshold: number;
  readonly drifted: boolean;
}

/** The skew check's verdict. */
export interface SkewResult {
  readonly status: 'healthy' | 'warning' | 'critical';
  readonly features: FeatureSkew[];
  readonly driftedFeatures: number;
}

/** Options of {@link checkSkew}. */
export interface SkewOptions {
  readonly schema: TrainingSchema;
  /** Status given when a feature drifted. */
  readonly severity: 'warning' | 'critical';
  /** @default 'psi' */
  readonly method?: DriftMethod;
  /** @default the method's default */
  readonly threshold?: number;
}

/**
 * Compares the features of `history` and `production` rows (each the features in the
 * schema's order, then anything else). Either side empty: nothing to compare, healthy.
 */
export async function checkSkew(history: readonly (readonly Cell[])[], production: readonly (readonly Cell[])[], options: SkewOptions): Promise<SkewResult> {
  if (history.length === 0 || production.length === 0) return { status: 'healthy', features: [], driftedFeatures: 0 };
  const names = options.schema.features.map((f) => f.name);
  const types: Record<string, ColumnType> = {};
  for (const f of options.schema.features) types[f.name] = f.type;
  const width = names.length;
  const result = await computeDrift({
    reference: rowsTable('history', names, history.map((r) => r.slice(0, width))),
    current: rowsTable('production', names, production.map((r) => r.slice(0, width))),
    columns: names,
    types,
    method: options.method,
    threshold: options.threshold,
    parallel: false,
  });
  const features = result.features.map((f) => ({ feature: f.name, method: f.method, score: f.score ?? 0, threshold: f.threshold, drifted: f.drifted }));
  const driftedFeatures = features.filter((f) => f.drifted).length;
  return { status: driftedFeatures > 0 ? options.severity : 'healthy', features, driftedFeatures };
}
