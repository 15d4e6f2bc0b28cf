/**
 * Picking the results of known steps out of a run's state, by shape: the report does
 * not depend on where a state machine stored each result.
 */
import { DriftOutput, EvaluateOutput, QualityOutput, ValidateOutput } from '../../vocabulary/contracts';

/** The step results found in a run's details. */
export interface RunFindings {
  readonly evaluation?: EvaluateOutput;
  readonly drift?: DriftOutput;
  readonly quality?: QualityOutput;
  readonly validation?: ValidateOutput;
}

/** Searches the top level of `details` for the first value of each known result shape. */
export function findResults(details: Readonly<Record<string, unknown>>): RunFindings {
  const found: { -readonly [K in keyof RunFindings]: RunFindings[K] } = {};
  for (const value of Object.values(details)) {
    if (value === null || typeof value !== 'object') continue;
    if (!found.evaluation && 'rules' in value) {
      const r = EvaluateOutput.safeParse(value);
      if (r.success) found.evaluation = r.data;
    } else if (!found.drift && 'driftedFeatures' in value) {
      const r = DriftOutput.safeParse(value);
      if (r.success) found.drift = r.data;
    } else if (!found.quality && 'newLabeledSamples' in value) {
      const r = QualityOutput.safeParse(value);
      if (r.success) found.quality = r.data;
    } else if (!found.validation && 'checks' in value) {
      const r = ValidateOutput.safeParse(value);
      if (r.success) found.validation = r.data;
    }
  }
  return found;
}
