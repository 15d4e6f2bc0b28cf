/**
 * Edges of the state machines that no test can take, each with the reason. The
 * coverage check (`npm run sfn-coverage`) counts them as excused instead of missed;
 * it refuses an excuse of a `States.ALL` Catch (every one is driven by a test) and an
 * excuse that names no edge of any graph (a stale one).
 *
 * `machine` is the state machine kind; `edge` is the edge's label as the check prints
 * it: `<from> -> <to> (<kind>)`.
 */
export interface CoverageExcuse {
  readonly machine: 'monitor' | 'retrain' | 'canary' | 'rollback';
  readonly edge: string;
  readonly reason: string;
}

/** The excused edges. */
export const COVERAGE_EXCUSES: readonly CoverageExcuse[] = [];
