/**
 * The inner loop of a columnar pass: creating a table's column accumulators and feeding
 * them column batches. Shared by the one-thread pass and the workers of a parallel scan.
 */
import type { ColumnBatch, ColumnKind } from '../readers/column-batch';
import { ColumnAccumulator, type ColumnAccumulatorOptions } from './column-accumulator';
import type { AccumulateTableOptions } from './table-options';

/** Creates the (empty) accumulators for `columns` with `options`. */
export function createAccumulators(columns: readonly string[], options: AccumulateTableOptions = {}): ColumnAccumulator[] {
  return columns.map((name) => {
    const o: ColumnAccumulatorOptions = {
      type: options.types?.[name],
      budget: options.budget,
      cuts: options.cuts?.[name],
      range: options.ranges?.[name],
      onBadValue: options.onBadValue,
      distinctCap: options.distinctCap,
      ecdfReference: options.ecdfReferences?.[name],
      histogram: options.histogram,
    };
    return new ColumnAccumulator(name, o);
  });
}

/**
 * Feeds every batch to the accumulators (batch column k to accumulator k) and returns
 * the number of rows. `kinds` is the plan's kinds, updated after each batch to what each
 * accumulator wants next.
 */
export async function accumulateColumnBatches(
  batches: AsyncIterable<ColumnBatch> | Iterable<ColumnBatch>,
  accumulators: readonly ColumnAccumulator[],
  kinds: ColumnKind[],
): Promise<number> {
  const n = accumulators.length;
  let rowCount = 0;
  for await (const batch of batches) {
    const { length, lines, file, columns } = batch;
    for (let k = 0; k < n; k++) {
      const acc = accumulators[k]!;
      acc.addColumn(columns[k]!, length, lines, file);
      kinds[k] = acc.wantedKind;
    }
    rowCount += length;
  }
  return rowCount;
}

/**
 * Counts the values owed to each column's histogram (one column at a time, while its
 * table is in the processor's cache) and, when `release`, drops the exact values of the
 * columns whose histogram holds them all. The last step of a pass: a scan worker counts
 * without releasing (the values of every part are needed if a part's histogram gave up);
 * merged parts are released after their merge (see `ColumnAccumulator.prepare`).
 */
export function settleValueCounts(accumulators: readonly ColumnAccumulator[], release: boolean): void {
  for (const c of accumulators) {
    c.countValues();
    if (release) c.releaseValues();
  }
}
