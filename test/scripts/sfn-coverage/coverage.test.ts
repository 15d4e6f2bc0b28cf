import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphEdges, graphKey, readRunRecords, writeRunRecord, type RunRecord } from '../../../local/trace';
import { computeCoverage, coverageComplete, formatCoverage } from '../../../scripts/sfn-coverage/coverage';
import type { Graph } from '../../../scripts/sfn-coverage/graphs';
import { run, stepError, type Execution } from '../../statemachines/harness';

const TASK = 'arn:aws:states:::lambda:invoke';

/** A small pipeline: a step with a named Catch and a States.ALL Catch, a verdict. */
const definition = {
  StartAt: 'Acquire lock',
  States: {
    'Acquire lock': { Type: 'Task', Resource: TASK, ResultPath: null, Next: 'Work' },
    Work: {
      Type: 'Task',
      Resource: TASK,
      Catch: [
        { ErrorEquals: ['Work.Rejected'], ResultPath: '$.caught', Next: 'Release lock after failure' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Release lock after failure' },
      ],
      Next: 'Good?',
    },
    'Good?': { Type: 'Choice', Choices: [{ Variable: '$.good', BooleanEquals: true, Next: 'Release lock' }], Default: 'Release lock after failure' },
    'Release lock': { Type: 'Task', Resource: TASK, ResultPath: null, Next: 'Done' },
    'Release lock after failure': { Type: 'Task', Resource: TASK, ResultPath: null, Next: 'Failed' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'WorkFailed' },
  },
};

const graph: Graph = { machine: 'small', variant: 'hand-written', key: graphKey(definition), edges: graphEdges(definition) };
const record = (e: Execution): RunRecord => ({ graph: graph.key, startAt: 'Acquire lock', executed: [...e.edges] });
const ok = () => ({});
const throwing = (name: string) => () => {
  throw stepError(name, 'the step threw');
};

/** Runs of the small pipeline: good, bad verdict, named error, unexpected error (run once). */
let once: ReturnType<typeof runAll> | undefined;
const runs = () => (once ??= runAll());
async function runAll() {
  const lock = { 'Acquire lock': ok, 'Release lock': ok, 'Release lock after failure': ok };
  return {
    good: await run(definition, {}, { states: { ...lock, Work: () => ({ good: true }) } }),
    bad: await run(definition, {}, { states: { ...lock, Work: () => ({ good: false }) } }),
    rejected: await run(definition, {}, { states: { ...lock, Work: throwing('Work.Rejected') } }),
    unexpected: await run(definition, {}, { states: { ...lock, Work: throwing('Lambda.ServiceException') } }),
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Function: computeCoverage', () => {
  it('passes with every run and fails, naming the Catch, when the run that drives the States.ALL Catch is removed', async () => {
    // Prepare
    const r = await runs();
    expect(r.unexpected.states).toEqual(['Acquire lock', 'Work', 'Release lock after failure', 'Failed']);
    const all = [r.good, r.bad, r.rejected, r.unexpected].map(record);
    const withoutCatchAll = [r.good, r.bad, r.rejected].map(record);

    // Act
    const full = computeCoverage([graph], all);
    const partial = computeCoverage([graph], withoutCatchAll);

    // Assess
    expect(full.graphs[0]!.missed).toEqual([]);
    expect(full.graphs[0]!.executed).toBe(graph.edges.length);
    expect(coverageComplete(full)).toBe(true);
    expect(partial.graphs[0]!.missed).toEqual(['Work -> Release lock after failure (catch 2: States.ALL)']);
    expect(coverageComplete(partial)).toBe(false);
    expect(formatCoverage(partial)).toContain('missed   Work -> Release lock after failure (catch 2: States.ALL)');
  });

  it('counts a Choice Default apart from the rule and the named Catch apart from States.ALL', async () => {
    // Prepare
    const r = await runs();

    // Act
    const onlyRejected = computeCoverage([graph], [record(r.good), record(r.rejected)]);

    // Assess
    expect(onlyRejected.graphs[0]!.missed.sort()).toEqual(['Good? -> Release lock after failure (default)', 'Work -> Release lock after failure (catch 2: States.ALL)'].sort());
  });

  it('excuses an edge with a reason, refuses an excuse of a States.ALL Catch or of no edge, and lists graphs no variant has', async () => {
    // Prepare
    const r = await runs();
    const records = [record(r.good), record(r.rejected), { graph: 'ffffffffffffffff', startAt: 'Elsewhere', executed: [] }];
    const excuses = [
      { machine: 'small', edge: 'Good? -> Release lock after failure (default)', reason: 'the verdict is always good in this pipeline' },
      { machine: 'small', edge: 'Work -> Release lock after failure (catch 2: States.ALL)', reason: 'no test can make the step throw an unknown error' },
      { machine: 'small', edge: 'Gone -> Done (next)', reason: 'a state that was removed from the pipeline' },
    ];

    // Act
    const report = computeCoverage([graph], records, excuses);

    // Assess
    expect(report.graphs[0]!.excused).toEqual([{ edge: excuses[0]!.edge, reason: excuses[0]!.reason }]);
    expect(report.graphs[0]!.missed).toEqual(['Work -> Release lock after failure (catch 2: States.ALL)']);
    expect(report.refusedExcuses).toEqual([
      `small: ${excuses[1]!.edge}: a States.ALL Catch cannot be excused`,
      'small: Gone -> Done (next): no such edge in any graph',
    ]);
    expect(report.unlisted).toEqual(['Elsewhere (ffffffffffffffff): 1 runs']);
    expect(coverageComplete(report)).toBe(false);
  });
});

describe('Function: writeRunRecord', () => {
  it('appends one record per run to the folder, read back by readRunRecords; writes nothing without a folder', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'pitstop-coverage-'));
    dirs.push(dir);

    // Act
    writeRunRecord(definition, ['Work#next', 'Done#succeed'], dir);
    writeRunRecord(definition, new Set(['Work#catch:2']), dir);
    writeRunRecord(definition, ['Work#next'], '');

    // Assess
    expect(readRunRecords(dir)).toEqual([
      { graph: graph.key, startAt: 'Acquire lock', executed: ['Work#next', 'Done#succeed'] },
      { graph: graph.key, startAt: 'Acquire lock', executed: ['Work#catch:2'] },
    ]);
    expect(readRunRecords(join(dir, 'absent'))).toEqual([]);
  });
});
