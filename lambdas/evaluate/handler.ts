/**
 * `evaluate`: scores the candidate (and production) on the holdout and applies the gate.
 *
 * Join: `prepareHoldout` wrote the transform input (one features-only CSV line per
 * holdout row, no header) and, from the same pass over the holdout, the labels of those
 * rows in the same order (`labelsUri`). Batch transform writes `<input file>.out` with
 * one prediction line per input line, in order. The handler reads the labels and the
 * `.out` objects under each predictions prefix in key order, and pairs them by
 * position; the counts must be equal. Each prediction line is CSV numbers or a JSON
 * array: binary P(class 1) (or P(0),P(1)), multiclass K probabilities (or a class
 * index), regression the prediction.
 *
 * The metrics JSON (SageMaker model-quality statistics shape plus a `pitstop` section,
 * see ./model-quality-json) is written to `metricsUri`. Metrics undefined on the
 * holdout (NaN) are left out of `candidate`/`production`; a gate rule on one fails.
 *
 * With a `referenceUri`, the candidate's predictions and the labels are also written
 * there as a prediction reference (core/quality/prediction-reference.ts): recorded at
 * promotion, it is what the Monitor estimates quality and measures prediction drift against.
 */
import { EvaluateInput, type EvaluateOutput } from '../../vocabulary/contracts';
import { evaluateGate, type GateResult, type GateRuleResult } from '../core/gate';
import { evaluate, type Metrics } from '../core/metrics';
import { InputError } from '../../vocabulary/errors';
import { PREDICTION_REFERENCE_VERSION, scoreColumns, type PredictionReference } from '../core/quality';
import { openTable } from '../core/readers';
import { s3Client } from '../runtime/clients';
import { defineHandler } from '../runtime/define-handler';
import { definedMetrics } from '../runtime/metric-values';
import { writeS3Json } from '../runtime/s3-objects';
import { readHoldoutLabels } from './holdout-labels';
import { modelQualityJson } from './model-quality-json';
import { readTransformOutput } from './transform-output';

/** One core gate rule result as a contract rule. A skipped rule's threshold is its allowance; an undefined (NaN) value reads 0. */
export function toContractRule(r: GateRuleResult, gate: EvaluateInput['gate']): EvaluateOutput['rules'][number] {
  const allowance =
    r.kind === 'primary'
      ? (gate.primary?.minImprovement ?? 0)
      : r.kind === 'relative'
        ? (gate.relative.find((x) => x.metric === r.metric)?.maxDegradation ?? 0)
        : 0;
  const outcome = r.skipped ? `skipped${r.reason ? ` (${r.reason})` : ''}` : r.passed ? 'pass' : `FAIL${r.reason ? ` (${r.reason})` : ''}`;
  const finite = (x: number) => (Number.isFinite(x) ? x : 0);
  return {
    kind: r.kind,
    metric: r.metric,
    passed: r.passed,
    candidate: finite(r.candidate),
    ...(r.production === undefined ? {} : { production: finite(r.production) }),
    threshold: r.threshold ?? allowance,
    message: `${r.description}: ${outcome}`,
  };
}

export const handler = defineHandler('evaluate', EvaluateInput, async (input): Promise<EvaluateOutput & { rows: number; mode: GateResult['mode'] }> => {
  const s3 = s3Client();
  const labels = await readHoldoutLabels(await openTable(input.labelsUri, { s3, format: 'csv' }), input.label, input.problemType);
  const read = async (uri: string, who: string): Promise<number[][]> => {
    const predictions = await readTransformOutput(uri, s3);
    if (predictions.length !== labels.length) {
      throw new InputError(
        `${who}: expected ${labels.length} prediction lines (one per holdout row), found ${predictions.length}`,
        { file: uri },
      );
    }
    return predictions;
  };
  const score = (predictions: number[][]): Metrics =>
    evaluate(input.problemType, Float64Array.from(labels), scoreColumns(input.problemType, predictions, labels, input.classes));
  const candidatePredictions = await read(input.candidatePredictionsUri, 'candidate');
  const candidate = score(candidatePredictions);
  const production = input.productionPredictionsUri === '' ? undefined : score(await read(input.productionPredictionsUri, 'production'));
  const gate = evaluateGate(input.gate, candidate, production);
  await writeS3Json(
    input.metricsUri,
    modelQualityJson({ model: input.model, runId: input.runId, problemType: input.problemType, rows: labels.length, candidate, production, gate }),
    s3,
  );
  if (input.referenceUri !== '') {
    const reference: PredictionReference = { version: PREDICTION_REFERENCE_VERSION, problemType: input.problemType, labels, predictions: candidatePredictions };
    await writeS3Json(input.referenceUri, reference, s3);
  }
  return {
    passed: gate.passed,
    candidate: definedMetrics(candidate),
    ...(production ? { production: definedMetrics(production) } : {}),
    rules: gate.rules.map((r) => toContractRule(r, input.gate)),
    metricsUri: input.metricsUri,
    ...(input.referenceUri === '' ? {} : { referenceUri: input.referenceUri }),
    rows: labels.length,
    mode: gate.mode,
  };
});
