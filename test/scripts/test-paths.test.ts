import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTestPaths, testFiles, testPathProblem, type PathKind } from '../../scripts/test-paths';

const root = join(import.meta.dirname, '..', '..');

/** A repository holding exactly these files (folders follow from them). */
function repository(files: string[]): PathKind {
  return (path) => {
    if (files.includes(path)) return 'file';
    return files.some((file) => file.startsWith(`${path}/`)) ? 'folder' : undefined;
  };
}

describe('Function: checkTestPaths (the repository)', () => {
  it('finds the test files and places every one by the rule', () => {
    // Act
    const tests = testFiles(root);
    const problems = checkTestPaths(root);

    // Assess
    expect(tests).toContain('test/scripts/test-paths.test.ts');
    expect(tests.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});

describe('Function: testPathProblem', () => {
  const kind = repository(['lambdas/core/gate/evaluate.ts', 'statemachines/retrain/index.ts', 'bin/cli/main.ts', 'infra/functions.ts']);

  it('accepts the test of a module, of one aspect of a module, of a folder and of several modules of a folder', () => {
    // Assess
    expect(testPathProblem('test/lambdas/core/gate/evaluate.test.ts', kind)).toBeUndefined();
    expect(testPathProblem('test/bin/cli/main.operations.test.ts', kind)).toBeUndefined();
    expect(testPathProblem('test/statemachines/retrain.test.ts', kind)).toBeUndefined();
    expect(testPathProblem('test/lambdas/core/gate/rules-end-to-end.test.ts', kind)).toBeUndefined();
  });

  it('refuses a test whose folder mirrors no source folder, naming the file', () => {
    // Assess
    expect(testPathProblem('test/project/node-runtime.test.ts', kind)).toMatch(/^test\/project\/node-runtime\.test\.ts: tests no source/);
    expect(testPathProblem('test/lambdas/core/profile/columns.test.ts', kind)).toMatch(/profile\/columns\.test\.ts/);
    expect(testPathProblem('test/loose.test.ts', kind)).toMatch(/loose\.test\.ts/);
    expect(testPathProblem('lambdas/core/gate/evaluate.test.ts', kind)).toMatch(/not a test file under test/);
  });
});
