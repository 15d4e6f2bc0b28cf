/** Reading a model's executions for `status` and `history`. */
import { DescribeExecutionCommand, ListExecutionsCommand, type ExecutionStatus, type SFNClient } from '@aws-sdk/client-sfn';

export interface ExecutionSummary {
  readonly name: string;
  readonly executionArn: string;
  readonly status: string;
  readonly startDate?: string;
  readonly stopDate?: string;
  /** Promoted, Rejected, RolledBack, Skipped or Failed, from the execution's output or error. */
  readonly outcome?: string;
  /** The named error a failed run ended with (e.g. GateRejected). */
  readonly error?: string;
  readonly cause?: string;
}

/** The outcome a retrain execution reports in its output (`end.outcome`), if any. */
function outcomeOf(output: string | undefined): string | undefined {
  if (!output) return undefined;
  try {
    const parsed = JSON.parse(output) as { end?: { outcome?: unknown }; outcome?: unknown };
    const outcome = parsed.end?.outcome ?? parsed.outcome;
    return typeof outcome === 'string' ? outcome : undefined;
  } catch {
    return undefined;
  }
}

/** The newest executions of a state machine, described (outcome, error), newest first. */
export async function recentExecutions(
  client: SFNClient,
  stateMachineArn: string,
  limit: number,
  statusFilter?: ExecutionStatus,
): Promise<ExecutionSummary[]> {
  const list = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: limit, statusFilter }));
  const summaries: ExecutionSummary[] = [];
  for (const e of list.executions ?? []) {
    const d = e.status === 'RUNNING' ? undefined : await client.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
    summaries.push({
      name: e.name ?? '',
      executionArn: e.executionArn ?? '',
      status: e.status ?? 'UNKNOWN',
      startDate: e.startDate?.toISOString(),
      stopDate: e.stopDate?.toISOString(),
      outcome: outcomeOf(d?.output) ?? (e.status === 'FAILED' ? 'Failed' : undefined),
      error: d?.error,
      cause: d?.cause,
    });
  }
  return summaries;
}
