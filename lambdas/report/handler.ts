/**
 * `report`: writes the run record (JSON, everything the run gathered) to `recordUri`
 * and the human report (Markdown) to `reportUri`, and returns the summary line. With
 * `cooldownDays`, `nextEligibleAt` is the finish time plus that many days (24 h each);
 * likewise `maxAgeAt` with `maxModelAgeDays` and `retryAfterAt` with `retryAfterHours`.
 * The finish time is never before the run's start (a run cannot end before it began;
 * local mode's simulated clock runs ahead of the real one).
 */
import { ReportInput, type ReportOutput } from '../../vocabulary/contracts';
import { defineHandler } from '../runtime/define-handler';
import { writeS3Json, writeS3Text } from '../runtime/s3-objects';
import { s3Client } from '../runtime/clients';
import { findResults } from './findings';
import { renderMarkdown } from './markdown';
import { summarize } from './summary';

/** Milliseconds per cooldown day. */
export const DAY_MS = 86_400_000;
/** Milliseconds per hour. */
export const HOUR_MS = 3_600_000;

/** Version of the run record's shape. */
export const RUN_RECORD_VERSION = 1;

export const handler = defineHandler('report', ReportInput, async (input): Promise<ReportOutput> => {
  const started = Date.parse(input.startedAt);
  const finished = new Date(Number.isNaN(started) ? Date.now() : Math.max(Date.now(), started));
  const finishedAt = finished.toISOString();
  const after = (ms: number | undefined) => (ms === undefined ? undefined : new Date(finished.getTime() + ms).toISOString());
  const nextEligibleAt = after(input.cooldownDays === undefined ? undefined : input.cooldownDays * DAY_MS);
  const maxAgeAt = after(input.maxModelAgeDays === undefined ? undefined : input.maxModelAgeDays * DAY_MS);
  const retryAfterAt = after(input.retryAfterHours === undefined ? undefined : input.retryAfterHours * HOUR_MS);
  const findings = findResults(input.details);
  const summary = summarize(input, findings);
  const times = {
    summary,
    finishedAt,
    ...(nextEligibleAt ? { nextEligibleAt } : {}),
    ...(maxAgeAt ? { maxAgeAt } : {}),
    ...(retryAfterAt ? { retryAfterAt } : {}),
  };
  const s3 = s3Client();
  await writeS3Json(
    input.recordUri,
    {
      version: RUN_RECORD_VERSION,
      model: input.model,
      runId: input.runId,
      kind: input.kind,
      executionId: input.executionId,
      startedAt: input.startedAt,
      finishedAt,
      outcome: input.outcome,
      error: input.error,
      cause: input.cause,
      summary,
      ...(input.cooldownDays === undefined ? {} : { cooldownDays: input.cooldownDays }),
      ...(nextEligibleAt ? { nextEligibleAt } : {}),
      reportUri: input.reportUri,
      details: input.details,
    },
    s3,
  );
  await writeS3Text(input.reportUri, renderMarkdown(input, findings, times), 'text/markdown; charset=utf-8', s3);
  return { recordUri: input.recordUri, reportUri: input.reportUri, ...times };
});
