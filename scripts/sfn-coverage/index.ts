/**
 * `npm run sfn-coverage`: edges of every state machine graph of the config variants
 * (scripts/sfn-coverage/variants.ts), against the transitions recorded by the last
 * test run (the folder in `PITSTOP_SFN_COVERAGE_DIR`, by default
 * node_modules/.cache/pitstop-sfn-coverage, filled by test/statemachines/harness.ts
 * and local mode).
 *
 *   npm run sfn-coverage                 per machine and graph: edges, executed, the rest
 *   npm run sfn-coverage -- --json       {"graphs": [{machine, variant, edges, executed, excused, missed}]}
 *   npm run sfn-coverage -- --check      exit 1 unless every edge is executed or excused
 */
import { readRunRecords } from '../../local/trace';
import { COVERAGE_EXCUSES } from '../../statemachines/coverage-excuses';
import { computeCoverage, coverageComplete, formatCoverage } from './coverage';
import { variantGraphs } from './graphs';
import { recordsDir } from './records-dir';
import { VARIANTS } from './variants';

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => !['--json', '--check'].includes(a));
if (unknown.length > 0) {
  process.stderr.write(`sfn-coverage: unknown option ${unknown.join(' ')} (expected --json, --check)\n`);
  process.exit(2);
}
const dir = recordsDir();
const records = readRunRecords(dir);
if (records.length === 0) {
  process.stderr.write(`sfn-coverage: no run records in ${dir}; run the tests first (npx vitest run)\n`);
  process.exit(args.has('--check') ? 1 : 0);
}
const report = computeCoverage(variantGraphs(VARIANTS), records, COVERAGE_EXCUSES);
if (args.has('--json')) process.stdout.write(JSON.stringify({ graphs: report.graphs }, null, 2) + '\n');
else process.stdout.write(formatCoverage(report));
if (args.has('--check') && !coverageComplete(report)) {
  if (args.has('--json')) process.stderr.write(formatCoverage(report));
  process.stderr.write('sfn-coverage: state machine edges not executed by any test (see above)\n');
  process.exit(1);
}
