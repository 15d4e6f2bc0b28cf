/**
 * The sections of the run report, each a pure function from the run data to HTML.
 * Every string from the data is escaped here or in the chart builders.
 */
import { soakDriftChart, soakVolumeChart } from './charts/soak';
import { canaryChart } from './charts/canary';
import { driftChart } from './charts/drift';
import { metricNames, metricsChart } from './charts/metrics';
import { timelineChart } from './charts/timeline';
import { esc } from './escape';
import { formatCount, formatDuration, formatLatency, formatNumber, formatOffset, formatRate, MISSING } from './format';
import { badge, emptyNote, legend, num, section, table } from './html';
import { PALETTE } from './svg';
import type { Evaluation, RunReportData } from './types';

/** The badge tone of each outcome. */
export const OUTCOME_TONE = {
  promoted: 'good',
  rejected: 'warn',
  'rolled-back': 'bad',
  stopped: 'neutral',
} as const;

/** What an empty section says instead of drawing a chart. */
export const EMPTY_MESSAGES = {
  timeline: 'No state was entered in this run.',
  drift: 'No drift was computed in this run.',
  evaluation: 'The run stopped before the candidate was evaluated.',
  metrics: 'No metric was reported for the candidate.',
  rules: 'No gate rule was evaluated.',
  canary: 'No canary stage was reached.',
  alarms: 'No alarm changed state.',
  notifications: 'No notification was published.',
} as const;

const modelName = (name: string | null) => (name === null ? '<span class="empty">none</span>' : `<code>${esc(name)}</code>`);

/** The page header: scenario, outcome, model, production model before → after, times. */
export function headerSection(data: RunReportData): string {
  const failed = data.timeline.filter((e) => e.status === 'failed').length;
  const caught = data.timeline.filter((e) => e.status === 'caught').length;
  const tone = OUTCOME_TONE[data.outcome] ?? 'neutral';
  return (
    `<header class="run"><h1><span>Run report: <span data-field="scenario">${esc(data.scenario)}</span></span>` +
    `<span data-field="outcome">${badge(data.outcome, tone)}</span></h1><dl>` +
    `<dt>Model</dt><dd data-field="model">${esc(data.model)}</dd>` +
    `<dt>Production model</dt><dd data-field="production-model">${modelName(data.productionModel.before)} → ${modelName(data.productionModel.after)}` +
    `${data.productionModel.before === data.productionModel.after ? ' <span class="note">(unchanged)</span>' : ''}</dd>` +
    `<dt>Started</dt><dd data-field="started-at">${esc(data.startedAt)}</dd>` +
    `<dt>Duration</dt><dd data-field="duration">${esc(formatDuration(data.durationMs))}</dd>` +
    `<dt>States</dt><dd data-field="states">${esc(formatCount(data.timeline.length))} entered, ${esc(formatCount(failed))} failed, ${esc(formatCount(caught))} caught</dd>` +
    `</dl></header>`
  );
}

/** The timeline: the Gantt-like chart and the ordered list of states. */
export function timelineSection(data: RunReportData): string {
  if (data.timeline.length === 0) return section('timeline', 'Timeline', emptyNote(EMPTY_MESSAGES.timeline));
  const items = data.timeline
    .map(
      (e) =>
        `<li class="status-${esc(e.status)}"><span class="machine">${esc(e.stateMachine)}</span> › <strong>${esc(e.state)}</strong> ` +
        `<span class="status-${esc(e.status)}">${esc(e.status)}</span> ${esc(formatOffset(e.startMs))} → ${esc(formatOffset(e.endMs))} ` +
        `(${esc(formatDuration(e.endMs - e.startMs))})</li>`,
    )
    .join('');
  return section(
    'timeline',
    'Timeline',
    legend([
      { label: 'succeeded', color: PALETTE.succeeded },
      { label: 'caught (error handled)', color: PALETTE.caught },
      { label: 'failed', color: PALETTE.failed },
    ]) +
      timelineChart(data.timeline, data.durationMs) +
      // Long runs enter hundreds of states: the list is there, folded, under the chart.
      `<details class="states"><summary>Every state entered, in order (${data.timeline.length})</summary><ol class="states">${items}</ol></details>`,
  );
}

