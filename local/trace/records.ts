/**
 * Coverage records: one JSON line per execution, appended to a file of the process
 * (`<dir>/runs-<pid>.jsonl`), in the folder named by `PITSTOP_SFN_COVERAGE_DIR`. With
 * the variable unset nothing is written. `npm run sfn-coverage` reads the folder.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphKey } from './edges';

/** The environment variable naming the records folder. */
export const COVERAGE_DIR_VARIABLE = 'PITSTOP_SFN_COVERAGE_DIR';

/** One recorded execution. */
export interface RunRecord {
  /** {@link graphKey} of the definition run. */
  readonly graph: string;
  /** The definition's StartAt, to name a graph no variant produces. */
  readonly startAt: string;
  /** Ids of the edges taken. */
  readonly executed: readonly string[];
}

/** The records folder, when recording is on. */
export function coverageDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env[COVERAGE_DIR_VARIABLE];
  return dir ? dir : undefined;
}

/** Appends the record of one execution of `definition` (no-op when recording is off). */
export function writeRunRecord(definition: Record<string, unknown>, executed: Iterable<string>, dir = coverageDir()): void {
  if (!dir) return;
  const record: RunRecord = { graph: graphKey(definition), startAt: String(definition.StartAt), executed: [...executed] };
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `runs-${process.pid}.jsonl`), JSON.stringify(record) + '\n');
}

/**
 * Every record of a folder.
 * @throws Error naming the file and line of a record that is not valid
 */
export function readRunRecords(dir: string): RunRecord[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
  const out: RunRecord[] = [];
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let r: Partial<RunRecord>;
      try {
        r = JSON.parse(line) as Partial<RunRecord>;
      } catch {
        throw new Error(`${join(dir, file)} line ${i + 1}: expected a JSON record`);
      }
      if (typeof r.graph !== 'string' || !Array.isArray(r.executed)) throw new Error(`${join(dir, file)} line ${i + 1}: expected {graph, startAt, executed[]}`);
      out.push({ graph: r.graph, startAt: String(r.startAt), executed: r.executed.map(String) });
    });
  }
  return out;
}
