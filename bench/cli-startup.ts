/**
 * `npm run bench:cli`: the start-up of the compiled CLI (`dist/bin/pitstop.js`, built
 * first unless `--no-build`) against a bare `node -e 0` on the same machine and Node:
 * `pitstop --version`, `pitstop --help`, and `pitstop drift` on two 20-row files, and, for
 * comparison, `--help` through tsx from the sources. Each command runs several times
 * (default 7), each in a fresh process; the figures are medians of wall time and of CPU
 * time (user + system, read by a one-line preload at exit, the same preload for every
 * command including the baseline). CPU time is the steadier figure on a shared machine,
 * where the wall time of a process depends on the others. Prints each ratio to the
 * baseline and the targets (5× for --help and --version, 10× for the data command) as met
 * or missed; asserts nothing.
 *
 *   npm run bench:cli
 *   npm run bench:cli -- --runs 15 --no-build
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackage, ROOT } from '../scripts/build';

const MARK = '@@pitstop-cpu';
/** Reports the process's CPU time at exit on stderr (the bench strips the line). */
const PRELOAD = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\n${MARK} '+(u.user+u.system)/1000+'\\n')})`;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The most this case may take, as a multiple of `node -e 0`. */
  readonly target?: number;
}

interface Measured {
  readonly name: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly target?: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Runs one case `runs` times and keeps the medians. */
function measure(c: Case, runs: number): Measured {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const started = process.hrtime.bigint();
    const out = spawnSync(process.execPath, ['--import', PRELOAD, ...c.args], { cwd: ROOT, encoding: 'utf8' });
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    const line = out.stderr.split('\n').find((l) => l.startsWith(MARK));
    if (out.status !== 0 && out.status !== 1) throw new Error(`${c.name} failed (${out.status}): ${out.stderr}`);
    if (!line) throw new Error(`${c.name}: no CPU time reported`);
    cpu.push(Number(line.slice(MARK.length + 1)));
  }
  return { name: c.name, wallMs: median(wall), cpuMs: median(cpu), ...(c.target ? { target: c.target } : {}) };
}

/** 20 rows of two numeric and one categorical feature. */
function tinyCsv(seed: number): string {
  const rows = ['tenure,charges,plan'];
  for (let i = 0; i < 20; i++) rows.push(`${(i * 7 + seed) % 60},${((i * 13 + seed) % 90) + 10.5},${['basic', 'pro', 'team'][(i + seed) % 3]}`);
  return `${rows.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, 'no-build': { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  const bin = join(ROOT, 'dist', 'bin', 'pitstop.js');
  if (!values['no-build'] || !existsSync(bin)) {
    process.stderr.write('building dist/ (no declarations) ...\n');
    await buildPackage(ROOT, { declarations: false });
  }
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-bench-cli-'));
  try {
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    writeFileSync(reference, tinyCsv(1));
    writeFileSync(current, tinyCsv(5));
    const cases: Case[] = [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'pitstop --version', args: [bin, '--version'], target: 5 },
      { name: 'pitstop --help', args: [bin, '--help'], target: 5 },
      { name: 'pitstop drift (20 rows)', args: [bin, 'drift', '--reference', reference, '--current', current], target: 10 },
      { name: 'tsx bin/pitstop.ts --help (sources)', args: ['--import', 'tsx', resolve(ROOT, 'bin', 'pitstop.ts'), '--help'] },
    ];
    const results = cases.map((c) => measure(c, runs));
    const base = results[0]!;
    process.stdout.write(`Node ${process.version}, ${runs} runs each, medians; ratios to \`node -e 0\`\n\n`);
    const width = Math.max(...results.map((r) => r.name.length));
    process.stdout.write(`${'command'.padEnd(width)}  ${'wall ms'.padStart(8)}  ${'x'.padStart(5)}  ${'cpu ms'.padStart(8)}  ${'x'.padStart(5)}  target\n`);
    for (const r of results) {
      const wallX = r.wallMs / base.wallMs;
      const cpuX = r.cpuMs / base.cpuMs;
      const verdict = r.target === undefined ? '' : `${r.target}x: cpu ${cpuX <= r.target ? 'met' : 'MISSED'}, wall ${wallX <= r.target ? 'met' : 'MISSED'}`;
      process.stdout.write(`${r.name.padEnd(width)}  ${r.wallMs.toFixed(0).padStart(8)}  ${wallX.toFixed(1).padStart(5)}  ${r.cpuMs.toFixed(0).padStart(8)}  ${cpuX.toFixed(1).padStart(5)}  ${verdict}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
