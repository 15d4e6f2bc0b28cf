/**
 * A partial summary of a table part: the validation pass and the drift accumulators of
 * one shard's rows, made by the same code and options as one pass over the whole table,
 * so that merging the parts in order and concluding gives the one-pass result (see
 * core/validation/validation-pass.ts and core/drift/compute-drift.ts for what is exact).
 *
 * Reading a part twice (once per pass) keeps each pass the one the single path makes;
 * `open` gives a fresh table each time.
 */
import { accumulateTable, mergeTableAccumulators, type TableAccumulator } from '../columns/table-accumulator';
import { reviveAccumulator } from '../columns/scan-worker';
import type { DriftPlan } from '../drift/compute-drift';
import type { Table } from '../readers/types';
import { mergeValidationPasses, reviveValidationPass, scanValidation, type ValidationPass, type ValidationPassOptions } from '../validation/validation-pass';
import { InputError } from '../../../vocabulary/errors';

/** The summary of one part (or, merged, of several consecutive parts). */
export interface TableSummary {
  /** Parts merged into it, by their index in the plan. */
  readonly parts: number[];
  readonly validation: ValidationPass;
  /** The drift accumulators of the plan's features; null without a drift plan (no baseline). */
  readonly drift: TableAccumulator | null;
}

/**
 * Summarises one part: a validation pass, then (with a drift plan) the drift accumulation,
 * each over a table `open` gives.
 */
export async function summarizePart(
  index: number,
  open: () => Promise<Table>,
  validation: ValidationPassOptions,
  drift: DriftPlan | undefined,
): Promise<TableSummary> {
  const pass = await scanValidation(await open(), validation);
  const acc = drift ? await accumulateTable(await open(), { ...drift.accumulate, parallel: false }) : null;
  return { parts: [index], validation: pass, drift: acc };
}

/**
 * Merges summaries in their parts' order (the first summary, mutated, is returned).
 *
 * @throws InputError when there is none, or when one has drift accumulators and another not
 */
export function mergeSummaries(summaries: readonly TableSummary[]): TableSummary {
  const sorted = [...summaries].sort((a, b) => a.parts[0]! - b.parts[0]!);
  const first = sorted[0];
  if (!first) throw new InputError('no partial summary to merge');
  for (const s of sorted.slice(1)) {
    if ((first.drift === null) !== (s.drift === null)) throw new InputError('partial summaries disagree on drift (one has accumulators, another none)', { file: s.validation.source });
    mergeValidationPasses(first.validation, s.validation);
    if (first.drift && s.drift) mergeTableAccumulators(first.drift, s.drift);
    first.parts.push(...s.parts);
  }
  return first;
}

/** Gives back their classes to a summary that went through a structured clone. */
export function reviveSummary(clone: TableSummary): TableSummary {
  reviveValidationPass(clone.validation);
  clone.drift?.columns.forEach((c) => reviveAccumulator(c));
  return clone;
}
