/**
 * Joining captured predictions with ground truth by the request's eventId.
 */

/** What a join produced. */
export interface JoinResult {
  /** The label of each matched instance. */
  readonly labels: number[];
  /** The prediction values of each matched instance, aligned with `labels`. */
  readonly predictions: number[][];
  /** Matched instances (the length of `labels`). */
  readonly matched: number;
  /** Events in both sides whose instance counts differ (left out). */
  readonly mismatched: number;
}

/**
 * Matches each captured event with its ground truth. A request that carried several
 * instances has several captured rows with one eventId; its ground truth must then hold
 * as many labels, matched in order. Events on one side only are left out; events whose
 * instance counts differ are left out and counted as `mismatched`.
 *
 * @param captured predictions by eventId, each event's rows in capture order
 * @param truth labels by eventId
 */
export function joinByEventId(
  captured: ReadonlyMap<string, readonly (readonly number[])[]>,
  truth: ReadonlyMap<string, readonly number[]>,
): JoinResult {
  const labels: number[] = [];
  const predictions: number[][] = [];
  let mismatched = 0;
  for (const [eventId, rows] of captured) {
    const ys = truth.get(eventId);
    if (ys === undefined) continue;
    if (ys.length !== rows.length) {
      mismatched++;
      continue;
    }
    for (let i = 0; i < rows.length; i++) {
      labels.push(ys[i]!);
      predictions.push([...rows[i]!]);
    }
  }
  return { labels, predictions, matched: labels.length, mismatched };
}
