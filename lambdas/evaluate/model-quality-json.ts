/**
 * The metrics JSON attached to the model package as ModelQuality statistics, in the
 * shape SageMaker Model Monitor's model-quality jobs write: a section per problem type
 * (`binary_classification_metrics`, `multiclass_classification_metrics`,
 * `regression_metrics`) holding `{ "value": x, "standard_deviation": "NaN" }` per
 * metric (snake_case names; ROC AUC is `auc`), plus a `pitstop` section with the
 * camelCase metrics of both models and the gate's verdict.
 */
import type { GateResult } from '../core/gate';
import type { Metrics } from '../core/metrics';
import type { ProblemType } from '../../vocabulary/evaluation-names';

/** The SageMaker section name per problem type. */
export const MODEL_QUALITY_SECTIONS = {
  binary: 'binary_classification_metrics',
  multiclass: 'multiclass_classification_metrics',
  regression: 'regression_metrics',
} as const satisfies Record<ProblemType, string>;

/** SageMaker's name for a pitstop metric where it is not the plain snake_case. */
const RENAMED: Readonly<Record<string, string>> = { rocAuc: 'auc' };

/** `f1Macro` → `f1_macro`. */
export function snakeCase(name: string): string {
  return RENAMED[name] ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A metric value as SageMaker writes it: NaN as the string "NaN". */
const jsonValue = (x: number | undefined): number | string => (x === undefined || !Number.isFinite(x) ? 'NaN' : x);

/** What {@link modelQualityJson} needs. */
export interface ModelQualityReport {
  readonly model: string;
  readonly runId: string;
  readonly problemType: ProblemType;
  /** Holdout rows scored. */
  readonly rows: number;
  readonly candidate: Metrics;
  readonly production?: Metrics;
  readonly gate: GateResult;
}

/** Builds the metrics JSON object. */
export function modelQualityJson(report: ModelQualityReport): Record<string, unknown> {
  const section: Record<string, { value: number | string; standard_deviation: string }> = {};
  for (const [name, value] of Object.entries(report.candidate)) {
    section[snakeCase(name)] = { value: jsonValue(value), standard_deviation: 'NaN' };
  }
  const plain = (m: Metrics) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, jsonValue(v)]));
  return {
    version: 0.0,
    dataset: { item_count: report.rows },
    [MODEL_QUALITY_SECTIONS[report.problemType]]: section,
    pitstop: {
      model: report.model,
      runId: report.runId,
      candidate: plain(report.candidate),
      ...(report.production ? { production: plain(report.production) } : {}),
      gate: {
        passed: report.gate.passed,
        mode: report.gate.mode,
        rules: report.gate.rules.map((r) => ({ ...r, candidate: jsonValue(r.candidate), ...(r.production === undefined ? {} : { production: jsonValue(r.production) }) })),
      },
    },
  };
}
