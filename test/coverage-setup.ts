/**
 * vitest global setup: empties the state machine coverage records folder and names it
 * in `PITSTOP_SFN_COVERAGE_DIR` for the workers (and the local-mode subprocesses they
 * start), so `npm run sfn-coverage` reads the runs of this test run only.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { COVERAGE_DIR_VARIABLE } from '../local/trace';
import { recordsDir } from '../scripts/sfn-coverage/records-dir';

export default function setup(): void {
  const dir = recordsDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env[COVERAGE_DIR_VARIABLE] = dir;
}
