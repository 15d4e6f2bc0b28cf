/** Where the test runs write their coverage records, and where the check reads them. */
import { join } from 'node:path';
import { coverageDir } from '../../local/trace';

/** `PITSTOP_SFN_COVERAGE_DIR`, else node_modules/.cache/pitstop-sfn-coverage of the working directory. */
export function recordsDir(env: NodeJS.ProcessEnv = process.env): string {
  return coverageDir(env) ?? join(process.cwd(), 'node_modules', '.cache', 'pitstop-sfn-coverage');
}
