/**
 * `npm run bench`: generates 1,000,000 rows (20 numeric, 5 categorical features) as
 * CSV and as data-capture JSONL, then times a raw pass (read + split lines), profile,
 * drift against the profile and validation, each in its own process, each phase
 * several times (default 3): a shared machine's timings vary by a fifth or more from
 * run to run, so each figure is the median run, with the fastest and slowest beside it.
 * Prints MB/s, the ratio of each phase to the raw pass over the same file, and peak RSS
 * (median; the targets take the highest of any run); then checks that drift's peak RSS
 * stops growing with file size beyond the exact-value budget. Reports what it measured;
 * it asserts nothing about this machine's speed except the targets it prints as met or
 * missed.
 *
 *   npm run bench                 # 1,000,000 rows, 3 runs of each phase
 *   npm run bench -- --rows 200000 --runs 5
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from './generate';

interface PhaseResult {
  phase: string;
  bytes: number;
  /** Median of the runs. */
  ms: number;
  msMin: number;
  msMax: number;
  /** Median peak RSS of the runs, and the highest. */
  maxRssBytes: number;
  highestRssBytes: number;
}

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' }, out: { type: 'string', default: 'bench/out' } },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
if (!Number.isInteger(rows) || rows < 1000) throw new Error(`--rows must be an integer >= 1000, got ${values.rows}`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const dir = values.out!;
mkdirSync(dir, { recursive: true });

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Runs one phase `runs` times, each in a fresh process. */
function runPhase(phase: string, data: string, profile?: string, budget?: number): PhaseResult {
  const args = ['--import', 'tsx', 'bench/phase.ts', phase, data, profile ?? '', budget === undefined ? '' : String(budget)];
  const all: { bytes: number; ms: number; maxRssBytes: number }[] = [];
  for (let k = 0; k < runs; k++) {
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
    all.push(JSON.parse(out.trim().split('\n').pop()!) as { bytes: number; ms: number; maxRssBytes: number });
  }
  const ms = all.map((r) => r.ms);
  const rss = all.map((r) => r.maxRssBytes);
  return { phase, bytes: all[0]!.bytes, ms: median(ms), msMin: Math.min(...ms), msMax: Math.max(...ms), maxRssBytes: median(rss), highestRssBytes: Math.max(...rss) };
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const rate = (r: PhaseResult) => mb(r.bytes) / (r.ms / 1000);

async function ensureData(name: string, n: number, seed: number, shift: number, capture: boolean): Promise<{ csv: string; capture?: string }> {
  const csv = join(dir, `${name}-${n}.csv`);
  const cap = capture ? join(dir, `${name}-${n}.capture.jsonl`) : undefined;
  if (!existsSync(csv) || (cap && !existsSync(cap))) {
    process.stderr.write(`generating ${n} rows of ${name} data ...\n`);
    await generate(csv, cap, n, seed, shift);
  }
  return { csv, capture: cap };
}

const reference = await ensureData('reference', rows, 1, 0, false);
const current = await ensureData('current', rows, 2, 0.1, true);
const profilePath = join(dir, `profile-${rows}.json`);

const results: { label: string; r: PhaseResult; raw: PhaseResult }[] = [];
const rawRef = runPhase('raw', reference.csv);
const rawCur = runPhase('raw', current.csv);
const rawCap = runPhase('raw', current.capture!);
process.stderr.write('profiling ...\n');
results.push({ label: 'profile (CSV)', r: runPhase('profile', reference.csv, profilePath), raw: rawRef });
process.stderr.write('drift ...\n');
results.push({ label: 'drift vs profile (CSV)', r: runPhase('drift', current.csv, profilePath), raw: rawCur });
results.push({ label: 'drift vs profile (capture JSONL)', r: runPhase('drift', current.capture!, profilePath), raw: rawCap });
process.stderr.write('validation ...\n');
results.push({ label: 'validation (CSV)', r: runPhase('validate', current.csv, profilePath), raw: rawCur });

const lines = [
  `pitstop benchmark: ${rows.toLocaleString('en-US')} rows, 20 numeric + 5 categorical features, node ${process.version}, median of ${runs} run${runs === 1 ? '' : 's'} per phase`,
  '',
  `${'phase'.padEnd(34)}${'MB'.padStart(8)}${'seconds'.padStart(10)}${'(fastest-slowest)'.padStart(19)}${'MB/s'.padStart(9)}${'vs raw'.padStart(9)}${'peak RSS MB (highest)'.padStart(23)}`,
];
const row = (label: string, r: PhaseResult, raw?: PhaseResult) =>
  `${label.padEnd(34)}${mb(r.bytes).toFixed(1).padStart(8)}${(r.ms / 1000).toFixed(2).padStart(10)}${`(${(r.msMin / 1000).toFixed(2)}-${(r.msMax / 1000).toFixed(2)})`.padStart(19)}${rate(r).toFixed(1).padStart(9)}${(raw ? (rate(r) / rate(raw)).toFixed(2) : '1.00').padStart(9)}${`${mb(r.maxRssBytes).toFixed(0)} (${mb(r.highestRssBytes).toFixed(0)})`.padStart(23)}`;
lines.push(row('raw pass (CSV)', rawCur), row('raw pass (capture JSONL)', rawCap));
for (const { label, r, raw } of results) lines.push(row(label, r, raw));

// Memory against file size: drift with a small exact-value budget over a quarter
// of the rows and over all of them. Past the budget, peak RSS should stay flat.
const budget = Math.max(1000, Math.floor(rows / 20));
const quarter = await ensureData('current', Math.floor(rows / 4), 2, 0.1, false);
const small = runPhase('drift', quarter.csv, profilePath, budget);
const large = runPhase('drift', current.csv, profilePath, budget);
const growth = mb(large.maxRssBytes) - mb(small.maxRssBytes);
lines.push(
  '',
  `memory vs size (exact budget ${budget.toLocaleString('en-US')} values per feature; median peaks): drift over ${mb(small.bytes).toFixed(0)} MB peaked at ${mb(small.maxRssBytes).toFixed(0)} MB RSS, over ${mb(large.bytes).toFixed(0)} MB at ${mb(large.maxRssBytes).toFixed(0)} MB (growth ${growth.toFixed(0)} MB for ${(large.bytes / small.bytes).toFixed(1)}x the data)`,
);

const driftCsv = results[1]!;
const peak = Math.max(...results.map((x) => x.r.highestRssBytes));
const targets = [
  [`drift >= 1/3 of the raw pass (CSV): ${(rate(driftCsv.r) / rate(driftCsv.raw)).toFixed(2)}`, rate(driftCsv.r) / rate(driftCsv.raw) >= 1 / 3],
  [`peak RSS < 512 MB (highest of any run): ${mb(peak).toFixed(0)} MB`, mb(peak) < 512],
  [`memory flat beyond the budget (growth < 10% of the larger run's peak): ${growth.toFixed(0)} MB`, growth < 0.1 * mb(large.maxRssBytes)],
] as const;
lines.push('', 'targets:', ...targets.map(([text, ok]) => `  ${ok ? 'met   ' : 'MISSED'} ${text}`));
process.stdout.write(lines.join('\n') + '\n');
