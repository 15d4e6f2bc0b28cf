/**
 * `report`: writes the run record (JSON, everything the run gathered) to `recordUri`
 * and the human report (Markdown) to `reportUri`, and returns the summary line. With
 * `cooldownDays`, `nextEligibleAt` is the finish time plus that many days (24 h each).
 */
import { ReportInput, type ReportOutput } from '../../statemachines/contracts';
import { defineHandler } from '../runtime/define-handler';
import { writeS3Json, writeS3Text } from '../runtime/s3-objects';
import { s3Client } from '../runtime/clients';
import { findResults } from './findings';
import { renderMarkdown } from './markdown';
import { summarize } from './summary';

/** Milliseconds per cooldown day. */
export const DAY_MS = 86_400_000;

/** Version of the run record's shape. */
export const RUN_RECORD_VERSION = 1;

export const handler = defineHandler('report', ReportInput, async (input): Promise<ReportOutput> => {
  const finished = new Date();
  const finishedAt = finished.toISOString();
  const nextEligibleAt = input.cooldownDays === undefined ? undefined : new Date(finished.getTime() + input.cooldownDays * DAY_MS).toISOString();
  const findings = findResults(input.details);
  const summary = summarize(input, findings);
  const times = { summary, finishedAt, ...(nextEligibleAt ? { nextEligibleAt } : {}) };
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
