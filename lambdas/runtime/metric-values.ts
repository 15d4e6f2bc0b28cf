/**
 * Metric results as the contracts carry them: numbers only.
 */
import type { Metrics } from '../core/metrics';

/**
 * The metrics with a defined value. A metric undefined on the data (NaN, e.g. ROC AUC
 * with one class present) is left out, since JSON has no NaN; `undefinedMetrics` names them.
 */
export function definedMetrics(metrics: Metrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  return out;
}

/** The names of the metrics without a defined value. */
export function undefinedMetrics(metrics: Metrics): string[] {
  return Object.entries(metrics)
    .filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value))
    .map(([name]) => name);
}
