/**
 * Coverage of state machine graphs by recorded runs: per graph, the edges, those
 * executed, those excused (with their reason) and those missed. Pure: the graphs, the
 * records and the excuses come in as arguments.
 */
import type { RunRecord } from '../../local/trace';
import type { Graph } from './graphs';

/** An excused edge (statemachines/coverage-excuses.ts). */
export interface Excuse {
  readonly machine: string;
  readonly edge: string;
  readonly reason: string;
}

/** Coverage of one graph, as `--json` prints it. */
export interface GraphCoverage {
  readonly machine: string;
  readonly variant: string;
  readonly edges: number;
  readonly executed: number;
  readonly excused: { edge: string; reason: string }[];
  readonly missed: string[];
}

/** Coverage of every graph, and what makes the check fail besides missed edges. */
export interface CoverageReport {
  readonly graphs: GraphCoverage[];
  /**
   * Graphs the runs took that no variant produces (a test's own small definition, a
   * fragment): `<startAt> (<graph key>): <runs> runs`. Listed, not measured.
   */
  readonly unlisted: string[];
  /** Excuses that are refused: a States.ALL Catch, or no such edge. */
  readonly refusedExcuses: string[];
}

/** Computes the coverage of `graphs` by `records`. */
export function computeCoverage(graphs: readonly Graph[], records: readonly RunRecord[], excuses: readonly Excuse[] = []): CoverageReport {
  const executedByGraph = new Map<string, Set<string>>();
  const unlisted = new Map<string, number>();
  const known = new Set(graphs.map((g) => g.key));
  for (const r of records) {
    if (!known.has(r.graph)) {
      const name = `${r.startAt} (${r.graph})`;
      unlisted.set(name, (unlisted.get(name) ?? 0) + 1);
      continue;
    }
    const set = executedByGraph.get(r.graph) ?? new Set<string>();
    for (const id of r.executed) set.add(id);
    executedByGraph.set(r.graph, set);
  }
  const refused: string[] = [];
  for (const x of excuses) {
    const matches = graphs.filter((g) => g.machine === x.machine).flatMap((g) => g.edges.filter((e) => e.label === x.edge));
    if (matches.length === 0) refused.push(`${x.machine}: ${x.edge}: no such edge in any graph`);
    else if (matches.some((e) => e.catchAll)) refused.push(`${x.machine}: ${x.edge}: a States.ALL Catch cannot be excused`);
    else if (x.reason.trim().length < 20) refused.push(`${x.machine}: ${x.edge}: the reason must say why no test can take it`);
  }
  const report: GraphCoverage[] = graphs.map((g) => {
    const executed = executedByGraph.get(g.key) ?? new Set<string>();
    const excused: { edge: string; reason: string }[] = [];
    const missed: string[] = [];
    let count = 0;
    for (const e of g.edges) {
      if (executed.has(e.id)) {
        count += 1;
        continue;
      }
      const x = excuses.find((y) => y.machine === g.machine && y.edge === e.label && !e.catchAll);
      if (x) excused.push({ edge: e.label, reason: x.reason });
      else missed.push(e.label);
    }
    return { machine: g.machine, variant: g.variant, edges: g.edges.length, executed: count, excused, missed };
  });
  return { graphs: report, unlisted: [...unlisted].map(([name, n]) => `${name}: ${n} runs`), refusedExcuses: refused };
}

/** Whether the check passes: nothing missed, no refused excuse. */
export function coverageComplete(report: CoverageReport): boolean {
  return report.graphs.every((g) => g.missed.length === 0) && report.refusedExcuses.length === 0;
}

/** The report as text: per machine and graph, edges, executed and the rest. */
export function formatCoverage(report: CoverageReport): string {
  const lines: string[] = [];
  const pct = (n: number, d: number) => (d === 0 ? '100' : ((100 * n) / d).toFixed(1));
  let edges = 0;
  let executed = 0;
  for (const g of report.graphs) {
    edges += g.edges;
    executed += g.executed;
    lines.push(`${g.machine} [${g.variant}]: ${g.executed} of ${g.edges} edges executed (${pct(g.executed, g.edges)} %), ${g.excused.length} excused, ${g.missed.length} missed`);
    for (const x of g.excused) lines.push(`  excused  ${x.edge}: ${x.reason}`);
    for (const m of g.missed) lines.push(`  missed   ${m}`);
  }
  lines.push(`all graphs: ${executed} of ${edges} edges executed (${pct(executed, edges)} %)`);
  for (const u of report.unlisted) lines.push(`not measured (no variant of scripts/sfn-coverage/variants.ts has this graph): ${u}`);
  for (const r of report.refusedExcuses) lines.push(`refused excuse: ${r}`);
  return lines.join('\n') + '\n';
}