/** Drift per feature: the bar chart with thresholds and a table. */
export function driftSection(data: RunReportData): string {
  if (data.drift.length === 0) return section('drift', 'Drift per feature', emptyNote(EMPTY_MESSAGES.drift));
  const drifted = data.drift.filter((d) => d.drifted).length;
  const rows = data.drift.map((d) => [
    esc(d.feature),
    esc(d.type),
    esc(d.method),
    num(formatNumber(d.score)),
    num(formatNumber(d.threshold)),
    d.drifted ? badge('drifted', 'bad') : badge('stable', 'neutral'),
  ]);
  return section(
    'drift',
    'Drift per feature',
    `<p>${esc(formatCount(drifted))} of ${esc(formatCount(data.drift.length))} features drifted.</p>` +
      legend([
        { label: 'drifted', color: PALETTE.drifted },
        { label: 'within threshold', color: PALETTE.stable },
        { label: 'threshold', color: PALETTE.threshold, dashed: true },
      ]) +
      driftChart(data.drift) +
      table(['Feature', 'Type', 'Method', { html: 'Score', class: 'num' }, { html: 'Threshold', class: 'num' }, 'Verdict'], rows),
  );
}

/** The soak's weeks: reads against capture on disk, drift over time, the retrains on the same axis ('' for other scenarios). */
export function soakSection(data: RunReportData): string {
  const soak = data.soak;
  if (!soak) return '';
  const judged = soak.monitor.filter((m) => !m.insufficientData).length;
  const rows = soak.retrains.map((r) => [num(formatNumber(r.day)), esc(r.trigger), r.outcome === 'Promoted' ? badge(r.outcome, 'good') : badge(r.outcome, 'bad')]);
  return section(
    'soak',
    'Weeks of monitoring',
    `<p>${esc(formatCount(soak.monitor.length))} monitor runs (${esc(formatCount(judged))} with enough data), ${esc(formatCount(soak.retrains.length))} retrains. Each run reads only its window: the bytes read stay flat while the capture on disk grows.</p>` +
      soakVolumeChart(soak) +
      soakDriftChart(soak) +
      table([{ html: 'Day', class: 'num' }, 'Trigger', 'Outcome'], rows),
  );
}

/** The metrics table of a judgment: candidate, production and their difference per metric. */
function metricsTable(evaluation: Evaluation, names: readonly string[]): string {
  const rows = names.map((name) => {
    const c = evaluation.candidate[name];
    const p = evaluation.production?.[name];
    return [
      esc(name),
      num(c === undefined ? MISSING : formatNumber(c)),
      num(p === undefined ? MISSING : formatNumber(p)),
      num(c === undefined || p === undefined ? MISSING : `${c - p >= 0 ? '+' : ''}${formatNumber(c - p)}`),
    ];
  });
  return table(['Metric', { html: 'Candidate', class: 'num' }, { html: 'Production', class: 'num' }, { html: 'Difference', class: 'num' }], rows);
}

/** The gate rules' verdicts of a judgment. */
function rulesTable(evaluation: Evaluation): string {
  if (evaluation.rules.length === 0) return emptyNote(EMPTY_MESSAGES.rules);
  const rows = evaluation.rules.map((r) => [
    esc(r.kind),
    esc(r.metric),
    num(formatNumber(r.candidate)),
    num(r.production === undefined ? MISSING : formatNumber(r.production)),
    num(formatNumber(r.threshold)),
    r.passed ? badge('pass', 'good') : badge('fail', 'bad'),
    esc(r.message),
  ]);
  return table(
    ['Kind', 'Metric', { html: 'Candidate', class: 'num' }, { html: 'Production', class: 'num' }, { html: 'Threshold', class: 'num' }, 'Verdict', 'Message'],
    rows,
    'data rules',
  );
}

/** Candidate vs production: metrics table and chart, and the gate's rules (on the recent holdout when a fixed one is judged beside it). */
export function evaluationSection(data: RunReportData): string {
  const evaluation = data.evaluation;
  const title = data.fixedHoldout ? 'Candidate vs production: the gate, on the recent holdout' : 'Candidate vs production';
  if (evaluation === undefined) return section('evaluation', title, emptyNote(EMPTY_MESSAGES.evaluation));
  const names = metricNames(evaluation);
  const metrics =
    names.length === 0
      ? emptyNote(EMPTY_MESSAGES.metrics)
      : metricsTable(evaluation, names) +
        legend([
          { label: 'candidate', color: PALETTE.candidate },
          { label: 'production', color: PALETTE.production },
        ]) +
        metricsChart(evaluation) +
        `<p class="note">Each metric's bars are scaled to the larger of its two values.</p>`;
  const production = evaluation.production === undefined ? '<p class="note">No production model: the gate applied absolute rules only.</p>' : '';
  return section(
    'evaluation',
    title,
    `<p>Gate: <span data-field="gate">${evaluation.passed ? badge('passed', 'good') : badge('rejected', 'bad')}</span></p>` +
      production +
      metrics +
      `<h3>Gate rules</h3>${rulesTable(evaluation)}`,
  );
}

