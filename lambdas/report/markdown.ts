/**
 * The human report of a run, in Markdown.
 */
import type { ReportInput } from '../../vocabulary/contracts';
import type { RunFindings } from './findings';
import { shortNumber } from './summary';

/** Most characters of the raw details kept at the end of the report. */
export const MAX_DETAILS_CHARS = 50_000;

/** Escapes a table cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** What the report shows besides the input. */
export interface ReportTimes {
  readonly summary: string;
  readonly finishedAt: string;
  readonly nextEligibleAt?: string;
}

/** Builds the Markdown report. */
export function renderMarkdown(input: ReportInput, findings: RunFindings, times: ReportTimes): string {
  const out: string[] = [`# ${times.summary}`, ''];
  out.push(
    ...table(
      ['', ''],
      [
        ['Model', input.model],
        ['Run', input.runId],
        ['Kind', input.kind],
        ['Outcome', input.outcome],
        ['Started', input.startedAt],
        ['Finished', times.finishedAt],
        ['Execution', input.executionId],
        ...(input.error ? [['Error', input.error]] : []),
        ...(input.cause ? [['Cause', input.cause]] : []),
        ...(times.nextEligibleAt ? [['Next retrain eligible', times.nextEligibleAt]] : []),
      ],
    ),
    '',
  );
  const { evaluation, drift, quality, validation } = findings;
  if (validation) {
    out.push(`## Data validation: ${validation.status} (${validation.rows} rows)`, '');
    const notable = validation.checks.filter((c) => c.status !== 'healthy');
    out.push(notable.length === 0 ? 'Every check healthy.' : table(['Check', 'Column', 'Value', 'Status', 'Message'], notable.map((c) => [c.check, c.column ?? '', shortNumber(c.value), c.status, c.message])).join('\n'), '');
  }
  if (drift) {
    out.push(`## Drift: ${drift.driftedFeatures} of ${drift.features.length} features drifted (${drift.rows} rows)`, '');
    if (drift.features.length > 0) {
      out.push(...table(['Feature', 'Method', 'Score', 'Threshold', 'Drifted'], drift.features.map((f) => [f.feature, f.method, shortNumber(f.score), shortNumber(f.threshold), f.drifted ? 'yes' : 'no'])), '');
    }
  }
  if (quality) {
    out.push(`## Live quality (${quality.matched} labeled samples)`, '');
    if (quality.metrics.length > 0) out.push(...table(['Metric', 'Value'], quality.metrics.map((m) => [m.metric, shortNumber(m.value)])), '');
  }
  if (evaluation) {
    out.push(`## Gate: ${evaluation.passed ? 'passed' : 'failed'}`, '');
    if (evaluation.rules.length > 0) {
      out.push(
        ...table(
          ['Kind', 'Metric', 'Candidate', 'Production', 'Threshold', 'Result'],
          evaluation.rules.map((r) => [r.kind, r.metric, shortNumber(r.candidate), r.production === undefined ? '-' : shortNumber(r.production), shortNumber(r.threshold), r.message]),
        ),
        '',
      );
    }
    const names = Object.keys(evaluation.candidate);
    out.push(...table(['Metric', 'Candidate', 'Production'], names.map((n) => [n, shortNumber(evaluation.candidate[n]!), evaluation.production?.[n] === undefined ? '-' : shortNumber(evaluation.production[n]!)])), '');
  }
  let details = JSON.stringify(input.details, null, 2);
  if (details.length > MAX_DETAILS_CHARS) details = `${details.slice(0, MAX_DETAILS_CHARS)}\n... (truncated; the run record holds everything)`;
  out.push('## Details', '', '```json', details, '```', '');
  return out.join('\n');
}
