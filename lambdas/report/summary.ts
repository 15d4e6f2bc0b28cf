/**
 * The one-line summary of a run, for the notification subject and body, e.g.
 * `churn: Promoted (f1 0.81 → 0.84)` or `churn: Completed (2 drifted features, accuracy 0.91)`.
 */
import type { ReportInput } from '../../vocabulary/contracts';
import type { RunFindings } from './findings';

/** Longest summary, in characters (SNS subjects allow 100; the body repeats it). */
export const MAX_SUMMARY_LENGTH = 200;

/** A number with at most four significant digits. */
export function shortNumber(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** The summary line of a run. */
export function summarize(input: Pick<ReportInput, 'model' | 'outcome' | 'error' | 'cause'>, findings: RunFindings): string {
  const facts: string[] = [];
  const ev = findings.evaluation;
  if (ev) {
    const metric = ev.rules[0]?.metric ?? Object.keys(ev.candidate)[0];
    const cand = metric === undefined ? undefined : ev.candidate[metric];
    if (metric !== undefined && cand !== undefined) {
      const prod = ev.production?.[metric];
      facts.push(prod === undefined ? `${metric} ${shortNumber(cand)}` : `${metric} ${shortNumber(prod)} → ${shortNumber(cand)}`);
    }
  }
  if (findings.drift) facts.push(`${findings.drift.driftedFeatures} drifted feature${findings.drift.driftedFeatures === 1 ? '' : 's'}`);
  const live = findings.quality?.metrics[0];
  if (live) facts.push(`${live.metric} ${shortNumber(live.value)}`);
  let line = `${input.model}: ${input.outcome}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
  if (input.error) line += ` — ${input.error}${input.cause ? `: ${input.cause}` : ''}`;
  return line.length > MAX_SUMMARY_LENGTH ? `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : line;
}
