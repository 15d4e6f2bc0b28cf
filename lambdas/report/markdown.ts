/**
 * The human report of a run, in Markdown.
 */
import type { ReportInput } from '../../vocabulary/contracts';
import type { DatasetDrops, PrepareDatasetOutput } from '../../vocabulary/dataset-contracts';
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

/** What the drop reasons are called in the report. */
const DROP_LABELS: Record<keyof DatasetDrops, string> = {
  duplicate: 'duplicate requests',
  labelCount: 'label count mismatch',
  schema: 'failing the training schema',
  unlabeled: 'unlabeled',
  historyOutsideWindow: 'history outside its window',
  historyAtOrAfterHoldout: 'history as new as the holdout',
};

/** `n reason, ...` for the reasons with rows. */
const droppedByReason = (d: DatasetDrops): string =>
  (Object.keys(DROP_LABELS) as (keyof DatasetDrops)[])
    .filter((k) => d[k] > 0)
    .map((k) => `${d[k]} ${DROP_LABELS[k]}`)
    .join(', ');

/** The training data section: where the rows came from, what was left out, the holdout, the skew. */
function datasetSection(d: PrepareDatasetOutput): string[] {
  const s = d.dataset;
  const holdout = d.holdoutKind === 'recent' ? `recent: ${s.holdoutRows} labeled production rows from ${s.holdoutFrom} to ${s.holdoutTo}` : `fixed: ${d.holdoutUri}`;
  const out = [
    `## Training data: ${s.historyRows} history rows + ${s.productionRows - s.holdoutRows} labeled production rows`,
    '',
    ...table(
      ['', ''],
      [
        ['Labeled production rows', String(s.productionRows)],
        ['Rows left out', `${s.droppedRows}${s.droppedRows > 0 ? ` (${droppedByReason(s.dropped)})` : ''}`],
        ['Production model cut-off', s.trainingCutoff === '' ? 'none recorded' : s.trainingCutoff],
        ['Holdout', holdout],
        ['Manifest', s.manifestUri],
        ['Content hash', d.contentHash],
      ],
    ),
    '',
  ];
  const skewed = d.skew.features.filter((f) => f.drifted);
  if (skewed.length > 0) {
    out.push(`Training/serving skew (${d.skew.status}):`, '', ...table(['Feature', 'Method', 'Score', 'Threshold'], skewed.map((f) => [f.feature, f.method, shortNumber(f.score), shortNumber(f.threshold)])), '');
  }
  return out;
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
  const { evaluation, drift, quality, validation, dataset, fixedEvaluation } = findings;
  if (dataset) out.push(...datasetSection(dataset));
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
  if (fixedEvaluation) {
    out.push(`## For comparison: the fixed holdout (data.holdout) would have ${fixedEvaluation.passed ? 'passed' : 'failed'} the candidate`, '');
    const names = Object.keys(fixedEvaluation.candidate);
    out.push(
      ...table(['Metric', 'Candidate', 'Production'], names.map((n) => [n, shortNumber(fixedEvaluation.candidate[n]!), fixedEvaluation.production?.[n] === undefined ? '-' : shortNumber(fixedEvaluation.production[n]!)])),
      '',
    );
  }
  let details = JSON.stringify(input.details, null, 2);
  if (details.length > MAX_DETAILS_CHARS) details = `${details.slice(0, MAX_DETAILS_CHARS)}\n... (truncated; the run record holds everything)`;
  out.push('## Details', '', '```json', details, '```', '');
  return out.join('\n');
}
