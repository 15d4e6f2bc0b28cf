/**
 * The HTML report of a local-mode run.
 */
export { renderReport, writeReport, REPORT_CSP } from './render';
export type * from './types';
export { escapeHtml } from './escape';
export { formatCount, formatDuration, formatLatency, formatNumber, formatOffset, formatRate } from './format';
export { EMPTY_MESSAGES, OUTCOME_TONE } from './sections';