/** The same candidate judged on the fixed holdout (`data.holdout`), beside the gate's verdict ('' when there is none). */
export function fixedHoldoutSection(data: RunReportData): string {
  const fixed = data.fixedHoldout;
  if (fixed === undefined) return '';
  const names = metricNames(fixed);
  const verdict = fixed.passed ? badge('would have passed', 'good') : badge('would have been rejected', 'bad');
  return section(
    'fixed-holdout',
    'The same candidate on the fixed holdout (data.holdout)',
    `<p>The gate judged on the recent holdout; on the old fixed holdout the same rules say: <span data-field="fixed-holdout-gate">${verdict}</span>. For comparison only: this verdict decides nothing.</p>` +
      (names.length === 0 ? emptyNote(EMPTY_MESSAGES.metrics) : metricsTable(fixed, names)) +
      `<h3>Gate rules on the fixed holdout</h3>${rulesTable(fixed)}`,
  );
}

/** The canary stages: chart of error rate and p99 latency per variant, and a table. */
export function canarySection(data: RunReportData): string {
  if (data.canary.length === 0) return section('canary', 'Canary stages', emptyNote(EMPTY_MESSAGES.canary));
  const rows = data.canary.map((s) => [
    num(formatNumber(s.stage)),
    num(`${formatNumber(s.percent)} %`),
    num(formatCount(s.candidate.invocations)),
    num(formatCount(s.production.invocations)),
    num(formatRate(s.candidate.errorRate)),
    num(formatRate(s.production.errorRate)),
    num(formatLatency(s.candidate.latencyP95Ms)),
    num(formatLatency(s.production.latencyP95Ms)),
    num(formatLatency(s.candidate.latencyP99Ms)),
    num(formatLatency(s.production.latencyP99Ms)),
    s.breached ? `${badge('breached', 'bad')}${s.reason ? ` ${esc(s.reason)}` : ''}` : badge('healthy', 'good'),
  ]);
  const n = (label: string) => ({ html: esc(label), class: 'num' });
  return section(
    'canary',
    'Canary stages',
    legend([
      { label: 'candidate', color: PALETTE.candidate },
      { label: 'production', color: PALETTE.production },
      { label: 'breached stage', color: PALETTE.breach },
    ]) +
      canaryChart(data.canary) +
      table(
        [
          n('Stage'),
          n('Traffic'),
          n('Invocations (cand.)'),
          n('Invocations (prod.)'),
          n('5XX (cand.)'),
          n('5XX (prod.)'),
          n('p95 (cand.)'),
          n('p95 (prod.)'),
          n('p99 (cand.)'),
          n('p99 (prod.)'),
          'Result',
        ],
        rows,
      ),
  );
}

/** Alarm state changes. */
export function alarmsSection(data: RunReportData): string {
  if (data.alarms.length === 0) return section('alarms', 'Alarms', emptyNote(EMPTY_MESSAGES.alarms));
  const rows = data.alarms.map((a) => [
    num(formatOffset(a.atMs)),
    esc(a.alarm),
    `${esc(a.from)} → <strong>${esc(a.to)}</strong>`,
    esc(a.reason),
  ]);
  return section('alarms', 'Alarms', table([{ html: 'At', class: 'num' }, 'Alarm', 'Change', 'Reason'], rows, 'data alarms'));
}

/** SNS notifications. */
export function notificationsSection(data: RunReportData): string {
  if (data.notifications.length === 0) return section('notifications', 'Notifications', emptyNote(EMPTY_MESSAGES.notifications));
  const items = data.notifications
    .map(
      (n) =>
        `<li><span class="at">${esc(formatOffset(n.atMs))}</span><strong>${esc(n.subject)}</strong><pre>${esc(n.message)}</pre></li>`,
    )
    .join('');
  return section('notifications', 'Notifications', `<ul class="events">${items}</ul>`);
}
