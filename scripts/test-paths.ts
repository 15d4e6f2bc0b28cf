/**
 * The path rule of the tests (docs/architecture.md, "Where tests live"): the test of
 * `X/y.ts` is `test/X/y.test.ts`, one aspect of it may be `test/X/y.<aspect>.test.ts`,
 * and a test of several modules of folder `X` (or of the folder `X/y/` as a whole) sits
 * in `test/X/`. A test file whose folder mirrors no source folder is misplaced.
 *
 * Run alone with `npx tsx scripts/test-paths.ts`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether a path of the repository is a file, a folder, or neither. */
export type PathKind = (path: string) => 'file' | 'folder' | undefined;

/** What is wrong with the place of test file `test` (a repository path), or undefined. */
export function testPathProblem(test: string, kind: PathKind): string | undefined {
  const match = /^test\/(.+)\.test\.tsx?$/.exec(test);
  if (!match) return `${test}: not a test file under test/ ending in .test.ts`;
  const stem = match[1]!;
  if (kind(`${stem}.ts`) === 'file' || kind(`${stem}.tsx`) === 'file' || kind(stem) === 'folder') return undefined;
  const aspect = /^(.+)\.[a-z0-9-]+$/.exec(stem);
  if (aspect && (kind(`${aspect[1]}.ts`) === 'file' || kind(`${aspect[1]}.tsx`) === 'file')) return undefined;
  const folder = posix.dirname(stem);
  if (folder !== '.' && kind(folder) === 'folder') return undefined;
  return `${test}: tests no source file or folder (expected ${stem}.ts, ${stem}/ or a test of folder ${folder}/ that exists)`;
}

/** Every test file under `root`/test, as repository paths. */
export function testFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures') walk(path);
      } else if (/\.test\.tsx?$/.test(entry.name)) found.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(join(root, 'test'));
  return found.sort();
}

/** The problems of every test file of the repository at `root`. */
export function checkTestPaths(root: string): string[] {
  const kind: PathKind = (path) => {
    const full = join(root, path);
    if (!existsSync(full)) return undefined;
    return statSync(full).isDirectory() ? 'folder' : 'file';
  };
  return testFiles(root)
    .map((test) => testPathProblem(test, kind))
    .filter((problem): problem is string => problem !== undefined);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = checkTestPaths(join(fileURLToPath(import.meta.url), '..', '..'));
  for (const problem of problems) console.error(problem);
  process.exit(problems.length === 0 ? 0 : 1);
}
